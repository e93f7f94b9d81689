//! Credentials: real, effective and saved user and group ids, and the rules
//! for changing them.
//!
//! "Privileged" means effective uid 0, for group ids too (Linux's
//! CAP_SETUID and CAP_SETGID, which root holds). An id argument of
//! [`KEEP_ID`] (`-1` in C) means "unchanged" where Linux accepts it, and
//! EINVAL where it does not (`setuid(-1)`).

use libspawn::{Errno, Result};
use shim_abi::mode::{S_ISGID, S_ISUID, S_IXGRP};

use crate::vfs::perm::{Identity, ROOT_UID};

/// `(uid_t)-1`: leave this id as it is.
pub const KEEP_ID: u32 = u32::MAX;

/// The real, effective and saved values of one kind of id.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ids {
    /// Real id: who the process is.
    pub real: u32,
    /// Effective id: what permission checks use.
    pub effective: u32,
    /// Saved set-id: what an unprivileged process may switch back to.
    pub saved: u32,
}

impl Ids {
    /// All three equal to `id`.
    pub const fn all(id: u32) -> Ids {
        Ids {
            real: id,
            effective: id,
            saved: id,
        }
    }

    fn is_current(&self, id: u32) -> bool {
        id == self.real || id == self.effective || id == self.saved
    }

    /// `setuid`: privileged sets all three; otherwise only the effective
    /// id, to the real or saved id (EPERM).
    fn set(&mut self, id: u32, privileged: bool) -> Result<()> {
        if id == KEEP_ID {
            return Err(Errno::EINVAL);
        }
        if privileged {
            *self = Ids::all(id);
        } else if id == self.real || id == self.saved {
            self.effective = id;
        } else {
            return Err(Errno::EPERM);
        }
        Ok(())
    }

    /// `seteuid`: privileged any id; otherwise one of the current three.
    fn set_effective(&mut self, id: u32, privileged: bool) -> Result<()> {
        if id == KEEP_ID {
            return Err(Errno::EINVAL);
        }
        if !privileged && !self.is_current(id) {
            return Err(Errno::EPERM);
        }
        self.effective = id;
        Ok(())
    }

    /// `setreuid`, as Linux: unprivileged, the real id may become the real
    /// or effective id, the effective id any of the three; the saved id
    /// follows the new effective id when the real id is set or the
    /// effective id is set to something other than the old real id.
    fn set_real_effective(&mut self, real: u32, effective: u32, privileged: bool) -> Result<()> {
        let mut new = *self;
        if real != KEEP_ID {
            if !privileged && real != self.real && real != self.effective {
                return Err(Errno::EPERM);
            }
            new.real = real;
        }
        if effective != KEEP_ID {
            if !privileged && !self.is_current(effective) {
                return Err(Errno::EPERM);
            }
            new.effective = effective;
        }
        if real != KEEP_ID || (effective != KEEP_ID && effective != self.real) {
            new.saved = new.effective;
        }
        *self = new;
        Ok(())
    }

    /// `setresuid`: unprivileged, each new id must be one of the current
    /// three.
    fn set_all(&mut self, real: u32, effective: u32, saved: u32, privileged: bool) -> Result<()> {
        let ok = |id: u32| id == KEEP_ID || privileged || self.is_current(id);
        if !(ok(real) && ok(effective) && ok(saved)) {
            return Err(Errno::EPERM);
        }
        let keep = |id: u32, old: u32| if id == KEEP_ID { old } else { id };
        *self = Ids {
            real: keep(real, self.real),
            effective: keep(effective, self.effective),
            saved: keep(saved, self.saved),
        };
        Ok(())
    }
}

/// A process's user and group ids.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Creds {
    /// User ids.
    pub uid: Ids,
    /// Group ids.
    pub gid: Ids,
}

impl Creds {
    /// Root: every id 0.
    pub const ROOT: Creds = Creds::new(ROOT_UID, 0);

    /// Real, effective and saved ids all `uid` and `gid`.
    pub const fn new(uid: u32, gid: u32) -> Creds {
        Creds {
            uid: Ids::all(uid),
            gid: Ids::all(gid),
        }
    }

    /// Whether the process is privileged (effective uid 0).
    pub const fn privileged(&self) -> bool {
        self.uid.effective == ROOT_UID
    }

