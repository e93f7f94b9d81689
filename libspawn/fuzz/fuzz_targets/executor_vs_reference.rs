//! Random attributes and file actions run by the executor
//! (`libspawn::apply`) on the model OS, against the reference interpreter
//! (`libspawn::model::reference`, the one the property test
//! `src/tests/executor_properties.rs` uses): both must give the same result and
//! leave the same descriptor table, working directory and process state,
//! before and after exec.
//!
//! Paths are mostly built from the names the world has (plus `.`, `..`,
//! empty components and a trailing `/`), so that they resolve, collide and
//! fail in interesting ways; some are raw bytes.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use libspawn::abi::fcntl::{
    O_APPEND, O_CLOEXEC, O_CREAT, O_DIRECTORY, O_EXCL, O_NOCTTY, O_NOFOLLOW, O_NONBLOCK, O_TRUNC,
};
use libspawn::model::reference::compare;
use libspawn::model::{CHILD_PID, OTHER_SESSION_PGID, PARENT_PGID, PARENT_SID};
use libspawn::{FileActions, SigSet, SpawnAttr};
use libspawn_fuzz::Fd;

/// Path components: the world's names and the special ones.
const NAMES: [&[u8]; 14] = [
    b"tmp", b"d", b"f", b"g", b"new", b"dev", b"tty", b"home", b"user", b"x", b".", b"..", b"",
    b"other",
];
/// Open flags that change what `open` does, beside the access mode.
const OFLAG_BITS: [i32; 9] = [
    O_CREAT,
    O_EXCL,
    O_TRUNC,
    O_APPEND,
    O_DIRECTORY,
    O_CLOEXEC,
    O_NOCTTY,
    O_NONBLOCK,
    O_NOFOLLOW,
];
const PGROUPS: [i32; 6] = [
    0,
    CHILD_PID,
    PARENT_PGID,
    PARENT_SID,
    OTHER_SESSION_PGID,
    4242,
];
const PRIORITIES: [i32; 8] = [0, 1, 50, 99, 100, -1, i32::MIN, i32::MAX];

#[derive(Arbitrary, Debug)]
enum Path {
    Names {
        absolute: bool,
        names: Vec<u8>,
        trailing_slash: bool,
    },
    Raw(Vec<u8>),
}

impl Path {
    fn bytes(&self) -> Vec<u8> {
        match self {
            Path::Names {
                absolute,
                names,
                trailing_slash,
            } => {
                let mut path = if *absolute { b"/".to_vec() } else { Vec::new() };
                for (i, &n) in names.iter().take(8).enumerate() {
                    if i > 0 {
                        path.push(b'/');
                    }
                    path.extend_from_slice(NAMES[usize::from(n) % NAMES.len()]);
                }
                if *trailing_slash {
                    path.push(b'/');
                }
                path
            }
            Path::Raw(bytes) => bytes.clone(),
        }
    }
}

#[derive(Arbitrary, Debug)]
enum OFlag {
    /// Access mode `.0 % 4` (3 is invalid) with the bits of `.1` chosen
    /// from `OFLAG_BITS`.
    Built(u8, u16),
    Any(i32),
}

impl OFlag {
    fn get(&self) -> i32 {
        match self {
            OFlag::Built(access, bits) => OFLAG_BITS
                .iter()
                .enumerate()
                .filter(|(i, _)| bits & (1 << i) != 0)
                .fold(i32::from(access % 4), |oflag, (_, bit)| oflag | bit),
            OFlag::Any(oflag) => *oflag,
        }
    }
}

#[derive(Arbitrary, Debug)]
enum Act {
    Open(Fd, Path, OFlag, u32),
    Close(Fd),
    Dup2(Fd, Fd),
    Chdir(Path),
    Fchdir(Fd),
    CloseFrom(Fd),
}

#[derive(Arbitrary, Debug)]
enum Choice {
    Table(u8),
    Any(i32),
}

impl Choice {
    fn get(&self, table: &[i32]) -> i32 {
        match self {
            Choice::Table(n) => table[usize::from(*n) % table.len()],
            Choice::Any(value) => *value,
        }
    }
}

#[derive(Arbitrary, Debug)]
struct Attr {
    flags: u16,
    pgroup: Choice,
    policy: u8,
    priority: Choice,
    sigmask: u64,
    sigdefault: u64,
}

impl Attr {
    /// The attribute object; invalid values (unknown flags, a negative
    /// group) are replaced, since the objects never hold them.
    fn build(&self) -> SpawnAttr {
        let mut attr = SpawnAttr::new();
        let flags = u32::from(self.flags) & 0x2ff & !0x100;
        attr.set_flags_bits(flags).expect("known flags");
        let _ = attr.set_pgroup(self.pgroup.get(&PGROUPS));
        attr.set_sched_policy_raw(i32::from(self.policy % 3))
            .expect("known policy");
        attr.set_sched_priority(self.priority.get(&PRIORITIES));
        attr.set_sigmask(SigSet::from_bits(self.sigmask));
        attr.set_sigdefault(SigSet::from_bits(self.sigdefault));
        attr
    }
}

#[derive(Arbitrary, Debug)]
struct Input {
    privileged: bool,
    attr: Option<Attr>,
    no_actions: bool,
    acts: Vec<Act>,
}

fuzz_target!(|input: Input| {
    let mut fa = FileActions::<32, 1024>::new();
    for act in &input.acts {
        // Adds the object rejects (bad descriptors, full storage) are
        // skipped: the executor only ever sees what was accepted.
        let _ = match act {
            Act::Open(fd, path, oflag, mode) => {
                fa.add_open(fd.get(), &path.bytes(), oflag.get(), *mode)
            }
            Act::Close(fd) => fa.add_close(fd.get()),
            Act::Dup2(fd, new_fd) => fa.add_dup2(fd.get(), new_fd.get()),
            Act::Chdir(path) => fa.add_chdir(&path.bytes()),
            Act::Fchdir(fd) => fa.add_fchdir(fd.get()),
            Act::CloseFrom(fd) => fa.add_closefrom(fd.get()),
        };
    }
    let attr = input.attr.as_ref().map(Attr::build);
    let actions = (!input.no_actions).then(|| fa.as_list());
    if let Err(difference) = compare(input.privileged, attr.as_ref(), actions) {
        panic!(
            "executor and reference differ: {difference}\nattr: {attr:?}\nactions: {:?}",
            fa.iter().collect::<Vec<_>>()
        );
    }
});
