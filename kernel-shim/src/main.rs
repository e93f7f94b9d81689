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
//!   [`arch::irq_off`]): no lock is ever contended by an interrupt handler (an
//!   interrupt of kernel code only counts the tick).
//! - Work is bounded by what exists, never by the size of an argument:
//!   range walks visit only the page tables present, and loops over pages
//!   or bytes open an interrupts window per step ([`arch::irq_off::window`]).
//! - User code only ever resumes at a canonical user address
//!   ([`mm::user_layout::is_return_address`]).
//! - User memory is reached only through checked page-table walks
//!   ([`mm::usercopy`]), never through user pointers: a bad pointer is EFAULT.
//! - Pure logic (ELF and cpio parsing, stack layout, frame bookkeeping,
//!   wait statuses, signal frames) lives in shim-core with its host unit
//!   tests; what stays here needs the machine. The few host tests left
//!   (`cargo test -p kernel-shim --target x86_64-unknown-linux-gnu`) cover
//!   the RTC's date arithmetic and the import graph (no circle, layers only
//!   downward).
//!
//! # Dependencies
//!
//! - `libspawn` (no default features): the ABI shared with user space and
//!   the in-child executor.
//! - `shim-core`: the host-tested OS logic.
//! - `x86_64`: descriptor tables, page-table entries, control registers,
//!   MSRs and port I/O.
//! - `uart_16550`: the COM1 driver.
//! - `virtio-drivers`: the virtio console that carries `x.py run`'s
//!   standard output ([`arch::virtio_console`]).
//! - `spin`: kernel locks and one-time initialisation.
//! - `linked_list_allocator`: the kernel heap allocator.
//!
//! # Layers
//!
//! Three folders, each importing only from the ones below it (the host
//! test `import_graph` checks that, and that no files import each other in
//! a circle):
//!
//! - [`arch`]: the machine. Boot, the GDT (the only owner of the segment
//!   selectors), the IDT and the PIC, the one entry path of traps and
//!   `syscall` with its dispatcher ([`arch::trap`]), the clocks, the
//!   consoles, the context switch. All of the kernel's `unsafe` that is not
//!   about memory.
//! - [`mm`]: memory. Frames, address spaces, shared pages, the heap,
//!   checked user copies, the image cache and the ELF loader.
//! - [`sys`]: the system calls and the process table's machine side, one
//!   file per concept, each `#![forbid(unsafe_code)]`.
//!
//! The upcalls from a lower layer are registered here at boot, not
//! imported: the system-call and user-trap handlers
//! ([`arch::trap::set_handlers`]), the image cache's reclaim for the
//! frame allocator ([`mm::set_reclaim`]) and the allocation-failure report
//! at power-off ([`arch::qemu_exit::set_exit_report`]).
//!
//! The OS state that is not about the CPU or memory (ramfs, open files,
//! pipes, descriptor tables, ids, groups, signal state, scheduling
//! parameters) and the process table's rules (which process runs, blocking
//! and waking, alarms, CPU time, exit, `wait4`, orphans, `posix_spawn`'s
//! two steps) are `shim_core::System`, one instance kept with the
//! per-slot machine state behind the table lock
//! ([`sys::process::Table::system`]).
#![cfg_attr(not(test), no_std, no_main)]

extern crate alloc;

#[macro_use]
pub mod arch;
#[cfg(not(test))]
pub mod mm;
#[cfg(not(test))]
pub mod sys;

#[cfg(test)]
mod import_graph;
#[cfg(test)]
#[path = "../core/src/import_paths.rs"]
mod import_paths;

#[cfg(not(test))]
mod kernel {
    use crate::arch::qemu_exit::{exit_qemu, ExitCode};
    use crate::arch::trap::{self, Handlers};
    use crate::arch::{
        context, gdt, idt, irq_off, lapic, pic, rtc, serial, start_info, time, virtio_console,
    };
    use crate::mm::{self as memory, heap, image_cache, initrd};
    use crate::sys::{entry, scheduling, spawn, spawn_child};
    use shim_core::strings::Strings;

    /// The program the kernel starts.
    const INIT_PATH: &[u8] = b"/bin/init";
    /// The environment init starts with.
    const INIT_ENV: &[u8] = b"PATH=/bin";
    /// Init's working directory unless the command line names another.
    const INIT_CWD: &[u8] = b"/";
    /// Prefix of the leading command-line words that set init's working
    /// directory (`cwd=/tmp`); they are not passed to init, nor are the
    /// leading `failslab=` words ([`crate::mm::failslab`]) and `profile`.
    const CWD_WORD: &[u8] = b"cwd=";
    /// A leading command-line word that turns the spawn profile on
    /// ([`crate::arch::profile`]); not passed to init.
    const PROFILE_WORD: &[u8] = b"profile";

