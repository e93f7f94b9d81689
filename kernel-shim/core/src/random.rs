//! The kernel's random number generator (`getrandom`): ChaCha20 (RFC 8439)
//! as a keystream generator, with fast key erasure.
//!
//! Each request produces keystream blocks under the current key, hands
//! out the bytes, and then replaces the key with keystream nobody saw, so
//! earlier output cannot be recomputed from a later state. Entropy is
//! mixed in by hashing it into the key with one more block
//! ([`Generator::mix`]). What entropy there is comes from the kernel (see
//! the kernel's `sys::system_info`): the generator never blocks and never
//! runs out.
//!
//! Written here rather than taken from a crate: the well-kept ChaCha
//! crates (`chacha20`, `rand_chacha`) choose SSE2/AVX2 code at run time,
//! and the kernel must not touch the vector registers (it does not save a
//! process's FPU state across a system call). ChaCha20 is a few dozen
//! lines of integer code, checked against RFC 8439's test vector below.

/// Bytes of a ChaCha20 block.
pub const BLOCK_BYTES: usize = 64;
/// Words of a ChaCha20 key.
const KEY_WORDS: usize = 8;
/// "expand 32-byte k", the first row of the state.
const CONSTANTS: [u32; 4] = [0x6170_7865, 0x3320_646e, 0x7962_2d32, 0x6b20_6574];
/// Double rounds per block (20 rounds).
const DOUBLE_ROUNDS: usize = 10;

fn quarter_round(state: &mut [u32; 16], a: usize, b: usize, c: usize, d: usize) {
    state[a] = state[a].wrapping_add(state[b]);
    state[d] = (state[d] ^ state[a]).rotate_left(16);
    state[c] = state[c].wrapping_add(state[d]);
    state[b] = (state[b] ^ state[c]).rotate_left(12);
    state[a] = state[a].wrapping_add(state[b]);
    state[d] = (state[d] ^ state[a]).rotate_left(8);
    state[c] = state[c].wrapping_add(state[d]);
    state[b] = (state[b] ^ state[c]).rotate_left(7);
}

/// The ChaCha20 block function: block `counter` of the keystream for
/// `key` and `nonce`.
pub fn block(key: &[u32; KEY_WORDS], counter: u32, nonce: &[u32; 3]) -> [u8; BLOCK_BYTES] {
    let mut input = [0u32; 16];
    input[..4].copy_from_slice(&CONSTANTS);
    input[4..12].copy_from_slice(key);
    input[12] = counter;
    input[13..].copy_from_slice(nonce);
    let mut state = input;
    for _ in 0..DOUBLE_ROUNDS {
        quarter_round(&mut state, 0, 4, 8, 12);
        quarter_round(&mut state, 1, 5, 9, 13);
        quarter_round(&mut state, 2, 6, 10, 14);
        quarter_round(&mut state, 3, 7, 11, 15);
        quarter_round(&mut state, 0, 5, 10, 15);
        quarter_round(&mut state, 1, 6, 11, 12);
        quarter_round(&mut state, 2, 7, 8, 13);
        quarter_round(&mut state, 3, 4, 9, 14);
    }
    let mut out = [0u8; BLOCK_BYTES];
    for (index, chunk) in out.as_chunks_mut::<4>().0.iter_mut().enumerate() {
        *chunk = state[index].wrapping_add(input[index]).to_le_bytes();
    }
    out
}

/// Key words from 32 bytes.
fn key_from(bytes: &[u8]) -> [u32; KEY_WORDS] {
    let mut key = [0u32; KEY_WORDS];
    for (word, chunk) in key.iter_mut().zip(bytes.as_chunks::<4>().0) {
        *word = u32::from_le_bytes(*chunk);
    }
    key
}

/// A ChaCha20 generator with fast key erasure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Generator {
    key: [u32; KEY_WORDS],
    /// Requests served, the nonce of the next one (never repeats a
    /// keystream even if a key did).
    requests: u64,
}

impl Generator {
    /// A generator keyed with `seed`.
    pub const fn new(seed: [u32; KEY_WORDS]) -> Generator {
        Generator {
            key: seed,
            requests: 0,
        }
    }

