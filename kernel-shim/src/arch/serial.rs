//! The console: COM1, a 16550 UART, carrying user `write(1|2)` output.
//!
//! Only user programs write here, so the serial transcript is exactly what
//! the guest test protocol printed.

use spin::Mutex;
use uart_16550::backend::PioBackend;
use uart_16550::{Config, Uart16550};

/// I/O base port of COM1.
pub const COM1_PORT: u16 = 0x3f8;

static COM1: Mutex<Option<Uart16550<PioBackend>>> = Mutex::new(None);

/// Initialises COM1. Without a UART the console silently drops output.
pub fn init() {
    // SAFETY: 0x3f8 is the standard COM1 base, which QEMU's `-serial`
    // provides; nothing else in the kernel touches these ports.
    let uart = unsafe { Uart16550::new_port(COM1_PORT) };
    let Ok(mut uart) = uart else {
        return;
    };
    match uart.init(Config::default()) {
        Ok(()) => *COM1.lock() = Some(uart),
        Err(_) => crate::klog!("serial: no UART at COM1, console output dropped"),
    }
}

/// Writes `bytes` to the console, waiting for the UART as needed.
pub fn write(bytes: &[u8]) {
    if let Some(uart) = COM1.lock().as_mut() {
        uart.send_bytes_exact(bytes);
    }
}
