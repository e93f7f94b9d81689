//! The set-user-ID and set-group-ID bits a change of a file clears, and
//! `chown`.
//!
//! The rules follow Linux (checked against Linux 6.18 on the host):
//!
//! - **Writing or truncating** a regular file (a `write` of at least one
//!   byte, `truncate`, `ftruncate`, an `open` with O_TRUNC of an existing
//!   file) by a caller without privilege (not euid 0, which stands for
//!   CAP_FSETID) clears S_ISUID, and S_ISGID when the file is
//!   group-executable or the caller is not in the file's group. Root's
//!   writes keep both bits. Without this, anyone could replace the code of
//!   a world-writable set-user-ID file with their own and run it with the
//!   owner's id.
//! - **`chown`** of anything but a directory clears S_ISUID whoever the
//!   caller is (root included, and even `chown(path, -1, -1)`), and S_ISGID
//!   under the same condition as a write, judged against the group before
//!   the call; S_ISGID without group-execute on a file whose group the
//!   caller is in (or root) is kept (Linux's mandatory-locking marker).
//! - Who may `chown`: root changes anything. Another caller must own the
//!   file; it may "change" the owner only to itself, and the group to the
//!   file's current group or its own effective group. A call that would
//!   clear bits needs the caller to own the file (or be root): EPERM
//!   otherwise, as for `chmod`.

use libspawn::{Errno, Result};
use shim_abi::mode::{S_ISGID, S_ISUID, S_IXGRP};

use super::inode::{Ino, Inode};
use super::perm::{self, Identity};
use super::Vfs;

/// The set-id bits of `node` that a change by `who` clears (before any
/// exemption for root's writes).
fn cleared_bits(node: &Inode, who: Identity) -> u32 {
    let mut bits = node.perm & S_ISUID;
    let in_group = who.is_root() || who.gid == node.gid;
    if node.perm & S_ISGID != 0 && (node.perm & S_IXGRP != 0 || !in_group) {
        bits |= S_ISGID;
    }
    bits
}

impl Vfs {
    /// After `who` wrote to or truncated `ino`: clears its set-id bits as
    /// the module documentation says (regular files, callers other than
    /// root).
    pub fn clear_setid_after_write(&mut self, ino: Ino, who: Identity) -> Result<()> {
        let node = self.node_mut(ino)?;
        if node.is_file() && !who.is_root() {
            node.perm &= !cleared_bits(node, who);
        }
        Ok(())
    }

    /// `chown` on a resolved inode (`fchown`); `None` leaves that id as it
    /// is (the -1 of the system call). EPERM as the module documentation
    /// says; nothing changes then.
    pub fn chown_ino(
        &mut self,
        ino: Ino,
        uid: Option<u32>,
        gid: Option<u32>,
        who: Identity,
    ) -> Result<()> {
        let node = self.node_mut(ino)?;
        if !who.is_root() {
            let owner = who.uid == node.uid;
            let uid_ok = uid.is_none_or(|uid| owner && uid == node.uid);
            let gid_ok = gid.is_none_or(|gid| owner && (gid == node.gid || gid == who.gid));
            if !uid_ok || !gid_ok {
                return Err(Errno::EPERM);
            }
        }
        let cleared = if node.is_dir() {
            0
        } else {
            cleared_bits(node, who)
        };
        if cleared != 0 && !perm::owns(node, who) {
            return Err(Errno::EPERM);
        }
        node.perm &= !cleared;
        node.uid = uid.unwrap_or(node.uid);
        node.gid = gid.unwrap_or(node.gid);
        Ok(())
    }

