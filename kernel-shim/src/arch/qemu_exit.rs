//! Ends the QEMU run through the `isa-debug-exit` device.
//!
//! A write of `code` to the device's port makes QEMU exit with status
//! `(code << 1) | 1`; the codes are in `shim_abi::qemu_exit`.

use shim_abi::qemu_exit;
use spin::Once;
use x86_64::instructions::port::PortWriteOnly;

/// How the run ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitCode {
    /// Init reported success (QEMU exits 33).
    Success,
    /// Init reported failure, or init is missing or died (QEMU exits 35).
    Failure,
    /// The kernel faulted or panicked (QEMU exits 37).
    KernelFault,
}

impl ExitCode {
    fn value(self) -> u32 {
        match self {
            ExitCode::Success => qemu_exit::SUCCESS,
            ExitCode::Failure => qemu_exit::FAILURE,
            ExitCode::KernelFault => qemu_exit::KERNEL_FAULT,
        }
    }
}

/// What a higher layer reports on the kernel log before power-off,
/// registered at boot ([`set_exit_report`]).
static EXIT_REPORT: Once<fn()> = Once::new();

/// Registers `report` to run just before QEMU is powered off (the memory
/// layer's allocation-failure figures); the first registration wins.
pub fn set_exit_report(report: fn()) {
    EXIT_REPORT.call_once(|| report);
}

/// Powers QEMU off with `code`. Never returns: if the device is missing,
/// it says so on the kernel log and halts forever.
pub fn exit_qemu(code: ExitCode) -> ! {
    crate::arch::irq_off::report();
    if let Some(report) = EXIT_REPORT.get() {
        report();
    }
    let mut port = PortWriteOnly::<u32>::new(qemu_exit::PORT);
    // SAFETY: the port belongs to isa-debug-exit (see qemu/args); writing
    // it ends the virtual machine and touches no guest memory.
    unsafe { port.write(code.value()) };
    crate::klog!("BUG: QEMU did not exit (is isa-debug-exit configured?)");
    loop {
        x86_64::instructions::interrupts::disable();
        x86_64::instructions::hlt();
    }
}
