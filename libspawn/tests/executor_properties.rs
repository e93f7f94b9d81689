//! The executor on the model OS, against a second, deliberately simple
//! interpreter written from the POSIX "as if" text: for random attributes
//! and actions, both end with the same result, descriptor table, working
//! directory and process state, and nothing panics.

use std::collections::{BTreeMap, BTreeSet};

use libspawn::abi::fcntl::{
    O_CLOEXEC, O_CREAT, O_DIRECTORY, O_EXCL, O_RDONLY, O_RDWR, O_TRUNC, O_WRONLY,
};
use libspawn::model::{Model, CHILD_PID, OTHER_SESSION_PGID, PARENT_PGID, USER};
use libspawn::{apply, Errno, FileActions, SchedPolicy, SpawnAttr, SpawnFlags};
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
];
const OFLAGS: &[i32] = &[
    O_RDONLY,
    O_RDONLY | O_CLOEXEC,
    O_WRONLY,
    O_RDONLY | O_DIRECTORY,
    O_WRONLY | O_CREAT,
    O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
    O_RDWR | O_TRUNC,
];
const PGROUPS: &[i32] = &[0, CHILD_PID, PARENT_PGID, OTHER_SESSION_PGID, 4242];

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
        0..=0xffu32,
        proptest::sample::select(PGROUPS),
        0..3i32,
        proptest::sample::select(&[0, 1, 50, 99, 100, -1][..]),
        any::<u64>(),
    )
        .prop_map(|(flags, pgroup, policy, priority, mask)| {
            let mut attr = SpawnAttr::new();
            attr.set_flags_bits(flags).unwrap();
            attr.set_pgroup(pgroup).unwrap();
            attr.set_sched_policy_raw(policy).unwrap();
            attr.set_sched_priority(priority);
            attr.set_sigmask(libspawn::SigSet::from_bits(mask));
            attr
        })
}

/// The world both interpreters start from.
fn world(privileged: bool) -> Model {
    let mut model = Model::new();
    model.write_file("/tmp/f", b"data", 0o644);
    model.mkdir("/tmp/d", 0o755);
    model.write_file("/tmp/d/g", b"", 0o644);
    model.give_fd(5, "/tmp/f", O_RDONLY | O_CLOEXEC);
    model.give_fd(6, "/tmp/d", O_RDONLY);
    libspawn::ChildOps::dup2(&mut model, 6, 7).unwrap();
    model.clear_log();
    if privileged {
        model.process.euid = 0;
    }
    model
}

/// The reference interpreter's state.
#[derive(Debug)]
struct Ref {
    /// fd -> (open file description id, cloexec)
    fds: BTreeMap<i32, (usize, bool)>,
    /// open file description id -> absolute path
    descs: Vec<String>,
    cwd: String,
    dirs: BTreeSet<String>,
    /// regular file -> whether the owner may read and write it
    files: BTreeMap<String, (bool, bool)>,
    pgid: i32,
    sid: i32,
    euid: u32,
    policy: SchedPolicy,
    priority: i32,
}

impl Ref {
    fn new(privileged: bool) -> Ref {
        let descs = ["/dev/tty", "/dev/tty", "/dev/tty", "/tmp/f", "/tmp/d"];
        let descs = descs.iter().map(|d| d.to_string()).collect();
        let fds = BTreeMap::from([
            (0, (0, false)),
            (1, (1, false)),
            (2, (2, false)),
            (5, (3, true)),
            (6, (4, false)),
            (7, (4, false)),
        ]);
        let dirs = ["/", "/dev", "/tmp", "/tmp/d", "/home", "/home/user"];
        let files = ["/dev/tty", "/tmp/f", "/tmp/d/g"];
        Ref {
            fds,
            descs,
            cwd: "/".into(),
            dirs: dirs.iter().map(|d| d.to_string()).collect(),
            files: files
                .iter()
                .map(|f| (f.to_string(), (true, true)))
                .collect(),
            pgid: PARENT_PGID,
            sid: libspawn::model::PARENT_SID,
            euid: if privileged { 0 } else { USER },
            policy: SchedPolicy::Other,
            priority: 0,
        }
    }

    /// `cwd` joined with `path`, `.` and `..` folded: the absolute path, and
    /// the error of the first prefix that is not a directory.
    fn resolve(&self, path: &str) -> Result<String, Errno> {
        let mut parts: Vec<&str> = if path.starts_with('/') {
            Vec::new()
        } else {
            self.cwd.split('/').filter(|p| !p.is_empty()).collect()
        };
        let names: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
        for name in names {
            let here = format!("/{}", parts.join("/"));
            if !self.dirs.contains(&here) {
                return Err(if self.files.contains_key(&here) {
                    Errno::ENOTDIR
                } else {
                    Errno::ENOENT
                });
            }
            match name {
                "." => {}
                ".." => {
                    parts.pop();
                }
                _ => parts.push(name),
            }
        }
        Ok(format!("/{}", parts.join("/")))
    }

