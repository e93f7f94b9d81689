//! Rust-side tests of the C entry points. The full C test is
//! tests/c/capi_test.c; these run under Miri (`x.py test --miri`), which
//! checks the pointer handling itself: bounded path scans, unaligned
//! sigset access, no reads past the objects.

use core::mem::MaybeUninit;
use std::ptr;

use super::*;
use crate::abi::{flags, sched};

fn new_attr() -> Box<posix_spawnattr_t> {
    let mut attr = Box::new(MaybeUninit::<posix_spawnattr_t>::uninit());
    // SAFETY: the box is valid for writes of a posix_spawnattr_t.
    assert_eq!(unsafe { posix_spawnattr_init(attr.as_mut_ptr()) }, 0);
    // SAFETY: init wrote the state word and the object; the reserved bytes
    // are plain `u8`s, which Miri accepts uninitialized only behind
    // MaybeUninit, so they are zeroed here first.
    unsafe {
        ptr::write_bytes(&raw mut (*attr.as_mut_ptr())._reserved, 0, 1);
        attr.assume_init()
    }
}

fn new_actions() -> Box<posix_spawn_file_actions_t> {
    let mut fa = Box::new(MaybeUninit::<posix_spawn_file_actions_t>::uninit());
    // SAFETY: the box is valid for writes of the object.
    assert_eq!(unsafe { posix_spawn_file_actions_init(fa.as_mut_ptr()) }, 0);
    // SAFETY: as in `new_attr`.
    unsafe {
        ptr::write_bytes(&raw mut (*fa.as_mut_ptr())._reserved, 0, 1);
        fa.assume_init()
    }
}

const EINVAL: c_int = Errno::EINVAL.raw();

#[test]
fn init_gives_the_default_attributes() {
    let attr = new_attr();
    assert_eq!(attr.get(), Ok(&SpawnAttr::new()));
    let mut flags: c_short = -1;
    // SAFETY: both pointers come from live references.
    assert_eq!(unsafe { posix_spawnattr_getflags(&*attr, &mut flags) }, 0);
    assert_eq!(flags, 0);
}

#[test]
fn null_objects_are_einval() {
    let mut flags: c_short = 0;
    // SAFETY: NULL is allowed by every contract; the other pointers are
    // live references.
    unsafe {
        assert_eq!(posix_spawnattr_init(ptr::null_mut()), EINVAL);
        assert_eq!(posix_spawnattr_getflags(ptr::null(), &mut flags), EINVAL);
        assert_eq!(posix_spawn_file_actions_init(ptr::null_mut()), EINVAL);
        assert_eq!(
            posix_spawn_file_actions_addclose(ptr::null_mut(), 1),
            EINVAL
        );
    }
}

#[test]
fn destroyed_objects_are_einval() {
    let mut attr = new_attr();
    let mut fa = new_actions();
    // SAFETY: the pointers come from live boxes.
    unsafe {
        assert_eq!(posix_spawnattr_destroy(&mut *attr), 0);
        assert_eq!(posix_spawnattr_destroy(&mut *attr), EINVAL);
        assert_eq!(posix_spawnattr_setpgroup(&mut *attr, 1), EINVAL);
        assert_eq!(posix_spawn_file_actions_destroy(&mut *fa), 0);
        assert_eq!(posix_spawn_file_actions_addclose(&mut *fa, 1), EINVAL);
        assert_eq!(posix_spawn_file_actions_init(&mut *fa), 0);
        assert_eq!(posix_spawn_file_actions_addclose(&mut *fa, 1), 0);
    }
    assert_eq!(attr.get(), Err(Errno::EINVAL));
    assert_eq!(fa.get().map(|actions| actions.len()), Ok(1));
}

#[test]
fn setflags_takes_a_short_and_rejects_negative_values() {
    let mut attr = new_attr();
    let setsid = flags::POSIX_SPAWN_SETSID as c_short;
    // SAFETY: the pointer comes from a live box.
    unsafe {
        assert_eq!(posix_spawnattr_setflags(&mut *attr, setsid), 0);
        assert_eq!(posix_spawnattr_setflags(&mut *attr, -1), EINVAL);
        assert_eq!(posix_spawnattr_setflags(&mut *attr, 0x100), EINVAL);
    }
    assert_eq!(attr.get().unwrap().flags(), crate::SpawnFlags::SETSID);
}

