//! Browser storage (localStorage) for the autosaved notebook and the local settings. A shell module:
//! the only place that touches `window.localStorage`. Called from effects, never from the reducer.

/// Key of the autosaved notebook (the compact notebook file text).
pub const NOTEBOOK_KEY: &str = "vantage.notebook";
/// Where the previous notebook is kept when a share link or the demo replaces it, so opening a link
/// never loses the author's own work.
pub const BACKUP_KEY: &str = "vantage.notebook.backup";
pub const SETTINGS_KEY: &str = "vantage.settings";
/// Present while the autosaved notebook is a shared report the reader has not edited, so a reload
/// still treats it as one (the shared state is stored with the notebook it describes).
pub const SHARED_KEY: &str = "vantage.notebook.shared";
/// Set while the app starts and removed once it has shown its first page: found at start, it means
/// the last start never finished (a notebook that froze or killed the page), so this one starts in
/// safe mode instead of opening the same notebook again.
pub const STARTING_KEY: &str = "vantage.starting";
/// The runs this browser started (`MeasureRun::source_key`, one per line, newest last). Only these
/// are followed again on their own after a reload: a run that arrived in a shared report or a file
/// names a measurement its author chose, and asking for it is the reader's decision.
const OWN_RUNS_KEY: &str = "vantage.runs-started-here";
/// How many own runs are remembered: far more than a notebook holds pending at once.
const OWN_RUNS_KEPT: usize = 200;

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

/// Moves the value under `from` to `to` (replacing what `to` held): true when `to` now holds it. The
/// value leaves `from` before it is written, so a value too large to be stored twice (a notebook of
/// several MB against the browser's 5 to 10 MB per page) still moves; if it cannot be written, it
/// goes back where it was.
pub fn move_item(from: &str, to: &str) -> bool {
    let Some(value) = load(from).filter(|value| !value.is_empty()) else {
        return false;
    };
    remove(from);
    remove(to);
    if save(to, &value).is_ok() {
        true
    } else {
        let _ = save(from, &value);
        false
    }
}

/// Remembers that this browser started (or its user chose to follow) the run with `key`.
pub fn remember_own_run(key: &str) {
    let stored = load(OWN_RUNS_KEY).unwrap_or_default();
    let mut keys: Vec<&str> = stored.lines().filter(|line| *line != key).collect();
    keys.push(key);
    let start = keys.len().saturating_sub(OWN_RUNS_KEPT);
    let _ = save(OWN_RUNS_KEY, &keys[start..].join("\n"));
}

/// Whether this browser started (or chose to follow) the run with `key`.
pub fn is_own_run(key: &str) -> bool {
    load(OWN_RUNS_KEY).is_some_and(|stored| stored.lines().any(|line| line == key))
}

/// Where the Atlas API key and the Globalping token are kept: this tab's session storage unless the
/// user opted in to remember them, then local storage. Never in the notebook or settings items.
const ATLAS_KEY_KEY: &str = "vantage.secret.atlas-key";
const GLOBALPING_TOKEN_KEY: &str = "vantage.secret.globalping-token";

fn session_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

/// The stored secrets: local storage wins (the user chose to remember), then this tab's session.
pub fn load_credentials() -> crate::settings::Credentials {
    let read = |storage: Option<web_sys::Storage>, key: &str| {
        storage.and_then(|storage| storage.get_item(key).ok().flatten())
    };
    let remembered = read(local_storage(), ATLAS_KEY_KEY).is_some()
        || read(local_storage(), GLOBALPING_TOKEN_KEY).is_some();
    let from = |key: &str| {
        if remembered {
            read(local_storage(), key)
        } else {
            read(session_storage(), key)
        }
    };
    crate::settings::Credentials::from_parts(
        from(ATLAS_KEY_KEY),
        from(GLOBALPING_TOKEN_KEY),
        remembered,
    )
}

/// Stores the secrets where the user chose, and removes them from the other storage, so "forget"
/// really forgets.
pub fn save_credentials(credentials: &crate::settings::Credentials) {
    let (keep, clear) = if credentials.remember {
        (local_storage(), session_storage())
    } else {
        (session_storage(), local_storage())
    };
    for (key, value) in [
        (ATLAS_KEY_KEY, &credentials.atlas_key),
        (GLOBALPING_TOKEN_KEY, &credentials.globalping_token),
    ] {
        if let Some(storage) = &clear {
            let _ = storage.remove_item(key);
        }
        if let Some(storage) = &keep {
            let _ = match value {
                Some(value) => storage.set_item(key, value),
                None => storage.remove_item(key),
            };
        }
    }
}
