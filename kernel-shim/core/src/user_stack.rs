//! The initial user stack, laid out as the System V x86_64 ABI says.
//!
//! From the stack pointer upwards: `argc`, the `argv` pointers and a NULL,
//! the `envp` pointers and a NULL, the auxiliary vector ending in `AT_NULL`,
//! then (after padding) the 16 `AT_RANDOM` bytes and the strings (the
//! arguments, the environment, then the `AT_EXECFN` file name). The stack
//! pointer is 16-byte aligned and points at `argc`. The words are built in
//! a kernel buffer; the strings stay in their lists ([`Strings`]), and
//! the loader copies both into the new address space.
#![forbid(unsafe_code)]

use crate::creds::Creds;
use crate::fallible;
use crate::frames::FRAME_SIZE;
use crate::strings::Strings;
use alloc::vec::Vec;
use libspawn::Errno;

/// Auxiliary-vector keys the kernel provides (Linux's `<elf.h>` numbers,
/// getauxval(3)).
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
    /// Base address of the program interpreter: 0, there is none.
    pub const AT_BASE: u64 = 7;
    /// Flags: none defined.
    pub const AT_FLAGS: u64 = 8;
    /// Entry point of the program.
    pub const AT_ENTRY: u64 = 9;
    /// Real user id.
    pub const AT_UID: u64 = 11;
    /// Effective user id.
    pub const AT_EUID: u64 = 12;
    /// Real group id.
    pub const AT_GID: u64 = 13;
    /// Effective group id.
    pub const AT_EGID: u64 = 14;
    /// CPU capability bits (`AT_HWCAP`): 0, none announced.
    pub const AT_HWCAP: u64 = 16;
    /// Clock ticks per second, for `times`.
    pub const AT_CLKTCK: u64 = 17;
    /// Secure mode: real and effective ids differ.
    pub const AT_SECURE: u64 = 23;
    /// Address of 16 random bytes.
    pub const AT_RANDOM: u64 = 25;
    /// Address of the executed file's name.
    pub const AT_EXECFN: u64 = 31;
}

/// Size of one ELF64 program header, for `AT_PHENT`.
pub const PHDR_SIZE: u64 = 56;
/// `AT_CLKTCK`: Linux's `USER_HZ`, the unit of `times`.
pub const CLOCK_TICKS_PER_SECOND: u64 = 100;
/// Entries [`static_auxv`] returns at most.
pub const STATIC_AUXV_MAX: usize = 15;

/// What the auxiliary vector of a static program says about it.
#[derive(Clone, Copy, Debug)]
pub struct ProgramInfo {
    /// Where its program headers are mapped, if they are.
    pub phdr: Option<u64>,
    /// How many program headers it has.
    pub phdr_count: u64,
    /// Its entry point (after the load bias).
    pub entry: u64,
    /// The credentials it starts with.
    pub creds: Creds,
}

/// The auxiliary vector Linux gives a static program (no interpreter),
/// without the entries [`build`] adds (`AT_RANDOM`, `AT_EXECFN`,
/// `AT_NULL`): what musl's and glibc's start-up code read. `AT_PHDR`,
/// `AT_PHENT` and `AT_PHNUM` are left out when the headers are not mapped.
/// The ids let the C library's start-up tell a set-id program (musl does
/// extra work, poll(2) among it, unless all four ids are present and
/// real equals effective).
pub fn static_auxv(info: &ProgramInfo) -> ([(u64, u64); STATIC_AUXV_MAX], usize) {
    let ids = info.creds;
    let secure = ids.uid.real != ids.uid.effective || ids.gid.real != ids.gid.effective;
    let mut out = [(auxv::AT_NULL, 0); STATIC_AUXV_MAX];
    let mut count = 0;
    let mut add = |key, value| {
        out[count] = (key, value);
        count += 1;
    };
    if let Some(phdr) = info.phdr {
        add(auxv::AT_PHDR, phdr);
        add(auxv::AT_PHENT, PHDR_SIZE);
        add(auxv::AT_PHNUM, info.phdr_count);
    }
    add(auxv::AT_PAGESZ, FRAME_SIZE);
    add(auxv::AT_BASE, 0);
    add(auxv::AT_FLAGS, 0);
    add(auxv::AT_ENTRY, info.entry);
    add(auxv::AT_UID, u64::from(ids.uid.real));
    add(auxv::AT_EUID, u64::from(ids.uid.effective));
    add(auxv::AT_GID, u64::from(ids.gid.real));
    add(auxv::AT_EGID, u64::from(ids.gid.effective));
    add(auxv::AT_SECURE, u64::from(secure));
    add(auxv::AT_HWCAP, 0);
    add(auxv::AT_CLKTCK, CLOCK_TICKS_PER_SECOND);
    (out, count)
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

/// A ready-to-copy initial stack: the words (with the padding and the
/// random bytes) built here, the strings left where they are, so that
/// each byte is copied once, into the new process's pages.
#[derive(Debug, PartialEq, Eq)]
pub struct StackImage<'a> {
    /// The initial stack pointer (address of `argc`).
    pub stack_pointer: u64,
    /// The bytes from `stack_pointer` up to the strings: `argc`, the
    /// pointers, the auxiliary vector, padding and the `AT_RANDOM` bytes.
    pub words: Vec<u8>,
    /// The strings, in order from the end of `words` up to the stack top:
    /// argv's, envp's, the file name, its NUL.
    pub strings: [&'a [u8]; 4],
}

impl StackImage<'_> {
    /// Every piece of the image with the address it goes to, from the
    /// stack pointer up, each right after the one before.
    pub fn pieces(&self) -> impl Iterator<Item = (u64, &[u8])> + '_ {
        let mut at = self.stack_pointer;
        core::iter::once(&self.words[..])
            .chain(self.strings.iter().copied())
            .map(move |piece| {
                let address = at;
                at += piece.len() as u64;
                (address, piece)
            })
    }

    /// Bytes from the stack pointer up to the stack top.
    pub fn len(&self) -> usize {
        self.words.len() + self.strings.iter().map(|piece| piece.len()).sum::<usize>()
    }

    /// Whether the image is empty (never: it holds `argc` at least).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The NUL after the file name.
