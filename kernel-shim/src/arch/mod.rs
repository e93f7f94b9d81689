//! The machine: boot, descriptor tables, the entries into the kernel and
//! the way back, the clocks, the consoles, and the context switch. Every
//! `unsafe` of the kernel that is not about memory lives here.
//!
//! Nothing here imports [`crate::mm`] or [`crate::sys`]: the system-call
//! and user-trap handlers are registered at boot ([`trap::set_handlers`]).

#[macro_use]
pub mod debugcon;

#[cfg(not(test))]
pub mod boot;
#[cfg(not(test))]
pub mod context;
#[cfg(not(test))]
pub mod entropy;
#[cfg(not(test))]
pub mod gdt;
#[cfg(not(test))]
pub mod idt;
#[cfg(not(test))]
pub mod irq_off;
#[cfg(not(test))]
pub mod lapic;
#[cfg(not(test))]
pub mod pic;
#[cfg(not(test))]
pub mod profile;
#[cfg(not(test))]
pub mod qemu_exit;
pub mod rtc;
#[cfg(not(test))]
pub mod serial;
#[cfg(not(test))]
pub mod start_info;
#[cfg(not(test))]
pub mod time;
#[cfg(not(test))]
pub mod trap;
#[cfg(not(test))]
pub mod virtio_console;
