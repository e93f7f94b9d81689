//! The file side of `mmap`: which descriptors may be mapped, and their
//! bytes (mmap(2), ERRORS).

use libspawn::{Errno, Result};

use super::System;
use crate::fdtable::Fd;
use crate::file::FileKind;
use crate::process::Pid;
use crate::vfs::Content;

impl System {
    /// The bytes of the regular file open as `fd` of `pid`, for a mapping
    /// that is `shared` (`MAP_SHARED`) and `writable` (`PROT_WRITE`), in
    /// Linux's order of checks.
    ///
    /// # Errors
    ///
    /// `EBADF` when `fd` is not open; `EACCES` when it is not open for
    /// reading, or for a shared writable mapping when it is not open for
    /// writing; `ENODEV` for anything but a regular file (pipes,
    /// directories, devices).
    pub fn mappable_file(&self, pid: Pid, fd: Fd, shared: bool, writable: bool) -> Result<&[u8]> {
        let file = self.files.get(self.process(pid)?.fds.get(fd)?.file)?;
        if !file.readable() || (shared && writable && !file.writable()) {
            return Err(Errno::EACCES);
        }
        let FileKind::Inode(ino) = file.kind else {
            return Err(Errno::ENODEV);
        };
        match &self.vfs.node(ino)?.content {
            Content::File(data) => Ok(data),
            _ => Err(Errno::ENODEV),
        }
    }
}

#[cfg(test)]
mod tests {
    use libspawn::Errno;
    use shim_abi::fcntl::{O_CREAT, O_RDONLY, O_RDWR, O_WRONLY};

    use crate::io::Io;
    use crate::testutil::{system, USER_PID};

    #[test]
    fn a_regular_file_open_for_reading_gives_its_bytes() {
        let mut system = system();
        let fd = system
            .open(USER_PID, b"/tmp/f", O_CREAT | O_RDWR, 0o644)
            .unwrap();
        assert_eq!(system.write(USER_PID, fd, b"bytes"), Ok(Io::Done(5)));
        assert_eq!(
            system.mappable_file(USER_PID, fd, true, true),
            Ok(&b"bytes"[..])
        );
        let read_only = system.open(USER_PID, b"/tmp/f", O_RDONLY, 0).unwrap();
        assert_eq!(
            system.mappable_file(USER_PID, read_only, false, true),
            Ok(&b"bytes"[..])
        );
        assert_eq!(
            system.mappable_file(USER_PID, read_only, true, true),
            Err(Errno::EACCES)
        );
    }

    #[test]
    fn unreadable_bad_and_unmappable_descriptors_fail() {
        let mut system = system();
        let write_only = system
            .open(USER_PID, b"/tmp/w", O_CREAT | O_WRONLY, 0o644)
            .unwrap();
        assert_eq!(
            system.mappable_file(USER_PID, write_only, false, false),
            Err(Errno::EACCES)
        );
        assert_eq!(
            system.mappable_file(USER_PID, 99, false, false),
            Err(Errno::EBADF)
        );
        let [read_end, _] = system.pipe(USER_PID, 0).unwrap();
        assert_eq!(
            system.mappable_file(USER_PID, read_end, false, false),
            Err(Errno::ENODEV)
        );
        let dir = system.open(USER_PID, b"/tmp", O_RDONLY, 0).unwrap();
        assert_eq!(
            system.mappable_file(USER_PID, dir, false, false),
            Err(Errno::ENODEV)
        );
        // Descriptor 0 is the console, a device.
        assert_eq!(
            system.mappable_file(USER_PID, 0, false, false),
            Err(Errno::ENODEV)
        );
    }
}
