//! Where the NULs of a 64-byte block are, as the bits of a `u64`: how
//! [`crate::strings::NulScanner`] finds the ends of the argument strings
//! it reads from user memory.
//!
//! On x86_64 four SSE2 comparisons of 16 bytes each (`pcmpeqb` against
//! zero, `pmovmskb` for the mask) do it in 25 instructions, 0.4 per
//! byte, where the best word-at-a-time search cost 0.6 to 1.2 and more
//! for every NUL it had to locate exactly (measured under QEMU's
//! `-icount`). The kernel is built without SSE (its own code
//! never touches the vector registers, so a system call leaves a
//! process's values in them), so the two registers used here are saved
//! on the stack and restored around the comparisons. Elsewhere the
//! portable version ([`nul_mask_portable`]) runs; the tests check the two
//! against each other.
#![allow(unsafe_code)]

/// Bytes of a block.
pub const BLOCK_BYTES: usize = 64;

/// Bit `i` set exactly when `block[i]` is zero.
#[inline]
pub fn nul_mask(block: &[u8; BLOCK_BYTES]) -> u64 {
    #[cfg(target_arch = "x86_64")]
    {
        nul_mask_sse2(block)
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        nul_mask_portable(block)
    }
}

/// [`nul_mask`] a byte at a time: the reference.
pub fn nul_mask_portable(block: &[u8; BLOCK_BYTES]) -> u64 {
    block
        .iter()
        .enumerate()
        .filter(|&(_, &byte)| byte == 0)
        .fold(0, |mask, (at, _)| mask | 1 << at)
}

/// [`nul_mask`] with SSE2, which every x86_64 processor has.
#[cfg(target_arch = "x86_64")]
#[inline]
pub fn nul_mask_sse2(block: &[u8; BLOCK_BYTES]) -> u64 {
    let mask: u64;
    // SAFETY: the instructions read the 64 bytes of `block` (a valid
    // reference, read with unaligned loads) and write only the two general
    // registers declared as outputs, the flags (not preserved: no
    // `preserves_flags`) and 32 bytes of stack below the stack pointer,
    // which is given back (no `nostack`: the compiler keeps the stack
    // usable for it). xmm0 and xmm1, which may hold a user process's
    // values, are saved to that stack space first and restored last, so
    // they leave as they came; SSE2 is part of x86_64, and the kernel
    // enables it (CR4.OSFXSR) before any process runs. pcmpeqb and
    // pmovmskb are integer operations: MXCSR is neither read nor written.
    unsafe {
        core::arch::asm!(
            "sub rsp, 32",
            "movdqu [rsp], xmm0",
            "movdqu [rsp + 16], xmm1",
            "pxor xmm0, xmm0",
            // Bytes 48..64 first, each part shifted up by the next.
            "movdqu xmm1, [{block} + 48]",
            "pcmpeqb xmm1, xmm0",
            "pmovmskb {mask:e}, xmm1",
            "shl {mask}, 16",
            "movdqu xmm1, [{block} + 32]",
            "pcmpeqb xmm1, xmm0",
            "pmovmskb {part:e}, xmm1",
            "or {mask}, {part}",
            "shl {mask}, 16",
            "movdqu xmm1, [{block} + 16]",
            "pcmpeqb xmm1, xmm0",
            "pmovmskb {part:e}, xmm1",
            "or {mask}, {part}",
            "shl {mask}, 16",
            "movdqu xmm1, [{block}]",
            "pcmpeqb xmm1, xmm0",
            "pmovmskb {part:e}, xmm1",
            "or {mask}, {part}",
            "movdqu xmm0, [rsp]",
            "movdqu xmm1, [rsp + 16]",
            "add rsp, 32",
            block = in(reg) block.as_ptr(),
            mask = out(reg) mask,
            part = out(reg) _,
        );
    }
    mask
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mask_has_a_bit_for_each_nul_and_no_other() {
        let mut block = [b'x'; BLOCK_BYTES];
        assert_eq!(nul_mask(&block), 0);
        block[0] = 0;
        block[17] = 0;
        block[63] = 0;
        assert_eq!(nul_mask(&block), 1 | 1 << 17 | 1 << 63);
        assert_eq!(nul_mask(&[0; BLOCK_BYTES]), u64::MAX);
    }

    #[test]
    fn the_sse2_mask_is_the_portable_one() {
        // Every single NUL position, and pseudo-random blocks with bytes
        // that trip word-at-a-time tricks (0x01, 0x80, 0xff).
        let mut block = [0x80u8; BLOCK_BYTES];
        for at in 0..BLOCK_BYTES {
            block.fill(0x01);
            block[at] = 0;
            assert_eq!(nul_mask(&block), nul_mask_portable(&block), "NUL at {at}");
        }
        let mut state = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..1000 {
            for byte in block.iter_mut() {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                *byte = [0, 0x01, 0x80, 0xff, b'a'][(state % 5) as usize];
            }
            assert_eq!(nul_mask(&block), nul_mask_portable(&block));
        }
    }

    /// [`nul_mask_sse2`] behind the C calling convention, for the test
    /// below to call from assembly.
    #[cfg(target_arch = "x86_64")]
    extern "C" fn mask_of(block: &[u8; BLOCK_BYTES]) -> u64 {
        nul_mask_sse2(block)
    }

    #[cfg(target_arch = "x86_64")]
    #[test]
    fn the_vector_registers_are_left_as_they_were() {
        let block = [0u8; BLOCK_BYTES];
        let values: [u64; 4] = [0x1122_3344_5566_7788, u64::MAX, 0x0101_0101_0101_0101, 7];
        let mut seen = [0u64; 4];
        let mask: u64;
        // SAFETY: loads xmm0 and xmm1 from `values`, calls `mask_of` (C
        // calling convention, every register it may change declared by
        // `clobber_abi`), and stores the two registers into `seen`; the
        // stack stays 16-byte aligned at the call.
        unsafe {
            core::arch::asm!(
                "movdqu xmm0, [{values}]",
                "movdqu xmm1, [{values} + 16]",
                "call {function}",
                "movdqu [r12], xmm0",
                "movdqu [r12 + 16], xmm1",
                values = in(reg) values.as_ptr(),
                // Callee-saved, so still there after the call.
                in("r12") seen.as_mut_ptr(),
                function = sym mask_of,
                in("rdi") &block,
                lateout("rax") mask,
                clobber_abi("C"),
            );
        }
        assert_eq!(mask, u64::MAX);
        assert_eq!(seen, values);
    }
}
