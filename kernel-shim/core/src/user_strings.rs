//! Reading C strings and NULL-terminated string arrays (`argv`, `envp`)
//! out of a process's memory, a page at a time.
//!
//! The kernel reads user memory page by page through its page tables; it
//! hands these readers a [`PageReader`], and the host tests a fake one.
//! Each string is found and copied in one visit per page: the NUL search
//! ([`NulScanner`]) runs over the page as it is, then the bytes before
//! the NUL go into the list's buffer in one copy; strings of an array
//! that lie side by side are found in one pass and copied together
//! ([`Strings::push_packed`]), and its pointers are read a batch at a
//! time. The reads stop at the first NUL, so a string longer than its
//! limit is `E2BIG` (or `ENAMETOOLONG`) without the kernel reading
//! further, and a page that is not readable is `EFAULT`; the limits bound
//! every loop.
#![forbid(unsafe_code)]

use libspawn::{Errno, Result};

use crate::frames::FRAME_SIZE;
use crate::nul_mask;
use crate::strings::{NulScanner, StringWriter, Strings};

/// Bytes in a page.
pub const PAGE_BYTES: usize = FRAME_SIZE as usize;
// An offset within a page fits a `u16` ([`read_run`]).
const _: () = assert!(PAGE_BYTES <= 1 << u16::BITS);

/// A process's memory, readable a page at a time.
pub trait PageReader {
    /// The bytes of the page at `page` (a multiple of [`FRAME_SIZE`]), or
    /// `None` if the process may not read it.
    fn page(&mut self, page: u64) -> Option<&[u8; PAGE_BYTES]>;
}

/// Why a user string could not be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StringError {
    /// A byte is not readable user memory.
    Fault,
    /// No NUL within the length limit.
    TooLong,
    /// The kernel cannot hold the copy (ENOMEM).
    NoMemory,
}

/// Calls `each` on the pieces (one per page, in order, no NUL) of the
/// NUL-terminated string at `address`, which may hold at most `max_len`
/// bytes before its NUL.
///
/// # Errors
///
/// `Fault` when a page the string reaches is not readable, `TooLong` as
/// soon as more than `max_len` bytes without a NUL have been seen (so a
/// fault further on does not count), or `each`'s error. `each` may have
/// seen pieces before the error.
pub fn read_string(
    memory: &mut impl PageReader,
    address: u64,
    max_len: usize,
    mut each: impl FnMut(&[u8]) -> core::result::Result<(), StringError>,
) -> core::result::Result<(), StringError> {
    let mut at = address;
    let mut seen = 0usize;
    loop {
        let page_start = at - at % FRAME_SIZE;
        let offset = (at % FRAME_SIZE) as usize;
        let page = memory.page(page_start).ok_or(StringError::Fault)?;
        let (blocks, _) = page.as_chunks::<{ nul_mask::BLOCK_BYTES }>();
        let (body, found) = match NulScanner::new(blocks, offset).next_nul() {
            Some(nul) => (&page[offset..nul], true),
            None => (&page[offset..], false),
        };
        seen += body.len();
        if seen > max_len {
            return Err(StringError::TooLong);
        }
        each(body)?;
        if found {
            return Ok(());
        }
        at = page_start
            .checked_add(FRAME_SIZE)
            .ok_or(StringError::Fault)?;
    }
}

/// Appends the string at `address` to the one `writer` is building (the
/// caller finishes it), at most `max_len` bytes before the NUL.
///
/// # Errors
///
/// As [`read_string`], `NoMemory` when the list cannot grow; the writer
/// may hold part of the string.
pub fn append_string(
    memory: &mut impl PageReader,
    address: u64,
    max_len: usize,
    writer: &mut StringWriter<'_>,
) -> core::result::Result<(), StringError> {
    read_string(memory, address, max_len, |piece| {
        writer.append(piece).map_err(|_| StringError::NoMemory)
    })
}

