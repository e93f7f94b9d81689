//! Random sequences of C ABI calls (`libspawn::capi`), called from Rust
//! with raw pointers: NULL, misaligned, never-initialized (garbage),
//! destroyed and wrong-type objects; negative and out-of-range
//! descriptors; unknown flags and policies; NULL, misaligned and
//! unaligned out-parameters and sigsets; paths with and without a NUL
//! within `PATH_MAX`, in buffers of exactly their size (so AddressSanitizer
//! sees any read past them).
//!
//! After every call it checks, against a model of each memory slot:
//! - the return value is the documented one;
//! - a failed call changed no byte of any object or out-parameter, and a
//!   getter changed none of any object;
//! - a successful call changed only the object it was given (and not the
//!   object's reserved bytes), and only the bytes of the out-parameter it
//!   promises to write;
//! - every initialized object reads back as the model says (getters, and
//!   the action list in order), within its capacities.
//!
//! Garbage is never allowed to hold an object's state word: an object
//! whose state word is valid but whose contents are garbage breaks the
//! caller's contract (`capi` documents the state word as a diagnostic).
#![no_main]

use std::ffi::{c_char, c_int, c_short};
use std::mem::size_of;
use std::ptr;

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use libspawn::abi::{
    RawAttr, DEFAULT_MAX_ACTIONS, DEFAULT_PATH_BYTES, FILE_ACTIONS_SIZE, PATH_MAX,
};
use libspawn::capi::*;
use libspawn::{Errno, SpawnAttr};
use libspawn_fuzz::{assert_matches_model, expand, expected_add, Add, Fd, Owned, Repeated};

/// Memory slots the objects live in.
const SLOTS: usize = 3;
/// Each slot holds the larger object plus room for a misaligned pointer.
const SLOT_WORDS: usize = FILE_ACTIONS_SIZE / 8 + 1;
const SLOT_BYTES: usize = SLOT_WORDS * 8;
/// Bytes of a slot an attribute call may change: the state word and the
/// attribute object, not the reserved tail.
const ATTR_LIVE_BYTES: usize = 8 + size_of::<SpawnAttr>();
/// Likewise for a file actions object.
const ACTIONS_LIVE_BYTES: usize = 8 + size_of::<CFileActions>();
/// Size of the out-parameter buffer (room for a `sigset_t`-sized word at
/// any offset below 8).
const OUT_BYTES: usize = 32;
/// Sentinel the out-parameter buffer is filled with.
const SENTINEL: u8 = 0xa5;
/// Longest sequence run per input.
const MAX_CALLS: usize = 512;

/// An object pointer: `kind % 8` is 0 for NULL, 1 for a pointer `1 +
/// slot / 3 % 7` bytes into a slot (misaligned), anything else for the
/// slot itself, so that most calls reach an object.
#[derive(Arbitrary, Clone, Copy, Debug)]
struct Obj {
    kind: u8,
    slot: u8,
}

impl Obj {
    fn is_null(self) -> bool {
        self.kind.is_multiple_of(8)
    }
}

/// An out-parameter (or a pointer-to-input) into a scratch buffer.
#[derive(Arbitrary, Clone, Copy, Debug)]
enum Ptr {
    Null,
    Aligned,
    /// `1 + .0 % 7` bytes into an aligned buffer.
    Offset(u8),
}

impl Ptr {
    /// Byte offset into the buffer, or `None` for NULL.
    fn offset(self) -> Option<usize> {
        match self {
            Ptr::Null => None,
            Ptr::Aligned => Some(0),
            Ptr::Offset(n) => Some(1 + usize::from(n % 7)),
        }
    }
}

/// A C path argument.
#[derive(Arbitrary, Clone, Debug)]
enum CPath {
    Null,
    /// These bytes up to the first NUL, then a NUL.
    Text(Vec<u8>),
    /// `PATH_MAX - 2 + delta % 4` copies of a non-NUL byte, then a NUL.
    Long {
        delta: u8,
        byte: u8,
    },
    /// Exactly `PATH_MAX` non-NUL bytes and no NUL at all.
    Unterminated {
        byte: u8,
    },
}

