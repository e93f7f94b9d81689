//! The model's event log and fault injection.

extern crate std;

use std::string::String;

use super::Model;
use crate::attr::SchedPolicy;
use crate::errno::{Errno, Result};
#[cfg(doc)]
use crate::exec::ChildOps;
use crate::sigset::SigSet;

/// One `ChildOps` method, as the event log records it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Op {
    /// [`ChildOps::set_signal_default`]
    SetSignalDefault,
    /// [`ChildOps::set_signal_mask`]
    SetSignalMask,
    /// [`ChildOps::set_sched_param`]
    SetSchedParam,
    /// [`ChildOps::set_scheduler`]
    SetScheduler,
    /// [`ChildOps::setsid`]
    Setsid,
    /// [`ChildOps::setpgid`]
    Setpgid,
    /// [`ChildOps::reset_ids`]
    ResetIds,
    /// [`ChildOps::open`]
    Open,
    /// [`ChildOps::close`]
    Close,
    /// [`ChildOps::dup2`]
    Dup2,
    /// [`ChildOps::clear_cloexec`]
    ClearCloexec,
    /// [`ChildOps::chdir`]
    Chdir,
    /// [`ChildOps::fchdir`]
    Fchdir,
    /// [`ChildOps::close_from`]
    CloseFrom,
}

/// One `ChildOps` call with its arguments (paths as lossy UTF-8, so test
/// failures print readably).
#[derive(Clone, Debug, PartialEq, Eq)]
#[allow(missing_docs, reason = "each variant mirrors a ChildOps method")]
pub enum Call {
    SetSignalDefault(i32),
    SetSignalMask(SigSet),
    SetSchedParam(i32),
    SetScheduler(SchedPolicy, i32),
    Setsid,
    Setpgid(i32),
    ResetIds,
    Open(String, i32, u32),
    Close(i32),
    Dup2(i32, i32),
    ClearCloexec(i32),
    Chdir(String),
    Fchdir(i32),
    CloseFrom(i32),
}

impl Call {
    /// Which method this call is.
    pub fn op(&self) -> Op {
        match self {
            Call::SetSignalDefault(_) => Op::SetSignalDefault,
            Call::SetSignalMask(_) => Op::SetSignalMask,
            Call::SetSchedParam(_) => Op::SetSchedParam,
            Call::SetScheduler(..) => Op::SetScheduler,
            Call::Setsid => Op::Setsid,
            Call::Setpgid(_) => Op::Setpgid,
            Call::ResetIds => Op::ResetIds,
            Call::Open(..) => Op::Open,
            Call::Close(_) => Op::Close,
            Call::Dup2(..) => Op::Dup2,
            Call::ClearCloexec(_) => Op::ClearCloexec,
            Call::Chdir(_) => Op::Chdir,
            Call::Fchdir(_) => Op::Fchdir,
            Call::CloseFrom(_) => Op::CloseFrom,
        }
    }
}

/// One entry of the event log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    /// The call.
    pub call: Call,
    /// Its result: the descriptor for `open`, 0 for the others.
    pub result: Result<i32>,
}

/// An injected failure: see [`Model::fail`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Fault {
    pub(super) op: Option<Op>,
    pub(super) nth: usize,
    pub(super) errno: Errno,
}

impl Model {
    /// Runs one `ChildOps` call: an injected fault fails it without running
    /// `body`; either way the call and its result are logged.
    pub(super) fn call(
        &mut self,
        call: Call,
        body: impl FnOnce(&mut Model) -> Result<i32>,
    ) -> Result<i32> {
        let count = |op| 1 + self.log.iter().filter(|e| matches(op, &e.call)).count();
        let fault = self
            .faults
            .iter()
            .find(|f| matches(f.op, &call) && count(f.op) == f.nth)
            .copied();
        let result = match fault {
            Some(fault) => Err(fault.errno),
            None => body(self),
        };
        self.log.push(Event { call, result });
        result
    }
}

/// Whether a fault for `op` (`None`: any) applies to `call`.
pub(super) fn matches(op: Option<Op>, call: &Call) -> bool {
    op.is_none_or(|op| op == call.op())
}
