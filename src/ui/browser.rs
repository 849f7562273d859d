//! Small browser helpers the components share: the location fragment, file download, reading a chosen
//! file, the clipboard. Each returns an error message instead of panicking when the browser refuses.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// The current fragment without its `#`.
pub fn location_fragment() -> String {
    web_sys::window()
        .and_then(|window| window.location().hash().ok())
        .map(|hash| hash.trim_start_matches('#').to_string())
        .unwrap_or_default()
}

/// True when the address asks for safe mode (`?safe`): start without opening the autosaved notebook.
pub fn safe_mode_requested() -> bool {
    web_sys::window()
        .and_then(|window| window.location().search().ok())
        .is_some_and(|search| {
            search
                .trim_start_matches('?')
                .split('&')
                .any(|part| part == "safe" || part.starts_with("safe="))
        })
}

/// The page address without its fragment, the base of share links.
/// Moves keyboard focus to the element with this id (the skip link's target), if there is one.
pub fn focus_element(id: &str) {
    use wasm_bindgen::JsCast;
    if let Some(element) = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.get_element_by_id(id))
        .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = element.focus();
    }
}

pub fn page_address() -> String {
    web_sys::window()
        .and_then(|window| window.location().href().ok())
        .map(|href| href.split('#').next().unwrap_or_default().to_string())
        .unwrap_or_default()
}

/// Removes the fragment without reloading or adding a history entry, so a reload shows the autosaved
/// notebook (with the reader's edits) rather than re-opening the original link.
pub fn clear_fragment() {
    if let Some(window) = web_sys::window()
        && let Ok(history) = window.history()
    {
        let _ =
            history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&page_address()));
    }
}

/// Offers text as a file download.
pub fn download(file_name: &str, mime: &str, text: &str) -> Result<(), String> {
    let fail = |_| "The browser refused to create the file.".to_string();
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).map_err(fail)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(fail)?;
    let document = web_sys::window()
        .and_then(|window| window.document())
        .ok_or_else(|| "No document.".to_string())?;
    let anchor: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(fail)?
        .dyn_into()
        .map_err(|_| "The browser refused to create the file.".to_string())?;
    anchor.set_href(&url);
    anchor.set_download(file_name);
    anchor.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

/// Reads a file the user chose, as text.
pub async fn read_file(file: web_sys::File) -> Result<String, String> {
    let text = JsFuture::from(file.text())
        .await
        .map_err(|_| format!("Could not read the file {}.", file.name()))?;
    text.as_string()
        .ok_or_else(|| format!("The file {} is not text.", file.name()))
}

/// The first file of an `<input type=file>` change event.
pub fn chosen_file(event: &yew::Event) -> Option<web_sys::File> {
    let input: web_sys::HtmlInputElement = event.target()?.dyn_into().ok()?;
    let file = input.files()?.get(0);
    // Clear the input so choosing the same file again still fires a change event.
    input.set_value("");
    file
}

/// Copies text to the clipboard; resolves to false when the browser refuses (e.g. no permission).
pub async fn copy_to_clipboard(text: &str) -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    JsFuture::from(window.navigator().clipboard().write_text(text))
        .await
        .is_ok()
}

/// The current value of an input or textarea event target.
pub fn input_value(event: &yew::InputEvent) -> String {
    event
        .target()
        .and_then(|target| {
            target
                .clone()
                .dyn_into::<web_sys::HtmlInputElement>()
                .map(|input| input.value())
                .or_else(|_| {
                    target
                        .dyn_into::<web_sys::HtmlTextAreaElement>()
                        .map(|area| area.value())
                })
                .ok()
        })
        .unwrap_or_default()
}

/// Whether the checkbox that fired a change event is now ticked.
pub fn event_checked(event: &yew::Event) -> bool {
    event
        .target()
        .and_then(|target| target.dyn_into::<web_sys::HtmlInputElement>().ok())
        .is_some_and(|input| input.checked())
}

/// The chosen value of the `<select>` that fired a change event.
pub fn select_value(event: &yew::Event) -> String {
    event
        .target()
        .and_then(|target| target.dyn_into::<web_sys::HtmlSelectElement>().ok())
        .map(|select| select.value())
        .unwrap_or_default()
}

/// Milliseconds since the Unix epoch, from the browser clock.
pub fn now_unix_ms() -> i64 {
    js_sys::Date::now() as i64
}

/// The value of a `<select>` change event's target.
pub fn selected_value(event: &yew::Event) -> Option<String> {
    let select: web_sys::HtmlSelectElement = event.target()?.dyn_into().ok()?;
    Some(select.value())
}