impl CPath {
    /// The buffer to pass (exactly its size), and the bytes the C layer
    /// must read or the error it must give.
    fn buffer(&self) -> (Option<Vec<u8>>, Result<Vec<u8>, Errno>) {
        let filler = |byte: u8| byte.max(1);
        match self {
            CPath::Null => (None, Err(Errno::EINVAL)),
            CPath::Text(bytes) => {
                let text: Vec<u8> = bytes.iter().copied().take_while(|&b| b != 0).collect();
                let mut buffer = text.clone();
                buffer.push(0);
                (Some(buffer), Ok(text))
            }
            CPath::Long { delta, byte } => {
                let text = vec![filler(*byte); PATH_MAX - 2 + usize::from(delta % 4)];
                let mut buffer = text.clone();
                buffer.push(0);
                let read = if text.len() >= PATH_MAX {
                    Err(Errno::ENAMETOOLONG)
                } else {
                    Ok(text)
                };
                (Some(buffer), read)
            }
            CPath::Unterminated { byte } => (
                Some(vec![filler(*byte); PATH_MAX]),
                Err(Errno::ENAMETOOLONG),
            ),
        }
    }
}

/// A `short` flags argument.
#[derive(Arbitrary, Clone, Copy, Debug)]
enum Flags {
    /// Only known bits.
    Known(u16),
    Any(i16),
}

impl Flags {
    fn get(self) -> c_short {
        match self {
            Flags::Known(bits) => (bits & 0x2ff & !0x100) as c_short,
            Flags::Any(bits) => bits,
        }
    }
}

/// A small or any `int`.
#[derive(Arbitrary, Clone, Copy, Debug)]
enum Int {
    /// `-2..6`.
    Small(u8),
    Any(i32),
}

impl Int {
    fn get(self) -> i32 {
        match self {
            Int::Small(n) => i32::from(n % 8) - 2,
            Int::Any(n) => n,
        }
    }
}

#[derive(Arbitrary, Clone, Debug)]
enum Call {
    AttrInit(Obj),
    AttrDestroy(Obj),
    GetFlags(Obj, Ptr),
    SetFlags(Obj, Flags),
    GetPgroup(Obj, Ptr),
    SetPgroup(Obj, Int),
    GetSigmask(Obj, Ptr),
    SetSigmask(Obj, Ptr, u64),
    GetSigdefault(Obj, Ptr),
    SetSigdefault(Obj, Ptr, u64),
    GetSchedPolicy(Obj, Ptr),
    SetSchedPolicy(Obj, Int),
    GetSchedParam(Obj, Ptr),
    SetSchedParam(Obj, Ptr, i32),
    ActionsInit(Obj),
    ActionsDestroy(Obj),
    AddOpen(Obj, Fd, CPath, i32, u32),
    AddClose(Obj, Fd),
    AddDup2(Obj, Fd, Fd),
    /// The bool picks the `_np` name.
    AddChdir(Obj, CPath, bool),
    AddFchdir(Obj, Fd, bool),
    AddCloseFrom(Obj, Fd),
    SpawnObjects(Obj, Obj),
}

#[derive(Arbitrary, Debug)]
struct Input {
    /// The garbage every slot starts with.
    garbage: [u8; 8],
    /// Per slot, `% 3`: leave the garbage, or start with an `init` of an
    /// attribute or a file actions object (run and checked like any call).
    init: [u8; SLOTS],
    calls: Vec<Repeated<Call>>,
}

/// What the model knows a slot holds.
#[derive(Clone, Debug, PartialEq)]
enum State {
    /// Never initialized, or destroyed: no valid state word.
    Dead,
    Attr(RawAttr),
    Actions(Vec<Owned>),
}

