//! (module being written)

/// Mounts the app on the page body.
pub fn start() {}
