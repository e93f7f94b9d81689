//! The initial user stack, laid out as the System V x86_64 ABI says.
//!
//! From the stack pointer upwards: `argc`, the `argv` pointers and a NULL,
//! the `envp` pointers and a NULL, the auxiliary vector ending in `AT_NULL`,
//! then (after padding) the 16 `AT_RANDOM` bytes and the strings. The stack
//! pointer is 16-byte aligned and points at `argc`. The image is built in a
//! kernel buffer and copied into the new address space afterwards.
#![forbid(unsafe_code)]

use crate::fallible;
use alloc::vec::Vec;
use libspawn::Errno;

/// Auxiliary-vector keys the kernel provides.
pub mod auxv {
    /// End of the vector.
    pub const AT_NULL: u64 = 0;
    /// Address of the program headers.
    pub const AT_PHDR: u64 = 3;
    /// Size of one program header.
    pub const AT_PHENT: u64 = 4;
    /// Number of program headers.
    pub const AT_PHNUM: u64 = 5;
    /// Page size.
    pub const AT_PAGESZ: u64 = 6;
    /// Entry point of the program.
    pub const AT_ENTRY: u64 = 9;
    /// Address of 16 random bytes.
    pub const AT_RANDOM: u64 = 25;
}

/// Bytes of random data behind `AT_RANDOM`.
pub const RANDOM_BYTES: usize = 16;
/// Most bytes the strings and pointers may take (Linux: `ARG_MAX`/4 is
/// typical; this kernel keeps it fixed).
pub const MAX_STACK_IMAGE: usize = 512 * 1024;
/// Stack alignment at process entry.
const STACK_ALIGN: u64 = 16;
/// Size of one stack word.
const WORD: usize = 8;

/// A ready-to-copy initial stack.
#[derive(Debug, PartialEq, Eq)]
pub struct StackImage {
    /// The initial stack pointer (address of `argc`).
    pub stack_pointer: u64,
    /// The bytes from `stack_pointer` up to the stack top.
    pub bytes: Vec<u8>,
}

/// Lays out the initial stack ending at `top` (exclusive).
///
/// `argv` and `envp` hold strings without their NUL; `auxv` holds
/// `(key, value)` pairs to which `AT_RANDOM` and `AT_NULL` are appended.
///
/// # Errors
///
/// `E2BIG` if the image would exceed [`MAX_STACK_IMAGE`], ENOMEM if the
/// kernel cannot hold it.
pub fn build(
    top: u64,
    argv: &[Vec<u8>],
    envp: &[Vec<u8>],
    auxv: &[(u64, u64)],
    random: [u8; RANDOM_BYTES],
) -> Result<StackImage, Errno> {
    let string_bytes: usize = argv.iter().chain(envp).map(|s| s.len() + 1).sum();
    let words = 1 + argv.len() + 1 + envp.len() + 1 + 2 * (auxv.len() + 2);
    let estimate = string_bytes + RANDOM_BYTES + words * WORD + 2 * STACK_ALIGN as usize;
    if estimate > MAX_STACK_IMAGE {
        return Err(Errno::E2BIG);
    }

    // Strings and random bytes, from the top down.
    let strings_start = top - (string_bytes + RANDOM_BYTES) as u64;
    let random_address = strings_start;
    let mut cursor = strings_start + RANDOM_BYTES as u64;
    let mut pointers = |list: &[Vec<u8>]| -> Result<Vec<u64>, Errno> {
        let mut addresses = fallible::with_capacity(list.len())?;
        for s in list {
            addresses.push(cursor);
            cursor += s.len() as u64 + 1;
        }
        Ok(addresses)
    };
    let argv_pointers = pointers(argv)?;
    let envp_pointers = pointers(envp)?;

    let words_start = (strings_start - (words * WORD) as u64) & !(STACK_ALIGN - 1);
    let mut bytes = fallible::zeroed((top - words_start) as usize)?;
    let mut put = |address: u64, data: &[u8]| {
        let at = (address - words_start) as usize;
        bytes[at..at + data.len()].copy_from_slice(data);
    };

    put(random_address, &random);
    for (address, string) in argv_pointers
        .iter()
        .zip(argv)
        .chain(envp_pointers.iter().zip(envp))
    {
        put(*address, string);
    }

    // `words` is exactly what the pushes below need.
    let mut table: Vec<u64> = fallible::with_capacity(words)?;
    table.push(argv.len() as u64);
    table.extend(&argv_pointers);
    table.push(0);
    table.extend(&envp_pointers);
    table.push(0);
    for &(key, value) in auxv {
        table.extend([key, value]);
    }
    table.extend([auxv::AT_RANDOM, random_address, auxv::AT_NULL, 0]);
    for (index, word) in table.iter().enumerate() {
        put(words_start + (index * WORD) as u64, &word.to_le_bytes());
    }
    Ok(StackImage {
        stack_pointer: words_start,
        bytes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(image: &StackImage, address: u64) -> u64 {
        let at = (address - image.stack_pointer) as usize;
        u64::from_le_bytes(image.bytes[at..at + 8].try_into().unwrap())
    }

    fn string(image: &StackImage, address: u64) -> Vec<u8> {
        let at = (address - image.stack_pointer) as usize;
        let end = image.bytes[at..].iter().position(|&b| b == 0).unwrap();
        image.bytes[at..at + end].to_vec()
    }

    #[test]
    fn argc_argv_envp_auxv_are_where_the_abi_says() {
        let top = 0x7fff_ffff_0000;
        let argv = [b"/bin/init".to_vec(), b"run".to_vec()];
        let envp = [b"PATH=/bin".to_vec()];
        let image = build(top, &argv, &envp, &[(auxv::AT_PAGESZ, 4096)], [7; 16]).unwrap();
        let sp = image.stack_pointer;
        assert_eq!(sp % 16, 0);
        assert_eq!(sp + image.bytes.len() as u64, top);
        assert_eq!(word(&image, sp), 2);
        assert_eq!(string(&image, word(&image, sp + 8)), b"/bin/init");
        assert_eq!(string(&image, word(&image, sp + 16)), b"run");
        assert_eq!(word(&image, sp + 24), 0);
        assert_eq!(string(&image, word(&image, sp + 32)), b"PATH=/bin");
        assert_eq!(word(&image, sp + 40), 0);
        assert_eq!(word(&image, sp + 48), auxv::AT_PAGESZ);
        assert_eq!(word(&image, sp + 56), 4096);
        assert_eq!(word(&image, sp + 64), auxv::AT_RANDOM);
        let random = word(&image, sp + 72);
        let at = (random - sp) as usize;
        assert_eq!(&image.bytes[at..at + 16], &[7; 16]);
        assert_eq!(word(&image, sp + 80), auxv::AT_NULL);
    }

    #[test]
    fn too_many_arguments_is_e2big() {
        // One more kilobyte-sized argument than the image can hold.
        let count = MAX_STACK_IMAGE / 1000 + 1;
        let argv = std::vec![std::vec![b'x'; 1000]; count];
        assert_eq!(
            build(0x10_0000, &argv, &[], &[], [0; 16]),
            Err(Errno::E2BIG)
        );
    }
}
