//! An ordinary hosted Linux program that depends on libspawn with its
//! default features, as a user's crate would, and also spawns through
//! Rust's standard library.
//!
//! `std::process::Command` is built on the platform C library's
//! `posix_spawn_file_actions_*` functions. If libspawn exported C symbols
//! of the same names, they would take the place of glibc's in this binary,
//! and std would hand glibc's 80-byte object to libspawn's, which writes
//! 18,432 bytes into it: the program would crash. `x.py test` runs this
//! crate's tests and the program itself, which prints what `/bin/echo hi`
//! printed and exits 0.

use std::io;
use std::process::{Command as StdCommand, ExitCode};

use libspawn::command::Command;

/// Runs `/bin/echo hi` through `std::process::Command` and returns what it
/// printed on standard output.
fn echo_through_std() -> io::Result<Vec<u8>> {
    let output = StdCommand::new("/bin/echo").arg("hi").output()?;
    if !output.status.success() {
        return Err(io::Error::other(format!("/bin/echo: {}", output.status)));
    }
    Ok(output.stdout)
}

/// Builds a libspawn `Command` with a file action and an attribute, as a
/// program that spawns through libspawn would.
fn libspawn_command() -> Command<'static> {
    let mut command = Command::new(c"/bin/echo");
    command.args(&[c"echo", c"hi"]).dup2(1, 2).setsid(true);
    command
}

fn main() -> ExitCode {
    let command = libspawn_command();
    if let Some(error) = command.error() {
        eprintln!("hosted-user: libspawn rejected the command: {error}");
        return ExitCode::FAILURE;
    }
    match echo_through_std() {
        Ok(stdout) => {
            print!("{}", String::from_utf8_lossy(&stdout));
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("hosted-user: {error}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use libspawn::{FileAction, SpawnFlags};

    #[test]
    fn std_command_runs_echo_beside_libspawn() {
        assert_eq!(echo_through_std().unwrap(), b"hi\n");
    }

    #[test]
    fn std_command_pipes_and_status_work_beside_libspawn() {
        let status = StdCommand::new("/bin/sh")
            .args(["-c", "exit 3"])
            .status()
            .unwrap();
        assert_eq!(status.code(), Some(3));
    }

    #[test]
    fn libspawn_command_keeps_its_actions_and_flags() {
        let command = libspawn_command();
        assert_eq!(command.error(), None);
        let actions: Vec<_> = command.actions().iter().collect();
        assert_eq!(actions, [FileAction::Dup2 { fd: 1, new_fd: 2 }]);
        assert!(command.attr().flags().contains(SpawnFlags::SETSID));
    }
}
