//! Property tests of the objects: random call sequences with hostile
//! arguments never panic, keep the order of what was added, leave the object
//! unchanged when a call fails, and respect the capacities.

use libspawn::abi::{action_kind, ActionRecord, RawAttr, OPEN_MAX, PATH_MAX};
use libspawn::model::add_rules::{expected_add, owned, Add, Owned};
use libspawn::{ActionList, Errno, FileAction, FileActions, SigSet, SpawnAttr};
use proptest::collection::vec;
use proptest::prelude::*;

/// Small capacities, so that random sequences fill them.
const ACTIONS: usize = 6;
const PATH_BYTES: usize = 40;
type Small = FileActions<ACTIONS, PATH_BYTES>;

/// Descriptors, good and hostile.
fn fd() -> impl Strategy<Value = i32> {
    prop_oneof![
        4 => -3..12i32,
        1 => Just(OPEN_MAX - 1),
        1 => Just(OPEN_MAX),
        1 => Just(i32::MIN),
        1 => Just(i32::MAX),
        1 => any::<i32>(),
    ]
}

/// Paths: short random bytes (NULs included), and ones at the PATH_MAX edge.
fn path() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        8 => vec(any::<u8>(), 0..16),
        1 => Just(vec![b'p'; PATH_MAX - 1]),
        1 => Just(vec![b'p'; PATH_MAX]),
    ]
}

/// One step of a random sequence: an add (modelled by
/// `libspawn::model::add_rules`), or clearing the object.
#[derive(Clone, Debug)]
enum Step {
    Add(Add),
    Clear,
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (fd(), path(), any::<i32>(), any::<u32>())
            .prop_map(|(f, p, o, m)| Step::Add(Add::Open(f, p, o, m))),
        fd().prop_map(|fd| Step::Add(Add::Close(fd))),
        (fd(), fd()).prop_map(|(a, b)| Step::Add(Add::Dup2(a, b))),
        path().prop_map(|p| Step::Add(Add::Chdir(p))),
        fd().prop_map(|fd| Step::Add(Add::Fchdir(fd))),
        fd().prop_map(|fd| Step::Add(Add::CloseFrom(fd))),
        Just(Step::Clear),
    ]
}

fn call(fa: &mut Small, add: &Add) -> Result<(), Errno> {
    match add {
        Add::Open(fd, p, o, m) => fa.add_open(*fd, p, *o, *m),
        Add::Close(fd) => fa.add_close(*fd),
        Add::Dup2(a, b) => fa.add_dup2(*a, *b),
        Add::Chdir(p) => fa.add_chdir(p),
        Add::Fchdir(fd) => fa.add_fchdir(*fd),
        Add::CloseFrom(fd) => fa.add_closefrom(*fd),
    }
}

/// One call on an attributes object.
#[derive(Clone, Debug)]
enum Set {
    Flags(u32),
    Pgroup(i32),
    Sigmask(u64),
    Sigdefault(u64),
    Policy(i32),
    Priority(i32),
}

fn set() -> impl Strategy<Value = Set> {
    let small_bits = prop_oneof![0..=0xffu32, any::<u32>(), Just(0x100u32)];
    prop_oneof![
        small_bits.prop_map(Set::Flags),
        prop_oneof![-2..5i32, any::<i32>()].prop_map(Set::Pgroup),
        any::<u64>().prop_map(Set::Sigmask),
        any::<u64>().prop_map(Set::Sigdefault),
        prop_oneof![-1..4i32, any::<i32>()].prop_map(Set::Policy),
        any::<i32>().prop_map(Set::Priority),
    ]
}

fn record() -> impl Strategy<Value = ActionRecord> {
    let small = prop_oneof![0..48u32, any::<u32>()];
    (0..8u32, fd(), fd(), any::<i32>(), small.clone(), small).prop_map(
        |(kind, fd, arg, oflag, path_offset, path_len)| ActionRecord {
            kind,
            fd,
            arg,
            oflag,
            mode: 0o644,
            path_offset,
            path_len,
        },
    )
}

