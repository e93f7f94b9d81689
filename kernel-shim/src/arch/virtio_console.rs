//! The virtio console: `/dev/hostout` (the program's standard output under
//! `x.py run`) as a virtio console device on one of QEMU microvm's
//! virtio-mmio transports, driven by the `virtio-drivers` crate.
//!
//! Why: a 16550 UART hands QEMU one byte per port write, and QEMU passes
//! each to the host with a system call of its own (about 1.3 MB/s). A
//! virtio console takes a whole buffer per request: the kernel puts the
//! `write` buffer (already copied from user memory into the kernel heap) on
//! the transmit queue as one descriptor, notifies the device with one
//! register write, and QEMU writes the buffer to the host in one go.
//!
//! Why the crate: `virtio-drivers` (rcore-os) is the maintained `no_std`
//! virtio driver set; it implements the transport's register protocol
//! (legacy and modern virtio-mmio), feature negotiation, the split
//! virtqueue and the console's queues. The kernel supplies only the
//! [`Hal`]: DMA memory and address translation.
//!
//! Transmission polls: the device completes a request while QEMU handles
//! the notifying register write (TCG, no I/O thread for virtio-mmio), so
//! the wait for the used ring is normally over at once; it lasts longer
//! only while the host does not take the output (the UART would stall
//! QEMU then too). Each request is at most [`CHUNK_BYTES`], and an
//! interrupts window ([`crate::arch::irq_off::window`]) opens between
//! requests. The device's interrupt stays masked at the PIC: nothing waits
//! for it.
//!
//! The device exists only when `x.py run` adds it (qemu/README.md,
//! "Channels"); without it [`write`] reports `false` and the caller falls
//! back to the UART.

use core::ptr::NonNull;
use spin::Mutex;
use virtio_drivers::device::console::VirtIOConsole;
use virtio_drivers::transport::mmio::{MmioTransport, VirtIOHeader};
use virtio_drivers::transport::{DeviceType, Transport};
use virtio_drivers::{BufferDirection, Hal, PhysAddr, PAGE_SIZE};

use crate::arch::boot;
use crate::arch::irq_off;

/// Physical address of microvm's first virtio-mmio transport (QEMU,
/// `hw/i386/microvm.c`, `VIRTIO_MMIO_BASE`).
pub const TRANSPORTS_PHYSICAL: u64 = 0xfeb0_0000;
/// Bytes of one transport's registers; transport `n` is at
/// [`TRANSPORTS_PHYSICAL`] + n · this.
pub const TRANSPORT_SIZE: usize = 512;
/// Transports probed: microvm has 8, or 24 with its second I/O APIC.
pub const TRANSPORT_COUNT: usize = 24;
/// Bytes of all the transports probed, for the MMIO mapping.
pub const TRANSPORTS_SIZE: u64 = (TRANSPORT_SIZE * TRANSPORT_COUNT) as u64;
/// Most bytes one transmit request carries.
pub const CHUNK_BYTES: usize = 256 * 1024;
/// Pages of DMA memory the driver may take (its two queues need four in
/// the modern layout, fewer in the legacy one).
const DMA_PAGES: usize = 8;

/// The DMA memory: part of the kernel image, which is physically
/// contiguous, so its physical address is [`boot::image_physical`].
#[repr(C, align(4096))]
struct DmaArea([u8; DMA_PAGES * PAGE_SIZE]);

static mut DMA_AREA: DmaArea = DmaArea([0; DMA_PAGES * PAGE_SIZE]);
/// Pages of [`DMA_AREA`] handed out (never given back: the console lives
/// as long as the kernel).
static DMA_USED: Mutex<usize> = Mutex::new(0);

/// The kernel's side of the virtio-drivers contract.
struct KernelHal;

/// The physical address of kernel memory at `virtual_address`: the kernel
/// image, or RAM through the direct map (the heap, frames).
fn physical(virtual_address: u64) -> PhysAddr {
    if virtual_address >= boot::KERNEL_VIRTUAL_BASE {
        boot::image_physical(virtual_address)
    } else {
        virtual_address - boot::DIRECT_MAP_BASE
    }
}

