//! `utimensat`: setting a file's access and modification times.

use libspawn::{Errno, Result};
use shim_abi::Timespec;

use super::perm::{self, Identity, WRITE};
use super::{Ino, Vfs};

/// What `utimensat` does to one of the two times.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeChange {
    /// Leave it alone (UTIME_OMIT).
    Omit,
    /// Set it to the current time (UTIME_NOW, or a null `times`).
    Now,
    /// Set it to this time.
    To(Timespec),
}

impl Vfs {
    /// Sets `ino`'s access and modification times (utimensat(2)); the
    /// change time becomes now. Both omitted: nothing to do, success.
    /// Only the current time on both (or one omitted): the owner, root,
    /// or anyone with write permission (EACCES otherwise). Any explicit
    /// time: the owner or root only (EPERM otherwise).
    pub fn set_times(
        &mut self,
        ino: Ino,
        atime: TimeChange,
        mtime: TimeChange,
        who: Identity,
    ) -> Result<()> {
        if atime == TimeChange::Omit && mtime == TimeChange::Omit {
            return Ok(());
        }
        let node = self.node(ino)?;
        let explicit = matches!(atime, TimeChange::To(_)) || matches!(mtime, TimeChange::To(_));
        if !perm::owns(node, who) {
            if explicit {
                return Err(Errno::EPERM);
            }
            perm::check(node, who, WRITE)?;
        }
        let now = self.now();
        let node = self.node_mut(ino)?;
        for (change, time) in [(atime, &mut node.atime), (mtime, &mut node.mtime)] {
            match change {
                TimeChange::Omit => {}
                TimeChange::Now => *time = now,
                TimeChange::To(value) => *time = value,
            }
        }
        node.ctime = now;
        Ok(())
    }
}