    /// `chown(path, uid, gid)` (and `lchown`: there are no symbolic links).
    pub fn chown(
        &mut self,
        cwd: Ino,
        path: &[u8],
        uid: Option<u32>,
        gid: Option<u32>,
        who: Identity,
    ) -> Result<()> {
        let ino = self.resolve(cwd, path, who)?;
        self.chown_ino(ino, uid, gid, who)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::Io;
    use crate::testutil::{system, GID, INIT, OTHER_UID, UID, USER_PID};
    use shim_abi::fcntl::{O_CREAT, O_TRUNC, O_WRONLY};

    const USER: Identity = Identity { uid: UID, gid: GID };
    const STRANGER: Identity = Identity {
        uid: OTHER_UID,
        gid: OTHER_UID,
    };
    /// World-writable set-user-ID and set-group-ID file of root's group.
    const SETID_ALL: u32 = 0o6777;

    /// A root-owned file of group `gid` with `mode`, at `/tmp/f`.
    fn fixture(mode: u32, uid: u32, gid: u32) -> (Vfs, Ino) {
        let mut vfs = Vfs::new();
        let ino = vfs
            .install_file(b"/tmp/f", b"data", mode, uid, gid)
            .unwrap();
        (vfs, ino)
    }

    fn perm_of(vfs: &Vfs, ino: Ino) -> u32 {
        vfs.node(ino).unwrap().perm
    }

    #[test]
    fn a_write_by_a_non_root_caller_clears_both_bits_of_a_group_executable_file() {
        let (mut vfs, ino) = fixture(SETID_ALL, 0, 0);
        vfs.clear_setid_after_write(ino, USER).unwrap();
        assert_eq!(perm_of(&vfs, ino), 0o777);
    }

    #[test]
    fn set_group_id_without_group_execute_stays_for_a_group_member_only() {
        let (mut vfs, ino) = fixture(0o2767, 0, GID);
        vfs.clear_setid_after_write(ino, USER).unwrap();
        assert_eq!(perm_of(&vfs, ino), 0o2767);
        vfs.clear_setid_after_write(ino, STRANGER).unwrap();
        assert_eq!(perm_of(&vfs, ino), 0o767);
    }

    #[test]
    fn root_writes_keep_the_bits() {
        let (mut vfs, ino) = fixture(SETID_ALL, 0, 0);
        vfs.clear_setid_after_write(ino, Identity::ROOT).unwrap();
        assert_eq!(perm_of(&vfs, ino), SETID_ALL);
    }

    #[test]
    fn truncate_and_open_with_o_trunc_clear_the_bits() {
        let (mut vfs, ino) = fixture(0o4777, 0, 0);
        vfs.truncate_path(ROOT_DIR, b"/tmp/f", 0, USER).unwrap();
        assert_eq!(perm_of(&vfs, ino), 0o777);
        let (mut vfs, ino) = fixture(0o4777, 0, 0);
        vfs.open(ROOT_DIR, b"/tmp/f", O_WRONLY | O_TRUNC, 0, USER)
            .unwrap();
        assert_eq!(perm_of(&vfs, ino), 0o777);
        // Opening without O_TRUNC changes nothing.
        let (mut vfs, ino) = fixture(0o4777, 0, 0);
        vfs.open(ROOT_DIR, b"/tmp/f", O_WRONLY, 0, USER).unwrap();
        assert_eq!(perm_of(&vfs, ino), 0o4777);
    }

    #[test]
    fn system_write_and_ftruncate_by_a_user_clear_set_user_id_but_an_empty_write_does_not() {
        let mut system = system();
        let fd = system
            .open(INIT, b"/tmp/suid", O_CREAT | O_WRONLY, 0o777)
            .unwrap();
        system.fchmod(INIT, fd, 0o4777).unwrap();
        assert_eq!(system.write(INIT, fd, b"root"), Ok(Io::Done(4)));
        let mode =
            |system: &crate::System| system.stat(INIT, b"/tmp/suid").unwrap().st_mode & 0o7777;
        assert_eq!(mode(&system), 0o4777, "root's write keeps the bit");
        let user_fd = system.open(USER_PID, b"/tmp/suid", O_WRONLY, 0).unwrap();
        assert_eq!(system.write(USER_PID, user_fd, b""), Ok(Io::Done(0)));
        assert_eq!(mode(&system), 0o4777, "an empty write keeps the bit");
        assert_eq!(system.write(USER_PID, user_fd, b"x"), Ok(Io::Done(1)));
        assert_eq!(mode(&system), 0o777);
        system.fchmod(INIT, fd, 0o4777).unwrap();
        system.ftruncate(USER_PID, user_fd, 0).unwrap();
        assert_eq!(mode(&system), 0o777);
    }

    #[test]
    fn chown_clears_set_user_id_even_for_root_and_without_id_changes() {
        let (mut vfs, ino) = fixture(SETID_ALL, 0, 0);
        vfs.chown_ino(ino, None, None, Identity::ROOT).unwrap();
        assert_eq!(perm_of(&vfs, ino), 0o777);
        let (mut vfs, ino) = fixture(0o6767, 0, 0);
        vfs.chown_ino(ino, Some(5), Some(6), Identity::ROOT)
            .unwrap();
        let node = vfs.node(ino).unwrap();
        assert_eq!((node.perm, node.uid, node.gid), (0o2767, 5, 6));
    }

    #[test]
    fn chown_of_a_directory_keeps_its_bits() {
        let mut vfs = Vfs::new();
        let dir = vfs
            .mkdir(ROOT_DIR, b"/tmp/d", 0o777, Identity::ROOT)
            .unwrap();
        vfs.chmod_ino(dir, 0o6777, Identity::ROOT).unwrap();
        vfs.chown_ino(dir, Some(5), Some(5), Identity::ROOT)
            .unwrap();
        assert_eq!(perm_of(&vfs, dir), 0o6777);
    }

    #[test]
    fn an_owner_may_change_the_group_to_its_own_but_not_the_owner() {
        let (mut vfs, ino) = fixture(0o2767, UID, 0);
        assert_eq!(
            vfs.chown_ino(ino, Some(OTHER_UID), None, USER),
            Err(Errno::EPERM)
        );
        assert_eq!(
            vfs.chown_ino(ino, None, Some(OTHER_UID), USER),
            Err(Errno::EPERM)
        );
        assert_eq!(
            perm_of(&vfs, ino),
            0o2767,
            "a refused chown changes nothing"
        );
        vfs.chown_ino(ino, Some(UID), Some(GID), USER).unwrap();
        let node = vfs.node(ino).unwrap();
        // Not in the file's old group: S_ISGID went even without g+x.
        assert_eq!((node.perm, node.uid, node.gid), (0o767, UID, GID));
    }

    #[test]
    fn a_non_owner_chown_is_eperm_when_it_would_clear_bits_and_a_no_op_otherwise() {
        let (mut vfs, ino) = fixture(0o4777, 0, 0);
        assert_eq!(vfs.chown_ino(ino, None, None, USER), Err(Errno::EPERM));
        assert_eq!(perm_of(&vfs, ino), 0o4777);
        assert_eq!(vfs.chown_ino(ino, Some(0), None, USER), Err(Errno::EPERM));
        let (mut vfs, ino) = fixture(0o644, 0, 0);
        assert_eq!(vfs.chown_ino(ino, None, None, USER), Ok(()));
    }

    #[test]
    fn chown_by_path_resolves_and_reports_missing_files() {
        let (mut vfs, ino) = fixture(0o644, 0, 0);
        vfs.chown(ROOT_DIR, b"/tmp/f", Some(UID), None, Identity::ROOT)
            .unwrap();
        assert_eq!(vfs.node(ino).unwrap().uid, UID);
        assert_eq!(
            vfs.chown(ROOT_DIR, b"/tmp/none", None, None, Identity::ROOT),
            Err(Errno::ENOENT)
        );
    }

    use super::super::ROOT as ROOT_DIR;
}