    /// Mixes `entropy` into the key: the new key is a block under the old
    /// key with `entropy` (four words) as counter and nonce, so the key
    /// depends on every bit of both.
    pub fn mix(&mut self, entropy: [u32; 4]) {
        let [counter, nonce @ ..] = entropy;
        let out = block(&self.key, counter, &nonce);
        self.key = key_from(&out[..32]);
    }

    /// Fills `out` with keystream, then rekeys with keystream that was not
    /// handed out.
    pub fn fill(&mut self, out: &mut [u8]) {
        self.requests = self.requests.wrapping_add(1);
        let nonce = [self.requests as u32, (self.requests >> 32) as u32, 0];
        let mut counter: u32 = 1;
        for chunk in out.chunks_mut(BLOCK_BYTES) {
            let bytes = block(&self.key, counter, &nonce);
            chunk.copy_from_slice(&bytes[..chunk.len()]);
            counter = counter.wrapping_add(1);
        }
        // Block 0 of this nonce was never handed out: the next key.
        let next = block(&self.key, 0, &nonce);
        self.key = key_from(&next[..32]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 8439, section 2.3.2.
    #[test]
    fn the_block_function_matches_rfc_8439() {
        let mut key_bytes = [0u8; 32];
        for (index, byte) in key_bytes.iter_mut().enumerate() {
            *byte = index as u8;
        }
        let key = key_from(&key_bytes);
        let nonce = [0x0900_0000, 0x4a00_0000, 0];
        let out = block(&key, 1, &nonce);
        let expected: [u8; 64] = [
            0x10, 0xf1, 0xe7, 0xe4, 0xd1, 0x3b, 0x59, 0x15, 0x50, 0x0f, 0xdd, 0x1f, 0xa3, 0x20,
            0x71, 0xc4, 0xc7, 0xd1, 0xf4, 0xc7, 0x33, 0xc0, 0x68, 0x03, 0x04, 0x22, 0xaa, 0x9a,
            0xc3, 0xd4, 0x6c, 0x4e, 0xd2, 0x82, 0x64, 0x46, 0x07, 0x9f, 0xaa, 0x09, 0x14, 0xc2,
            0xd7, 0x05, 0xd9, 0x8b, 0x02, 0xa2, 0xb5, 0x12, 0x9c, 0xd1, 0xde, 0x16, 0x4e, 0xb9,
            0xcb, 0xd0, 0x83, 0xe8, 0xa2, 0x50, 0x3c, 0x4e,
        ];
        assert_eq!(out, expected);
    }

    #[test]
    fn two_requests_never_return_the_same_bytes() {
        let mut generator = Generator::new([0; KEY_WORDS]);
        let (mut first, mut second) = ([0u8; 100], [0u8; 100]);
        generator.fill(&mut first);
        generator.fill(&mut second);
        assert_ne!(first, second);
        assert_ne!(first, [0u8; 100]);
    }

    #[test]
    fn the_key_changes_after_every_request_and_mix() {
        let mut generator = Generator::new([7; KEY_WORDS]);
        let before = generator.clone();
        generator.fill(&mut [0u8; 1]);
        assert_ne!(generator.key, before.key);
        let after_fill = generator.key;
        generator.mix([1, 2, 3, 4]);
        assert_ne!(generator.key, after_fill);
    }

    #[test]
    fn different_entropy_gives_different_output() {
        let (mut a, mut b) = (Generator::new([1; 8]), Generator::new([1; 8]));
        a.mix([1, 0, 0, 0]);
        b.mix([2, 0, 0, 0]);
        let (mut out_a, mut out_b) = ([0u8; 32], [0u8; 32]);
        a.fill(&mut out_a);
        b.fill(&mut out_b);
        assert_ne!(out_a, out_b);
    }

    #[test]
    fn a_request_longer_than_a_block_is_filled_entirely() {
        let mut generator = Generator::new([3; KEY_WORDS]);
        let mut out = [0u8; 3 * BLOCK_BYTES + 5];
        generator.fill(&mut out);
        assert!(out[3 * BLOCK_BYTES..].iter().any(|&byte| byte != 0));
        assert_ne!(out[..BLOCK_BYTES], out[BLOCK_BYTES..2 * BLOCK_BYTES]);
    }
}
