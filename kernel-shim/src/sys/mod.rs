//! The system calls and the process table's machine side: one file per
//! concept. Each handler takes the calling process as one
//! [`process::Caller`] (pid, address space or EFAULT, OS state), decodes
//! its arguments, calls one shim-core operation, and copies the result out
//! through [`crate::mm::usercopy`].
#![forbid(unsafe_code)]

pub mod entry;
pub mod exec;
pub mod files;
pub mod ids;
pub mod limits;
pub mod memory;
pub mod paths;
pub mod process;
pub mod readiness;
pub mod scheduling;
pub mod sessions;
pub mod signals;
pub mod spawn;
pub mod spawn_child;
pub mod system_info;
pub mod time;
pub mod wait;