    /// The ids file permission checks use (effective).
    pub const fn identity(&self) -> Identity {
        Identity {
            uid: self.uid.effective,
            gid: self.gid.effective,
        }
    }

    /// The real ids (what `access` checks with).
    pub const fn real_identity(&self) -> Identity {
        Identity {
            uid: self.uid.real,
            gid: self.gid.real,
        }
    }

    /// `setuid(uid)`.
    pub fn setuid(&mut self, uid: u32) -> Result<()> {
        let privileged = self.privileged();
        self.uid.set(uid, privileged)
    }

    /// `setgid(gid)`.
    pub fn setgid(&mut self, gid: u32) -> Result<()> {
        let privileged = self.privileged();
        self.gid.set(gid, privileged)
    }

    /// `seteuid(uid)`.
    pub fn seteuid(&mut self, uid: u32) -> Result<()> {
        let privileged = self.privileged();
        self.uid.set_effective(uid, privileged)
    }

    /// `setegid(gid)`.
    pub fn setegid(&mut self, gid: u32) -> Result<()> {
        let privileged = self.privileged();
        self.gid.set_effective(gid, privileged)
    }

    /// `setreuid(ruid, euid)`.
    pub fn setreuid(&mut self, ruid: u32, euid: u32) -> Result<()> {
        let privileged = self.privileged();
        self.uid.set_real_effective(ruid, euid, privileged)
    }

    /// `setregid(rgid, egid)`.
    pub fn setregid(&mut self, rgid: u32, egid: u32) -> Result<()> {
        let privileged = self.privileged();
        self.gid.set_real_effective(rgid, egid, privileged)
    }

    /// `setresuid(ruid, euid, suid)`.
    pub fn setresuid(&mut self, ruid: u32, euid: u32, suid: u32) -> Result<()> {
        let privileged = self.privileged();
        self.uid.set_all(ruid, euid, suid, privileged)
    }

    /// `setresgid(rgid, egid, sgid)`.
    pub fn setresgid(&mut self, rgid: u32, egid: u32, sgid: u32) -> Result<()> {
        let privileged = self.privileged();
        self.gid.set_all(rgid, egid, sgid, privileged)
    }

    /// POSIX_SPAWN_RESETIDS: the effective ids become the real ones
    /// (always permitted; saved ids unchanged until exec). The group id is
    /// reset first, while a privileged process still may.
    pub fn reset_ids(&mut self) {
        self.gid.effective = self.gid.real;
        self.uid.effective = self.uid.real;
    }

