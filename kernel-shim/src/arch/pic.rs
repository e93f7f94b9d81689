//! The legacy 8259 PIC pair: remapping, the end of an interrupt, and the
//! timer line's request bit the clock reads.

use x86_64::instructions::port::Port;

/// First vector of the master PIC's lines after remapping.
pub const PIC_MASTER_VECTOR: u8 = 32;
/// First vector of the slave PIC's lines.
pub const PIC_SLAVE_VECTOR: u8 = 40;
/// Vector of the PIT (IRQ 0).
pub const TIMER_VECTOR: u64 = PIC_MASTER_VECTOR as u64;
/// The master PIC's spurious vector (IRQ 7).
const SPURIOUS_MASTER_VECTOR: u64 = PIC_MASTER_VECTOR as u64 + 7;
/// In-service bit of IRQ 7 in the master's in-service register.
const IRQ7_IN_SERVICE: u8 = 0x80;

/// 8259 ports and commands.
mod port {
    pub const MASTER_COMMAND: u16 = 0x20;
    pub const MASTER_DATA: u16 = 0x21;
    pub const SLAVE_COMMAND: u16 = 0xa0;
    pub const SLAVE_DATA: u16 = 0xa1;
    /// ICW1: initialise, ICW4 follows.
    pub const ICW1_INIT: u8 = 0x11;
    /// ICW3 (master): a slave on line 2.
    pub const ICW3_MASTER: u8 = 0x04;
    /// ICW3 (slave): cascade identity 2.
    pub const ICW3_SLAVE: u8 = 0x02;
    /// ICW4: 8086 mode.
    pub const ICW4_8086: u8 = 0x01;
    /// Mask everything on the master except IRQ 0 (the PIT).
    pub const MASTER_MASK: u8 = 0xfe;
    /// Mask every slave line.
    pub const SLAVE_MASK: u8 = 0xff;
    /// Non-specific end of interrupt.
    pub const EOI: u8 = 0x20;
    /// OCW3: read the in-service register on the next read.
    pub const READ_ISR: u8 = 0x0b;
    /// OCW3: read the interrupt-request register on the next read.
    pub const READ_IRR: u8 = 0x0a;
}

fn outb(port: u16, value: u8) {
    // SAFETY: the PIC ports; reprogramming the PIC affects only interrupt
    // delivery, which the kernel controls.
    unsafe { Port::new(port).write(value) }
}

fn inb(port: u16) -> u8 {
    // SAFETY: reading a PIC register has no side effect on memory.
    unsafe { Port::new(port).read() }
}

/// Remaps the 8259 PICs to vectors 32..48 and unmasks only the timer.
pub fn init_pic() {
    outb(port::MASTER_COMMAND, port::ICW1_INIT);
    outb(port::SLAVE_COMMAND, port::ICW1_INIT);
    outb(port::MASTER_DATA, PIC_MASTER_VECTOR);
    outb(port::SLAVE_DATA, PIC_SLAVE_VECTOR);
    outb(port::MASTER_DATA, port::ICW3_MASTER);
    outb(port::SLAVE_DATA, port::ICW3_SLAVE);
    outb(port::MASTER_DATA, port::ICW4_8086);
    outb(port::SLAVE_DATA, port::ICW4_8086);
    outb(port::MASTER_DATA, port::MASTER_MASK);
    outb(port::SLAVE_DATA, port::SLAVE_MASK);
}

/// Whether the timer's interrupt is raised but not yet delivered (the
/// clock uses this to notice a tick it has not counted yet).
pub fn timer_irq_pending() -> bool {
    outb(port::MASTER_COMMAND, port::READ_IRR);
    inb(port::MASTER_COMMAND) & 1 != 0
}

/// Acknowledges the PIC interrupt `vector` (32..48). A spurious IRQ 7 has
/// no in-service bit and gets no end of interrupt.
pub fn end_of_interrupt(vector: u64) {
    if vector == SPURIOUS_MASTER_VECTOR {
        outb(port::MASTER_COMMAND, port::READ_ISR);
        if inb(port::MASTER_COMMAND) & IRQ7_IN_SERVICE == 0 {
            return;
        }
    }
    if vector >= u64::from(PIC_SLAVE_VECTOR) {
        outb(port::SLAVE_COMMAND, port::EOI);
    }
    outb(port::MASTER_COMMAND, port::EOI);
}
