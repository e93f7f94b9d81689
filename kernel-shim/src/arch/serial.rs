//! The serial lines: COM1, the console, carrying what is written to
//! `/dev/console`; COM2 and COM3, the host's standard output and standard
//! error (`/dev/hostout`, `/dev/hosterr`), each a 16550 UART.
//!
//! The host's standard output goes to the virtio console instead when
//! there is one ([`crate::arch::virtio_console`], added by `x.py run`): it
//! moves whole buffers, where a UART moves bytes.
//!
//! Only user programs write here, so the console transcript is exactly what
//! the guest test protocol printed, and the host streams exactly what the
//! program `x.py run` runs wrote to them. A host stream whose UART is
//! missing (a boot without those devices, such as `x.py qemu`) falls back to
//! the console.

use crate::arch::virtio_console;
use spin::Mutex;
use uart_16550::backend::PioBackend;
use uart_16550::{Config, Uart16550};

/// A serial line the kernel writes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Line {
    /// COM1: `/dev/console`.
    Console,
    /// COM2: `/dev/hostout`.
    HostOut,
    /// COM3: `/dev/hosterr`.
    HostErr,
}

/// I/O base port of COM1.
pub const COM1_PORT: u16 = 0x3f8;
/// I/O base port of COM2 (qemu/README.md, "Channels").
pub const COM2_PORT: u16 = 0x2f8;
/// I/O base port of COM3.
pub const COM3_PORT: u16 = 0x3e8;

type Uart = Mutex<Option<Uart16550<PioBackend>>>;

static COM1: Uart = Mutex::new(None);
static COM2: Uart = Mutex::new(None);
static COM3: Uart = Mutex::new(None);

impl Line {
    const fn port(self) -> u16 {
        match self {
            Line::Console => COM1_PORT,
            Line::HostOut => COM2_PORT,
            Line::HostErr => COM3_PORT,
        }
    }

    fn uart(self) -> &'static Uart {
        match self {
            Line::Console => &COM1,
            Line::HostOut => &COM2,
            Line::HostErr => &COM3,
        }
    }
}

/// Initialises the three UARTs. Without COM1 the console silently drops
/// output; without COM2 or COM3 their stream goes to the console.
pub fn init() {
    for line in [Line::Console, Line::HostOut, Line::HostErr] {
        // SAFETY: COM1-COM3 sit at their standard bases, which QEMU's
        // `-serial` and `-device isa-serial` provide; nothing else in the
        // kernel touches these ports, and `init` runs once, at boot.
        let uart = unsafe { Uart16550::new_port(line.port()) };
        let Ok(mut uart) = uart else {
            continue;
        };
        match uart.init(Config::default()) {
            Ok(()) => *line.uart().lock() = Some(uart),
            Err(_) if line == Line::Console => {
                crate::klog!("serial: no UART at COM1, console output dropped")
            }
            Err(_) => {}
        }
    }
}

/// Writes `bytes` to the console, waiting for the UART as needed.
pub fn write(bytes: &[u8]) {
    write_line(Line::Console, bytes);
}

/// Writes `bytes` to `line`, waiting for the device as needed: the host's
/// standard output to the virtio console when there is one; a line without
/// a UART to the console.
pub fn write_line(line: Line, bytes: &[u8]) {
    if line == Line::HostOut && virtio_console::write(bytes) {
        return;
    }
    if let Some(uart) = line.uart().lock().as_mut() {
        uart.send_bytes_exact(bytes);
        return;
    }
    if line != Line::Console {
        write(bytes);
    }
}