    fn open(&mut self, path: &str, oflag: i32, mode: u32) -> Result<usize, Errno> {
        let full = self.resolve(path)?;
        let write = oflag & (O_WRONLY | O_RDWR) != 0;
        let exists = self.dirs.contains(&full) || self.files.contains_key(&full);
        if exists && oflag & O_CREAT != 0 && oflag & O_EXCL != 0 {
            return Err(Errno::EEXIST);
        }
        if self.dirs.contains(&full) {
            if write || oflag & O_CREAT != 0 {
                return Err(Errno::EISDIR);
            }
        } else if let Some(&(readable, writable)) = self.files.get(&full) {
            if oflag & O_DIRECTORY != 0 {
                return Err(Errno::ENOTDIR);
            }
            let allowed = if oflag & O_RDWR != 0 {
                readable && writable
            } else if oflag & O_WRONLY != 0 {
                writable
            } else {
                readable
            };
            if !allowed && self.euid != 0 {
                return Err(Errno::EACCES);
            }
        } else if oflag & O_CREAT == 0 {
            return Err(Errno::ENOENT);
        } else {
            let parent = full.rsplit_once('/').map_or("/", |(p, _)| p);
            let parent = if parent.is_empty() { "/" } else { parent };
            let writable_dirs = ["/tmp", "/tmp/d", "/home/user"];
            if self.euid != 0 && !writable_dirs.contains(&parent) {
                return Err(Errno::EACCES);
            }
            let mode = mode & !0o022;
            self.files
                .insert(full.clone(), (mode & 0o400 != 0, mode & 0o200 != 0));
        }
        self.descs.push(full);
        Ok(self.descs.len() - 1)
    }

    fn action(&mut self, action: &Act) -> Result<(), Errno> {
        match *action {
            // POSIX: as if open(), the result moved to fd, fd closed first.
            Act::Open(fd, path, oflag, mode) => {
                self.fds.remove(&fd);
                let desc = self.open(path, oflag, mode)?;
                self.fds.insert(fd, (desc, false));
            }
            Act::Close(fd) => {
                self.fds.remove(&fd);
            }
            Act::Dup2(fd, new_fd) => {
                let &(desc, _) = self.fds.get(&fd).ok_or(Errno::EBADF)?;
                self.fds.insert(new_fd, (desc, false));
            }
            Act::Chdir(path) => {
                let full = self.resolve(path)?;
                self.enter(full)?;
            }
            Act::Fchdir(fd) => {
                let &(desc, _) = self.fds.get(&fd).ok_or(Errno::EBADF)?;
                self.enter(self.descs[desc].clone())?;
            }
            Act::CloseFrom(low) => self.fds.retain(|&fd, _| fd < low),
        }
        Ok(())
    }

    fn enter(&mut self, dir: String) -> Result<(), Errno> {
        if self.files.contains_key(&dir) {
            return Err(Errno::ENOTDIR);
        }
        if !self.dirs.contains(&dir) {
            return Err(Errno::ENOENT);
        }
        self.cwd = dir;
        Ok(())
    }

    fn attrs(&mut self, attr: &SpawnAttr) -> Result<(), Errno> {
        let flags = attr.flags();
        let sched = |policy: SchedPolicy, priority: i32, euid: u32| {
            let realtime = policy != SchedPolicy::Other;
            let in_range = if realtime {
                (1..=99).contains(&priority)
            } else {
                priority == 0
            };
            if !in_range {
                Err(Errno::EINVAL)
            } else if realtime && euid != 0 {
                Err(Errno::EPERM)
            } else {
                Ok(())
            }
        };
        if flags.contains(SpawnFlags::SETSCHEDULER) {
            sched(attr.sched_policy(), attr.sched_priority(), self.euid)?;
            self.policy = attr.sched_policy();
            self.priority = attr.sched_priority();
        } else if flags.contains(SpawnFlags::SETSCHEDPARAM) {
            sched(self.policy, attr.sched_priority(), self.euid)?;
            self.priority = attr.sched_priority();
        }
        if flags.contains(SpawnFlags::SETSID) {
            self.sid = CHILD_PID;
            self.pgid = CHILD_PID;
        }
        if flags.contains(SpawnFlags::SETPGROUP) {
            let target = match attr.pgroup() {
                0 => CHILD_PID,
                pgroup => pgroup,
            };
            let same_session = target == CHILD_PID || target == PARENT_PGID;
            if self.sid == CHILD_PID || !same_session {
                return Err(Errno::EPERM);
            }
            self.pgid = target;
        }
        if flags.contains(SpawnFlags::RESETIDS) {
            self.euid = USER;
        }
        Ok(())
    }

    /// The table as `Model::fd_table` shows it.
    fn fd_table(&self) -> Vec<(i32, String, bool, i32)> {
        let mut first: BTreeMap<usize, i32> = BTreeMap::new();
        self.fds
            .iter()
            .map(|(&fd, &(desc, cloexec))| {
                let leader = *first.entry(desc).or_insert(fd);
                (fd, self.descs[desc].clone(), cloexec, leader)
            })
            .collect()
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

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

        let mut model = world(privileged);
        let result = apply(attr.as_ref(), Some(fa.as_list()), &mut model);

        let mut reference = Ref::new(privileged);
        prop_assert_eq!(reference.fd_table(), world(privileged).fd_table());
        let expected = attr
            .as_ref()
            .map_or(Ok(()), |attr| reference.attrs(attr))
            .and_then(|()| acts.iter().try_for_each(|act| reference.action(act)));

        prop_assert_eq!(result, expected);
        prop_assert_eq!(model.fd_table(), reference.fd_table());
        prop_assert_eq!(model.cwd(), reference.cwd.as_str());
        prop_assert_eq!(model.process.pgid, reference.pgid);
        prop_assert_eq!(model.process.sid, reference.sid);
        prop_assert_eq!(model.process.euid, reference.euid);
        prop_assert_eq!(model.process.policy, reference.policy);
        prop_assert_eq!(model.process.priority, reference.priority);
    }
}
