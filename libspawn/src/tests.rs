//! Property tests of the public API that run on the model OS.
//!
//! They are written against the crate's public paths (`libspawn::...`), like
//! integration tests, but live inside the crate because they need
//! [`crate::model`], which exists only with the `model` feature or under
//! `cfg(test)`. An integration test cannot turn a feature on by itself
//! except through a dev-dependency of the crate on itself, and `cargo
//! package` drops such a path dependency: the published crate's own `cargo
//! test` would then not compile. Here, plain `cargo test` runs them, in the
//! repository and in the unpacked package alike.

mod executor_properties;
mod properties;
