//! Resource limits (`getrlimit`, `setrlimit`, `prlimit64`): each process's
//! soft and hard limit per resource, the rules for changing them, and the
//! values a new process starts with.
//!
//! Which limits this kernel enforces:
//! - `RLIMIT_NOFILE`: enforced by the descriptor table ([`FdTable`]): no
//!   new descriptor at or above the soft limit (EMFILE for `open`, `dup`,
//!   `pipe`; EBADF for `dup2` onto it; EINVAL for `F_DUPFD` from it).
//!   Its hard limit is the table's real capacity, [`OPEN_MAX`] (1024):
//!   raising it further is EPERM, for root too (as Linux beyond
//!   `fs.nr_open`).
//! - `RLIMIT_STACK`: 8 MiB soft and hard, the stack growth limit the kernel
//!   really has; lowering it is recorded and reported, not enforced.
//! - Every other resource is reported as [`RLIM_INFINITY`] (not enforced),
//!   except `RLIMIT_NICE` and `RLIMIT_RTPRIO`, 0 as on Linux (they are
//!   ceilings, not sizes). Limits may still be lowered and read back.
//!
//! [`FdTable`]: crate::fdtable::FdTable

use libspawn::{Errno, Result};
use shim_abi::rlimit::{
    RLIMIT_NICE, RLIMIT_NOFILE, RLIMIT_RTPRIO, RLIMIT_STACK, RLIM_INFINITY, RLIM_NLIMITS,
};
use shim_abi::{Rlimit, OPEN_MAX};

/// The stack growth limit of every process (the kernel's
/// `STACK_MAX_BYTES`), RLIMIT_STACK's soft and hard value.
pub const STACK_LIMIT_BYTES: u64 = 8 << 20;

/// RLIMIT_NOFILE's hard ceiling: the descriptor table's capacity.
pub const NOFILE_CEILING: u64 = OPEN_MAX as u64;

/// A process's limits, one [`Rlimit`] per resource.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    limits: [Rlimit; RLIM_NLIMITS as usize],
}

impl Default for Limits {
    fn default() -> Self {
        Limits::INITIAL
    }
}

/// The index of `resource`; EINVAL outside `0..RLIM_NLIMITS`.
fn index(resource: u32) -> Result<usize> {
    if resource < RLIM_NLIMITS {
        Ok(resource as usize)
    } else {
        Err(Errno::EINVAL)
    }
}

const fn both(value: u64) -> Rlimit {
    Rlimit {
        cur: value,
        max: value,
    }
}

impl Limits {
    /// The first process's limits (see the module documentation); every
    /// other process inherits its parent's.
    pub const INITIAL: Limits = {
        let mut limits = [both(RLIM_INFINITY); RLIM_NLIMITS as usize];
        limits[RLIMIT_NOFILE as usize] = both(NOFILE_CEILING);
        limits[RLIMIT_STACK as usize] = both(STACK_LIMIT_BYTES);
        limits[RLIMIT_NICE as usize] = both(0);
        limits[RLIMIT_RTPRIO as usize] = both(0);
        Limits { limits }
    };

    /// The limit on `resource`; EINVAL for an unknown resource.
    pub fn get(&self, resource: u32) -> Result<Rlimit> {
        Ok(self.limits[index(resource)?])
    }

    /// The soft limit on descriptors, as a table size.
    pub fn nofile(&self) -> usize {
        let soft = self.limits[RLIMIT_NOFILE as usize].cur;
        usize::try_from(soft.min(NOFILE_CEILING)).unwrap_or(OPEN_MAX as usize)
    }

    /// `setrlimit(resource, new)` by a process that is `privileged` or
    /// not: returns the old limit. EINVAL for an unknown resource or a
    /// soft limit above the hard one; EPERM for raising the hard limit
    /// without privilege, or RLIMIT_NOFILE's above [`NOFILE_CEILING`].
    /// Nothing changes on error.
    pub fn set(&mut self, resource: u32, new: Rlimit, privileged: bool) -> Result<Rlimit> {
        let slot = index(resource)?;
        let old = self.limits[slot];
        if new.cur > new.max {
            return Err(Errno::EINVAL);
        }
        if new.max > old.max && !privileged {
            return Err(Errno::EPERM);
        }
        if resource == RLIMIT_NOFILE && new.max > NOFILE_CEILING {
            return Err(Errno::EPERM);
        }
        self.limits[slot] = new;
        Ok(old)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shim_abi::rlimit::{RLIMIT_AS, RLIMIT_CORE, RLIMIT_CPU};

    fn limit(cur: u64, max: u64) -> Rlimit {
        Rlimit { cur, max }
    }

    #[test]
    fn initial_limits_report_what_the_kernel_has() {
        let limits = Limits::INITIAL;
        assert_eq!(limits.get(RLIMIT_NOFILE), Ok(both(1024)));
        assert_eq!(limits.get(RLIMIT_STACK), Ok(both(8 << 20)));
        assert_eq!(limits.get(RLIMIT_AS), Ok(both(RLIM_INFINITY)));
        assert_eq!(limits.get(RLIMIT_CPU), Ok(both(RLIM_INFINITY)));
        assert_eq!(limits.get(RLIMIT_RTPRIO), Ok(both(0)));
        assert_eq!(limits.nofile(), 1024);
    }

    #[test]
    fn an_unknown_resource_is_einval() {
        let mut limits = Limits::INITIAL;
        assert_eq!(limits.get(RLIM_NLIMITS), Err(Errno::EINVAL));
        assert_eq!(
            limits.set(RLIM_NLIMITS, limit(0, 0), true),
            Err(Errno::EINVAL)
        );
    }

    #[test]
    fn a_soft_limit_above_the_hard_one_is_einval_and_changes_nothing() {
        let mut limits = Limits::INITIAL;
        assert_eq!(
            limits.set(RLIMIT_NOFILE, limit(20, 10), true),
            Err(Errno::EINVAL)
        );
        assert_eq!(limits, Limits::INITIAL);
    }

    #[test]
    fn lowering_is_allowed_and_raising_the_hard_limit_needs_privilege() {
        let mut limits = Limits::INITIAL;
        assert_eq!(
            limits.set(RLIMIT_CORE, limit(0, 4096), false),
            Ok(both(RLIM_INFINITY))
        );
        assert_eq!(
            limits.set(RLIMIT_CORE, limit(0, 8192), false),
            Err(Errno::EPERM)
        );
        assert_eq!(
            limits.set(RLIMIT_CORE, limit(4096, 4096), false),
            Ok(limit(0, 4096))
        );
        assert_eq!(
            limits.set(RLIMIT_CORE, limit(0, 8192), true),
            Ok(limit(4096, 4096))
        );
    }

    #[test]
    fn the_soft_limit_may_move_freely_below_the_hard_one() {
        let mut limits = Limits::INITIAL;
        limits.set(RLIMIT_NOFILE, limit(10, 1024), false).unwrap();
        assert_eq!(limits.nofile(), 10);
        limits.set(RLIMIT_NOFILE, limit(1024, 1024), false).unwrap();
        assert_eq!(limits.nofile(), 1024);
    }

    #[test]
    fn nofile_cannot_pass_the_table_capacity_even_for_root() {
        let mut limits = Limits::INITIAL;
        assert_eq!(
            limits.set(RLIMIT_NOFILE, limit(1024, 1025), true),
            Err(Errno::EPERM)
        );
        assert_eq!(
            limits.set(RLIMIT_NOFILE, limit(2048, 2048), true),
            Err(Errno::EPERM)
        );
    }
}
