//! Permission checks: the owner/group/other classes and root's bypass.

use libspawn::{Errno, Result};
use shim_abi::access::{R_OK, W_OK, X_OK};
use shim_abi::mode::{S_IXGRP, S_IXOTH, S_IXUSR};

use super::inode::Inode;

/// The ids a check is made for: effective ids for ordinary calls, real
/// ids for `access`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Identity {
    /// User id.
    pub uid: u32,
    /// Group id.
    pub gid: u32,
}

/// The privileged user id.
pub const ROOT_UID: u32 = 0;

impl Identity {
    /// Root (uid 0, gid 0).
    pub const ROOT: Identity = Identity {
        uid: ROOT_UID,
        gid: 0,
    };

    /// Whether these ids bypass permission checks.
    pub const fn is_root(self) -> bool {
        self.uid == ROOT_UID
    }
}

/// Access wanted: an `access` mask of [`R_OK`], [`W_OK`] and [`X_OK`],
/// which are also the bit values of one class in a mode.
pub type Want = i32;
/// Read permission.
pub const READ: Want = R_OK;
/// Write permission.
pub const WRITE: Want = W_OK;
/// Execute permission, or search for a directory.
pub const EXEC: Want = X_OK;

/// Position of the owner class in the permission bits.
const OWNER_SHIFT: u32 = 6;
/// Position of the group class.
const GROUP_SHIFT: u32 = 3;
/// Position of the other class.
const OTHER_SHIFT: u32 = 0;
/// The three bits of one class.
const CLASS_MASK: u32 = 0o7;
/// Some execute bit set, in any class.
const ANY_EXEC: u32 = S_IXUSR | S_IXGRP | S_IXOTH;

/// Whether `who` may access `inode` as `want` says.
///
/// Not root: the owner class if `who.uid` owns the inode, else the group
/// class if `who.gid` is its group, else the other class; every wanted bit
/// must be set there. Root may read and write anything and search any
/// directory, but executes a non-directory only if some execute bit is set.
pub fn permitted(inode: &Inode, who: Identity, want: Want) -> bool {
    let want = want as u32 & CLASS_MASK;
    if who.is_root() {
        let exec = want & EXEC as u32 != 0;
        return !exec || inode.is_dir() || inode.perm & ANY_EXEC != 0;
    }
    let shift = if who.uid == inode.uid {
        OWNER_SHIFT
    } else if who.gid == inode.gid {
        GROUP_SHIFT
    } else {
        OTHER_SHIFT
    };
    let granted = (inode.perm >> shift) & CLASS_MASK;
    granted & want == want
}

/// [`permitted`], as EACCES when not.
pub fn check(inode: &Inode, who: Identity, want: Want) -> Result<()> {
    if permitted(inode, who, want) {
        Ok(())
    } else {
        Err(Errno::EACCES)
    }
}

/// Whether `who` may change the inode's attributes (`chmod`): its owner
/// or root.
pub fn owns(inode: &Inode, who: Identity) -> bool {
    who.is_root() || who.uid == inode.uid
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vfs::inode::{Content, Ino};
    use alloc::vec::Vec;

    const OWNER: Identity = Identity {
        uid: 1000,
        gid: 1000,
    };
    const GROUP_MEMBER: Identity = Identity {
        uid: 1001,
        gid: 1000,
    };
    const STRANGER: Identity = Identity {
        uid: 1002,
        gid: 1002,
    };

    fn file(perm: u32) -> Inode {
        Inode::new(Content::File(Vec::new()), perm, 1000, 1000, Ino(0))
    }

    #[test]
    fn owner_group_and_other_classes_are_checked_separately() {
        let inode = file(0o640);
        assert!(permitted(&inode, OWNER, READ | WRITE));
        assert!(permitted(&inode, GROUP_MEMBER, READ));
        assert!(!permitted(&inode, GROUP_MEMBER, WRITE));
        assert!(!permitted(&inode, STRANGER, READ));
    }

    #[test]
    fn owner_class_applies_even_when_it_grants_less_than_others() {
        let inode = file(0o077);
        assert!(!permitted(&inode, OWNER, READ));
        assert!(permitted(&inode, STRANGER, READ));
    }

    #[test]
    fn root_reads_and_writes_anything_but_executes_only_with_an_x_bit() {
        assert!(permitted(&file(0o000), Identity::ROOT, READ | WRITE));
        assert!(!permitted(&file(0o666), Identity::ROOT, EXEC));
        assert!(permitted(&file(0o001), Identity::ROOT, EXEC));
        let dir = Inode::new(Content::Dir(Default::default()), 0, 0, 0, Ino(0));
        assert!(permitted(&dir, Identity::ROOT, EXEC));
    }

    #[test]
    fn check_reports_eacces() {
        assert_eq!(check(&file(0o400), STRANGER, READ), Err(Errno::EACCES));
        assert_eq!(check(&file(0o404), STRANGER, READ), Ok(()));
    }

    #[test]
    fn only_owner_or_root_owns() {
        assert!(owns(&file(0), OWNER));
        assert!(owns(&file(0), Identity::ROOT));
        assert!(!owns(&file(0), GROUP_MEMBER));
    }
}