/// The slots, as raw memory.
struct Memory {
    /// Owns the memory `base` points to.
    _words: Vec<u64>,
    base: *mut u8,
}

impl Memory {
    fn new(garbage: [u8; 8]) -> Memory {
        let mut word = u64::from_ne_bytes(garbage);
        // Garbage must not be a valid state word (see the module
        // documentation): flip a bit if it happens to be one.
        let magics = [
            u64::from_le_bytes(*b"spwnATTR"),
            u64::from_le_bytes(*b"spwnFACT"),
        ];
        if magics.contains(&word) {
            word ^= 1;
        }
        let mut words = vec![word; SLOTS * SLOT_WORDS];
        let base = words.as_mut_ptr().cast::<u8>();
        Memory {
            _words: words,
            base,
        }
    }

    /// The address of slot `index` (modulo the slot count), `offset` bytes
    /// in.
    fn slot(&self, index: u8, offset: usize) -> *mut u8 {
        let slot = usize::from(index) % SLOTS;
        // In bounds: offset < 8 and the slot has SLOT_BYTES >= 8 bytes.
        self.base.wrapping_add(slot * SLOT_BYTES + offset)
    }

    fn snapshot(&self) -> Vec<u8> {
        // SAFETY: `base` points to the `words` allocation, which is alive
        // and SLOTS * SLOT_BYTES bytes long; nothing writes during the
        // copy.
        unsafe { std::slice::from_raw_parts(self.base, SLOTS * SLOT_BYTES) }.to_vec()
    }
}

/// The slot index an object pointer names, if it is a valid object
/// pointer.
fn slot_index(obj: Obj) -> Option<usize> {
    (obj.kind % 8 >= 2).then_some(usize::from(obj.slot) % SLOTS)
}

fn obj_ptr(memory: &Memory, obj: Obj) -> *mut u8 {
    match obj.kind % 8 {
        0 => ptr::null_mut(),
        1 => memory.slot(obj.slot, 1 + usize::from(obj.slot / 3 % 7)),
        _ => memory.slot(obj.slot, 0),
    }
}

/// The scratch buffer for out-parameters and sigsets.
#[repr(C, align(8))]
struct Scratch([u8; OUT_BYTES]);

struct Harness {
    memory: Memory,
    states: [State; SLOTS],
}

/// What a call is expected to do.
struct Expect {
    ret: c_int,
    /// The slot a successful call may change, with its live byte count.
    writes_slot: Option<(usize, usize)>,
    /// A successful call's out-parameter: offset and bytes.
    writes_out: Option<(usize, Vec<u8>)>,
    /// The slot's new state after success.
    new_state: Option<(usize, State)>,
}

impl Expect {
    /// Returns 0 and writes nothing.
    fn nothing() -> Expect {
        Expect {
            ret: 0,
            writes_slot: None,
            writes_out: None,
            new_state: None,
        }
    }

    fn err(errno: Errno) -> Expect {
        Expect {
            ret: errno.raw(),
            writes_slot: None,
            writes_out: None,
            new_state: None,
        }
    }
}

impl Harness {
    fn attr(&self, obj: Obj) -> Result<(usize, RawAttr), Errno> {
        let index = slot_index(obj).ok_or(Errno::EINVAL)?;
        match &self.states[index] {
            State::Attr(raw) => Ok((index, *raw)),
            _ => Err(Errno::EINVAL),
        }
    }

    fn actions(&self, obj: Obj) -> Result<(usize, Vec<Owned>), Errno> {
        let index = slot_index(obj).ok_or(Errno::EINVAL)?;
        match &self.states[index] {
            State::Actions(model) => Ok((index, model.clone())),
            _ => Err(Errno::EINVAL),
        }
    }