/// Bytes one pointer of a string array takes in the caller's memory, and
/// is charged against the argument budget.
pub const POINTER_SIZE: usize = 8;
/// Pointers of a string array read in one go (at most one page's worth).
const POINTER_BATCH: usize = 64;

/// The pointers of a string array, read from the caller's memory a batch
/// at a time (never past the page of the batch's first one, so the
/// pointers read are those a pointer-at-a-time reading would read), each
/// charged against the budget before it is used.
struct Pointers {
    /// The batch.
    batch: [u64; POINTER_BATCH],
    /// How many of `batch` were read.
    filled: usize,
    /// How many of those were used.
    used: usize,
    /// The user address of the pointer after the batch.
    slot: u64,
}

impl Pointers {
    /// The pointers of the array at `array`.
    fn new(array: u64) -> Pointers {
        Pointers {
            batch: [0; POINTER_BATCH],
            filled: 0,
            used: 0,
            slot: array,
        }
    }

    /// The next pointer, charged; reads the next batch when this one is
    /// used up.
    fn next(&mut self, memory: &mut impl PageReader, budget: &mut usize) -> Result<u64> {
        *budget = budget.checked_sub(POINTER_SIZE).ok_or(Errno::E2BIG)?;
        if self.used == self.filled {
            self.filled = read_pointers(memory, self.slot, &mut self.batch)?;
            self.used = 0;
            let read = (self.filled * POINTER_SIZE) as u64;
            self.slot = self.slot.checked_add(read).ok_or(Errno::EFAULT)?;
        }
        self.used += 1;
        Ok(self.batch[self.used - 1])
    }

    /// The next pointer, charged, if the batch holds it; `None` (nothing
    /// charged) when the next one must be read first ([`Pointers::next`]).
    fn next_in_batch(&mut self, budget: &mut usize) -> Result<Option<u64>> {
        if self.used == self.filled {
            return Ok(None);
        }
        *budget = budget.checked_sub(POINTER_SIZE).ok_or(Errno::E2BIG)?;
        self.used += 1;
        Ok(Some(self.batch[self.used - 1]))
    }
}

/// Reads into `batch` the pointers of the array that continue at user
/// address `slot`, up to the end of `slot`'s page and at most
/// [`POINTER_BATCH`]; a pointer that straddles two pages is read alone.
/// Returns how many were read (at least one).
fn read_pointers(
    memory: &mut impl PageReader,
    slot: u64,
    batch: &mut [u64; POINTER_BATCH],
) -> Result<usize> {
    let offset = (slot % FRAME_SIZE) as usize;
    let page_start = slot - offset as u64;
    let page = memory.page(page_start).ok_or(Errno::EFAULT)?;
    let (words, _) = page[offset..].as_chunks::<POINTER_SIZE>();
    if words.is_empty() {
        // The pointer's first bytes end this page; the rest start the next.
        let mut bytes = [0u8; POINTER_SIZE];
        let first = PAGE_BYTES - offset;
        bytes[..first].copy_from_slice(&page[offset..]);
        let next_page = page_start.checked_add(FRAME_SIZE).ok_or(Errno::EFAULT)?;
        let next = memory.page(next_page).ok_or(Errno::EFAULT)?;
        bytes[first..].copy_from_slice(&next[..POINTER_SIZE - first]);
        batch[0] = u64::from_le_bytes(bytes);
        return Ok(1);
    }
    let count = words.len().min(POINTER_BATCH);
    for (value, word) in batch.iter_mut().zip(&words[..count]) {
        *value = u64::from_le_bytes(*word);
    }
    Ok(count)
}

/// The errno of a string of an argument array that could not be read.
fn array_errno(error: StringError) -> Errno {
    match error {
        StringError::Fault => Errno::EFAULT,
        StringError::TooLong => Errno::E2BIG,
        StringError::NoMemory => Errno::ENOMEM,
    }
}

