//! Vantage: the library behind both shells (the browser app in `main.rs` and the `vantage` command line
//! in `bin/vantage.rs`).
//!
//! The pure core (every module except `net`, `storage` and `ui`) imports no yew, web-sys, gloo, js-sys
//! or wasm-bindgen, so it is tested natively with `cargo test`; `tests/tidy.rs` enforces that split.

pub mod answers;
pub mod atlas;
pub mod chart;
pub mod cli;
pub mod dns;
pub mod format;
pub mod geo;
pub mod globalping;
pub mod infer;
pub mod latency;
pub mod markdown;
pub mod model;
pub mod notebook;
pub mod paths;
pub mod problem_words;
pub mod rerun;
pub mod ripestat;
pub mod settings;
pub mod share;
pub mod stats;
#[cfg(test)]
pub(crate) mod test_kit;

pub mod net;
pub mod storage;
pub mod ui;