    /// A getter: the object, then the out-parameter (NULL or, for `align`
    /// above 1, misaligned: EINVAL), then `value` written at the offset.
    fn get(&self, obj: Obj, out: Ptr, align: usize, value: &[u8]) -> Expect {
        match self.attr(obj) {
            Err(errno) => Expect::err(errno),
            Ok(_) => match out.offset() {
                Some(offset) if offset % align == 0 => Expect {
                    ret: 0,
                    writes_slot: None,
                    writes_out: Some((offset, value.to_vec())),
                    new_state: None,
                },
                _ => Expect::err(Errno::EINVAL),
            },
        }
    }

    /// A setter: the object, then `update`.
    fn set(&self, obj: Obj, update: impl FnOnce(&mut RawAttr) -> Result<(), Errno>) -> Expect {
        let (index, mut raw) = match self.attr(obj) {
            Ok(found) => found,
            Err(errno) => return Expect::err(errno),
        };
        match update(&mut raw) {
            Err(errno) => Expect::err(errno),
            Ok(()) => Expect {
                ret: 0,
                writes_slot: Some((index, ATTR_LIVE_BYTES)),
                writes_out: None,
                new_state: Some((index, State::Attr(raw))),
            },
        }
    }

    /// An add: the object, then `pre` (checks the C layer makes first),
    /// then the object's own rules.
    fn add(&self, obj: Obj, pre: impl FnOnce() -> Result<Add, Errno>) -> Expect {
        let (index, mut model) = match self.actions(obj) {
            Ok(found) => found,
            Err(errno) => return Expect::err(errno),
        };
        let added = pre()
            .and_then(|add| expected_add(&add, &model, DEFAULT_MAX_ACTIONS, DEFAULT_PATH_BYTES));
        match added {
            Err(errno) => Expect::err(errno),
            Ok(action) => {
                model.push(action);
                Expect {
                    ret: 0,
                    writes_slot: Some((index, ACTIONS_LIVE_BYTES)),
                    writes_out: None,
                    new_state: Some((index, State::Actions(model))),
                }
            }
        }
    }

