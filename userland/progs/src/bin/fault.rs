//! Helper: commits the CPU fault named by argv[1], so its parent can check
//! which signal killed it.
//!
//! The modes are the [`Fault`] arguments (`read-kernel`, `write-kernel`,
//! `write-non-canonical`, `privileged`, `invalid-opcode`,
//! `divide-by-zero`). Surviving the fault is a failure: the program then
//! exits with `FAILURE_STATUS`. An unknown mode exits with `USAGE_STATUS`.
//!
//! The faults are raised with inline assembly rather than Rust code: an
//! invalid dereference or a division by zero in Rust is undefined
//! behaviour or a panic, not a dependable fault.
#![no_std]
#![no_main]

use core::arch::asm;

use shim_progs::fail;
use shim_progs::faults::Fault;
use shim_progs::testing::{KERNEL_ADDRESS, NON_CANONICAL_ADDRESS, USAGE_STATUS};
use shim_rt::{eprint, eprintln, Args};

shim_rt::entry!(main);

/// Value stored by the write faults; it never lands anywhere.
const POISON: u8 = 0xa5;

fn main(args: Args) -> i32 {
    match args.get(1).and_then(Fault::from_arg) {
        Some(fault) => commit(fault),
        None => {
            eprint!("fault: usage: fault MODE; modes:");
            for fault in Fault::ALL {
                eprint!(" {}", fault.arg().to_str().unwrap_or("?"));
            }
            eprintln!();
            USAGE_STATUS
        }
    }
}

/// Commits `fault`; returns only if the CPU let it pass.
fn commit(fault: Fault) -> ! {
    match fault {
        Fault::ReadKernel => {
            let value: u8;
            // SAFETY: the load targets a supervisor-only page, so it faults
            // and the process dies before a value is produced; no Rust
            // memory is involved.
            unsafe {
                asm!(
                    "mov {value}, byte ptr [{address}]",
                    address = in(reg) KERNEL_ADDRESS,
                    value = out(reg_byte) value,
                    options(nostack, readonly),
                );
            }
            fail!("read {value:#x} from kernel address {KERNEL_ADDRESS:#x}")
        }
        Fault::WriteKernel => {
            // SAFETY: the store targets a supervisor-only page, so it faults
            // before changing anything; no Rust memory is involved.
            unsafe {
                asm!(
                    "mov byte ptr [{address}], {value}",
                    address = in(reg) KERNEL_ADDRESS,
                    value = in(reg_byte) POISON,
                    options(nostack),
                );
            }
            fail!("wrote to kernel address {KERNEL_ADDRESS:#x}")
        }
        Fault::WriteNonCanonical => {
            // SAFETY: a non-canonical address raises #GP before the store
            // happens; no Rust memory is involved.
            unsafe {
                asm!(
                    "mov byte ptr [{address}], {value}",
                    address = in(reg) NON_CANONICAL_ADDRESS,
                    value = in(reg_byte) POISON,
                    options(nostack),
                );
            }
            fail!("wrote to non-canonical address {NON_CANONICAL_ADDRESS:#x}")
        }
        Fault::Privileged => {
            // SAFETY: `hlt` is privileged; in ring 3 it raises #GP and has
            // no other effect.
            unsafe { asm!("hlt", options(nomem, nostack)) };
            fail!("executed hlt in user mode")
        }
        Fault::InvalidOpcode => {
            // SAFETY: `ud2` raises #UD; it touches no memory or registers.
            unsafe { asm!("ud2", options(nomem, nostack)) };
            fail!("executed ud2")
        }
        Fault::DivideByZero => {
            let quotient: u64;
            // SAFETY: `div` by zero raises #DE before writing its outputs;
            // it touches only the registers declared here.
            unsafe {
                asm!(
                    "div {divisor}",
                    divisor = in(reg) 0u64,
                    inlateout("rax") 1u64 => quotient,
                    inlateout("rdx") 0u64 => _,
                    options(nomem, nostack),
                );
            }
            fail!("divided by zero and got {quotient}")
        }
    }
}
