//! Parser for cpio "newc" archives (magic `070701`), as used by initrds.
//!
//! Every field of a newc header is 8 ASCII hex digits; the name and the file
//! data are each padded to a multiple of 4 bytes. Parsing is total: any
//! malformed or truncated archive ends iteration with an error instead of
//! reading out of bounds.
#![forbid(unsafe_code)]

/// The six-byte magic that starts every newc header.
pub const NEWC_MAGIC: &[u8; 6] = b"070701";
/// Size of a newc header: the magic and thirteen 8-digit hex fields.
pub const HEADER_SIZE: usize = 110;
/// The name of the entry that ends an archive.
pub const TRAILER_NAME: &[u8] = b"TRAILER!!!";
/// Headers, names and data are aligned to this many bytes.
const ALIGNMENT: usize = 4;
/// Width of one hex field.
const FIELD_WIDTH: usize = 8;
/// Field indices after the magic (see `man 5 cpio`).
const FIELD_MODE: usize = 1;
/// Index of the owner's uid field.
const FIELD_UID: usize = 2;
/// Index of the owner's gid field.
const FIELD_GID: usize = 3;
const FIELD_FILESIZE: usize = 6;
const FIELD_NAMESIZE: usize = 11;

/// File-type bits of `mode`.
pub const S_IFMT: u32 = 0o170000;
/// Regular file.
pub const S_IFREG: u32 = 0o100000;
/// Directory.
pub const S_IFDIR: u32 = 0o040000;

/// Why an archive could not be parsed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CpioError {
    /// A header does not start with the newc magic.
    BadMagic,
    /// A header field is not 8 hex digits.
    BadField,
    /// A header, name or data runs past the end of the archive.
    Truncated,
    /// A name is empty or lacks its terminating NUL.
    BadName,
}

/// One archive member. `name` has any `./` or `/` prefix removed and no NUL.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry<'a> {
    /// Path inside the archive, e.g. `bin/init`.
    pub name: &'a [u8],
    /// File mode, type bits included.
    pub mode: u32,
    /// Owner's user id.
    pub uid: u32,
    /// Owner's group id.
    pub gid: u32,
    /// File contents.
    pub data: &'a [u8],
}

impl Entry<'_> {
    /// Whether this entry is a regular file.
    pub fn is_regular_file(&self) -> bool {
        self.mode & S_IFMT == S_IFREG
    }
}

/// Iterator over the entries of an archive, stopping at the trailer.
pub struct Entries<'a> {
    rest: &'a [u8],
    done: bool,
}

/// Iterates over the members of `archive`.
pub fn entries(archive: &[u8]) -> Entries<'_> {
    Entries {
        rest: archive,
        done: false,
    }
}

fn align_up(value: usize) -> Option<usize> {
    value
        .checked_add(ALIGNMENT - 1)
        .map(|v| v & !(ALIGNMENT - 1))
}

fn hex_field(header: &[u8], index: usize) -> Result<u32, CpioError> {
    let start = NEWC_MAGIC.len() + index * FIELD_WIDTH;
    let digits = header
        .get(start..start + FIELD_WIDTH)
        .ok_or(CpioError::Truncated)?;
    let mut value: u32 = 0;
    for &digit in digits {
        let nibble = (digit as char).to_digit(16).ok_or(CpioError::BadField)?;
        value = (value << 4) | nibble;
    }
    Ok(value)
}

fn strip_prefix(mut name: &[u8]) -> &[u8] {
    loop {
        if let Some(rest) = name.strip_prefix(b"./") {
            name = rest;
        } else if let Some(rest) = name.strip_prefix(b"/") {
            name = rest;
        } else {
            return name;
        }
    }
}

impl<'a> Entries<'a> {
    fn parse_one(&mut self) -> Result<Option<Entry<'a>>, CpioError> {
        let archive = self.rest;
        let header = archive.get(..HEADER_SIZE).ok_or(CpioError::Truncated)?;
        if &header[..NEWC_MAGIC.len()] != NEWC_MAGIC {
            return Err(CpioError::BadMagic);
        }
        let mode = hex_field(header, FIELD_MODE)?;
        let uid = hex_field(header, FIELD_UID)?;
        let gid = hex_field(header, FIELD_GID)?;
        let file_size = hex_field(header, FIELD_FILESIZE)? as usize;
        let name_size = hex_field(header, FIELD_NAMESIZE)? as usize;