/// Reads the NULL-terminated array of strings at `array` (NULL: none),
/// charging `budget` [`POINTER_SIZE`] per pointer (the NULL included)
/// and each string's bytes with its NUL; `execve` and `posix_spawn`
/// share one budget between `argv` and `envp`.
///
/// The array is read in order, one pointer then its string, so the error
/// is the first one met: `E2BIG` as soon as the budget cannot pay for the
/// next pointer or string (a string is read no further than the budget),
/// `EFAULT` for a pointer or string the process may not read, `ENOMEM`
/// when the kernel cannot hold the copy.
///
/// Strings that lie side by side on a page, each pointer pointing just
/// past the previous string's NUL (how a C library or a shell usually
/// lays them out), are found in one pass over the page and copied in one
/// go ([`read_run`]).
///
/// # Errors
///
/// `E2BIG`, `EFAULT`, `ENOMEM`.
pub fn read_string_array(
    memory: &mut impl PageReader,
    array: u64,
    budget: &mut usize,
) -> Result<Strings> {
    let mut strings = Strings::new();
    if array == 0 {
        return Ok(strings);
    }
    let mut pointers = Pointers::new(array);
    let mut pointer = pointers.next(memory, budget)?;
    while pointer != 0 {
        pointer = read_run(memory, pointer, &mut pointers, budget, &mut strings)?;
    }
    Ok(strings)
}

