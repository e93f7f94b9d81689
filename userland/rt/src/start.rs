//! Process entry: `_start`, the argument vector, and the panic handler.
//!
//! The kernel enters `_start` with the SysV initial stack: `rsp` points at
//! `argc`, followed by `argc` argument pointers, a NULL, the environment
//! pointers, a NULL, and the auxiliary vector. `_start` hands that stack
//! pointer to Rust, which wraps it in [`Args`], calls the program's `main`
//! (registered with [`entry!`](crate::entry)) and exits with its result.

use core::ffi::{c_char, CStr};
use core::panic::PanicInfo;
use core::ptr;
use core::sync::atomic::{AtomicPtr, Ordering};

use crate::sys::exit;

/// Exit status of a process that panicked (the same number Rust's `std`
/// uses).
pub const PANIC_EXIT_STATUS: i32 = 101;

/// argv[0], kept for panic messages; null until `_start` has run.
static PROGRAM: AtomicPtr<c_char> = AtomicPtr::new(ptr::null_mut());

/// The environment array (NULL-terminated, on the initial stack); null
/// until `_start` has run.
static ENVIRON: AtomicPtr<*const c_char> = AtomicPtr::new(ptr::null_mut());

/// The process's own environment array, as the kernel laid it out
/// (NULL-terminated), for passing on to children; null before `main`.
pub fn environ() -> *const *const c_char {
    ENVIRON.load(Ordering::Relaxed)
}

// SAFETY: `entry!` defines this symbol with exactly this signature; a
// program without `entry!` fails to link instead of calling garbage.
unsafe extern "Rust" {
    safe fn __shim_rt_main(args: Args) -> i32;
}

/// The process's arguments and environment, as the kernel laid them out.
///
/// The strings live on the initial stack for the whole life of the
/// process, hence the `'static` borrows.
#[derive(Clone, Copy, Debug)]
pub struct Args {
    // Invariant: `argv` points at `count` valid C string pointers followed
    // by a NULL, then the NULL-terminated environment array; all of it
    // stays valid and unchanged for the life of the process.
    count: usize,
    argv: *const *const c_char,
}

impl Args {
    /// Wraps the initial stack.
    ///
    /// # Safety
    ///
    /// 1. `stack` must be the stack pointer the kernel gave `_start`, laid
    ///    out as the SysV ABI says (argc, argv..., NULL, envp..., NULL).
    /// 2. Nothing may write to that part of the stack afterwards.
    unsafe fn from_initial_stack(stack: *const usize) -> Args {
        // SAFETY: per the contract, `stack` points at argc, and the
        // argument array follows it.
        unsafe {
            Args {
                count: *stack,
                argv: stack.add(1).cast::<*const c_char>(),
            }
        }
    }

    /// Number of arguments, argv[0] included.
    pub fn len(&self) -> usize {
        self.count
    }

    /// True when there are no arguments at all, not even argv[0].
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Argument `index`, or `None` past the end.
    pub fn get(&self, index: usize) -> Option<&'static CStr> {
        if index >= self.count {
            return None;
        }
        // SAFETY: per the type invariant, `argv[index]` for `index < count`
        // is a readable, NUL-terminated string that lives forever.
        unsafe { string_at(self.argv, index) }
    }

    /// The arguments, argv[0] included.
    pub fn iter(&self) -> Strings {
        Strings {
            array: self.argv,
            next: 0,
            limit: self.count,
        }
    }

    /// The environment entries (`NAME=value`).
    /// The raw environment array (NULL-terminated), right after argv's
    /// NULL on the initial stack.
    fn env_array(&self) -> *const *const c_char {
        // SAFETY: per the type invariant, the environment array starts
        // right after argv's NULL, inside the same stack block.
        unsafe { self.argv.add(self.count + 1) }
    }

    /// The environment strings.
    pub fn env(&self) -> Strings {
        Strings {
            array: self.env_array(),
            next: 0,
            limit: usize::MAX,
        }
    }

    /// The value of environment variable `name`, if set.
    pub fn var(&self, name: &[u8]) -> Option<&'static [u8]> {
        self.env().find_map(|entry| {
            let rest = entry.to_bytes().strip_prefix(name)?;
            rest.strip_prefix(b"=")
        })
    }
}

