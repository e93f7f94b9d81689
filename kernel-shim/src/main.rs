//! kernel-shim: a tiny x86_64 kernel that runs isolated user processes.
//!
//! QEMU loads it with `-kernel` through the PVH boot protocol (see
//! `qemu/README.md`). It sets up long mode, a GDT with a TSS, an IDT,
//! 4-level paging with one address space per process, a kernel heap, the
//! `syscall` instruction and a preemptive round-robin scheduler driven by
//! the PIT, then starts `/bin/init` from the initrd with the kernel command
//! line as arguments. User output goes to COM1; kernel diagnostics go to
//! the debugcon port only, so the serial transcript stays clean.
//!
//! # Design principles
//!
//! - One CPU, and interrupts disabled whenever the kernel runs (except in
//!   the idle halt and the one-instruction windows long loops open, see
//!   [`irq_off`]): no lock is ever contended by an interrupt handler (an
//!   interrupt of kernel code only counts the tick).
//! - Work is bounded by what exists, never by the size of an argument:
//!   range walks visit only the page tables present, and loops over pages
//!   or bytes open an interrupts window per step ([`irq_off::window`]).
//! - User code only ever resumes at a canonical user address
//!   ([`memory::user_layout::is_return_address`]).
//! - User memory is reached only through checked page-table walks
//!   ([`usercopy`]), never through user pointers: a bad pointer is EFAULT.
//! - Pure logic (ELF and cpio parsing, stack layout, frame bookkeeping,
//!   wait statuses, signal frames) lives in shim-core with its host unit
//!   tests; what stays here needs the machine. The few host tests left
//!   (`cargo test -p kernel-shim --target x86_64-unknown-linux-gnu`) cover
//!   the RTC's date arithmetic.
//!
//! # Dependencies
//!
//! - `libspawn` (no default features): the ABI shared with user space and
//!   the in-child executor.
//! - `shim-core`: the host-tested OS logic.
//! - `x86_64`: descriptor tables, page-table entries, control registers,
//!   MSRs and port I/O.
//! - `uart_16550`: the COM1 driver.
//! - `spin`: kernel locks and one-time initialisation.
//! - `linked_list_allocator`: the kernel heap allocator.
//!
//! # Modules
//!
//! Boot and hardware: [`boot`], [`start_info`], [`gdt`], [`trap`],
//! [`interrupts`], [`irq_off`], [`lapic`], [`time`], [`serial`], [`debugcon`],
//! [`qemu_exit`].
//! Memory: [`memory`], [`heap`] (the rule that every allocation may fail),
//! [`failslab`] (allocation-failure injection), [`usercopy`], [`vm`]. Processes:
//! [`process`], [`context`], [`scheduler`], [`syscall`], [`spawn`],
//! [`loader`], [`initrd`]. Signals: [`signal_delivery`],
//! [`signal_syscalls`]. Other system calls: [`fd_syscalls`],
//! [`fs_syscalls`], [`alarm`], [`ids`], [`session_syscalls`], [`sched_syscalls`].
//!
//! The OS state that is not about the CPU or memory (ramfs, open files,
//! pipes, descriptor tables, ids, groups, signal state, scheduling
//! parameters) and the process table's rules (which process runs, blocking
//! and waking, alarms, CPU time, exit, `wait4`, orphans, `posix_spawn`'s
//! two steps) are `shim_core::System`, one instance kept with the
//! per-slot machine state behind the table lock
//! ([`process::Table::system`]).
#![cfg_attr(not(test), no_std, no_main)]
// The hardware-facing modules only build for the bare-metal target; the
// host unit-test build leaves much of the pure code without callers.
#![cfg_attr(test, allow(dead_code))]

extern crate alloc;

#[macro_use]
pub mod debugcon;
pub mod memory;

