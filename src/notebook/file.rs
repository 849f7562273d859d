//! The saved-notebook format (`.vantage.json` files and the browser autosave): a versioned envelope
//! around a `Notebook`. Reading is total: anything that is not a notebook we understand becomes a typed
//! error that says what to do. This module does no I/O; the shells read and write the text.

use serde::Serialize;

use super::Notebook;

/// The `format` tag every notebook file carries, so a random JSON file is recognised as "not ours".
pub const NOTEBOOK_FORMAT: &str = "vantage-notebook";
/// The current version of the file format. Raise it when a change would make older readers misread a
/// file; readers refuse newer versions with an explanation instead of guessing.
pub const NOTEBOOK_FILE_VERSION: u32 = 1;

#[derive(Serialize)]
struct FileOut<'a> {
    format: &'a str,
    version: u32,
    notebook: &'a Notebook,
}

#[derive(Debug, Clone, PartialEq)]
pub enum NotebookFileError {
    NotJson(String),
    NotANotebook,
    FromTheFuture { version: u32 },
    Invalid(String),
}

impl NotebookFileError {
    pub fn user_message(&self) -> String {
        match self {
            NotebookFileError::NotJson(detail) => {
                format!("This file is not valid JSON ({detail}). Choose a .vantage.json file saved by Vantage.")
            }
            NotebookFileError::NotANotebook => {
                "This JSON file is not a Vantage notebook (it has no \"format\": \"vantage-notebook\"). \
                 To analyse Atlas results, add an Atlas cell and import the file there."
                    .to_string()
            }
            NotebookFileError::FromTheFuture { version } => format!(
                "This notebook was saved by a newer Vantage (file version {version}; this app reads up to \
                 {NOTEBOOK_FILE_VERSION}). Open it with the current version of the app."
            ),
            NotebookFileError::Invalid(detail) => {
                format!("This notebook file is damaged and cannot be opened: {detail}.")
            }
        }
    }
}

/// Serialises a notebook as a pretty-printed file (readable in a text editor, diffable in git).
pub fn to_file_text(notebook: &Notebook) -> String {
    let out = FileOut {
        format: NOTEBOOK_FORMAT,
        version: NOTEBOOK_FILE_VERSION,
        notebook,
    };
    // Serialising plain data structs with string keys cannot fail; fall back to an empty object so a
    // broken invariant shows up as an unreadable file rather than a crash.
    serde_json::to_string_pretty(&out).unwrap_or_else(|_| "{}".to_string())
}

/// Compact form used inside share links and the autosave, where size matters more than readability.
pub fn to_compact_text(notebook: &Notebook) -> String {
    let out = FileOut {
        format: NOTEBOOK_FORMAT,
        version: NOTEBOOK_FILE_VERSION,
        notebook,
    };
    serde_json::to_string(&out).unwrap_or_else(|_| "{}".to_string())
}

pub fn from_file_text(text: &str) -> Result<Notebook, NotebookFileError> {
    // The envelope is read before the notebook so a file from a future version is reported as such even
    // when its notebook no longer matches today's types.
    let mut value: serde_json::Value = serde_json::from_str(text)
        .map_err(|error| NotebookFileError::NotJson(error.to_string()))?;
    let Some(envelope) = value.as_object_mut() else {
        return Err(NotebookFileError::NotANotebook);
    };
    if envelope.get("format").and_then(|format| format.as_str()) != Some(NOTEBOOK_FORMAT) {
        return Err(NotebookFileError::NotANotebook);
    }
    let version = envelope
        .get("version")
        .and_then(|version| version.as_u64())
        .unwrap_or(0);
    if version > u64::from(NOTEBOOK_FILE_VERSION) {
        return Err(NotebookFileError::FromTheFuture {
            version: u32::try_from(version).unwrap_or(u32::MAX),
        });
    }
    if version == 0 {
        return Err(NotebookFileError::Invalid(
            "the file has no version number".to_string(),
        ));
    }
    let notebook = envelope
        .remove("notebook")
        .ok_or_else(|| NotebookFileError::Invalid("the file holds no notebook".to_string()))?;
    serde_json::from_value::<Notebook>(notebook)
        .map(Notebook::normalized)
        .map_err(|error| NotebookFileError::Invalid(error.to_string()))
}

/// A file name for "Save notebook": the title reduced to safe characters.
pub fn suggested_file_name(notebook: &Notebook) -> String {
    let mut stem: String = notebook
        .title
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    while stem.contains("--") {
        stem = stem.replace("--", "-");
    }
    let stem = stem.trim_matches('-');
    let stem: String = stem.chars().take(60).collect();
    if stem.is_empty() {
        "notebook.vantage.json".to_string()
    } else {
        format!("{stem}.vantage.json")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notebook::demo::demo_notebook;

    #[test]
    fn the_demo_round_trips_through_both_forms() {
        let demo = demo_notebook();
        assert_eq!(from_file_text(&to_file_text(&demo)), Ok(demo.clone()));
        assert_eq!(from_file_text(&to_compact_text(&demo)), Ok(demo));
    }

    #[test]
    fn foreign_and_future_files_are_explained() {
        assert!(matches!(
            from_file_text("not json"),
            Err(NotebookFileError::NotJson(_))
        ));
        assert_eq!(
            from_file_text("[1,2,3]"),
            Err(NotebookFileError::NotANotebook)
        );
        assert_eq!(
            from_file_text(r#"{"results":[]}"#),
            Err(NotebookFileError::NotANotebook)
        );
        assert_eq!(
            from_file_text(r#"{"format":"vantage-notebook","version":9,"notebook":{"weird":1}}"#),
            Err(NotebookFileError::FromTheFuture { version: 9 })
        );
        assert!(matches!(
            from_file_text(r#"{"format":"vantage-notebook","version":1,"notebook":{"title":5}}"#),
            Err(NotebookFileError::Invalid(_))
        ));
        for error in [
            NotebookFileError::NotANotebook,
            NotebookFileError::FromTheFuture { version: 2 },
        ] {
            assert!(!error.user_message().is_empty());
        }
    }

    #[test]
    fn file_names_are_safe() {
        let mut notebook = Notebook::blank();
        notebook.title = "Telegram outage: 2018/03/29 <script>".into();
        assert_eq!(
            suggested_file_name(&notebook),
            "telegram-outage-2018-03-29-script.vantage.json"
        );
        notebook.title = "///".into();
        assert_eq!(suggested_file_name(&notebook), "notebook.vantage.json");
    }
}
