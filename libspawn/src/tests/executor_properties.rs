//! The executor on the model OS, against a second, deliberately simple
//! interpreter written from the POSIX "as if" text
//! (`libspawn::model::reference`, shared with the fuzz target
//! `executor_vs_reference`): for random attributes and actions, both end
//! with the same result, descriptor table, working directory and process
//! state, before and after exec, and nothing panics.

use libspawn::abi::fcntl::{
    O_ACCMODE, O_CLOEXEC, O_CREAT, O_DIRECTORY, O_EXCL, O_RDONLY, O_RDWR, O_TRUNC, O_WRONLY,
};
use libspawn::model::reference::compare;
use libspawn::model::{CHILD_PID, OTHER_SESSION_PGID, PARENT_PGID, PARENT_SID};
use libspawn::{FileActions, SpawnAttr};
use proptest::collection::vec;
use proptest::prelude::*;

const PATHS: &[&str] = &[
    "/tmp/f",
    "/tmp/d",
    "/tmp/d/g",
    "/tmp/new",
    "/tmp/d/new",
    "f",
    "d",
    "g",
    "new",
    "..",
    ".",
    "/dev/tty",
    "/dev/x",
    "/missing/x",
    "/tmp/f/x",
    "/",
    "/tmp/f/",
    "/tmp/new/",
    "",
    "d/../f",
    "/home/user/new",
    "/dev/new",
];
const OFLAGS: &[i32] = &[
    O_RDONLY,
    O_RDONLY | O_CLOEXEC,
    O_WRONLY,
    O_RDONLY | O_DIRECTORY,
    O_WRONLY | O_CREAT,
    O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
    O_RDWR | O_TRUNC,
    O_ACCMODE,
    O_RDONLY | O_CREAT | O_DIRECTORY,
];
const PGROUPS: &[i32] = &[
    0,
    CHILD_PID,
    PARENT_PGID,
    PARENT_SID,
    OTHER_SESSION_PGID,
    4242,
];

/// One file action, with small descriptors so that they collide.
#[derive(Clone, Debug)]
enum Act {
    Open(i32, &'static str, i32, u32),
    Close(i32),
    Dup2(i32, i32),
    Chdir(&'static str),
    Fchdir(i32),
    CloseFrom(i32),
}

fn act() -> impl Strategy<Value = Act> {
    let fd = 0..10i32;
    let path = proptest::sample::select(PATHS);
    let oflag = proptest::sample::select(OFLAGS);
    let mode = proptest::sample::select(&[0o644u32, 0o000][..]);
    prop_oneof![
        (fd.clone(), path.clone(), oflag, mode).prop_map(|(f, p, o, m)| Act::Open(f, p, o, m)),
        fd.clone().prop_map(Act::Close),
        (fd.clone(), fd.clone()).prop_map(|(a, b)| Act::Dup2(a, b)),
        path.prop_map(Act::Chdir),
        fd.clone().prop_map(Act::Fchdir),
        fd.prop_map(Act::CloseFrom),
    ]
}

fn attr() -> impl Strategy<Value = SpawnAttr> {
    (
        0..=0x2ffu32,
        proptest::sample::select(PGROUPS),
        0..3i32,
        proptest::sample::select(&[0, 1, 50, 99, 100, -1][..]),
        any::<u64>(),
        any::<u64>(),
    )
        .prop_map(|(flags, pgroup, policy, priority, mask, default)| {
            let mut attr = SpawnAttr::new();
            // 0x100 is not a flag (glibc's SETCGROUP); 0x200 is NOWAIT_NP.
            attr.set_flags_bits(flags & !0x100).unwrap();
            attr.set_pgroup(pgroup).unwrap();
            attr.set_sched_policy_raw(policy).unwrap();
            attr.set_sched_priority(priority);
            attr.set_sigmask(libspawn::SigSet::from_bits(mask));
            attr.set_sigdefault(libspawn::SigSet::from_bits(default));
            attr
        })
}

/// 512 cases natively; a handful under Miri, where each case runs the
/// model OS in the interpreter (and without failure files: Miri's isolation
/// forbids the file system access they need).
fn config() -> ProptestConfig {
    if cfg!(miri) {
        ProptestConfig {
            cases: 6,
            failure_persistence: None,
            ..ProptestConfig::default()
        }
    } else {
        ProptestConfig::with_cases(512)
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn executor_matches_the_reference_interpreter(
        privileged in any::<bool>(),
        attr in proptest::option::of(attr()),
        acts in vec(act(), 0..12),
    ) {
        let mut fa = FileActions::<16, 256>::new();
        for act in &acts {
            match *act {
                Act::Open(fd, path, oflag, mode) => fa.add_open(fd, path.as_bytes(), oflag, mode),
                Act::Close(fd) => fa.add_close(fd),
                Act::Dup2(fd, new_fd) => fa.add_dup2(fd, new_fd),
                Act::Chdir(path) => fa.add_chdir(path.as_bytes()),
                Act::Fchdir(fd) => fa.add_fchdir(fd),
                Act::CloseFrom(fd) => fa.add_closefrom(fd),
            }
            .unwrap();
        }
        prop_assert_eq!(fa.iter().count(), acts.len());
        let outcome = compare(privileged, attr.as_ref(), Some(fa.as_list()));
        prop_assert!(outcome.is_ok(), "{}", outcome.unwrap_err());
    }
}
