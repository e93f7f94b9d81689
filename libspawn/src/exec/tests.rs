//! Executor tests on the model OS ([`crate::model`]): every rule of the
//! module documentation, named for the behaviour it checks. Comments name
//! the checklist items of the semantics reference (section 9) they cover.

mod actions;
mod attrs;
mod failures;

use super::apply;
use crate::actions::FileActions;
use crate::attr::{SpawnAttr, SpawnFlags};
use crate::errno::Result;
use crate::model::Model;

/// The file actions type the tests use.
type Actions = FileActions<32, 1024>;

/// SIGUSR1 on Linux x86_64.
const SIGUSR1: i32 = 10;
/// SIGUSR2 on Linux x86_64.
const SIGUSR2: i32 = 12;

/// An attribute object with `flags` and everything else at its default.
fn attr(flags: SpawnFlags) -> SpawnAttr {
    let mut attr = SpawnAttr::new();
    attr.set_flags(flags).unwrap();
    attr
}

/// A file actions object built by `add`, which must not fail.
fn actions(add: impl FnOnce(&mut Actions) -> Result<()>) -> Actions {
    let mut actions = Actions::new();
    add(&mut actions).unwrap();
    actions
}

/// Runs the executor with `attr` and `actions` on `model`.
fn spawn(attr: Option<&SpawnAttr>, actions: &Actions, model: &mut Model) -> Result<()> {
    apply(attr, Some(actions.as_list()), model)
}

/// Runs only `actions` (no attributes).
fn run(actions: &Actions, model: &mut Model) -> Result<()> {
    spawn(None, actions, model)
}