    /// Feeds the frame allocator: all RAM, minus everything below the end
    /// of the kernel image (firmware data, boot structures, the kernel)
    /// and the initrd.
    fn init_memory(info: &start_info::BootInfo, heap_start: u64) {
        for range in &info.ram[..info.ram_count] {
            memory::add_free_range(range.start, range.end);
        }
        let (_, kernel_end) = crate::arch::boot::kernel_image_range();
        memory::reserve_range(0, kernel_end);
        memory::reserve_range(heap_start, heap_start + heap::HEAP_SIZE as u64);
        if let Some(initrd) = info.initrd {
            memory::reserve_range(initrd.start, initrd.end);
        }
        klog!("memory: {} free frames", memory::free_frames());
    }

    /// Where the heap goes: the first page boundary above the kernel image,
    /// if the whole heap fits in one RAM range there, in the direct
    /// map and clear of the initrd.
    fn heap_region(info: &start_info::BootInfo) -> Option<u64> {
        const PAGE: u64 = shim_core::frames::FRAME_SIZE;
        let (_, kernel_end) = crate::arch::boot::kernel_image_range();
        let start = kernel_end.checked_add(PAGE - 1)? & !(PAGE - 1);
        let end = start.checked_add(heap::HEAP_SIZE as u64)?;
        let in_ram = info.ram[..info.ram_count]
            .iter()
            .any(|range| range.start <= start && end <= range.end);
        let clear = info
            .initrd
            .is_none_or(|initrd| initrd.end <= start || end <= initrd.start);
        (in_ram && clear && memory::phys::is_mapped_ram(start, heap::HEAP_SIZE as u64))
            .then_some(start)
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
        idt::init_idt();
        context::enable_sse();
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
        memory::set_reclaim(image_cache::release_unused);
        crate::arch::qemu_exit::set_exit_report(memory::failslab::report);
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
        crate::sys::process::table().set_system(system);
        serial::init();
        match memory::mmio::map(
            virtio_console::TRANSPORTS_PHYSICAL,
            virtio_console::TRANSPORTS_SIZE,
        ) {
            Ok(transports) => {
                // SAFETY: `transports` maps microvm's virtio-mmio register
                // blocks, uncached, for good; only the virtio console uses
                // them.
                let found = unsafe { virtio_console::init(transports) };
                if !found {
                    klog!("virtio: no console; the host's output goes by UART");
                }
            }
            Err(_) => klog!("virtio: cannot map the transports; no console"),
        }
        trap::set_handlers(Handlers {
            syscall: entry::syscall,
            user_trap: entry::user_trap,
        });
        trap::init_syscall();
        match memory::mmio::map(lapic::registers_physical(), lapic::REGISTERS_SIZE) {
            // SAFETY: `registers` maps the APIC's register page, uncached.
            Ok(registers) => unsafe { lapic::route_pic_through_lint0(registers) },
            Err(_) => klog!("lapic: cannot map the APIC; PIC interrupts may be lost"),
        }
        pic::init_pic();
        time::init();
        irq_off::init();
        // Interrupts may come in now: long file-system work opens windows.
        crate::sys::process::table()
            .system()
            .vfs
            .set_work_step(irq_off::window);
        match rtc::read() {
            Some(seconds) => {
                time::set_wall_clock(seconds);
                klog!("time: wall clock {seconds} s since the Epoch")
            }
            None => klog!("time: no real-time clock; the wall clock counts from boot"),
        }
        // File times (st_atime, st_mtime, st_ctime) come from the wall clock.
        crate::sys::process::table()
            .system()
            .vfs
            .set_clock(time::realtime_ns);

        let cmdline = &info.cmdline[..info.cmdline_len];
        let mut words = cmdline
            .split(|&b| b == b' ')
            .filter(|w| !w.is_empty())
            .peekable();
        let mut cwd = INIT_CWD;
        while let Some(&word) = words.peek() {
            match word.strip_prefix(CWD_WORD) {
                Some(path) => cwd = path,
                None if crate::mm::failslab::parse_word(word) => {}
                None if word == PROFILE_WORD => {
                    crate::arch::profile::enable();
                    crate::sys::process::table()
                        .system()
                        .set_profile_mark(crate::arch::profile::mark);
                }
                None => break,
            }
            words.next();
        }
        let mut argv = Strings::new();
        let mut envp = Strings::new();
        let lists = argv
            .push(INIT_PATH)
            .and_then(|()| words.try_for_each(|word| argv.push(word)))
            .and_then(|()| envp.push(INIT_ENV));
        match lists.and_then(|()| spawn::spawn_init(INIT_PATH, argv, envp, cwd)) {
            Ok(pid) => klog!("init started as pid {pid}"),
            Err(errno) => {
                klog!("cannot start /bin/init: {errno:?}");
                exit_qemu(ExitCode::Failure);
            }
        }
        scheduling::run(spawn_child::child_entry)
    }

    #[panic_handler]
    fn panic(info: &core::panic::PanicInfo) -> ! {
        x86_64::instructions::interrupts::disable();
        klog!("KERNEL PANIC: {info}");
        crate::mm::failslab::log_backtrace();
        exit_qemu(ExitCode::KernelFault)
    }
}
