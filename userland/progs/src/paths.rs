//! Paths of the programs and fixtures in the initrd, named once.
//!
//! The fixtures (`not_elf`, `truncated_elf`, `truncated_segment`) are made
//! by `tools/fixtures.py` when x.py builds the initrd.

use core::ffi::CStr;

/// Directory of every program in the initrd.
pub const BIN_DIR: &[u8] = b"/bin/";

/// Prints a greeting and exits with the status given as argv[1].
pub const HELLO: &CStr = c"/bin/hello";
/// Exits silently with the status given as argv[1].
pub const EXIT_WITH: &CStr = c"/bin/exit_with";
/// Performs the fault named by argv[1] (see the program for the modes).
pub const FAULT: &CStr = c"/bin/fault";
/// Sleeps (blocked in nanosleep, using no processor time) until killed.
pub const SLEEPER: &CStr = c"/bin/sleeper";
/// Loops forever without system calls.
pub const SPIN: &CStr = c"/bin/spin";
/// Checks that its parent's pid is argv[1].
pub const PIDCHECK: &CStr = c"/bin/pidcheck";
/// Panics on purpose.
pub const PANIC: &CStr = c"/bin/panic";
/// Checks that its argv and environment are the ones in [`crate::testing`].
pub const ARGCHECK: &CStr = c"/bin/argcheck";
/// Prints its pid, parent, process group, session and working directory.
pub const PROCINFO: &CStr = c"/bin/procinfo";
/// The demo that `init demo` runs.
pub const DEMO: &CStr = c"/bin/demo";

/// A text file, neither an ELF image nor a `#!` script.
pub const NOT_ELF: &CStr = c"/bin/not_elf";
/// A script run by `t_script_spawn_argv` with the optional argument
/// [`SCRIPT_ARGUMENT`].
pub const SCRIPT_ARGV: &CStr = c"/bin/script_argv";
/// The optional argument on [`SCRIPT_ARGV`]'s `#!` line.
pub const SCRIPT_ARGUMENT: &CStr = c"--as interpreter";
/// A script run by [`SCRIPT_ARGV`] (a script run by a script).
pub const SCRIPT_CHAIN: &CStr = c"/bin/script_chain";
/// A script whose interpreter does not exist.
pub const SCRIPT_NO_INTERPRETER: &CStr = c"/bin/script_no_interpreter";
/// The first bytes of a real program: cut inside the program headers.
pub const TRUNCATED_ELF: &CStr = c"/bin/truncated_elf";
/// A real program cut inside its first loadable segment's file data.
pub const TRUNCATED_SEGMENT: &CStr = c"/bin/truncated_segment";
/// A path nothing is installed at.
pub const MISSING: &CStr = c"/bin/no_such_program";
/// Checks record locks from a second process: argv[1] is a file whose
/// whole length its parent holds a write lock on (see
/// `t_record_locks_between_processes`).
pub const LOCKCHECK: &CStr = c"/bin/lockcheck";
