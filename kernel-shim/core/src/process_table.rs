//! The process table: [`MAX_PROCESSES`] slots, each empty or holding one
//! process (alive or a zombie not yet reaped).
//!
//! The slots are allocated once, when the table is made, so creating a
//! process allocates nothing and a process record is never moved once in
//! its slot. The kernel keeps its machine state (kernel stack, registers,
//! address space) under the same slot number.
//!
//! Walks over the processes stop after the highest occupied slot (the
//! table remembers where that is), so a system of a few processes does
//! not pay for [`MAX_PROCESSES`] slots on every scheduling decision.
//!
//! A lookup by pid tries the slots the last two lookups found first: a
//! system call asks for the same process (or its parent) many times in a
//! row, and so does a spawn's executor running its file actions.

use alloc::vec::Vec;
use core::cell::Cell;

use libspawn::{Errno, Result};

use crate::process::{Pid, Process, MAX_PROCESSES};

/// The slots.
#[derive(Debug)]
pub struct ProcessTable {
    slots: Vec<Option<Process>>,
    /// The slots the last two lookups by pid found, latest first (hints:
    /// checked before use).
    last_found: [Cell<usize>; 2],
    /// One past the highest occupied slot (0 when the table is empty).
    in_use: usize,
}

impl Default for ProcessTable {
    fn default() -> Self {
        ProcessTable::new()
    }
}

impl ProcessTable {
    /// A table with every slot empty.
    pub fn new() -> ProcessTable {
        let mut slots = Vec::with_capacity(MAX_PROCESSES);
        slots.resize_with(MAX_PROCESSES, || None);
        ProcessTable {
            slots,
            last_found: [Cell::new(0), Cell::new(0)],
            in_use: 0,
        }
    }

    /// The slot of process `pid`.
    fn slot_of(&self, pid: Pid) -> Option<usize> {
        let holds = |slot: usize| {
            self.slots
                .get(slot)
                .is_some_and(|slot| slot.as_ref().is_some_and(|p| p.pid == pid))
        };
        let [latest, before] = &self.last_found;
        if holds(latest.get()) {
            return Some(latest.get());
        }
        let found = if holds(before.get()) {
            before.get()
        } else {
            self.slots[..self.in_use]
                .iter()
                .position(|slot| slot.as_ref().is_some_and(|p| p.pid == pid))?
        };
        before.set(latest.get());
        latest.set(found);
        Some(found)
    }

    /// The process `pid`.
    pub fn get(&self, pid: &Pid) -> Option<&Process> {
        self.slots.get(self.slot_of(*pid)?)?.as_ref()
    }

    /// The process `pid`, mutably.
    pub fn get_mut(&mut self, pid: &Pid) -> Option<&mut Process> {
        let slot = self.slot_of(*pid)?;
        self.slots.get_mut(slot)?.as_mut()
    }

    /// Whether process `pid` is in the table.
    pub fn contains_key(&self, pid: &Pid) -> bool {
        self.slot_of(*pid).is_some()
    }

    /// The process in `slot`, if any.
    pub fn in_slot(&self, slot: usize) -> Option<&Process> {
        self.slots.get(slot)?.as_ref()
    }

    /// The processes, in slot order.
    pub fn values(&self) -> impl Iterator<Item = &Process> + '_ {
        self.slots[..self.in_use].iter().flatten()
    }

    /// The processes, mutably, in slot order.
    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut Process> + '_ {
        self.slots[..self.in_use].iter_mut().flatten()
    }

    /// Number of processes.
    pub fn len(&self) -> usize {
        self.values().count()
    }

    /// Whether the table is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The lowest empty slot; EAGAIN when the table is full.
    pub fn free_slot(&self) -> Result<usize> {
        self.slots
            .iter()
            .position(Option::is_none)
            .ok_or(Errno::EAGAIN)
    }

    /// Puts `process` in the lowest empty slot, which it records; EAGAIN
    /// when the table is full.
    #[inline(always)] // The record is kilobytes: moved once, into the slot.
    pub fn insert(&mut self, mut process: Process) -> Result<()> {
        let slot = self.free_slot()?;
        process.slot = slot;
        self.slots[slot] = Some(process);
        self.in_use = self.in_use.max(slot + 1);
        Ok(())
    }

    /// Empties the slot of process `pid`.
    pub fn remove(&mut self, pid: &Pid) {
        if let Some(slot) = self.slot_of(*pid) {
            self.slots[slot] = None;
            while self.in_use > 0 && self.slots[self.in_use - 1].is_none() {
                self.in_use -= 1;
            }
        }
    }
}