    /// Runs one call; returns what it returned and what was expected.
    fn run(&self, call: &Call, scratch: &mut Scratch) -> (c_int, Expect) {
        let out_ptr = |ptr: Ptr, scratch: &mut Scratch| match ptr.offset() {
            None => ptr::null_mut(),
            Some(offset) => scratch.0.as_mut_ptr().wrapping_add(offset),
        };
        let m = &self.memory;
        // SAFETY (for every call below): object pointers are NULL or point
        // into a slot with at least FILE_ACTIONS_SIZE bytes after them,
        // which is valid for either object type; out-parameters and sigsets
        // are NULL or point into `scratch` with at least 8 bytes after
        // them; paths are NULL, NUL-terminated, or PATH_MAX readable bytes.
        // Nothing else accesses this memory during a call.
        unsafe {
            match call {
                Call::AttrInit(obj) => {
                    let ret = posix_spawnattr_init(obj_ptr(m, *obj).cast());
                    let expect = match slot_index(*obj) {
                        None => Expect::err(Errno::EINVAL),
                        Some(index) => Expect {
                            ret: 0,
                            writes_slot: Some((index, ATTR_LIVE_BYTES)),
                            writes_out: None,
                            new_state: Some((index, State::Attr(*SpawnAttr::new().as_raw()))),
                        },
                    };
                    (ret, expect)
                }
                Call::AttrDestroy(obj) => {
                    let ret = posix_spawnattr_destroy(obj_ptr(m, *obj).cast());
                    let expect = match self.attr(*obj) {
                        Err(errno) => Expect::err(errno),
                        Ok((index, _)) => Expect {
                            ret: 0,
                            writes_slot: Some((index, ATTR_LIVE_BYTES)),
                            writes_out: None,
                            new_state: Some((index, State::Dead)),
                        },
                    };
                    (ret, expect)
                }
                Call::GetFlags(obj, out) => {
                    let ret = posix_spawnattr_getflags(
                        obj_ptr(m, *obj).cast(),
                        out_ptr(*out, scratch).cast(),
                    );
                    let value = self.attr(*obj).map_or(0, |(_, raw)| raw.flags as c_short);
                    (ret, self.get(*obj, *out, 2, &value.to_ne_bytes()))
                }
                Call::SetFlags(obj, flags) => {
                    let flags = flags.get();
                    let ret = posix_spawnattr_setflags(obj_ptr(m, *obj).cast(), flags);
                    let expect = self.set(*obj, |raw| {
                        // Known flags: 0x01..=0x80 and 0x200; a negative
                        // short has high bits, which no flag uses.
                        let bits = i32::from(flags) as u32;
                        if bits & !0x2ff != 0 || bits & 0x100 != 0 {
                            return Err(Errno::EINVAL);
                        }
                        raw.flags = bits;
                        Ok(())
                    });
                    (ret, expect)
                }
                Call::GetPgroup(obj, out) => {
                    let ret = posix_spawnattr_getpgroup(
                        obj_ptr(m, *obj).cast(),
                        out_ptr(*out, scratch).cast(),
                    );
                    let value = self.attr(*obj).map_or(0, |(_, raw)| raw.pgroup);
                    (ret, self.get(*obj, *out, 4, &value.to_ne_bytes()))
                }
                Call::SetPgroup(obj, pgroup) => {
                    let pgroup = pgroup.get();
                    let ret = posix_spawnattr_setpgroup(obj_ptr(m, *obj).cast(), pgroup);
                    let expect = self.set(*obj, |raw| {
                        if pgroup < 0 {
                            return Err(Errno::EINVAL);
                        }
                        raw.pgroup = pgroup;
                        Ok(())
                    });
                    (ret, expect)
                }
                Call::GetSigmask(obj, out) | Call::GetSigdefault(obj, out) => {
                    let attr = obj_ptr(m, *obj).cast();
                    let set = out_ptr(*out, scratch).cast();
                    let (ret, value) = if let Call::GetSigmask(..) = call {
                        let value = self.attr(*obj).map_or(0, |(_, raw)| raw.sigmask);
                        (posix_spawnattr_getsigmask(attr, set), value)
                    } else {
                        let value = self.attr(*obj).map_or(0, |(_, raw)| raw.sigdefault);
                        (posix_spawnattr_getsigdefault(attr, set), value)
                    };
                    // No alignment is required of a sigset_t pointer.
                    (ret, self.get(*obj, *out, 1, &value.to_ne_bytes()))
                }
                Call::SetSigmask(obj, input, bits) | Call::SetSigdefault(obj, input, bits) => {
                    let set = out_ptr(*input, scratch);
                    if !set.is_null() {
                        set.cast::<u64>().write_unaligned(*bits);
                    }
                    let attr = obj_ptr(m, *obj).cast();
                    let is_mask = matches!(call, Call::SetSigmask(..));
                    let ret = if is_mask {
                        posix_spawnattr_setsigmask(attr, set.cast())
                    } else {
                        posix_spawnattr_setsigdefault(attr, set.cast())
                    };
                    let expect = self.set(*obj, |raw| {
                        if set.is_null() {
                            return Err(Errno::EINVAL);
                        }
                        if is_mask {
                            raw.sigmask = *bits;
                        } else {
                            raw.sigdefault = *bits;
                        }
                        Ok(())
                    });
                    (ret, expect)
                }
                Call::GetSchedPolicy(obj, out) => {
                    let ret = posix_spawnattr_getschedpolicy(
                        obj_ptr(m, *obj).cast(),
                        out_ptr(*out, scratch).cast(),
                    );
                    let value = self.attr(*obj).map_or(0, |(_, raw)| raw.schedpolicy);
                    (ret, self.get(*obj, *out, 4, &value.to_ne_bytes()))
                }
                Call::SetSchedPolicy(obj, policy) => {
                    let policy = policy.get();
                    let ret = posix_spawnattr_setschedpolicy(obj_ptr(m, *obj).cast(), policy);
                    let expect = self.set(*obj, |raw| {
                        if !(0..=2).contains(&policy) {
                            return Err(Errno::EINVAL);
                        }
                        raw.schedpolicy = policy;
                        Ok(())
                    });
                    (ret, expect)
                }
                Call::GetSchedParam(obj, out) => {
                    let ret = posix_spawnattr_getschedparam(
                        obj_ptr(m, *obj).cast(),
                        out_ptr(*out, scratch).cast(),
                    );
                    let value = self.attr(*obj).map_or(0, |(_, raw)| raw.schedpriority);
                    (ret, self.get(*obj, *out, 4, &value.to_ne_bytes()))
                }
                Call::SetSchedParam(obj, input, priority) => {
                    let param = out_ptr(*input, scratch);
                    if !param.is_null() {
                        param.cast::<i32>().write_unaligned(*priority);
                    }
                    let ret = posix_spawnattr_setschedparam(obj_ptr(m, *obj).cast(), param.cast());
                    let expect = self.set(*obj, |raw| {
                        if input.offset().is_none_or(|offset| offset % 4 != 0) {
                            return Err(Errno::EINVAL);
                        }
                        raw.schedpriority = *priority;
                        Ok(())
                    });
                    (ret, expect)
                }
                Call::ActionsInit(obj) => {
                    let ret = posix_spawn_file_actions_init(obj_ptr(m, *obj).cast());
                    let expect = match slot_index(*obj) {
                        None => Expect::err(Errno::EINVAL),
                        Some(index) => Expect {
                            ret: 0,
                            writes_slot: Some((index, ACTIONS_LIVE_BYTES)),
                            writes_out: None,
                            new_state: Some((index, State::Actions(Vec::new()))),
                        },
                    };
                    (ret, expect)
                }
                Call::ActionsDestroy(obj) => {
                    let ret = posix_spawn_file_actions_destroy(obj_ptr(m, *obj).cast());
                    let expect = match self.actions(*obj) {
                        Err(errno) => Expect::err(errno),
                        Ok((index, _)) => Expect {
                            ret: 0,
                            writes_slot: Some((index, ACTIONS_LIVE_BYTES)),
                            writes_out: None,
                            new_state: Some((index, State::Dead)),
                        },
                    };
                    (ret, expect)
                }
                Call::AddOpen(obj, fd, path, oflag, mode) => {
                    let (buffer, read) = path.buffer();
                    let path_ptr = buffer
                        .as_ref()
                        .map_or(ptr::null(), |b| b.as_ptr().cast::<c_char>());
                    let fd = fd.get();
                    let ret = posix_spawn_file_actions_addopen(
                        obj_ptr(m, *obj).cast(),
                        fd,
                        path_ptr,
                        *oflag,
                        *mode,
                    );
                    // The descriptor is checked before the path is read.
                    let expect = self.add(*obj, || {
                        if !(0..libspawn::abi::OPEN_MAX).contains(&fd) {
                            return Err(Errno::EBADF);
                        }
                        Ok(Add::Open(fd, read?, *oflag, *mode))
                    });
                    (ret, expect)
                }
                Call::AddClose(obj, fd) => {
                    let fd = fd.get();
                    let ret = posix_spawn_file_actions_addclose(obj_ptr(m, *obj).cast(), fd);
                    (ret, self.add(*obj, || Ok(Add::Close(fd))))
                }
                Call::AddDup2(obj, fd, new_fd) => {
                    let (fd, new_fd) = (fd.get(), new_fd.get());
                    let ret = posix_spawn_file_actions_adddup2(obj_ptr(m, *obj).cast(), fd, new_fd);
                    (ret, self.add(*obj, || Ok(Add::Dup2(fd, new_fd))))
                }
                Call::AddChdir(obj, path, np) => {
                    let (buffer, read) = path.buffer();
                    let path_ptr = buffer
                        .as_ref()
                        .map_or(ptr::null(), |b| b.as_ptr().cast::<c_char>());
                    let fa = obj_ptr(m, *obj).cast();
                    let ret = if *np {
                        posix_spawn_file_actions_addchdir_np(fa, path_ptr)
                    } else {
                        posix_spawn_file_actions_addchdir(fa, path_ptr)
                    };
                    (ret, self.add(*obj, || Ok(Add::Chdir(read?))))
                }
                Call::AddFchdir(obj, fd, np) => {
                    let fd = fd.get();
                    let fa = obj_ptr(m, *obj).cast();
                    let ret = if *np {
                        posix_spawn_file_actions_addfchdir_np(fa, fd)
                    } else {
                        posix_spawn_file_actions_addfchdir(fa, fd)
                    };
                    (ret, self.add(*obj, || Ok(Add::Fchdir(fd))))
                }
                Call::AddCloseFrom(obj, fd) => {
                    let fd = fd.get();
                    let ret = posix_spawn_file_actions_addclosefrom_np(obj_ptr(m, *obj).cast(), fd);
                    (ret, self.add(*obj, || Ok(Add::CloseFrom(fd))))
                }
                Call::SpawnObjects(attr, fa) => {
                    let got = spawn_objects(obj_ptr(m, *attr).cast(), obj_ptr(m, *fa).cast());
                    let expected_attr = match attr.is_null() {
                        true => Ok(None),
                        false => self.attr(*attr).map(|(_, raw)| Some(raw)),
                    };
                    let expected_fa = match fa.is_null() {
                        true => Ok(None),
                        false => self.actions(*fa).map(|(_, model)| Some(model)),
                    };
                    let expected = expected_attr.and_then(|a| expected_fa.map(|f| (a, f)));
                    match (got, expected) {
                        (Ok((got_attr, got_fa)), Ok((want_attr, want_fa))) => {
                            assert_eq!(got_attr.map(|a| *a.as_raw()), want_attr);
                            assert_eq!(got_fa.is_some(), want_fa.is_some());
                            if let (Some(list), Some(model)) = (got_fa, want_fa) {
                                assert_matches_model(
                                    list,
                                    &model,
                                    DEFAULT_MAX_ACTIONS,
                                    DEFAULT_PATH_BYTES,
                                );
                            }
                        }
                        (Err(got), Err(want)) => assert_eq!(got, want),
                        (got, want) => panic!(
                            "spawn_objects: got {:?}, expected {want:?}",
                            got.map(|(a, f)| (a.copied(), f.map(|f| f.len())))
                        ),
                    }
                    (0, Expect::nothing())
                }
            }
        }
    }

