//! Interpreter scripts: a file that starts with `#!` names on its first
//! line the program that runs it (Linux execve(2), "Interpreter scripts").
//!
//! The rules are Linux's (`fs/binfmt_script.c` since Linux 5.1, read for
//! its behaviour and checked against a Linux 6.18 host; this is our own
//! code):
//!
//! - Only the first [`BINPRM_BUF_SIZE`] bytes of the file are looked at;
//!   the line ends at the first newline among them.
//! - Without a newline in those bytes, the line is the first
//!   `BINPRM_BUF_SIZE - 1` bytes (a shorter file ends the line where it
//!   ends), and only if the interpreter's name is seen to end (a blank or
//!   a NUL follows it) before that limit: a name that may have been cut is
//!   ENOEXEC, an argument that was cut is kept as cut (execve(2): "the
//!   kernel imposes a maximum length on the text that follows the "#!"
//!   characters ... Since Linux 5.1, the limit is 255 characters").
//! - Trailing blanks (space, tab) of the line are dropped; leading blanks
//!   are skipped; the interpreter is the word up to the next blank or NUL
//!   (an empty one is ENOEXEC); the optional argument is everything after
//!   the blanks that follow it, inner blanks included, up to a NUL
//!   (execve(2): the optional argument is one word, with any spaces in
//!   it).
//! - The new argument list is the interpreter, the optional argument, the
//!   script's path as the caller gave it, then the caller's `argv[1..]`
//!   (the script's `argv[0]` is dropped).
//! - A script's interpreter may itself be a script, at most
//!   [`MAX_SCRIPT_DEPTH`] scripts in a chain (ELOOP beyond).
//!
//! The lookup, the permission checks and the chain itself are
//! [`crate::System`]'s (`system/exec.rs`); this module is the pure part.

use libspawn::{Errno, Result};

use crate::strings::Strings;

/// Bytes of a file Linux reads to find its format, the `#!` line included
/// (`BINPRM_BUF_SIZE` in Linux's `include/uapi/linux/binfmts.h`).
pub const BINPRM_BUF_SIZE: usize = 256;

/// Most scripts in one chain of interpreters (a script run by a script
/// run by ...): Linux runs five and fails the sixth with ELOOP
/// (`exec_binprm`'s depth limit), as a host check shows.
pub const MAX_SCRIPT_DEPTH: usize = 5;

/// The two bytes that mark a script.
const SCRIPT_MAGIC: &[u8] = b"#!";

/// What a script's first line names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Interpreter<'a> {
    /// The interpreter's path, as written (looked up like any path).
    pub path: &'a [u8],
    /// The optional argument: the rest of the line, inner blanks kept.
    pub argument: Option<&'a [u8]>,
}

/// Whether a file of these bytes is a script (starts with `#!`).
pub fn is_script(bytes: &[u8]) -> bool {
    bytes.starts_with(SCRIPT_MAGIC)
}

fn is_blank(byte: u8) -> bool {
    byte == b' ' || byte == b'\t'
}

/// Reads the `#!` line at the start of `bytes`.
///
/// # Errors
///
/// ENOEXEC if `bytes` is not a script, names no interpreter, or has no
/// newline in its first [`BINPRM_BUF_SIZE`] bytes and an interpreter name
/// that does not end before the limit.
pub fn parse(bytes: &[u8]) -> Result<Interpreter<'_>> {
    if !is_script(bytes) {
        return Err(Errno::ENOEXEC);
    }
    let head = &bytes[..bytes.len().min(BINPRM_BUF_SIZE)];
    let line = match head.iter().position(|&byte| byte == b'\n') {
        Some(newline) => &head[SCRIPT_MAGIC.len()..newline],
        None => {
            // Linux keeps the last byte of its buffer for a NUL.
            let usable = bytes.len().min(BINPRM_BUF_SIZE - 1);
            let line = &head[SCRIPT_MAGIC.len()..usable];
            // A shorter file is followed by NULs in Linux's buffer, and a
            // NUL ends the name.
            let padded = bytes.len() < BINPRM_BUF_SIZE - 1;
            let name_ends = line
                .iter()
                .position(|&byte| !is_blank(byte))
                .is_some_and(|start| {
                    line[start..]
                        .iter()
                        .any(|&byte| is_blank(byte) || byte == 0)
                });
            if !(padded || name_ends) {
                return Err(Errno::ENOEXEC);
            }
            line
        }
    };
    let trimmed_len = line.len() - line.iter().rev().take_while(|&&b| is_blank(b)).count();
    let line = &line[..trimmed_len];
    let start = line
        .iter()
        .position(|&byte| !is_blank(byte))
        .unwrap_or(line.len());
    let rest = &line[start..];
    let name_len = rest
        .iter()
        .position(|&byte| is_blank(byte) || byte == 0)
        .unwrap_or(rest.len());
    if name_len == 0 {
        return Err(Errno::ENOEXEC);
    }
    let (path, after) = rest.split_at(name_len);
    let blanks = after.iter().take_while(|&&byte| is_blank(byte)).count();
    let argument = &after[blanks..];
    let argument = &argument[..argument
        .iter()
        .position(|&byte| byte == 0)
        .unwrap_or(argument.len())];
    Ok(Interpreter {
        path,
        argument: (!argument.is_empty()).then_some(argument),
    })
}

/// The argument list the interpreter runs with: its path, the optional
/// argument, `script` (the script's path as the caller gave it), then
/// `argv` without its first element.
///
/// # Errors
///
/// ENOMEM.
pub fn interpreter_argv(
    interpreter: &Interpreter<'_>,
    script: &[u8],
    argv: &Strings,
) -> Result<Strings> {
    let mut out = Strings::new();
    out.push(interpreter.path)?;
    if let Some(argument) = interpreter.argument {
        out.push(argument)?;
    }
    out.push(script)?;
    for arg in argv.iter().skip(1) {
        out.push(arg)?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