/// Reads the string at `first`, and after it every string the array
/// points to next while each starts just past the previous one's NUL on
/// the same page and the pointer batch lasts; adds them to `strings` with
/// one copy. A string that runs past the end of the page is read on
/// through the next pages and ends the run. Returns the next pointer of
/// the array (charged, not read; 0 at the array's end).
fn read_run(
    memory: &mut impl PageReader,
    first: u64,
    pointers: &mut Pointers,
    budget: &mut usize,
    strings: &mut Strings,
) -> Result<u64> {
    let run_start = (first % FRAME_SIZE) as usize;
    let page_start = first - run_start as u64;
    let page = memory.page(page_start).ok_or(Errno::EFAULT)?;
    // Where each string of the run starts, from `run_start` (within a
    // page, so a `u16`); a run is at most one batch of pointers long.
    let mut starts = [0u16; POINTER_BATCH];
    let mut count = 0;
    let mut at = run_start;
    let (blocks, _) = page.as_chunks::<{ nul_mask::BLOCK_BYTES }>();
    let mut nuls = NulScanner::new(blocks, run_start);
    // The budget, kept here while the run lasts.
    let mut left = *budget;
    let next_in_batch = loop {
        let Some(nul) = nuls.next_nul() else {
            // This string goes on in the next page: the run so far, then
            // this string on its own.
            *budget = left;
            strings.push_packed(&page[run_start..at], &starts[..count])?;
            let mut writer = strings.begin();
            let head = &page[at..];
            if head.len() > *budget {
                return Err(Errno::E2BIG);
            }
            writer.append(head)?;
            let next_page = page_start.checked_add(FRAME_SIZE).ok_or(Errno::EFAULT)?;
            let rest_limit = *budget - head.len();
            append_string(memory, next_page, rest_limit, &mut writer).map_err(array_errno)?;
            let taken = writer.finish()?;
            *budget = budget.checked_sub(taken).ok_or(Errno::E2BIG)?;
            return pointers.next(memory, budget);
        };
        // The string and its NUL, from the budget; it cannot fault.
        let taken = nul + 1 - at;
        left = left.checked_sub(taken).ok_or(Errno::E2BIG)?;
        starts[count] = (at - run_start) as u16;
        count += 1;
        at += taken;
        match pointers.next_in_batch(&mut left)? {
            Some(next) if at < PAGE_BYTES && next == page_start + at as u64 => {}
            next => break next,
        }
    };
    *budget = left;
    strings.push_packed(&page[run_start..at], &starts[..count])?;
    match next_in_batch {
        Some(next) => Ok(next),
        None => pointers.next(memory, budget),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::boxed::Box;
    use std::vec::Vec;

    /// A process's memory for the tests: the pages given, nothing else.
    #[derive(Default)]
    struct Memory {
        pages: Vec<(u64, Box<[u8; PAGE_BYTES]>)>,
    }

    impl Memory {
        /// Maps the page at `page`, filled with `fill`.
        fn map(&mut self, page: u64, fill: u8) {
            self.pages.push((page, Box::new([fill; PAGE_BYTES])));
        }

        /// Writes `bytes` at `address` (every page mapped).
        fn write(&mut self, address: u64, bytes: &[u8]) {
            for (at, &byte) in (address..).zip(bytes) {
                let offset = at % FRAME_SIZE;
                let page = self.pages.iter_mut().find(|(p, _)| *p == at - offset);
                page.expect("mapped").1[offset as usize] = byte;
            }
        }

        /// Writes the pointers `values` at `address`.
        fn write_pointers(&mut self, address: u64, values: &[u64]) {
            let bytes: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
            self.write(address, &bytes);
        }
    }

    impl PageReader for Memory {
        fn page(&mut self, page: u64) -> Option<&[u8; PAGE_BYTES]> {
            assert_eq!(page % FRAME_SIZE, 0, "pages are asked for by their start");
            self.pages
                .iter()
                .find(|(p, _)| *p == page)
                .map(|(_, bytes)| &**bytes)
        }
    }

    const PAGE: u64 = FRAME_SIZE;

    /// The string at `address` as `read_string` finds it.
    fn read(
        memory: &mut Memory,
        address: u64,
        max_len: usize,
    ) -> core::result::Result<Vec<u8>, StringError> {
        let mut out = Vec::new();
        read_string(memory, address, max_len, |piece| {
            out.extend_from_slice(piece);
            Ok(())
        })?;
        Ok(out)
    }

    #[test]
    fn a_string_within_a_page_is_read_up_to_its_nul() {
        let mut memory = Memory::default();
        memory.map(PAGE, b'x');
        memory.write(PAGE + 10, b"hello\0world\0");
        assert_eq!(read(&mut memory, PAGE + 10, 100), Ok(b"hello".to_vec()));
        assert_eq!(read(&mut memory, PAGE + 15, 100), Ok(b"".to_vec()));
    }

    #[test]
    fn a_string_crossing_a_page_boundary_is_read_whole() {
        let mut memory = Memory::default();
        memory.map(PAGE, b'a');
        memory.map(2 * PAGE, b'b');
        memory.write(2 * PAGE + 3, b"\0");
        let string = read(&mut memory, 2 * PAGE - 5, 100).unwrap();
        assert_eq!(string, b"aaaaabbb");
    }

    #[test]
    fn a_nul_at_the_last_byte_of_a_page_needs_no_next_page() {
        let mut memory = Memory::default();
        memory.map(PAGE, b'a');
        memory.write(2 * PAGE - 1, b"\0");
        assert_eq!(read(&mut memory, 2 * PAGE - 4, 100), Ok(b"aaa".to_vec()));
        assert_eq!(read(&mut memory, 2 * PAGE - 1, 100), Ok(b"".to_vec()));
    }

    #[test]
    fn a_string_running_into_an_unreadable_page_is_a_fault() {
        let mut memory = Memory::default();
        memory.map(PAGE, b'a');
        assert_eq!(
            read(&mut memory, 2 * PAGE - 4, 100),
            Err(StringError::Fault)
        );
        assert_eq!(read(&mut memory, 3 * PAGE, 100), Err(StringError::Fault));
    }

    #[test]
    fn a_string_of_exactly_the_limit_is_read_and_one_more_byte_is_too_long() {
        let mut memory = Memory::default();
        memory.map(PAGE, b'a');
        memory.map(2 * PAGE, b'a');
        // 10 bytes before the NUL, across the page boundary.
        memory.write(2 * PAGE + 6, b"\0");
        assert_eq!(read(&mut memory, 2 * PAGE - 4, 10), Ok(b"a".repeat(10)));
        assert_eq!(
            read(&mut memory, 2 * PAGE - 4, 9),
            Err(StringError::TooLong)
        );
    }

    #[test]
    fn a_string_over_the_limit_is_too_long_even_if_a_fault_follows() {
        let mut memory = Memory::default();
        memory.map(PAGE, b'a');
        // The limit is passed in the first page, the second is unmapped.
        assert_eq!(
            read(&mut memory, 2 * PAGE - 20, 10),
            Err(StringError::TooLong)
        );
        // At the limit when the page ends: the fault comes first.
        assert_eq!(
            read(&mut memory, 2 * PAGE - 20, 20),
            Err(StringError::Fault)
        );
    }

    #[test]
    fn a_failing_sink_stops_the_read() {
        let mut memory = Memory::default();
        memory.map(PAGE, b'a');
        memory.write(PAGE + 4, b"\0");
        let result = read_string(&mut memory, PAGE, 100, |_| Err(StringError::NoMemory));
        assert_eq!(result, Err(StringError::NoMemory));
    }

    /// Memory with an array of `strings` (one after the other from
    /// `strings_at`) whose pointers start at `array`, NULL-terminated.
    fn with_array(array: u64, strings_at: u64, strings: &[&[u8]]) -> Memory {
        let mut memory = Memory::default();
        for page in [array, strings_at] {
            let first = page - page % PAGE;
            for index in 0..4 {
                let page = first + index * PAGE;
                if !memory.pages.iter().any(|(p, _)| *p == page) {
                    memory.map(page, 0xee);
                }
            }
        }
        let mut pointers = Vec::new();
        let mut at = strings_at;
        for string in strings {
            pointers.push(at);
            memory.write(at, string);
            memory.write(at + string.len() as u64, b"\0");
            at += string.len() as u64 + 1;
        }
        pointers.push(0);
        memory.write_pointers(array, &pointers);
        memory
    }

    /// What an array of `strings` costs against the budget.
    fn cost(strings: &[&[u8]]) -> usize {
        strings
            .iter()
            .map(|s| s.len() + 1 + POINTER_SIZE)
            .sum::<usize>()
            + POINTER_SIZE
    }

    #[test]
    fn an_array_is_read_in_order_and_charged_its_pointers_and_strings() {
        let strings: [&[u8]; 4] = [b"/bin/prog", b"", b"-x", b"last one"];
        let mut memory = with_array(PAGE, 8 * PAGE, &strings);
        let mut budget = 1000;
        let list = read_string_array(&mut memory, PAGE, &mut budget).unwrap();
        assert_eq!(list, Strings::from_slices(&strings).unwrap());
        assert_eq!(budget, 1000 - cost(&strings));
    }

    #[test]
    fn a_null_array_and_an_empty_array_are_empty_lists() {
        let mut memory = with_array(PAGE, 8 * PAGE, &[]);
        let mut budget = 100;
        assert_eq!(
            read_string_array(&mut memory, 0, &mut budget),
            Ok(Strings::new())
        );
        assert_eq!(budget, 100);
        assert_eq!(
            read_string_array(&mut memory, PAGE, &mut budget),
            Ok(Strings::new())
        );
        assert_eq!(budget, 100 - POINTER_SIZE);
    }

    #[test]
    fn an_array_that_exactly_fits_the_budget_is_read_and_one_byte_less_is_e2big() {
        let strings: [&[u8]; 3] = [b"abc", b"defgh", b""];
        let mut memory = with_array(PAGE, 8 * PAGE, &strings);
        let mut budget = cost(&strings);
        assert!(read_string_array(&mut memory, PAGE, &mut budget).is_ok());
        assert_eq!(budget, 0);
        let mut budget = cost(&strings) - 1;
        assert_eq!(
            read_string_array(&mut memory, PAGE, &mut budget),
            Err(Errno::E2BIG)
        );
    }

    #[test]
    fn many_pointers_over_several_batches_and_pages_are_all_read() {
        let strings: Vec<Vec<u8>> = (0..700u32)
            .map(|n| std::format!("arg{n}").into_bytes())
            .collect();
        let strings: Vec<&[u8]> = strings.iter().map(|s| &s[..]).collect();
        // The array starts mid-page, unaligned, so pointers straddle pages.
        let mut memory = with_array(2 * PAGE - 13, 16 * PAGE + 3, &strings);
        let mut budget = 100_000;
        let list = read_string_array(&mut memory, 2 * PAGE - 13, &mut budget).unwrap();
        assert_eq!(list, Strings::from_slices(&strings).unwrap());
        assert_eq!(budget, 100_000 - cost(&strings));
    }

    #[test]
    fn an_array_or_string_that_cannot_be_read_is_efault() {
        let strings: [&[u8]; 2] = [b"one", b"two"];
        let mut budget = 1000;
        // The array itself is not mapped.
        let mut memory = with_array(PAGE, 8 * PAGE, &strings);
        assert_eq!(
            read_string_array(&mut memory, 30 * PAGE, &mut budget),
            Err(Errno::EFAULT)
        );
        // A pointer into nowhere.
        memory.write_pointers(PAGE + 8, &[30 * PAGE]);
        assert_eq!(
            read_string_array(&mut memory, PAGE, &mut budget),
            Err(Errno::EFAULT)
        );
        // The array runs off its last page before its NULL.
        let mut memory = with_array(8 * PAGE, 16 * PAGE, &[]);
        memory.write_pointers(12 * PAGE - 16, &[16 * PAGE, 16 * PAGE]);
        memory.write(16 * PAGE, b"\0");
        assert_eq!(
            read_string_array(&mut memory, 12 * PAGE - 16, &mut budget),
            Err(Errno::EFAULT)
        );
    }

    #[test]
    fn a_string_longer_than_what_is_left_of_the_budget_is_e2big() {
        let long = [b'z'; 300];
        let strings: [&[u8]; 2] = [b"short", &long];
        let mut memory = with_array(PAGE, 8 * PAGE, &strings);
        let mut budget = cost(&strings) - 1;
        assert_eq!(
            read_string_array(&mut memory, PAGE, &mut budget),
            Err(Errno::E2BIG)
        );
        // Too many pointers is E2BIG too, before their strings are read.
        let mut budget = 2 * POINTER_SIZE;
        assert_eq!(
            read_string_array(&mut memory, PAGE, &mut budget),
            Err(Errno::E2BIG)
        );
    }

    /// Memory with the array `pointers` (NULL added) at `PAGE` and the
    /// strings `strings` written at their addresses; pages 1 to 3 and
    /// 8 to 10 mapped.
    fn with_strings(pointers: &[u64], strings: &[(u64, &[u8])]) -> Memory {
        let mut memory = Memory::default();
        for page in [1, 2, 3, 8, 9, 10] {
            memory.map(page * PAGE, b'#');
        }
        for &(address, string) in strings {
            memory.write(address, string);
        }
        let mut array = pointers.to_vec();
        array.push(0);
        memory.write_pointers(PAGE, &array);
        memory
    }

    #[test]
    fn strings_out_of_order_repeated_or_apart_are_each_read() {
        let (a, b, c) = (8 * PAGE + 100, 8 * PAGE + 10, 9 * PAGE + 7);
        let mut memory = with_strings(&[a, b, a, c, b], &[(a, b"aa\0"), (b, b"b\0"), (c, b"\0")]);
        let mut budget = 1000;
        let list = read_string_array(&mut memory, PAGE, &mut budget).unwrap();
        let expected: [&[u8]; 5] = [b"aa", b"b", b"aa", b"", b"b"];
        assert_eq!(list, Strings::from_slices(&expected).unwrap());
        assert_eq!(budget, 1000 - cost(&expected));
    }

    #[test]
    fn a_run_ending_at_the_last_byte_of_a_page_goes_on_in_the_next() {
        // "xy" ends with its NUL at the page's last byte; "zw" starts the
        // next page, right after it.
        let (first, second) = (9 * PAGE - 3, 9 * PAGE);
        let mut memory = with_strings(&[first, second], &[(first, b"xy\0zw\0")]);
        let mut budget = 1000;
        let list = read_string_array(&mut memory, PAGE, &mut budget).unwrap();
        assert_eq!(list, Strings::from_slices(&[b"xy", b"zw"]).unwrap());
    }

    #[test]
    fn a_string_of_a_run_crossing_into_a_page_is_read_on_and_ends_the_run() {
        // Three side by side; the second crosses from page 8 into page 9.
        let first = 9 * PAGE - 8;
        let second = first + 3;
        let third = second + 8;
        let mut memory = with_strings(&[first, second, third], &[(first, b"ab\0cdefghi\0jk\0")]);
        let mut budget = 1000;
        let list = read_string_array(&mut memory, PAGE, &mut budget).unwrap();
        let expected: [&[u8]; 3] = [b"ab", b"cdefghi", b"jk"];
        assert_eq!(list, Strings::from_slices(&expected).unwrap());
        assert_eq!(budget, 1000 - cost(&expected));
    }

    #[test]
    fn a_string_crossing_into_an_unreadable_page_is_efault_unless_already_too_long() {
        // Page 11 is not mapped; the string runs from page 10 into it.
        let start = 11 * PAGE - 6;
        let mut memory = with_strings(&[start], &[(start, b"abcdef")]);
        let mut budget = 1000;
        assert_eq!(
            read_string_array(&mut memory, PAGE, &mut budget),
            Err(Errno::EFAULT)
        );
        // With 6 bytes seen and only 5 left in the budget: E2BIG first.
        let mut budget = POINTER_SIZE + 5;
        assert_eq!(
            read_string_array(&mut memory, PAGE, &mut budget),
            Err(Errno::E2BIG)
        );
        // Exactly 6 left: not too long yet, so the fault counts.
        let mut budget = POINTER_SIZE + 6;
        assert_eq!(
            read_string_array(&mut memory, PAGE, &mut budget),
            Err(Errno::EFAULT)
        );
    }

    #[test]
    fn a_crossing_string_that_exactly_fits_the_budget_is_read_and_one_byte_less_is_e2big() {
        let start = 9 * PAGE - 4;
        let mut memory = with_strings(&[start], &[(start, b"abcdefg\0")]);
        let exact = cost(&[b"abcdefg"]);
        let mut budget = exact;
        let list = read_string_array(&mut memory, PAGE, &mut budget).unwrap();
        assert_eq!(list, Strings::from_slices(&[b"abcdefg"]).unwrap());
        assert_eq!(budget, 0);
        let mut budget = exact - 1;
        assert_eq!(
            read_string_array(&mut memory, PAGE, &mut budget),
            Err(Errno::E2BIG)
        );
    }

    #[test]
    fn empty_strings_side_by_side_are_each_a_string() {
        let start = 8 * PAGE + 40;
        let pointers: Vec<u64> = (0..5).map(|n| start + n).collect();
        let mut memory = with_strings(&pointers, &[(start, b"\0\0\0\0\0")]);
        let mut budget = 1000;
        let list = read_string_array(&mut memory, PAGE, &mut budget).unwrap();
        assert_eq!(list, Strings::from_slices(&[b""; 5]).unwrap());
        assert_eq!(budget, 1000 - 5 * (1 + POINTER_SIZE) - POINTER_SIZE);
    }
}