    /// Every initialized object reads back as its model says.
    fn check_objects(&self) {
        for (index, state) in self.states.iter().enumerate() {
            let object = self.memory.slot(index as u8, 0);
            match state {
                State::Dead => {}
                State::Attr(raw) => {
                    let attr = object.cast::<posix_spawnattr_t>();
                    let mut flags: c_short = 0;
                    let mut pgroup = 0;
                    let mut sigmask = [0u64; 2];
                    let mut sigdefault = [0u64; 2];
                    let mut policy = 0;
                    let mut param = sched_param::default();
                    // SAFETY: `attr` points to an initialized attribute
                    // object; the out-parameters are live locals.
                    let rets = unsafe {
                        [
                            posix_spawnattr_getflags(attr, &mut flags),
                            posix_spawnattr_getpgroup(attr, &mut pgroup),
                            posix_spawnattr_getsigmask(attr, sigmask.as_mut_ptr()),
                            posix_spawnattr_getsigdefault(attr, sigdefault.as_mut_ptr()),
                            posix_spawnattr_getschedpolicy(attr, &mut policy),
                            posix_spawnattr_getschedparam(attr, &mut param),
                        ]
                    };
                    assert_eq!(rets, [0; 6], "getters of slot {index}");
                    let got = RawAttr {
                        flags: i32::from(flags) as u32,
                        pgroup,
                        sigmask: sigmask[0],
                        sigdefault: sigdefault[0],
                        schedpolicy: policy,
                        schedpriority: param.sched_priority,
                    };
                    assert_eq!(&got, raw, "slot {index} read back through the getters");
                    assert_eq!(
                        [sigmask[1], sigdefault[1]],
                        [0, 0],
                        "second sigset word written"
                    );
                    // SAFETY: as above.
                    let objects = unsafe { spawn_objects(attr, ptr::null()) };
                    let read = objects.map(|(attr, _)| attr.map(|a| *a.as_raw()));
                    assert_eq!(read, Ok(Some(*raw)));
                    assert_eq!(SpawnAttr::from_raw(*raw).map(|a| *a.as_raw()), Ok(*raw));
                }
                State::Actions(model) => {
                    // SAFETY: the slot holds an initialized file actions
                    // object, not written while the list is borrowed.
                    let objects = unsafe { spawn_objects(ptr::null(), object.cast()) };
                    let list = objects.ok().and_then(|(_, list)| list);
                    let list = list.unwrap_or_else(|| panic!("slot {index} is not initialized"));
                    assert_matches_model(list, model, DEFAULT_MAX_ACTIONS, DEFAULT_PATH_BYTES);
                }
            }
        }
    }
}

