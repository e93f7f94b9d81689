//! The spawn call's argument: a request pointing into libspawn's objects.
//!
//! Both the C `posix_spawn` (libspawn/c) and the Rust guest runtime build
//! the same [`SpawnRequest`] with [`spawn_request`]: the attribute block and
//! the action arrays are passed in place, so nothing is copied on the
//! parent's side; the kernel copies what it needs before the call returns.
//! The objects themselves (their layouts, kinds and flags) are libspawn's,
//! re-exported here.

pub use libspawn::abi::{action_kind, flags, sched, ActionRecord, RawAttr, SPAWN_FAILURE_STATUS};
use libspawn::{ActionList, SpawnAttr};
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout};

/// Argument block of the [`crate::Sysno::ShimSpawn`] system call. Pointers are carried as
/// `u64` so the kernel's copy of this struct holds no pointer values.
#[repr(C)]
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, FromBytes, IntoBytes, Immutable, KnownLayout,
)]
pub struct SpawnRequest {
    /// NUL-terminated path of the image.
    pub path: u64,
    /// NULL-terminated array of NUL-terminated strings.
    pub argv: u64,
    /// NULL-terminated array of NUL-terminated strings.
    pub envp: u64,
    /// `*const RawAttr`, or 0 for default attributes.
    pub attr: u64,
    /// `*const ActionRecord`, `action_count` records (0 when count is 0).
    pub actions: u64,
    /// Number of action records.
    pub action_count: u64,
    /// Path storage the records point into.
    pub paths: u64,
    /// Bytes of path storage.
    pub paths_len: u64,
    /// `posix_spawnp`: a NUL-terminated, colon-separated directory list (the
    /// caller's PATH), or 0 for `posix_spawn`. When set, `path` is a bare
    /// file name that the kernel looks up in each directory in turn, after
    /// the file actions have run once (so relative entries follow chdir
    /// actions): ENOENT and ENOTDIR move on to the next directory, EACCES is
    /// remembered and returned if nothing else is found, any other error
    /// stops the search. An empty entry means the working directory.
    pub search_path: u64,
}

const _: () = assert!(core::mem::size_of::<SpawnRequest>() == 72);

/// Describes one spawn. `path`, `argv`, `envp` and `search_path` are user
/// addresses as [`SpawnRequest`] documents them (`search_path` 0 for plain
/// `posix_spawn`); `attr` and `actions` are borrowed by address, so they
/// must outlive the system call made with the result.
pub fn spawn_request(
    path: u64,
    argv: u64,
    envp: u64,
    attr: Option<&SpawnAttr>,
    actions: Option<ActionList<'_>>,
    search_path: u64,
) -> SpawnRequest {
    let mut request = SpawnRequest {
        path,
        argv,
        envp,
        search_path,
        ..SpawnRequest::default()
    };
    if let Some(attr) = attr {
        request.attr = core::ptr::from_ref(attr.as_raw()) as u64;
    }
    if let Some(list) = actions.filter(|list| !list.is_empty()) {
        request.actions = list.records().as_ptr() as u64;
        request.action_count = list.len() as u64;
        request.paths = list.paths().as_ptr() as u64;
        request.paths_len = list.paths().len() as u64;
    }
    request
}

#[cfg(test)]
mod tests {
    use super::*;
    use libspawn::FileActions;

    #[test]
    fn defaults_leave_attr_and_actions_empty() {
        let request = spawn_request(1, 2, 3, None, None, 0);
        assert_eq!((request.path, request.argv, request.envp), (1, 2, 3));
        assert_eq!(
            (request.attr, request.actions, request.action_count),
            (0, 0, 0)
        );
        assert_eq!(
            (request.paths, request.paths_len, request.search_path),
            (0, 0, 0)
        );
    }

    #[test]
    fn objects_are_passed_in_place() {
        let attr = SpawnAttr::new();
        let mut actions = FileActions::<4, 32>::new();
        actions.add_chdir(b"/tmp").unwrap();
        actions.add_close(3).unwrap();
        let list = actions.as_list();
        let request = spawn_request(1, 2, 3, Some(&attr), Some(list), 9);
        assert_eq!(request.attr, core::ptr::from_ref(attr.as_raw()) as u64);
        assert_eq!(request.actions, list.records().as_ptr() as u64);
        assert_eq!(request.action_count, 2);
        assert_eq!(request.paths, list.paths().as_ptr() as u64);
        assert_eq!(request.paths_len, 4);
        assert_eq!(request.search_path, 9);
    }

    #[test]
    fn an_empty_action_list_is_sent_as_none() {
        let actions = FileActions::<4, 32>::new();
        let request = spawn_request(1, 2, 3, None, Some(actions.as_list()), 0);
        assert_eq!(
            (request.actions, request.action_count, request.paths),
            (0, 0, 0)
        );
    }
}
