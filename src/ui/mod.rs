//! The yew UI shell. Components only render and dispatch: every change goes through the core's pure
//! `notebook::apply`, wrapped here in a one-line `Reducible` adapter. Persistence and requests happen in
//! effects and callbacks, never in the reducer.

pub mod app;
pub mod atlas_cell;
pub mod browser;
pub mod cells;
pub mod comparison_view;
pub mod dns_cell;
pub mod dns_view;
pub mod fetch_status;
pub mod http_view;
pub mod import;
pub mod inference_view;
pub mod latency_view;
pub mod map_canvas;
pub mod markdown_view;
pub mod measure_cell;
pub mod observations_cell;
pub mod paths_view;
pub mod routing_cell;
pub mod routing_view;

use std::rc::Rc;

use yew::prelude::*;

use crate::notebook::{Action, AppState, apply};

/// The yew-facing wrapper around the core state (yew traits are not implemented on domain types).
#[derive(Debug, Clone, PartialEq)]
pub struct Store(pub AppState);

impl Reducible for Store {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        Rc::new(Store(apply(self.0.clone(), action)))
    }
}

/// The handle every component reaches through context to read state and dispatch actions.
pub type StoreHandle = UseReducerHandle<Store>;

/// Mounts the app on the page body.
pub fn start() {
    yew::Renderer::<app::App>::new().render();
}
