//! Getting data into a cell by hand: a file chooser and a paste box, shared by every cell that imports
//! text (Atlas results, tables of observations). It reads the text, refuses what is too large to
//! analyse in a tab, and hands the rest, with where it came from, to the cell; what the text means is
//! the cell's business.

use yew::prelude::*;

use super::browser;
use crate::format;
use crate::notebook::SnapshotSource;

/// Files and pastes above this size are refused: parsing them would freeze the tab, and such a notebook
/// could not be autosaved or shared anyway.
pub const MAX_IMPORT_BYTES: usize = 64 * 1024 * 1024;

#[derive(Properties, PartialEq)]
pub struct ImportControlsProps {
    /// What is imported, as the buttons say it: "results" gives "Import results file…",
    /// "Paste results…" and "Use pasted results".
    pub noun: AttrValue,
    /// The `accept` attribute of the file chooser.
    pub accept: AttrValue,
    /// What the paste box is for (its accessible name), e.g. "Paste Atlas results".
    pub paste_label: AttrValue,
    pub paste_placeholder: AttrValue,
    /// What a too-large import should do instead, e.g. "Download a narrower time window".
    pub too_large_advice: AttrValue,
    /// Text that was read, with its origin.
    pub on_text: Callback<(String, SnapshotSource)>,
    /// A file that could not be read, or text too large to use: a message for the cell.
    pub on_error: Callback<String>,
}

fn checked_size(text: String, advice: &str) -> Result<String, String> {
    if text.len() > MAX_IMPORT_BYTES {
        Err(format!(
            "This data is too large to analyse in the browser ({}; the limit is {}). {advice}",
            format::bytes(text.len()),
            format::bytes(MAX_IMPORT_BYTES)
        ))
    } else {
        Ok(text)
    }
}

#[component]
pub fn ImportControls(props: &ImportControlsProps) -> Html {
    let paste_open = use_state(|| false);
    let pasted = use_state(String::new);
    let deliver = {
        let on_text = props.on_text.clone();
        let on_error = props.on_error.clone();
        let advice = props.too_large_advice.clone();
        move |text: String, source: SnapshotSource| match checked_size(text, &advice) {
            Ok(text) => on_text.emit((text, source)),
            Err(message) => on_error.emit(message),
        }
    };
    let on_file = {
        let deliver = deliver.clone();
        let on_error = props.on_error.clone();
        Callback::from(move |event: Event| {
            let Some(file) = browser::chosen_file(&event) else {
                return;
            };
            let deliver = deliver.clone();
            let on_error = on_error.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let name = file.name();
                match browser::read_file(file).await {
                    Ok(text) => deliver(text, SnapshotSource::File { name }),
                    Err(message) => on_error.emit(message),
                }
            });
        })
    };
    let toggle_paste = {
        let paste_open = paste_open.clone();
        Callback::from(move |_: MouseEvent| paste_open.set(!*paste_open))
    };
    let on_paste_input = {
        let pasted = pasted.clone();
        Callback::from(move |event: InputEvent| pasted.set(browser::input_value(&event)))
    };
    let on_use_pasted = {
        let pasted = pasted.clone();
        let paste_open = paste_open.clone();
        Callback::from(move |_: MouseEvent| {
            deliver((*pasted).clone(), SnapshotSource::Pasted);
            pasted.set(String::new());
            paste_open.set(false);
        })
    };
    html! {
        <>
            <div class="import-row">
                <label class="button">{ format!("Import {} file…", props.noun) }
                    <input type="file" class="visually-hidden" accept={props.accept.clone()} onchange={on_file} />
                </label>
                <button type="button" onclick={toggle_paste}>{ if *paste_open { "Close paste box".to_string() } else { format!("Paste {}…", props.noun) } }</button>
            </div>
            if *paste_open {
                <div class="paste-box">
                    <textarea aria-label={props.paste_label.clone()} rows="6" placeholder={props.paste_placeholder.clone()}
                        value={(*pasted).clone()} oninput={on_paste_input} />
                    <button type="button" class="primary" onclick={on_use_pasted}>{ format!("Use pasted {}", props.noun) }</button>
                </div>
            }
        </>
    }
}
