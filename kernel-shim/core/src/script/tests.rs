//! The `#!` line as Linux reads it; the expectations were checked against
//! a Linux 6.18 host (`/bin/echo` as the interpreter).

use super::*;
use crate::strings::Strings;

fn parsed(bytes: &[u8]) -> Result<(Vec<u8>, Option<Vec<u8>>)> {
    parse(bytes).map(|found| (found.path.to_vec(), found.argument.map(<[u8]>::to_vec)))
}

fn interpreter(path: &str, argument: Option<&str>) -> Result<(Vec<u8>, Option<Vec<u8>>)> {
    Ok((
        path.as_bytes().to_vec(),
        argument.map(|argument| argument.as_bytes().to_vec()),
    ))
}

#[test]
fn a_file_without_the_magic_is_not_a_script() {
    assert!(!is_script(b"\x7fELF"));
    assert!(!is_script(b"#"));
    assert!(!is_script(b" #!/bin/sh\n"));
    assert!(is_script(b"#!"));
    assert_eq!(parsed(b"\x7fELF"), Err(Errno::ENOEXEC));
}

#[test]
fn the_interpreter_alone() {
    assert_eq!(
        parsed(b"#!/bin/echo\nrest\n"),
        interpreter("/bin/echo", None)
    );
}

#[test]
fn a_line_without_a_newline_ends_with_the_file() {
    assert_eq!(parsed(b"#!/bin/echo"), interpreter("/bin/echo", None));
    assert_eq!(
        parsed(b"#!/bin/echo  x"),
        interpreter("/bin/echo", Some("x"))
    );
}

#[test]
fn blanks_and_tabs_around_the_interpreter_are_skipped() {
    assert_eq!(
        parsed(b"#! \t/bin/echo \t\n"),
        interpreter("/bin/echo", None)
    );
    assert_eq!(
        parsed(b"#!/bin/echo\tx\n"),
        interpreter("/bin/echo", Some("x"))
    );
}

#[test]
fn the_argument_keeps_inner_blanks_and_loses_trailing_ones() {
    assert_eq!(
        parsed(b"#!/bin/echo a  b \t \n"),
        interpreter("/bin/echo", Some("a  b"))
    );
}

#[test]
fn an_empty_interpreter_is_enoexec() {
    assert_eq!(parsed(b"#!\n"), Err(Errno::ENOEXEC));
    assert_eq!(parsed(b"#!  \t\n"), Err(Errno::ENOEXEC));
    assert_eq!(parsed(b"#!"), Err(Errno::ENOEXEC));
    assert_eq!(parsed(b"#!\0/bin/echo\n"), Err(Errno::ENOEXEC));
}

#[test]
fn a_nul_ends_the_interpreter_and_the_argument() {
    assert_eq!(
        parsed(b"#!/bin/echo\0x y\n"),
        interpreter("/bin/echo", None)
    );
    // Trailing blanks are trimmed from the whole line first, so the blank
    // before the NUL stays (Linux prints "x  ./script").
    assert_eq!(
        parsed(b"#!/bin/echo x \0y\n"),
        interpreter("/bin/echo", Some("x "))
    );
}

#[test]
fn a_carriage_return_is_part_of_the_name() {
    assert_eq!(parsed(b"#!/bin/sh\r\n"), interpreter("/bin/sh\r", None));
}

#[test]
fn a_long_argument_is_cut_at_the_buffer() {
    let mut script = b"#!/bin/echo ".to_vec();
    script.extend_from_slice(&[b'x'; 300]);
    script.push(b'\n');
    let found = parse(&script).unwrap();
    assert_eq!(found.path, b"/bin/echo");
    let argument = found.argument.unwrap();
    assert_eq!(argument.len(), BINPRM_BUF_SIZE - 1 - b"#!/bin/echo ".len());
    assert!(argument.iter().all(|&byte| byte == b'x'));
}

#[test]
fn a_newline_in_the_last_byte_of_the_buffer_still_ends_the_line() {
    let mut script = b"#!/bin/echo ".to_vec();
    script.resize(BINPRM_BUF_SIZE - 1, b'y');
    script.push(b'\n');
    script.extend_from_slice(b"more");
    let found = parse(&script).unwrap();
    assert_eq!(
        found.argument.unwrap().len(),
        BINPRM_BUF_SIZE - 1 - b"#!/bin/echo ".len()
    );
}

#[test]
fn an_interpreter_name_that_may_be_cut_is_enoexec() {
    let mut script = b"#!".to_vec();
    script.extend_from_slice(&[b'/'; 300]);
    script.extend_from_slice(b"bin/echo\n");
    assert_eq!(parsed(&script), Err(Errno::ENOEXEC));
    // 262 bytes without a newline or a blank: cut.
    let mut script = b"#!".to_vec();
    script.extend_from_slice(&[b'/'; 252]);
    script.extend_from_slice(b"bin/echo");
    assert_eq!(parsed(&script), Err(Errno::ENOEXEC));
}

#[test]
fn a_name_reaching_the_buffer_limit_is_cut_but_one_byte_shorter_is_not() {
    // 255 bytes, no blank: Linux cannot see the name end.
    let mut script = b"#!".to_vec();
    script.resize(BINPRM_BUF_SIZE - 1, b'a');
    assert_eq!(parsed(&script), Err(Errno::ENOEXEC));
    // 254 bytes: the buffer's NUL padding ends it.
    script.pop();
    let found = parse(&script).unwrap();
    assert_eq!(found.path.len(), BINPRM_BUF_SIZE - 2 - 2);
}

#[test]
fn the_interpreter_argv_replaces_argv0_with_the_script_path() {
    let list = |items: &[&[u8]]| Strings::from_slices(items).unwrap();
    let argv = list(&[b"name", b"a", b"b"]);
    let found = parse(b"#!/bin/echo -n x\n").unwrap();
    assert_eq!(
        interpreter_argv(&found, b"./script", &argv),
        Ok(list(&[b"/bin/echo", b"-n x", b"./script", b"a", b"b"]))
    );
    let found = parse(b"#!/bin/echo\n").unwrap();
    assert_eq!(
        interpreter_argv(&found, b"s", &Strings::new()),
        Ok(list(&[b"/bin/echo", b"s"]))
    );
}
