//! Tests of `posix_spawn`'s two steps as the kernel calls them:
//! validation and creation in the parent, application, image lookup and
//! the report in the child; and of init's start.

use libspawn::{Errno, FileActions, SpawnAttr, SpawnFlags};
use shim_abi::fcntl::{O_RDONLY, O_WRONLY};
use shim_abi::signal::SIGCHLD;
use shim_abi::RawAttr;

use crate::process::{Block, State, INIT_PID};
use crate::signal::{Disposition, Handler};
use crate::spawn_request::SpawnRequest;
use crate::strings::Strings;
use crate::testutil::{system, INIT, USER_PID};
use crate::wait_status::Termination;

use super::*;

/// The pid of the first child spawned (init and the user process hold 1
/// and 2).
const FIRST_CHILD: Pid = 3;

/// A request for `path`, with `argv`, no attributes and no actions.
fn request(path: &[u8]) -> SpawnRequest {
    SpawnRequest {
        path: path.to_vec(),
        argv: Strings::from_slices(&[path]).unwrap(),
        ..SpawnRequest::default()
    }
}

/// A system with `/bin/prog` (0755) and `/sbin/secret` (0700, root's).
fn with_programs() -> System {
    let mut system = system();
    system
        .install_file(b"/bin/prog", b"PROG", 0o755, 0, 0)
        .unwrap();
    system
        .install_file(b"/sbin/secret", b"SECRET", 0o700, 0, 0)
        .unwrap();
    system
}

/// A handler (for signals the tests want to see pending).
fn catcher() -> Handler {
    Handler {
        handler: 0x1000,
        flags: 0,
        restorer: 0x2000,
        mask: libspawn::SigSet::EMPTY,
    }
}

/// Step 2 with a loader that returns the image's bytes.
fn apply(system: &mut System, child: Pid) -> Result<Vec<u8>> {
    system.spawn_apply(child, |image| Ok(image.bytes.to_vec()))
}

#[test]
fn create_makes_a_runnable_child_that_waits_for_its_first_run() {
    let mut system = with_programs();
    let spawned = system.spawn_create(USER_PID, request(b"/bin/prog"));
    assert_eq!(
        spawned,
        Ok(Spawned {
            pid: FIRST_CHILD,
            parent_waits: true
        })
    );
    let child = system.process(FIRST_CHILD).unwrap();
    assert_eq!((child.ppid(), child.state()), (USER_PID, State::Runnable));
    system.block(INIT, Block::Child).unwrap();
    system.block(USER_PID, Block::Spawn).unwrap();
    let pick = system.pick_next(0).unwrap();
    assert_eq!((pick.pid, pick.first_run), (FIRST_CHILD, true));
}

#[test]
fn create_validates_attributes_actions_and_the_search_name() {
    let mut system = with_programs();
    let bad_attr = SpawnRequest {
        attr: Some(RawAttr {
            flags: 0x8000_0000,
            ..*SpawnAttr::new().as_raw()
        }),
        ..request(b"/bin/prog")
    };
    assert_eq!(system.spawn_create(USER_PID, bad_attr), Err(Errno::EINVAL));
    let mut actions: FileActions<4, 64> = FileActions::new();
    actions.add_chdir(b"/tmp").unwrap();
    let list = actions.as_list();
    let truncated_paths = SpawnRequest {
        records: list.records().to_vec(),
        ..request(b"/bin/prog")
    };
    assert_eq!(
        system.spawn_create(USER_PID, truncated_paths),
        Err(Errno::EINVAL)
    );
    let empty_search = SpawnRequest {
        search: Some(b"/bin".to_vec()),
        ..request(b"")
    };
    assert_eq!(
        system.spawn_create(USER_PID, empty_search),
        Err(Errno::ENOENT)
    );
    assert_eq!(system.process(FIRST_CHILD).err(), Some(Errno::ESRCH));
    assert_eq!(system.free_slots(), MAX_PROCESSES - 2);
}

#[test]
fn nowait_np_spawns_do_not_make_the_parent_wait() {
    let mut system = with_programs();
    let mut attr = SpawnAttr::new();
    attr.set_flags(SpawnFlags::NOWAIT_NP).unwrap();
    let nowait = SpawnRequest {
        attr: Some(*attr.as_raw()),
        ..request(b"/sbin/secret")
    };
    let spawned = system.spawn_create(USER_PID, nowait).unwrap();
    assert!(!spawned.parent_waits);
    system
        .sigaction(USER_PID, SIGCHLD, Some(Disposition::Handler(catcher())))
        .unwrap();
    assert_eq!(apply(&mut system, spawned.pid), Err(Errno::EACCES));
    assert_eq!(system.take_spawn_outcome(USER_PID), None);
    // Not hidden: its exit is the parent's to see.
    system.exit(spawned.pid, Termination::Exited(127)).unwrap();
    let parent = &system.process(USER_PID).unwrap().signals;
    assert!(parent.pending().contains(SIGCHLD));
    assert_eq!(
        system.wait_child(USER_PID, -1, 0),
        Ok(ChildWait::Exited {
            pid: spawned.pid,
            status: 127 << 8
        })
    );
}