#[cfg(not(test))]
pub mod alarm;
#[cfg(not(test))]
pub mod boot;
#[cfg(not(test))]
pub mod context;
#[cfg(not(test))]
pub mod failslab;
#[cfg(not(test))]
pub mod fd_syscalls;
#[cfg(not(test))]
pub mod fs_syscalls;
#[cfg(not(test))]
pub mod gdt;
#[cfg(not(test))]
pub mod heap;
#[cfg(not(test))]
pub mod ids;
#[cfg(not(test))]
pub mod image_cache;
#[cfg(not(test))]
pub mod initrd;
#[cfg(not(test))]
pub mod interrupts;
#[cfg(not(test))]
pub mod irq_off;
#[cfg(not(test))]
pub mod lapic;
#[cfg(not(test))]
pub mod loader;
#[cfg(not(test))]
pub mod process;
#[cfg(not(test))]
pub mod qemu_exit;
pub mod rtc;
#[cfg(not(test))]
pub mod sched_syscalls;
#[cfg(not(test))]
pub mod scheduler;
#[cfg(not(test))]
pub mod serial;
#[cfg(not(test))]
pub mod session_syscalls;
#[cfg(not(test))]
pub mod signal_delivery;
#[cfg(not(test))]
pub mod signal_syscalls;
#[cfg(not(test))]
pub mod spawn;
#[cfg(not(test))]
pub mod start_info;
#[cfg(not(test))]
pub mod syscall;
#[cfg(not(test))]
pub mod time;
#[cfg(not(test))]
pub mod trap;
#[cfg(not(test))]
pub mod usercopy;
#[cfg(not(test))]
pub mod vm;

#[cfg(not(test))]
mod kernel {
    use crate::qemu_exit::{exit_qemu, ExitCode};
    use crate::{
        gdt, heap, initrd, interrupts, irq_off, lapic, memory, scheduler, serial, spawn,
        start_info, syscall, time,
    };
    use alloc::vec::Vec;
    use x86_64::registers::control::{Cr0, Cr0Flags, Cr4, Cr4Flags};

    /// The program the kernel starts.
    const INIT_PATH: &[u8] = b"/bin/init";
    /// The environment init starts with.
    const INIT_ENV: &[u8] = b"PATH=/bin";
    /// Init's working directory unless the command line names another.
    const INIT_CWD: &[u8] = b"/";
    /// Prefix of the leading command-line words that set init's working
    /// directory (`cwd=/tmp`); they are not passed to init, nor are the
    /// leading `failslab=` words ([`crate::failslab`]).
    const CWD_WORD: &[u8] = b"cwd=";

    /// Lets user code use x87 and SSE (the kernel is built without them).
    fn enable_sse() {
        // SAFETY: turning on FPU/SSE support changes no memory mapping; the
        // kernel saves the state per process with fxsave/fxrstor.
        unsafe {
            Cr0::update(|flags| {
                flags.remove(Cr0Flags::EMULATE_COPROCESSOR | Cr0Flags::TASK_SWITCHED);
                flags.insert(Cr0Flags::MONITOR_COPROCESSOR | Cr0Flags::NUMERIC_ERROR);
            });
            Cr4::update(|flags| {
                flags.insert(Cr4Flags::OSFXSR | Cr4Flags::OSXMMEXCPT_ENABLE);
            });
        }
    }

    /// Feeds the frame allocator: all RAM, minus everything below the end
    /// of the kernel image (firmware data, boot structures, the kernel)
    /// and the initrd.
    fn init_memory(info: &start_info::BootInfo, heap_start: u64) {
        for range in &info.ram[..info.ram_count] {
            memory::add_free_range(range.start, range.end);
        }
        let (_, kernel_end) = crate::boot::kernel_image_range();
        memory::reserve_range(0, kernel_end);
        memory::reserve_range(heap_start, heap_start + heap::HEAP_SIZE as u64);
        if let Some(initrd) = info.initrd {
            memory::reserve_range(initrd.start, initrd.end);
        }
        klog!("memory: {} free frames", memory::free_frames());
    }

