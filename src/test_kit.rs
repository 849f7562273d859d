//! The crate's test kit, compiled for tests only: the seeded xorshift generator that the unit tests
//! (mutation and hostile-input tests) and the integration tests, examples and benchmarks share. Its
//! one copy lives in `tests/support/xorshift.rs`, which the integration tests include by path; this
//! file includes the same file, so every test draws the same sequence from the same seed.

#[path = "../tests/support/xorshift.rs"]
mod xorshift;

pub use xorshift::XorShift;
