//! The initrd as a read-only file table: path to bytes.
//!
//! Built once at boot from the cpio archive. Lookups go through the
//! [`FileSource`] trait, so a writable ramfs can later take its place
//! without touching the loader or the system calls.

use crate::cpio;
use alloc::vec::Vec;
use libspawn::Errno;
use spin::Once;

/// Something that resolves an absolute path to a file's contents.
pub trait FileSource {
    /// The contents of the regular file at `path`.
    ///
    /// # Errors
    ///
    /// `ENOENT` if nothing is there, `EACCES` if it is not a regular file.
    fn read_file(&self, path: &[u8]) -> Result<&[u8], Errno>;
}

struct File<'a> {
    name: &'a [u8],
    mode: u32,
    data: &'a [u8],
}

/// The files of a cpio archive.
pub struct Initrd<'a> {
    files: Vec<File<'a>>,
}

impl<'a> Initrd<'a> {
    /// Indexes `archive`. A malformed archive keeps the members before the
    /// damage and reports the error.
    pub fn parse(archive: &'a [u8]) -> (Initrd<'a>, Option<cpio::CpioError>) {
        let mut files = Vec::new();
        let mut error = None;
        for entry in cpio::entries(archive) {
            match entry {
                Ok(entry) => files.push(File {
                    name: entry.name,
                    mode: entry.mode,
                    data: entry.data,
                }),
                Err(e) => error = Some(e),
            }
        }
        (Initrd { files }, error)
    }

    /// Number of members.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether the archive has no members.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

impl FileSource for Initrd<'_> {
    fn read_file(&self, path: &[u8]) -> Result<&[u8], Errno> {
        if path.is_empty() {
            return Err(Errno::ENOENT);
        }
        let mut relative = path;
        while let Some(rest) = relative.strip_prefix(b"/") {
            relative = rest;
        }
        if relative.is_empty() {
            return Err(Errno::EACCES);
        }
        let file = self
            .files
            .iter()
            .find(|file| file.name == relative)
            .ok_or(Errno::ENOENT)?;
        if file.mode & cpio::S_IFMT != cpio::S_IFREG {
            return Err(Errno::EACCES);
        }
        Ok(file.data)
    }
}

static INITRD: Once<Initrd<'static>> = Once::new();

/// Installs the boot initrd found at physical `[start, end)`.
///
/// # Safety
///
/// The range holds the initrd, lies in the identity map, and is reserved
/// from the frame allocator for the rest of the kernel's life.
pub unsafe fn init(start: u64, end: u64) {
    // SAFETY: by the contract the bytes are mapped, immutable and never
    // reused, so a `'static` shared slice is sound.
    let archive =
        unsafe { core::slice::from_raw_parts(start as *const u8, (end - start) as usize) };
    let initrd = INITRD.call_once(|| {
        let (initrd, error) = Initrd::parse(archive);
        if let Some(error) = error {
            klog!(
                "initrd: malformed archive ({error:?}); kept {} files",
                initrd.len()
            );
        }
        initrd
    });
    klog!("initrd: {} entries, {} bytes", initrd.len(), end - start);
}

/// The boot file system (an empty one if there was no initrd).
pub fn files() -> &'static dyn FileSource {
    INITRD.call_once(|| Initrd { files: Vec::new() })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn archive() -> Vec<u8> {
        let mut out = Vec::new();
        for (name, mode, data) in [
            ("bin", 0o040755u32, &b""[..]),
            ("bin/init", 0o100755, b"INIT"),
            ("TRAILER!!!", 0, b""),
        ] {
            let header = std::format!(
                "070701{:08x}{:08x}{:08x}{:08x}{:08x}{:08x}{:08x}{:08x}{:08x}{:08x}{:08x}{:08x}{:08x}",
                1, mode, 0, 0, 1, 0, data.len(), 0, 0, 0, 0, name.len() + 1, 0
            );
            out.extend_from_slice(header.as_bytes());
            out.extend_from_slice(name.as_bytes());
            out.push(0);
            while out.len() % 4 != 0 {
                out.push(0);
            }
            out.extend_from_slice(data);
            while out.len() % 4 != 0 {
                out.push(0);
            }
        }
        out
    }

    #[test]
    fn absolute_paths_find_files() {
        let bytes = archive();
        let (initrd, error) = Initrd::parse(&bytes);
        assert_eq!(error, None);
        assert_eq!(initrd.read_file(b"/bin/init"), Ok(&b"INIT"[..]));
        assert_eq!(initrd.read_file(b"/bin/nope"), Err(Errno::ENOENT));
        assert_eq!(initrd.read_file(b"/bin"), Err(Errno::EACCES));
        assert_eq!(initrd.read_file(b"/"), Err(Errno::EACCES));
        assert_eq!(initrd.read_file(b""), Err(Errno::ENOENT));
    }
}