    /// Where the heap goes: the first page boundary above the kernel image,
    /// if the whole heap fits in one RAM range there, below the identity
    /// map's end and clear of the initrd.
    fn heap_region(info: &start_info::BootInfo) -> Option<u64> {
        const PAGE: u64 = shim_core::frames::FRAME_SIZE;
        const IDENTITY_MAP_END: u64 = 1 << 30;
        let (_, kernel_end) = crate::boot::kernel_image_range();
        let start = kernel_end.checked_add(PAGE - 1)? & !(PAGE - 1);
        let end = start.checked_add(heap::HEAP_SIZE as u64)?;
        let in_ram = info.ram[..info.ram_count]
            .iter()
            .any(|range| range.start <= start && end <= range.end);
        let clear = info
            .initrd
            .is_none_or(|initrd| initrd.end <= start || end <= initrd.start);
        (in_ram && clear && end <= IDENTITY_MAP_END).then_some(start)
    }

    /// The kernel's Rust entry point, called by the boot stub.
    #[no_mangle]
    extern "C" fn kernel_main(start_info_address: u64) -> ! {
        // SAFETY: the boot stub passes the PVH loader's ebx unchanged, and
        // nothing has been allocated yet.
        let info = match unsafe { start_info::read(start_info_address) } {
            Ok(info) => info,
            Err(error) => {
                klog!("boot: unusable PVH start info ({error:?})");
                exit_qemu(ExitCode::KernelFault);
            }
        };
        gdt::init();
        interrupts::init_idt();
        enable_sse();
        let Some(heap_start) = heap_region(&info) else {
            klog!(
                "boot: no room for the {} MiB kernel heap",
                heap::HEAP_SIZE >> 20
            );
            exit_qemu(ExitCode::KernelFault);
        };
        // SAFETY: the region is RAM above the kernel image, clear of the
        // initrd, and `init_memory` withdraws it from the frame allocator.
        unsafe { heap::init(heap_start) };
        init_memory(&info, heap_start);
        let mut system = shim_core::System::new();
        match info.initrd {
            Some(range) => {
                // SAFETY: the range is the boot module, below 1 GiB (checked
                // by start_info) and just reserved from the frame allocator.
                let archive = unsafe { initrd::archive(range.start, range.end) };
                let unpacked = shim_core::initrd::unpack(archive, &mut system);
                klog!("initrd: {unpacked:?}");
            }
            None => klog!("initrd: none"),
        }
        crate::process::table().set_system(system);
        serial::init();
        syscall::init();
        lapic::route_pic_through_lint0();
        interrupts::init_pic();
        time::init();
        irq_off::init();
        // Interrupts may come in now: long file-system work opens windows.
        crate::process::table()
            .system()
            .vfs
            .set_work_step(irq_off::window);
        match time::init_wall_clock() {
            Some(seconds) => klog!("time: wall clock {seconds} s since the Epoch"),
            None => klog!("time: no real-time clock; the wall clock counts from boot"),
        }

        let cmdline = &info.cmdline[..info.cmdline_len];
        let mut words = cmdline
            .split(|&b| b == b' ')
            .filter(|w| !w.is_empty())
            .peekable();
        let mut cwd = INIT_CWD;
        while let Some(&word) = words.peek() {
            match word.strip_prefix(CWD_WORD) {
                Some(path) => cwd = path,
                None if crate::failslab::parse_word(word) => {}
                None => break,
            }
            words.next();
        }
        let mut argv: Vec<Vec<u8>> = Vec::from([INIT_PATH.to_vec()]);
        argv.extend(words.map(<[u8]>::to_vec));
        match spawn::spawn_init(INIT_PATH, argv, Vec::from([INIT_ENV.to_vec()]), cwd) {
            Ok(pid) => klog!("init started as pid {pid}"),
            Err(errno) => {
                klog!("cannot start /bin/init: {errno:?}");
                exit_qemu(ExitCode::Failure);
            }
        }
        scheduler::run(spawn::child_entry)
    }

    #[panic_handler]
    fn panic(info: &core::panic::PanicInfo) -> ! {
        x86_64::instructions::interrupts::disable();
        klog!("KERNEL PANIC: {info}");
        crate::failslab::log_backtrace();
        exit_qemu(ExitCode::KernelFault)
    }
}
