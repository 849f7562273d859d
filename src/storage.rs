//! Browser storage (localStorage) for the autosaved notebook and the local settings. A shell module:
//! the only place that touches `window.localStorage`. Called from effects, never from the reducer.

/// Key of the autosaved notebook (the compact notebook file text).
pub const NOTEBOOK_KEY: &str = "vantage.notebook";
/// Where the previous notebook is kept when a share link or the demo replaces it, so opening a link
/// never loses the author's own work.
pub const BACKUP_KEY: &str = "vantage.notebook.backup";
pub const SETTINGS_KEY: &str = "vantage.settings";

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

pub fn load(key: &str) -> Option<String> {
    local_storage()?.get_item(key).ok().flatten()
}

/// Stores a value; the error says why in words a user can act on (usually: storage is full).
pub fn save(key: &str, value: &str) -> Result<(), String> {
    let storage = local_storage().ok_or_else(|| {
        "this browser does not allow the page to store data (private mode or blocked storage)"
            .to_string()
    })?;
    storage.set_item(key, value).map_err(|_| {
        format!(
            "the browser's storage for this page is full ({:.1} MB needed)",
            value.len() as f64 / 1_000_000.0
        )
    })
}

pub fn remove(key: &str) {
    if let Some(storage) = local_storage() {
        let _ = storage.remove_item(key);
    }
}