#[test]
fn sigsets_use_the_first_word_even_unaligned() {
    let mut attr = new_attr();
    // A 16-byte "sigset_t" at an odd address, with a second word that
    // must be left alone.
    let mut buffer = [0xeeu8; 17];
    let set = buffer[1..].as_mut_ptr().cast::<u64>();
    // SAFETY: `set` points to 16 writable bytes; unaligned access is what
    // the functions promise to handle.
    unsafe {
        set.write_unaligned(1 << 9);
        assert_eq!(posix_spawnattr_setsigmask(&mut *attr, set), 0);
        set.write_unaligned(0);
        assert_eq!(posix_spawnattr_getsigmask(&*attr, set), 0);
        assert_eq!(set.read_unaligned(), 1 << 9);
    }
    assert_eq!(buffer[9..], [0xee; 8]);
    assert!(attr.get().unwrap().sigmask().contains(10));
}

#[test]
fn sched_param_and_policy_round_trip() {
    let mut attr = new_attr();
    let mut param = sched_param { sched_priority: 9 };
    let mut policy = 0;
    // SAFETY: every pointer comes from a live reference.
    unsafe {
        assert_eq!(posix_spawnattr_setschedparam(&mut *attr, &param), 0);
        assert_eq!(
            posix_spawnattr_setschedpolicy(&mut *attr, sched::SCHED_RR),
            0
        );
        assert_eq!(posix_spawnattr_setschedpolicy(&mut *attr, 12345), EINVAL);
        param.sched_priority = 0;
        assert_eq!(posix_spawnattr_getschedparam(&*attr, &mut param), 0);
        assert_eq!(posix_spawnattr_getschedpolicy(&*attr, &mut policy), 0);
    }
    assert_eq!((param.sched_priority, policy), (9, sched::SCHED_RR));
}

#[test]
fn path_scan_stops_after_path_max_bytes() {
    let mut fa = new_actions();
    // Exactly PATH_MAX bytes and no NUL: reading one byte more would be out
    // of bounds, which Miri would report.
    let unterminated = vec![b'a'; PATH_MAX];
    let mut terminated = vec![b'a'; PATH_MAX];
    // SAFETY: the object pointer comes from a live box; the paths point
    // to PATH_MAX readable bytes.
    unsafe {
        let path = unterminated.as_ptr().cast::<c_char>();
        assert_eq!(
            posix_spawn_file_actions_addchdir(&mut *fa, path),
            Errno::ENAMETOOLONG.raw()
        );
        *terminated.last_mut().unwrap() = 0;
        let path = terminated.as_ptr().cast::<c_char>();
        assert_eq!(posix_spawn_file_actions_addchdir_np(&mut *fa, path), 0);
    }
    assert_eq!(fa.get().unwrap().path_bytes_used(), PATH_MAX - 1);
}

#[test]
fn addopen_copies_the_path_and_checks_the_fd_first() {
    let mut fa = new_actions();
    let mut path = *b"/tmp/a\0";
    // SAFETY: the pointers come from live values; `path` is NUL-terminated.
    unsafe {
        let p = path.as_ptr().cast::<c_char>();
        assert_eq!(
            posix_spawn_file_actions_addopen(&mut *fa, -1, ptr::null(), 0, 0),
            Errno::EBADF.raw()
        );
        assert_eq!(
            posix_spawn_file_actions_addopen(&mut *fa, 3, ptr::null(), 0, 0),
            EINVAL
        );
        assert_eq!(
            posix_spawn_file_actions_addopen(&mut *fa, 3, p, 0, 0o644),
            0
        );
    }
    path[1] = b'X';
    assert_eq!(&path[..3], b"/Xm");
    let first = fa.get().unwrap().iter().next();
    assert_eq!(
        first,
        Some(crate::FileAction::Open {
            fd: 3,
            path: b"/tmp/a",
            oflag: 0,
            mode: 0o644
        })
    );
}

#[test]
fn full_object_is_enomem_and_unchanged() {
    let mut fa = new_actions();
    for _ in 0..DEFAULT_MAX_ACTIONS {
        // SAFETY: the pointer comes from a live box.
        assert_eq!(unsafe { posix_spawn_file_actions_addclose(&mut *fa, 3) }, 0);
    }
    let before = fa.get().unwrap().clone();
    // SAFETY: as above.
    let rc = unsafe { posix_spawn_file_actions_addclosefrom_np(&mut *fa, 3) };
    assert_eq!(rc, Errno::ENOMEM.raw());
    assert_eq!(fa.get(), Ok(&before));
}