    /// What loading an image with `mode` owned by `file_uid`/`file_gid`
    /// does to the ids: set-user-ID makes the file's owner the effective
    /// uid; set-group-ID (with group execute set: without it the bit marks
    /// mandatory locking on Linux) makes the file's group the effective
    /// gid; then the saved ids copy the effective ones, as at every exec.
    pub fn exec_setid(&mut self, mode: u32, file_uid: u32, file_gid: u32) {
        if mode & S_ISUID != 0 {
            self.uid.effective = file_uid;
        }
        if mode & S_ISGID != 0 && mode & S_IXGRP != 0 {
            self.gid.effective = file_gid;
        }
        self.uid.saved = self.uid.effective;
        self.gid.saved = self.gid.effective;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const USER: u32 = 1000;
    const OTHER: u32 = 2000;

    fn ids(real: u32, effective: u32, saved: u32) -> Ids {
        Ids {
            real,
            effective,
            saved,
        }
    }

    #[test]
    fn root_setuid_sets_all_three_ids() {
        let mut creds = Creds::ROOT;
        creds.setuid(USER).unwrap();
        assert_eq!(creds.uid, Ids::all(USER));
        assert_eq!(creds.setuid(0), Err(Errno::EPERM));
    }

    #[test]
    fn unprivileged_setuid_switches_effective_between_real_and_saved() {
        let mut creds = Creds::new(USER, USER);
        creds.uid = ids(USER, OTHER, OTHER);
        creds.setuid(USER).unwrap();
        assert_eq!(creds.uid, ids(USER, USER, OTHER));
        creds.setuid(OTHER).unwrap();
        assert_eq!(creds.uid, ids(USER, OTHER, OTHER));
        assert_eq!(creds.setuid(3), Err(Errno::EPERM));
        assert_eq!(creds.uid, ids(USER, OTHER, OTHER));
    }

    #[test]
    fn setuid_minus_one_is_einval() {
        assert_eq!(Creds::ROOT.clone().setuid(KEEP_ID), Err(Errno::EINVAL));
        assert_eq!(Creds::ROOT.clone().seteuid(KEEP_ID), Err(Errno::EINVAL));
    }

    #[test]
    fn setgid_privilege_comes_from_the_effective_uid() {
        let mut creds = Creds::new(0, USER);
        creds.setgid(OTHER).unwrap();
        assert_eq!(creds.gid, Ids::all(OTHER));
        let mut user = Creds::new(USER, USER);
        assert_eq!(user.setgid(OTHER), Err(Errno::EPERM));
        assert_eq!(user.setegid(OTHER), Err(Errno::EPERM));
        assert_eq!(user.gid, Ids::all(USER));
    }

    #[test]
    fn seteuid_as_root_keeps_real_and_saved() {
        let mut creds = Creds::ROOT;
        creds.seteuid(USER).unwrap();
        assert_eq!(creds.uid, ids(0, USER, 0));
        // Saved uid 0 lets it come back.
        creds.seteuid(0).unwrap();
        assert_eq!(creds.uid, Ids::all(0));
    }

    #[test]
    fn unprivileged_seteuid_only_to_real_or_saved() {
        let mut creds = Creds::new(USER, USER);
        creds.uid = ids(USER, USER, OTHER);
        creds.seteuid(OTHER).unwrap();
        assert_eq!(creds.uid, ids(USER, OTHER, OTHER));
        assert_eq!(creds.seteuid(3), Err(Errno::EPERM));
    }

    #[test]
    fn setreuid_updates_saved_as_linux_does() {
        let mut creds = Creds::ROOT;
        creds.setreuid(KEEP_ID, USER).unwrap();
        assert_eq!(creds.uid, ids(0, USER, USER));
        let mut creds = Creds::new(USER, USER);
        creds.uid = ids(USER, OTHER, OTHER);
        creds.setreuid(OTHER, USER).unwrap();
        assert_eq!(creds.uid, ids(OTHER, USER, USER));
        assert_eq!(creds.setreuid(3, KEEP_ID), Err(Errno::EPERM));
    }

    #[test]
    fn setresuid_unprivileged_permutes_current_ids_only() {
        let mut creds = Creds::new(USER, USER);
        creds.uid = ids(USER, OTHER, USER);
        creds.setresuid(OTHER, USER, KEEP_ID).unwrap();
        assert_eq!(creds.uid, ids(OTHER, USER, USER));
        assert_eq!(creds.setresuid(KEEP_ID, 3, KEEP_ID), Err(Errno::EPERM));
        assert_eq!(creds.uid, ids(OTHER, USER, USER));
        let mut gids = Creds::new(USER, USER);
        assert_eq!(gids.setresgid(1, KEEP_ID, KEEP_ID), Err(Errno::EPERM));
    }

    #[test]
    fn reset_ids_makes_effective_equal_real() {
        let mut creds = Creds::new(USER, USER);
        creds.uid = ids(USER, 0, 0);
        creds.gid = ids(USER, 0, 0);
        creds.reset_ids();
        assert_eq!(creds.uid, ids(USER, USER, 0));
        assert_eq!(creds.gid, ids(USER, USER, 0));
    }

    #[test]
    fn exec_setuid_bit_sets_effective_and_saved_to_the_owner() {
        let mut creds = Creds::new(USER, USER);
        creds.exec_setid(S_ISUID | 0o755, 0, 50);
        assert_eq!(creds.uid, ids(USER, 0, 0));
        assert_eq!(creds.gid, Ids::all(USER));
    }

    #[test]
    fn exec_setgid_bit_needs_group_execute() {
        let mut creds = Creds::new(USER, USER);
        creds.exec_setid(S_ISGID | 0o745, 0, 50);
        assert_eq!(creds.gid, Ids::all(USER));
        creds.exec_setid(S_ISGID | 0o755, 0, 50);
        assert_eq!(creds.gid, ids(USER, 50, 50));
    }

    #[test]
    fn exec_without_setid_bits_copies_effective_into_saved() {
        let mut creds = Creds::new(USER, USER);
        creds.uid = ids(USER, OTHER, 0);
        creds.exec_setid(0o755, 0, 0);
        assert_eq!(creds.uid, ids(USER, OTHER, OTHER));
    }
}
