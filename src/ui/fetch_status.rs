//! What every measurement cell shares about its request: the abort controller of the run under way
//! (a new one per run, aborted by Cancel and when the cell goes away) and the line that shows its
//! progress or its error. Shell code: it holds browser handles, never notebook state.

use std::cell::RefCell;
use std::future::Future;
use std::rc::Rc;

use yew::prelude::*;

use super::StoreHandle;
use crate::notebook::{Action, CellId, FetchState};
use crate::settings::Settings;

/// The controller of a cell's current request, if one is under way.
pub type AbortSlot = Rc<RefCell<Option<web_sys::AbortController>>>;

/// A slot for the cell's request controller; when the cell is removed the request is aborted, so
/// nothing more is sent for a cell that no longer exists (what already arrived is dropped by the
/// reducer).
#[hook]
pub fn use_abort_slot() -> AbortSlot {
    let slot = use_mut_ref(|| None::<web_sys::AbortController>);
    {
        let slot = slot.clone();
        use_effect_with((), move |_| move || abort(&slot));
    }
    slot
}

/// What every measurement cell's view starts from: the store, this browser's settings, the abort
/// slot of its run, its fetch state and whether a run is under way.
pub struct CellRun {
    pub store: StoreHandle,
    pub settings: Rc<Settings>,
    pub abort: AbortSlot,
    pub fetch_state: FetchState,
    pub busy: bool,
}

/// The shared opening of a measurement cell. The same hooks run in the same order on every render;
/// `None` only outside the app's store context (a cell mounted alone), where the cell draws nothing.
#[hook]
pub fn use_cell_run(id: CellId) -> Option<CellRun> {
    let store = use_context::<StoreHandle>();
    let settings = use_context::<Rc<Settings>>().unwrap_or_default();
    let abort = use_abort_slot();
    let store = store?;
    let fetch_state = store.0.fetch_state(id).clone();
    let busy = matches!(fetch_state, FetchState::InProgress { .. });
    Some(CellRun {
        store,
        settings,
        abort,
        fetch_state,
        busy,
    })
}

/// A fresh controller for a new run; its signal goes to `net`.
pub fn start(slot: &AbortSlot) -> Option<web_sys::AbortSignal> {
    let controller = web_sys::AbortController::new().ok();
    let signal = controller.as_ref().map(|c| c.signal());
    *slot.borrow_mut() = controller;
    signal
}

fn abort(slot: &AbortSlot) {
    if let Some(controller) = slot.borrow_mut().take() {
        controller.abort();
    }
}

/// The Cancel button's callback. Aborting can end the run within this click (the reducer then
/// swaps Cancel for the form's submit button, in the same DOM element), and the click's default
/// action, which runs after its handlers, would submit the form and start the run again: it is
/// prevented.
pub fn cancel_callback(slot: &AbortSlot) -> Callback<MouseEvent> {
    let slot = slot.clone();
    Callback::from(move |event: MouseEvent| {
        event.prevent_default();
        abort(&slot);
    })
}

/// Reports a step of the cell's request through the reducer.
pub fn progress_to(store: &StoreHandle, id: CellId) -> impl Fn(String) + Clone + 'static {
    let store = store.clone();
    move |step: String| store.dispatch(Action::FetchProgress { id, step })
}

/// Starts a cell's run: a fresh controller, "Starting…", the job spawned with its signal and a
/// progress reporter, then its outcome dispatched (`loaded` makes the snapshot action; an error
/// shows in the cell).
pub fn spawn_run<T, Fut>(
    store: &StoreHandle,
    abort: &AbortSlot,
    id: CellId,
    job: impl FnOnce(Option<web_sys::AbortSignal>, Rc<dyn Fn(String)>) -> Fut + 'static,
    loaded: fn(CellId, T) -> Action,
) where
    T: 'static,
    Fut: Future<Output = Result<T, String>> + 'static,
{
    let signal = start(abort);
    let progress = progress_to(store, id);
    progress("Starting…".to_string());
    let store = store.clone();
    wasm_bindgen_futures::spawn_local(async move {
        match job(signal, Rc::new(progress)).await {
            Ok(value) => store.dispatch(loaded(id, value)),
            Err(message) => store.dispatch(Action::FetchFailed { id, message }),
        }
    });
}

/// The progress line (a live region) or the error, under the cell's form.
pub fn status_line(state: &FetchState) -> Html {
    match state {
        FetchState::InProgress { step } => {
            html! { <p class="progress" role="status" aria-live="polite"><span class="spinner" />{ step.clone() }</p> }
        }
        FetchState::Failed { message } => {
            html! { <p class="error" role="alert">{ message.clone() }</p> }
        }
        FetchState::Idle => html! {},
    }
}