const NUL: [u8; 1] = [0];

/// Lays out the initial stack ending at `top` (exclusive).
///
/// `argv` and `envp` are the lists, `execfn` the executed file's name
/// without its NUL; `auxv` holds `(key, value)` pairs to which
/// `AT_RANDOM`, `AT_EXECFN` and `AT_NULL` are appended.
///
/// # Errors
///
/// `E2BIG` if the image would exceed [`MAX_STACK_IMAGE`], ENOMEM if the
/// kernel cannot hold it.
pub fn build<'a>(
    top: u64,
    argv: &'a Strings,
    envp: &'a Strings,
    execfn: &'a [u8],
    auxv: &[(u64, u64)],
    random: [u8; RANDOM_BYTES],
) -> Result<StackImage<'a>, Errno> {
    let (argv_bytes, envp_bytes) = (argv.packed(), envp.packed());
    let string_bytes = argv_bytes.len() + envp_bytes.len() + execfn.len() + NUL.len();
    let words = 1 + argv.len() + 1 + envp.len() + 1 + 2 * (auxv.len() + 3);
    let estimate = string_bytes + RANDOM_BYTES + words * WORD + 2 * STACK_ALIGN as usize;
    if estimate > MAX_STACK_IMAGE {
        return Err(Errno::E2BIG);
    }

    // The strings (argv's, envp's, the file name) end at the top; the
    // random bytes lie just below them.
    let argv_address = top - string_bytes as u64;
    let envp_address = argv_address + argv_bytes.len() as u64;
    let execfn_address = envp_address + envp_bytes.len() as u64;
    let random_address = argv_address - RANDOM_BYTES as u64;

    let words_start = (random_address - (words * WORD) as u64) & !(STACK_ALIGN - 1);
    let mut head = fallible::zeroed((argv_address - words_start) as usize)?;
    let random_at = (random_address - words_start) as usize;
    head[random_at..random_at + RANDOM_BYTES].copy_from_slice(&random);

    // The words, from the stack pointer up: argc, argv's pointers, NULL,
    // envp's pointers, NULL, the auxiliary vector. The NULLs are the
    // zeros already there.
    let (slots, _) = head.as_chunks_mut::<WORD>();
    let slots = put_words(slots, &[argv.len() as u64]);
    let slots = put_pointers(slots, argv, argv_address);
    let slots = put_words(slots, &[0]);
    let slots = put_pointers(slots, envp, envp_address);
    let mut slots = put_words(slots, &[0]);
    for &(key, value) in auxv {
        slots = put_words(slots, &[key, value]);
    }
    put_words(
        slots,
        &[
            auxv::AT_RANDOM,
            random_address,
            auxv::AT_EXECFN,
            execfn_address,
            auxv::AT_NULL,
            0,
        ],
    );
    Ok(StackImage {
        stack_pointer: words_start,
        words: head,
        strings: [argv_bytes, envp_bytes, execfn, &NUL],
    })
}

/// Writes `values` into the first of `slots`; returns the slots after
/// them (none if they do not fit, which [`build`]'s count rules out).
fn put_words<'a>(slots: &'a mut [[u8; WORD]], values: &[u64]) -> &'a mut [[u8; WORD]] {
    let Some((used, rest)) = slots.split_at_mut_checked(values.len()) else {
        return &mut [];
    };
    for (slot, value) in used.iter_mut().zip(values) {
        *slot = value.to_le_bytes();
    }
    rest
}