#[test]
fn apply_loads_the_image_and_reports_success_to_the_waiting_parent() {
    let mut system = with_programs();
    let child = system
        .spawn_create(USER_PID, request(b"/bin/prog"))
        .unwrap()
        .pid;
    system.block(USER_PID, Block::Spawn).unwrap();
    assert_eq!(system.take_spawn_outcome(USER_PID), None);
    assert_eq!(apply(&mut system, child), Ok(b"PROG".to_vec()));
    assert_eq!(system.process(USER_PID).unwrap().state(), State::Runnable);
    assert_eq!(system.take_spawn_outcome(USER_PID), Some(Ok(())));
    assert!(system.process(child).unwrap().has_execed());
    // The request is used up: the child's next turn is not a first run.
    assert_eq!(apply(&mut system, child), Err(Errno::EINVAL));
}

#[test]
fn a_failed_apply_is_reported_and_hides_the_child_from_its_parent() {
    let mut system = with_programs();
    let child = system
        .spawn_create(USER_PID, request(b"/bin/missing"))
        .unwrap()
        .pid;
    system
        .sigaction(USER_PID, SIGCHLD, Some(Disposition::Handler(catcher())))
        .unwrap();
    assert_eq!(apply(&mut system, child), Err(Errno::ENOENT));
    system.exit(child, Termination::Exited(127)).unwrap();
    let parent = &system.process(USER_PID).unwrap().signals;
    assert!(!parent.pending().contains(SIGCHLD));
    assert_eq!(system.wait_child(USER_PID, -1, 0), Err(Errno::ECHILD));
    assert_eq!(
        system.take_spawn_outcome(USER_PID),
        Some(Err(Errno::ENOENT))
    );
    system.reap(child).unwrap();
    assert_eq!(system.free_slots(), MAX_PROCESSES - 2);
}

#[test]
fn a_failing_loader_fails_the_spawn_and_commits_nothing() {
    let mut system = with_programs();
    let child = system
        .spawn_create(USER_PID, request(b"/bin/prog"))
        .unwrap()
        .pid;
    let loaded: Result<()> = system.spawn_apply(child, |_| Err(Errno::ENOEXEC));
    assert_eq!(loaded, Err(Errno::ENOEXEC));
    assert!(!system.process(child).unwrap().has_execed());
    assert_eq!(
        system.take_spawn_outcome(USER_PID),
        Some(Err(Errno::ENOEXEC))
    );
}

#[test]
fn spawnp_searches_path_in_order_and_remembers_a_denial() {
    let mut system = with_programs();
    let search = |name: &[u8], path: &[u8]| SpawnRequest {
        search: Some(path.to_vec()),
        ..request(name)
    };
    let child = system
        .spawn_create(USER_PID, search(b"prog", b"/nowhere:/tmp:/bin"))
        .unwrap()
        .pid;
    assert_eq!(apply(&mut system, child), Ok(b"PROG".to_vec()));
    let child = system
        .spawn_create(USER_PID, search(b"secret", b"/sbin:/bin"))
        .unwrap()
        .pid;
    assert_eq!(apply(&mut system, child), Err(Errno::EACCES));
    let child = system
        .spawn_create(USER_PID, search(b"nothing", b":/bin"))
        .unwrap()
        .pid;
    assert_eq!(apply(&mut system, child), Err(Errno::ENOENT));
    // A name with a slash is not searched.
    let child = system
        .spawn_create(USER_PID, search(b"bin/prog", b"/nowhere"))
        .unwrap()
        .pid;
    assert_eq!(system.chdir(child, b"/"), Ok(()));
    assert_eq!(apply(&mut system, child), Ok(b"PROG".to_vec()));
}

#[test]
fn init_starts_on_the_console_in_its_directory_and_loads_on_first_run() {
    let mut system = System::new();
    system
        .install_file(b"/bin/init", b"INIT", 0o755, 0, 0)
        .unwrap();
    let argv = Strings::from_slices(&[b"/bin/init"]).unwrap();
    let pid = system
        .start_init(b"/bin/init", argv, Strings::new(), b"/tmp")
        .unwrap();
    assert_eq!(pid, INIT_PID);
    assert_eq!(system.getcwd(pid).unwrap(), b"/tmp");
    for (fd, flags) in [(0, O_RDONLY), (1, O_WRONLY), (2, O_WRONLY)] {
        assert_eq!(
            system.fcntl(pid, fd, shim_abi::fcntl::F_GETFL, 0),
            Ok(flags)
        );
    }
    let pick = system.pick_next(0).unwrap();
    assert!(pick.first_run);
    let argv_seen = system.spawn_apply(pid, |image| Ok(image.argv.clone()));
    assert_eq!(argv_seen, Strings::from_slices(&[b"/bin/init"]));
    assert_eq!(system.process(pid).unwrap().ppid(), 0);
    assert_eq!(
        system.start_init(b"/bin/init", Strings::new(), Strings::new(), b"/"),
        Err(Errno::EINVAL)
    );
}

#[test]
fn the_loader_gets_the_path_and_the_ids_the_image_will_run_with() {
    let mut system = with_programs();
    system
        .install_file(b"/bin/su", b"SU", shim_abi::mode::S_ISUID | 0o755, 0, 0)
        .unwrap();
    system.spawn_create(USER_PID, request(b"/bin/su")).unwrap();
    let seen = system.spawn_apply(FIRST_CHILD, |image| Ok((image.path.to_vec(), image.creds)));
    let (path, creds) = seen.unwrap();
    assert_eq!(path, b"/bin/su");
    assert_eq!(
        (creds.uid.real, creds.uid.effective),
        (crate::testutil::UID, 0)
    );
    let child = system.process(FIRST_CHILD).unwrap();
    assert_eq!(child.creds, creds);
}
