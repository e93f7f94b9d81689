//! A fixed-capacity, NUL-terminated string builder for system call arguments.
//!
//! Guest programs have no allocator; paths such as `/bin/NAME` and numeric
//! arguments are assembled in a `CStrBuf` on the stack and borrowed as
//! `&CStr`.

use core::ffi::CStr;
use core::fmt;

use libspawn::{Errno, Result};

/// Up to `N - 1` bytes plus the terminating NUL, built in place.
#[derive(Clone)]
pub struct CStrBuf<const N: usize> {
    // Invariant: `bytes[len] == 0` and `bytes[..len]` holds no NUL.
    bytes: [u8; N],
    len: usize,
}

impl<const N: usize> CStrBuf<N> {
    /// Evaluated at compile time: a buffer needs room for its NUL.
    const HAS_ROOM_FOR_NUL: () = assert!(N > 0, "CStrBuf needs N >= 1");

    /// The empty string.
    pub const fn new() -> CStrBuf<N> {
        let () = Self::HAS_ROOM_FOR_NUL;
        CStrBuf {
            bytes: [0; N],
            len: 0,
        }
    }

    /// Appends `more`.
    ///
    /// # Errors
    ///
    /// EINVAL if `more` contains a NUL byte, ENAMETOOLONG if it does not
    /// fit; the buffer is unchanged in both cases.
    pub fn push(&mut self, more: &[u8]) -> Result<()> {
        if more.contains(&0) {
            return Err(Errno::EINVAL);
        }
        let end = self.len + more.len();
        if end >= N {
            return Err(Errno::ENAMETOOLONG);
        }
        self.bytes[self.len..end].copy_from_slice(more);
        self.bytes[end] = 0;
        self.len = end;
        Ok(())
    }

    /// The string without its NUL.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len]
    }

    /// The string as a C string.
    pub fn as_cstr(&self) -> &CStr {
        match CStr::from_bytes_with_nul(&self.bytes[..=self.len]) {
            Ok(string) => string,
            Err(_) => unreachable!("CStrBuf holds one NUL, at its end"),
        }
    }
}

impl<const N: usize> Default for CStrBuf<N> {
    fn default() -> Self {
        Self::new()
    }
}

impl<const N: usize> fmt::Write for CStrBuf<N> {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        self.push(text.as_bytes()).map_err(|_| fmt::Error)
    }
}

impl<const N: usize> fmt::Debug for CStrBuf<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_cstr(), f)
    }
}