fuzz_target!(|input: Input| {
    let mut harness = Harness {
        memory: Memory::new(input.garbage),
        states: [State::Dead, State::Dead, State::Dead],
    };
    let mut scratch = Scratch([SENTINEL; OUT_BYTES]);
    let inits = input.init.iter().enumerate().filter_map(|(slot, kind)| {
        let obj = Obj {
            kind: 2,
            slot: slot as u8,
        };
        match kind % 3 {
            1 => Some(Call::AttrInit(obj)),
            2 => Some(Call::ActionsInit(obj)),
            _ => None,
        }
    });
    let calls: Vec<Call> = inits
        .chain(expand(&input.calls, MAX_CALLS).cloned())
        .collect();
    // Memory changes only during calls, so each call's "after" is the next
    // one's "before".
    let mut before = harness.memory.snapshot();
    for call in &calls {
        scratch.0 = [SENTINEL; OUT_BYTES];
        let (ret, expect) = harness.run(call, &mut scratch);
        assert_eq!(ret, expect.ret, "{call:?}");
        let after = harness.memory.snapshot();
        // Bytes that may change: the live part of the slot a successful
        // call writes.
        let allowed = match expect.writes_slot {
            Some((slot, live)) if ret == 0 => slot * SLOT_BYTES..slot * SLOT_BYTES + live,
            _ => 0..0,
        };
        let same_outside = before[..allowed.start] == after[..allowed.start]
            && before[allowed.end..] == after[allowed.end..];
        if !same_outside {
            let at = (0..before.len())
                .find(|&i| before[i] != after[i] && !allowed.contains(&i))
                .unwrap_or_default();
            panic!(
                "{call:?} (returned {ret}) changed byte {} of slot {}",
                at % SLOT_BYTES,
                at / SLOT_BYTES
            );
        }
        before = after;
        // The out-parameter: only the promised bytes, only on success.
        let mut out = [SENTINEL; OUT_BYTES];
        if let (0, Some((offset, bytes))) = (ret, &expect.writes_out) {
            out[*offset..offset + bytes.len()].copy_from_slice(bytes);
        }
        let is_input = matches!(
            call,
            Call::SetSigmask(..) | Call::SetSigdefault(..) | Call::SetSchedParam(..)
        );
        if !is_input {
            assert_eq!(scratch.0, out, "{call:?}: out-parameter bytes");
        }
        if let (0, Some((slot, state))) = (ret, expect.new_state) {
            harness.states[slot] = state;
        }
        harness.check_objects();
    }
});
