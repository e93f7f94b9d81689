//! Guest test: `posix_spawn` of a `#!` script runs its interpreter with
//! the interpreter's path, the line's optional argument (one argument,
//! inner blank kept, outer blanks and tabs trimmed), the script's path and
//! the caller's `argv[1..]` (the script's `argv[0]` dropped); a script run
//! by a script chains; a missing interpreter is ENOENT.
//!
//! This program is the interpreter too (`/bin/script_argv` names it, see
//! `tools/fixtures.py`): run with [`SCRIPT_ARGUMENT`] as its first
//! argument, it checks its argv and exits with argc.
#![no_std]
#![no_main]
#![forbid(unsafe_code)]

use core::ffi::CStr;

use shim_progs::paths::{SCRIPT_ARGUMENT, SCRIPT_ARGV, SCRIPT_CHAIN, SCRIPT_NO_INTERPRETER};
use shim_progs::testing::{expect_spawn_error, expect_status};
use shim_progs::{check_eq, fail};
use shim_rt::{Args, Errno, WaitStatus};

shim_rt::entry!(main);

/// This program's path, as the scripts name it.
const SELF: &CStr = c"/bin/t_script_spawn_argv";
/// What the caller passes after argv[0].
const CALLER_ARGS: [&CStr; 2] = [c"a", c"b c"];

/// The interpreter's side: `argv` must be one of the two lists the
/// scripts produce; exits with its length.
fn as_interpreter(args: &Args) -> i32 {
    let direct: [&CStr; 5] = [SELF, SCRIPT_ARGUMENT, SCRIPT_ARGV, c"a", c"b c"];
    let chained: [&CStr; 6] = [
        SELF,
        SCRIPT_ARGUMENT,
        SCRIPT_ARGV,
        SCRIPT_CHAIN,
        c"a",
        c"b c",
    ];
    let expected: &[&CStr] = if args.len() == direct.len() {
        &direct
    } else {
        &chained
    };
    check_eq!("argc", args.len(), expected.len());
    for (index, want) in expected.iter().enumerate() {
        check_eq!("argument", (index, args.get(index)), (index, Some(*want)));
    }
    args.len() as i32
}

fn main(args: Args) -> i32 {
    if args.get(1) == Some(SCRIPT_ARGUMENT) {
        return as_interpreter(&args);
    }
    if args.len() != 1 {
        fail!("unexpected arguments: {} of them", args.len());
    }
    expect_status(SCRIPT_ARGV, &CALLER_ARGS, WaitStatus::Exited(5));
    expect_status(SCRIPT_CHAIN, &CALLER_ARGS, WaitStatus::Exited(6));
    expect_spawn_error(SCRIPT_NO_INTERPRETER, Errno::ENOENT);
    0
}
