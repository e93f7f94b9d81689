//! The spawn request a parent hands the kernel, pointing into the objects.
//!
//! Both the C `posix_spawn` (libspawn/c) and the Rust guest runtime build
//! the same [`SpawnRequest`]: the attribute block and the action arrays are
//! passed in place, so nothing is copied on the parent's side; the kernel
//! copies what it needs before the call returns.
#![forbid(unsafe_code)]

use crate::abi::SpawnRequest;
use crate::actions::ActionList;
use crate::attr::SpawnAttr;

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
    use crate::actions::FileActions;

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