/// Writes into the first of `slots` the address of each string of
/// `list`, whose packed strings start at `base`; returns the slots after
/// them (none if they do not fit, which [`build`]'s count rules out).
fn put_pointers<'a>(
    slots: &'a mut [[u8; WORD]],
    list: &Strings,
    base: u64,
) -> &'a mut [[u8; WORD]] {
    let Some((used, rest)) = slots.split_at_mut_checked(list.len()) else {
        return &mut [];
    };
    for (slot, &start) in used.iter_mut().zip(list.starts()) {
        *slot = (base + start as u64).to_le_bytes();
    }
    rest
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The image as the new process sees it, from the stack pointer up.
    fn bytes(image: &StackImage) -> Vec<u8> {
        let mut bytes = Vec::new();
        for (address, piece) in image.pieces() {
            assert_eq!(address, image.stack_pointer + bytes.len() as u64);
            bytes.extend_from_slice(piece);
        }
        assert_eq!(bytes.len(), image.len());
        bytes
    }

    fn word(image: &StackImage, address: u64) -> u64 {
        let at = (address - image.stack_pointer) as usize;
        u64::from_le_bytes(bytes(image)[at..at + 8].try_into().unwrap())
    }

    fn string(image: &StackImage, address: u64) -> Vec<u8> {
        let at = (address - image.stack_pointer) as usize;
        let bytes = bytes(image);
        let end = bytes[at..].iter().position(|&b| b == 0).unwrap();
        bytes[at..at + end].to_vec()
    }

    #[test]
    fn argc_argv_envp_auxv_are_where_the_abi_says() {
        let top = 0x7fff_ffff_0000;
        let argv = Strings::from_slices(&[&b"/bin/init"[..], b"run"]).unwrap();
        let envp = Strings::from_slices(&[b"PATH=/bin"]).unwrap();
        let aux = [(auxv::AT_PAGESZ, 4096)];
        let image = build(top, &argv, &envp, b"/bin/init", &aux, [7; 16]).unwrap();
        let sp = image.stack_pointer;
        assert_eq!(sp % 16, 0);
        assert_eq!(sp + image.len() as u64, top);
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
        assert_eq!(&bytes(&image)[at..at + 16], &[7; 16]);
        assert_eq!(word(&image, sp + 80), auxv::AT_EXECFN);
        assert_eq!(string(&image, word(&image, sp + 88)), b"/bin/init");
        assert_eq!(word(&image, sp + 96), auxv::AT_NULL);
    }

    /// The vector as a lookup, as getauxval(3) reads it.
    fn lookup(info: &ProgramInfo) -> impl Fn(u64) -> Option<u64> {
        let (entries, count) = static_auxv(info);
        let entries = entries[..count].to_vec();
        move |key| entries.iter().find(|&&(k, _)| k == key).map(|&(_, v)| v)
    }

    #[test]
    fn a_static_program_gets_what_musl_reads() {
        let info = ProgramInfo {
            phdr: Some(0x40_0040),
            phdr_count: 9,
            entry: 0x40_1000,
            creds: Creds::new(1000, 100),
        };
        let get = lookup(&info);
        assert_eq!(get(auxv::AT_PHDR), Some(0x40_0040));
        assert_eq!(get(auxv::AT_PHENT), Some(56));
        assert_eq!(get(auxv::AT_PHNUM), Some(9));
        assert_eq!(get(auxv::AT_PAGESZ), Some(4096));
        assert_eq!(get(auxv::AT_BASE), Some(0));
        assert_eq!(get(auxv::AT_FLAGS), Some(0));
        assert_eq!(get(auxv::AT_ENTRY), Some(0x40_1000));
        assert_eq!(get(auxv::AT_UID), Some(1000));
        assert_eq!(get(auxv::AT_EUID), Some(1000));
        assert_eq!(get(auxv::AT_GID), Some(100));
        assert_eq!(get(auxv::AT_EGID), Some(100));
        assert_eq!(get(auxv::AT_SECURE), Some(0));
        assert_eq!(get(auxv::AT_HWCAP), Some(0));
        assert_eq!(get(auxv::AT_CLKTCK), Some(100));
    }

    #[test]
    fn differing_real_and_effective_ids_are_secure() {
        let mut creds = Creds::new(1000, 100);
        creds.uid.effective = 0;
        let info = ProgramInfo {
            phdr: None,
            phdr_count: 1,
            entry: 0x40_1000,
            creds,
        };
        let get = lookup(&info);
        assert_eq!(get(auxv::AT_SECURE), Some(1));
        assert_eq!(get(auxv::AT_EUID), Some(0));
        assert_eq!(get(auxv::AT_PHDR), None);
    }

    #[test]
    fn too_many_arguments_is_e2big() {
        // One more kilobyte-sized argument than the image can hold.
        let count = MAX_STACK_IMAGE / 1000 + 1;
        let argv = Strings::from_slices(&std::vec![std::vec![b'x'; 1000]; count]).unwrap();
        assert_eq!(
            build(0x10_0000, &argv, &Strings::new(), b"", &[], [0; 16]),
            Err(Errno::E2BIG)
        );
    }
}
