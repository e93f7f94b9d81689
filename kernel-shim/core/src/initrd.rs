//! Initrd: the cpio archive unpacked into the ramfs at boot.
//!
//! Every regular file of the archive becomes a file of the same path, with
//! the archive's permission bits (set-id bits included), owner and group;
//! missing parent directories are created (0755, root). Directory entries
//! need not be present; their modes are not applied. Other entry types
//! (symbolic links, devices) are skipped.

use crate::cpio;
use crate::System;

/// What unpacking did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Unpacked {
    /// Files installed.
    pub files: usize,
    /// Entries skipped (not regular files, or refused by the file system).
    pub skipped: usize,
    /// Why the archive ended early, if it was malformed.
    pub error: Option<cpio::CpioError>,
}

/// Installs the regular files of `archive` into `system`'s file system.
pub fn unpack(archive: &[u8], system: &mut System) -> Unpacked {
    let mut result = Unpacked::default();
    for entry in cpio::entries(archive) {
        match entry {
            Ok(entry) if entry.is_regular_file() => {
                let mut path = alloc::vec::Vec::with_capacity(entry.name.len() + 1);
                path.push(b'/');
                path.extend_from_slice(entry.name);
                let mode = entry.mode & shim_abi::mode::S_IALLUGO;
                match system.install_file(&path, entry.data, mode, entry.uid, entry.gid) {
                    Ok(_) => result.files += 1,
                    Err(_) => result.skipped += 1,
                }
            }
            Ok(_) => result.skipped += 1,
            Err(error) => result.error = Some(error),
        }
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cpio::test_archive::member;
    use alloc::vec::Vec;

    fn archive() -> Vec<u8> {
        let mut out = Vec::new();
        for (name, mode, uid, data) in [
            ("bin", 0o040755u32, 0u32, &b""[..]),
            ("bin/init", 0o100755, 0, b"INIT"),
            ("bin/suid", 0o104750, 1000, b"SUID"),
            ("TRAILER!!!", 0, 0, b""),
        ] {
            member(&mut out, name, mode, (uid, uid + 1), data);
        }
        out
    }

    #[test]
    fn files_keep_their_mode_and_owner() {
        let mut system = System::new();
        let result = unpack(&archive(), &mut system);
        assert_eq!((result.files, result.skipped, result.error), (2, 1, None));
        system.create_init(1).unwrap();
        let init = system.stat(1, b"/bin/init").unwrap();
        assert_eq!(init.st_mode, 0o100755);
        let suid = system.stat(1, b"/bin/suid").unwrap();
        assert_eq!(suid.st_mode, 0o104750);
        assert_eq!((suid.st_uid, suid.st_gid), (1000, 1001));
    }
}
