//! Fixtures shared by the host tests.

use shim_abi::fcntl::O_RDWR;

use crate::creds::Creds;
use crate::process::{Pid, INIT_PID};
use crate::System;

/// Init: root.
pub const INIT: Pid = INIT_PID;
/// A user process, child of init, with ids [`UID`]/[`GID`].
pub const USER_PID: Pid = 2;
/// The user's uid.
pub const UID: u32 = 1000;
/// The user's gid.
pub const GID: u32 = 1000;
/// Another user's uid.
pub const OTHER_UID: u32 = 2000;

/// A system with init (pid 1, root, descriptors 0-2 on `/dev/console`)
/// and a user process (pid 2, child of init, same descriptors).
pub fn system() -> System {
    let mut system = System::new();
    system.create_init(INIT).unwrap();
    for expected in 0..3 {
        assert_eq!(system.open(INIT, b"/dev/console", O_RDWR, 0), Ok(expected));
    }
    system.create_child(INIT, USER_PID).unwrap();
    system.process_mut(USER_PID).unwrap().creds = Creds::new(UID, GID);
    system
}