        let name_end = HEADER_SIZE
            .checked_add(name_size)
            .ok_or(CpioError::Truncated)?;
        let raw_name = archive
            .get(HEADER_SIZE..name_end)
            .ok_or(CpioError::Truncated)?;
        let name = match raw_name.split_last() {
            Some((0, name)) if !name.is_empty() => name,
            _ => return Err(CpioError::BadName),
        };
        if name == TRAILER_NAME {
            return Ok(None);
        }
        let data_start = align_up(name_end).ok_or(CpioError::Truncated)?;
        let data_end = data_start
            .checked_add(file_size)
            .ok_or(CpioError::Truncated)?;
        let data = archive
            .get(data_start..data_end)
            .ok_or(CpioError::Truncated)?;
        let next = align_up(data_end).ok_or(CpioError::Truncated)?;
        self.rest = archive.get(next..).unwrap_or(&[]);
        Ok(Some(Entry {
            name: strip_prefix(name),
            mode,
            uid,
            gid,
            data,
        }))
    }
}

impl<'a> Iterator for Entries<'a> {
    type Item = Result<Entry<'a>, CpioError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        match self.parse_one() {
            Ok(Some(entry)) => Some(Ok(entry)),
            Ok(None) => {
                self.done = true;
                None
            }
            Err(error) => {
                self.done = true;
                Some(Err(error))
            }
        }
    }
}

/// Writes cpio "newc" members, for the tests of this module and of
/// `initrd`.
#[cfg(test)]
pub(crate) mod test_archive {
    use std::vec::Vec;

    /// Appends one member owned by `uid` (group `gid`) to `out`.
    pub fn member(out: &mut Vec<u8>, name: &str, mode: u32, owner: (u32, u32), data: &[u8]) {
        let (uid, gid) = owner;
        let header =
            std::format!(
            "070701{:08x}{:08x}{:08x}{:08x}{:08x}{:08x}{:08x}{:08x}{:08x}{:08x}{:08x}{:08x}{:08x}",
            1, mode, uid, gid, 1, 0, data.len(), 0, 0, 0, 0, name.len() + 1, 0
        );
        out.extend_from_slice(header.as_bytes());
        out.extend_from_slice(name.as_bytes());
        out.push(0);
        pad(out);
        out.extend_from_slice(data);
        pad(out);
    }

    /// Zero bytes up to the next multiple of four.
    fn pad(out: &mut Vec<u8>) {
        while !out.len().is_multiple_of(4) {
            out.push(0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::test_archive::member;
    use super::*;
    use std::vec::Vec;

    /// Members owned by root.
    const ROOT: (u32, u32) = (0, 0);

    fn archive() -> Vec<u8> {
        let mut out = Vec::new();
        member(&mut out, "bin", S_IFDIR | 0o755, ROOT, b"");
        member(&mut out, "./bin/init", S_IFREG | 0o755, ROOT, b"\x7fELF...");
        member(&mut out, "bin/t_exit7", S_IFREG | 0o755, ROOT, b"abc");
        member(&mut out, "TRAILER!!!", 0, ROOT, b"");
        out
    }

    #[test]
    fn lists_members_and_strips_dot_slash() {
        let bytes = archive();
        let all: Vec<_> = entries(&bytes).map(|e| e.unwrap()).collect();
        assert_eq!(all.len(), 3);
        assert_eq!(all[1].name, b"bin/init");
        assert!(all[1].is_regular_file());
        assert!(!all[0].is_regular_file());
        assert_eq!(all[2].data, b"abc");
    }

    #[test]
    fn every_truncation_is_an_error_or_a_shorter_listing() {
        let bytes = archive();
        for len in 0..bytes.len() {
            for entry in entries(&bytes[..len]).flatten() {
                assert!(entry.data.len() <= len);
            }
        }
    }

    #[test]
    fn bad_magic_and_bad_hex_are_rejected() {
        let mut bytes = archive();
        bytes[0] = b'1';
        assert_eq!(entries(&bytes).next(), Some(Err(CpioError::BadMagic)));
        let mut bytes = archive();
        bytes[15] = b'z'; // inside the mode field
        assert_eq!(entries(&bytes).next(), Some(Err(CpioError::BadField)));
    }
}