/// Reads the string pointer at `array[index]`; `None` for a NULL.
///
/// # Safety
///
/// 1. `array[index]` must be readable.
/// 2. If it is not NULL, it must point at a NUL-terminated string that
///    stays valid and unchanged forever.
unsafe fn string_at(array: *const *const c_char, index: usize) -> Option<&'static CStr> {
    // SAFETY: the caller vouches for the slot being readable.
    let string = unsafe { *array.add(index) };
    if string.is_null() {
        return None;
    }
    // SAFETY: the caller vouches for the string's validity and lifetime.
    Some(unsafe { CStr::from_ptr(string) })
}

/// Iterator over a NULL-terminated string array (arguments or environment).
#[derive(Clone, Debug)]
pub struct Strings {
    // Invariant: `array[..limit]` up to its first NULL is readable and each
    // entry is a string valid for the life of the process.
    array: *const *const c_char,
    next: usize,
    limit: usize,
}

impl Iterator for Strings {
    type Item = &'static CStr;

    fn next(&mut self) -> Option<&'static CStr> {
        if self.next >= self.limit {
            return None;
        }
        // SAFETY: per the type invariant, slots are readable up to and
        // including the terminating NULL, and we stop at that NULL.
        let string = unsafe { string_at(self.array, self.next) };
        match string {
            Some(_) => self.next += 1,
            None => self.limit = self.next,
        }
        string
    }
}

/// The program's name: the last path component of argv[0], or `"?"`
/// before the runtime has started or when argv is empty.
pub fn program_name() -> &'static [u8] {
    let program = PROGRAM.load(Ordering::Relaxed);
    if program.is_null() {
        return b"?";
    }
    // SAFETY: PROGRAM is only ever set to argv[0], which the kernel keeps
    // valid for the life of the process.
    let path = unsafe { CStr::from_ptr(program) }.to_bytes();
    match path.iter().rposition(|&byte| byte == b'/') {
        Some(slash) => &path[slash + 1..],
        None => path,
    }
}

/// Rust side of `_start`: wraps the initial stack and runs `main`.
///
/// # Safety
///
/// 1. Only `_start` may call this, with the kernel's initial stack pointer.
unsafe extern "C" fn start_rust(stack: *const usize) -> ! {
    // SAFETY: `_start` passes the untouched initial stack pointer, and the
    // argument block above it is never written by Rust code.
    let args = unsafe { Args::from_initial_stack(stack) };
    if let Some(program) = args.get(0) {
        PROGRAM.store(program.as_ptr().cast_mut(), Ordering::Relaxed);
    }
    ENVIRON.store(args.env_array().cast_mut(), Ordering::Relaxed);
    exit(__shim_rt_main(args))
}

/// The process entry point, named by the linker script's `ENTRY`.
///
/// There is no return address on the initial stack, so this cannot be an
/// ordinary function: it clears the frame pointer (marking the outermost
/// frame), passes the stack pointer as the first argument, aligns the stack
/// to 16 bytes as a call requires, and calls `start_rust`, which never
/// returns.
#[unsafe(naked)]
#[unsafe(no_mangle)]
#[unsafe(link_section = ".text._start")]
pub extern "C" fn _start() -> ! {
    core::arch::naked_asm!(
        "xor ebp, ebp",
        "mov rdi, rsp",
        "and rsp, -16",
        "call {start_rust}",
        "ud2",
        start_rust = sym start_rust,
    )
}

/// Prints the panic to standard error and exits with
/// [`PANIC_EXIT_STATUS`].
#[panic_handler]
fn panic(info: &PanicInfo<'_>) -> ! {
    let program = core::str::from_utf8(program_name()).unwrap_or("?");
    // Ignore a failing console here: a panic inside the panic handler
    // would recurse, and the exit status tells the parent anyway.
    let _ = crate::io::write_fmt(crate::sys::STDERR, format_args!("{program}: {info}\n"));
    exit(PANIC_EXIT_STATUS)
}
