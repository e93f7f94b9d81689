//! Shared pieces of the libspawn fuzz targets: hostile argument generators,
//! and the `Vec` model of a file actions object that every target checks
//! the real object against (`libspawn::model::add_rules`, shared with the
//! property tests).

use arbitrary::Arbitrary;
use libspawn::abi::{OPEN_MAX, PATH_MAX};

/// A descriptor argument, biased toward the values that matter: small
/// ones that collide, the edges of the table, and anything at all.
#[derive(Arbitrary, Clone, Copy, Debug)]
pub enum Fd {
    /// `-3..13`.
    Small(u8),
    /// One of [`EDGE_FDS`].
    Edge(u8),
    /// Any value.
    Any(i32),
}

/// Descriptors at the edges of what is valid.
pub const EDGE_FDS: [i32; 6] = [-1, i32::MIN, OPEN_MAX - 1, OPEN_MAX, OPEN_MAX + 1, i32::MAX];

impl Fd {
    /// The descriptor.
    pub fn get(self) -> i32 {
        match self {
            Fd::Small(n) => i32::from(n % 16) - 3,
            Fd::Edge(n) => EDGE_FDS[usize::from(n) % EDGE_FDS.len()],
            Fd::Any(fd) => fd,
        }
    }
}

/// A path argument as Rust passes it: a byte string, short, or at the
/// `PATH_MAX` edge.
#[derive(Arbitrary, Clone, Debug)]
pub enum PathBytes {
    /// These bytes (NULs included).
    Bytes(Vec<u8>),
    /// `PATH_MAX - 2 + (delta % 4)` copies of `byte` (so just below, at and
    /// just above the limit).
    Long {
        /// Selects the length around `PATH_MAX`.
        delta: u8,
        /// The filler byte (a NUL makes the path invalid too).
        byte: u8,
    },
}

impl PathBytes {
    /// The path's bytes.
    pub fn bytes(&self) -> Vec<u8> {
        match self {
            PathBytes::Bytes(bytes) => bytes.clone(),
            PathBytes::Long { delta, byte } => vec![*byte; PATH_MAX - 2 + usize::from(delta % 4)],
        }
    }
}

pub use libspawn::model::add_rules::{expected_add, owned, path_bytes, Add, Owned};

/// Checks the capacities and that `actions` reads back as `model`, in
/// order. Panics with a description otherwise.
pub fn assert_matches_model(
    actions: libspawn::ActionList<'_>,
    model: &[Owned],
    max_actions: usize,
    max_path_bytes: usize,
) {
    assert!(actions.len() <= max_actions, "{} actions", actions.len());
    assert!(
        actions.paths().len() <= max_path_bytes,
        "{} path bytes",
        actions.paths().len()
    );
    assert_eq!(
        actions.paths().len(),
        path_bytes(model),
        "path bytes in use"
    );
    let read_back: Vec<Owned> = actions.iter().map(owned).collect();
    assert_eq!(read_back, model, "actions read back");
    assert_eq!(actions.len(), model.len());
    let checked = libspawn::ActionList::new(actions.records(), actions.paths());
    assert_eq!(checked, Ok(actions), "the records no longer pass the check");
}

/// A call of a sequence target, made once, or when `times >= 192` a number
/// of times from [`REPEATS`], which straddles the action capacities (so
/// that short inputs fill an object).
#[derive(Arbitrary, Clone, Debug)]
pub struct Repeated<C> {
    times: u8,
    call: C,
}

/// Repeat counts: a few, and around the capacities (64 actions by default,
/// 5 in the small builder).
pub const REPEATS: [usize; 8] = [2, 4, 5, 6, 16, 63, 64, 65];

impl<C> Repeated<C> {
    fn count(&self) -> usize {
        if self.times >= 192 {
            REPEATS[usize::from(self.times) % REPEATS.len()]
        } else {
            1
        }
    }
}

/// The calls of a sequence, repeats expanded, at most `max_calls`.
pub fn expand<C>(calls: &[Repeated<C>], max_calls: usize) -> impl Iterator<Item = &C> {
    calls
        .iter()
        .flat_map(|r| std::iter::repeat_n(&r.call, r.count()))
        .take(max_calls)
}
