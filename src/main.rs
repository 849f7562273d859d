//! The browser shell: mounts the yew app. Everything it shows lives in the library (`vantage::ui`).

#[cfg(target_arch = "wasm32")]
fn main() {
    vantage::ui::start();
}

// Built natively (by `cargo test`/`clippy` on the host) this binary only explains itself.
#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "vantage-web is the browser app: build it with `trunk build`; the native tool is `vantage`."
    );
}