// SAFETY: `dma_alloc` hands out disjoint, page-aligned, zeroed pages of
// DMA_AREA, never twice (DMA_USED only grows), valid for the kernel's
// life; physical addresses are the image's and the direct map's, both
// identity offsets of physically contiguous memory.
unsafe impl Hal for KernelHal {
    fn dma_alloc(pages: usize, _direction: BufferDirection) -> (PhysAddr, NonNull<u8>) {
        let mut used = DMA_USED.lock();
        if pages == 0 || pages > DMA_PAGES - *used {
            return (0, NonNull::dangling()); // the crate reports DmaError
        }
        let base = core::ptr::addr_of_mut!(DMA_AREA).cast::<u8>();
        // SAFETY: `*used + pages <= DMA_PAGES`: within DMA_AREA.
        let start = unsafe { base.add(*used * PAGE_SIZE) };
        *used += pages;
        // SAFETY: these pages were never handed out (DMA_USED only grows),
        // so nothing else refers to them; they are zero-initialised.
        unsafe { core::ptr::write_bytes(start, 0, pages * PAGE_SIZE) };
        let Some(pointer) = NonNull::new(start) else {
            return (0, NonNull::dangling());
        };
        (physical(start as u64), pointer)
    }

    unsafe fn dma_dealloc(_paddr: PhysAddr, _vaddr: NonNull<u8>, _pages: usize) -> i32 {
        0 // kept: the pages are the console's for the kernel's life
    }

    unsafe fn mmio_phys_to_virt(paddr: PhysAddr, _size: usize) -> NonNull<u8> {
        // Only for PCI BARs, which the MMIO transport never asks for. The
        // direct map's address of a device is never null.
        NonNull::new(boot::direct_map(paddr) as *mut u8).unwrap_or(NonNull::dangling())
    }

    unsafe fn share(buffer: NonNull<[u8]>, _direction: BufferDirection) -> PhysAddr {
        physical(buffer.cast::<u8>().as_ptr() as u64)
    }

    unsafe fn unshare(_paddr: PhysAddr, _buffer: NonNull<[u8]>, _direction: BufferDirection) {}
}

type Console = VirtIOConsole<KernelHal, MmioTransport<'static>>;

/// The console, once found.
static CONSOLE: Mutex<Option<Console>> = Mutex::new(None);

/// Looks for a virtio console among the transports mapped at virtual
/// `transports` ([`TRANSPORTS_SIZE`] bytes from [`TRANSPORTS_PHYSICAL`])
/// and sets it up; returns whether one was found. Boot only.
///
/// # Safety
///
/// `transports` maps [`TRANSPORTS_PHYSICAL`] uncached for
/// [`TRANSPORTS_SIZE`] bytes for the rest of the kernel's life, and nothing
/// else uses those registers.
pub unsafe fn init(transports: u64) -> bool {
    for index in 0..TRANSPORT_COUNT {
        let address = transports + (index * TRANSPORT_SIZE) as u64;
        let Some(header) = NonNull::new(address as *mut VirtIOHeader) else {
            return false;
        };
        // SAFETY: by the contract, a mapped register block of
        // TRANSPORT_SIZE bytes owned by this driver; a slot without a
        // transport reads as zero, which the magic check rejects.
        let Ok(transport) = (unsafe { MmioTransport::new(header, TRANSPORT_SIZE) }) else {
            continue;
        };
        if transport.device_type() != DeviceType::Console {
            continue;
        }
        match Console::new(transport) {
            Ok(console) => {
                *CONSOLE.lock() = Some(console);
                crate::klog!("virtio: console at transport {index}");
                return true;
            }
            Err(error) => crate::klog!("virtio: console at transport {index} failed: {error}"),
        }
    }
    false
}

/// Writes `bytes` to the virtio console, [`CHUNK_BYTES`] per request;
/// `false` (nothing written) when there is no console. A request the
/// device refuses ends the write (what it took stays written).
pub fn write(bytes: &[u8]) -> bool {
    let mut console = CONSOLE.lock();
    let Some(console) = console.as_mut() else {
        return false;
    };
    for chunk in bytes.chunks(CHUNK_BYTES) {
        if let Err(error) = console.send_bytes(chunk) {
            crate::klog!("virtio: console write failed: {error}");
            break;
        }
        irq_off::window();
    }
    true
}
