//! Decoding of `run` arguments, which travel on the kernel command line.
//!
//! The kernel splits its command line on spaces, so x.py encodes every byte
//! of an argument outside a small safe set as `%XX` (two hex digits), and a
//! lone `%` as the empty argument. Decoding never makes a word longer.

use shim_rt::Errno;

/// The value of one hex digit.
fn hex_value(digit: u8) -> Option<u8> {
    match digit {
        b'0'..=b'9' => Some(digit - b'0'),
        b'a'..=b'f' => Some(digit - b'a' + 10),
        b'A'..=b'F' => Some(digit - b'A' + 10),
        _ => None,
    }
}

/// Decodes `word` into `out`, returning the decoded length.
///
/// # Errors
/// EINVAL for a malformed escape or an escaped NUL (a C argument cannot
/// hold one); E2BIG when `out` is too small.
pub fn decode_word(word: &[u8], out: &mut [u8]) -> Result<usize, Errno> {
    if word == b"%" {
        return Ok(0);
    }
    let mut len = 0;
    let mut rest = word;
    while let Some((&first, tail)) = rest.split_first() {
        let (byte, after) = if first == b'%' {
            match tail {
                [high, low, after @ ..] => {
                    let high = hex_value(*high).ok_or(Errno::EINVAL)?;
                    let low = hex_value(*low).ok_or(Errno::EINVAL)?;
                    (high << 4 | low, after)
                }
                _ => return Err(Errno::EINVAL),
            }
        } else {
            (first, tail)
        };
        if byte == 0 {
            return Err(Errno::EINVAL);
        }
        *out.get_mut(len).ok_or(Errno::E2BIG)? = byte;
        len += 1;
        rest = after;
    }
    Ok(len)
}