/// 256 cases natively; fewer under Miri, which interprets every step (and
/// without failure files: Miri's isolation forbids the file system access
/// they need).
fn config() -> ProptestConfig {
    if cfg!(miri) {
        ProptestConfig {
            cases: 8,
            failure_persistence: None,
            ..ProptestConfig::default()
        }
    } else {
        ProptestConfig::with_cases(256)
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn file_actions_keep_order_and_failed_adds_change_nothing(steps in vec(step(), 0..24)) {
        let mut fa = Small::new();
        let mut model: Vec<Owned> = Vec::new();
        for step in &steps {
            match step {
                Step::Clear => {
                    fa.clear();
                    model.clear();
                }
                Step::Add(add) => {
                    let before = fa.clone();
                    let result = call(&mut fa, add);
                    match expected_add(add, &model, ACTIONS, PATH_BYTES) {
                        Ok(action) => {
                            prop_assert_eq!(result, Ok(()), "{:?}", add);
                            model.push(action);
                        }
                        Err(errno) => {
                            prop_assert_eq!(result, Err(errno), "{:?}", add);
                            prop_assert_eq!(&fa, &before, "failed {:?} changed the object", add);
                        }
                    }
                }
            }
            prop_assert!(fa.len() <= ACTIONS);
            prop_assert!(fa.path_bytes_used() <= PATH_BYTES);
            prop_assert_eq!(fa.len(), model.len());
            prop_assert_eq!(fa.iter().map(owned).collect::<Vec<_>>(), model.clone());
            let list = fa.as_list();
            prop_assert_eq!(ActionList::new(list.records(), list.paths()), Ok(list));
        }
    }

    #[test]
    fn attr_setters_store_exactly_and_failed_sets_change_nothing(sets in vec(set(), 0..16)) {
        let mut attr = SpawnAttr::new();
        for set in &sets {
            let before = attr;
            let result = match set {
                Set::Flags(bits) => attr.set_flags_bits(*bits),
                Set::Pgroup(pgroup) => attr.set_pgroup(*pgroup),
                Set::Sigmask(bits) => {
                    attr.set_sigmask(SigSet::from_bits(*bits));
                    Ok(())
                }
                Set::Sigdefault(bits) => {
                    attr.set_sigdefault(SigSet::from_bits(*bits));
                    Ok(())
                }
                Set::Policy(policy) => attr.set_sched_policy_raw(*policy),
                Set::Priority(priority) => {
                    attr.set_sched_priority(*priority);
                    Ok(())
                }
            };
            let valid = match set {
                Set::Flags(bits) => bits & !0xff == 0,
                Set::Pgroup(pgroup) => *pgroup >= 0,
                Set::Policy(policy) => (0..=2).contains(policy),
                _ => true,
            };
            if !valid {
                prop_assert_eq!(result, Err(Errno::EINVAL), "{:?}", set);
                prop_assert_eq!(attr, before);
                continue;
            }
            prop_assert_eq!(result, Ok(()), "{:?}", set);
            let raw = *attr.as_raw();
            match *set {
                Set::Flags(bits) => prop_assert_eq!(attr.flags().bits(), bits),
                Set::Pgroup(pgroup) => prop_assert_eq!(attr.pgroup(), pgroup),
                Set::Sigmask(bits) => prop_assert_eq!(attr.sigmask().bits(), bits),
                Set::Sigdefault(bits) => prop_assert_eq!(attr.sigdefault().bits(), bits),
                Set::Policy(policy) => prop_assert_eq!(attr.sched_policy_raw(), policy),
                Set::Priority(priority) => prop_assert_eq!(attr.sched_priority(), priority),
            }
            prop_assert_eq!(SpawnAttr::from_raw(raw), Ok(attr));
        }
    }

    #[test]
    fn attr_from_raw_accepts_exactly_the_valid_blocks(
        flags in prop_oneof![0..0x200u32, any::<u32>()],
        pgroup in prop_oneof![-2..3i32, any::<i32>()],
        sigmask in any::<u64>(),
        sigdefault in any::<u64>(),
        schedpolicy in prop_oneof![-1..4i32, any::<i32>()],
        schedpriority in any::<i32>(),
    ) {
        let raw = RawAttr { flags, pgroup, sigmask, sigdefault, schedpolicy, schedpriority };
        let valid = flags & !0xff == 0 && pgroup >= 0 && (0..=2).contains(&schedpolicy);
        match SpawnAttr::from_raw(raw) {
            Ok(attr) => {
                prop_assert!(valid);
                prop_assert_eq!(*attr.as_raw(), raw);
            }
            Err(errno) => {
                prop_assert!(!valid);
                prop_assert_eq!(errno, Errno::EINVAL);
            }
        }
    }

    #[test]
    fn action_list_new_accepts_exactly_what_decode_accepts(
        records in vec(record(), 0..6),
        paths in vec(any::<u8>(), 0..40),
    ) {
        let decoded: Vec<_> = records.iter().map(|r| FileAction::decode(r, &paths)).collect();
        match ActionList::new(&records, &paths) {
            Ok(list) => {
                prop_assert!(decoded.iter().all(Result::is_ok));
                let decoded: Vec<_> = decoded.into_iter().map(Result::unwrap).collect();
                prop_assert_eq!(list.iter().collect::<Vec<_>>(), decoded);
            }
            Err(errno) => {
                prop_assert_eq!(errno, Errno::EINVAL);
                prop_assert!(decoded.iter().any(Result::is_err));
            }
        }
        // Decoding alone: a record is accepted only if its kind is known and
        // its descriptors and path are ones an add could have stored.
        for (record, result) in records.iter().zip(records.iter().map(|r| FileAction::decode(r, &paths))) {
            if let Ok(action) = result {
                let known = (action_kind::OPEN..=action_kind::CLOSEFROM).contains(&record.kind);
                prop_assert!(known, "{:?}", record);
                let mut fa = FileActions::<1, { PATH_MAX }>::new();
                let readded = match action {
                    FileAction::Open { fd, path, oflag, mode } => fa.add_open(fd, path, oflag, mode),
                    FileAction::Close { fd } => fa.add_close(fd),
                    FileAction::Dup2 { fd, new_fd } => fa.add_dup2(fd, new_fd),
                    FileAction::Chdir { path } => fa.add_chdir(path),
                    FileAction::Fchdir { fd } => fa.add_fchdir(fd),
                    FileAction::CloseFrom { low_fd } => fa.add_closefrom(low_fd),
                };
                prop_assert_eq!(readded, Ok(()), "{:?}", record);
                prop_assert_eq!(fa.iter().next(), Some(action));
            }
        }
    }
}
