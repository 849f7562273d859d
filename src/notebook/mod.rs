//! The notebook model and the one pure function that changes it: `apply(state, action)`.
//!
//! A notebook stores only inputs: the author's text and, for each measurement cell, the raw data it was
//! built from (source, time fetched, the responses as received). Everything shown from that data (tables,
//! maps, verdicts) is derived elsewhere and never stored here. This module does no I/O: the shells persist
//! the state in effects, outside `apply`, and pass in whatever the outside world supplied (clock, bytes).

pub mod demo;
pub mod dns;
pub mod file;
pub mod hops;
pub mod latency_map;
pub mod measure;
pub mod report;
pub mod routing;
pub mod template;

use std::rc::Rc;

use serde::{Deserialize, Serialize};

use crate::atlas::probes::Probe;
pub use dns::{DnsCell, DnsRequest, DnsSnapshot};
pub use routing::{RoutingCell, RoutingRequest, RoutingSnapshot};

/// A stable identity for a cell, so the UI can key lists and in-flight requests can find their cell
/// after cells have moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct CellId(pub u64);

/// The largest cell id a normalised notebook keeps: 2^53, the largest integer a JavaScript number
/// (and so any JSON reader of a saved notebook) holds exactly, with room above it for new cells.
pub const MAX_CELL_ID: u64 = 1 << 53;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Notebook {
    pub title: String,
    pub cells: Vec<Cell>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cell {
    pub id: CellId,
    pub body: CellBody,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CellBody {
    Markdown {
        source: String,
    },
    Atlas(AtlasCell),
    /// A table of latency observations (vantage position and minimum RTT) from any source: a
    /// research data set, another platform's export, a spreadsheet.
    Observations(ObservationsCell),
    /// A DNS fan-out cell (added after the first file format; older readers never saw one, and it
    /// needs no new version because no existing field changed meaning).
    Dns(DnsCell),
    /// A routing-context cell (added like the DNS cell: a new kind, no existing field changed, so
    /// the file format keeps its version and older notebooks read unchanged).
    Routing(RoutingCell),
    /// A "Measure now" cell: new measurements run from the browser (Globalping, or RIPE Atlas with the
    /// author's key). Added like the DNS and routing cells: a new kind, no field changed meaning.
    Measure(measure::MeasureCell),
}

/// Which kind of cell the author asked to add.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewCellKind {
    Markdown,
    Atlas,
    Observations,
    Dns,
    Routing,
    Measure,
}

/// An Atlas measurement cell: what the author asked for, and the data snapshot it produced.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct AtlasCell {
    pub request: AtlasRequest,
    /// Shared behind an `Rc` because the snapshot can be hundreds of kilobytes and the reducer clones
    /// the notebook on every keystroke.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snapshot: Option<Rc<AtlasSnapshot>>,
    /// The author's choices for what the latencies prove. Stored with the cell (they are inputs, like
    /// the request) so a reader of a shared report sees the verdict the author saw.
    #[serde(default)]
    pub inference: InferenceChoices,
}

/// A latency-observations cell: the table as the author supplied it, and the inference choices.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ObservationsCell {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snapshot: Option<Rc<TableSnapshot>>,
    #[serde(default)]
    pub inference: InferenceChoices,
}

/// The evidence behind an observations cell: the table text exactly as imported (CSV, TSV or
/// semicolon-separated, with a header naming id, latitude, longitude and minimum RTT columns).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TableSnapshot {
    pub source: SnapshotSource,
    pub fetched_at_unix_ms: i64,
    pub text: String,
}

/// Tunable assumptions of the latency inference. Only the fiber factor is tunable: it is the one
/// assumption experts disagree on (2/3 c is the textbook figure; CBG-style work uses 4/9 c to absorb
/// indirect paths).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct InferenceChoices {
    /// Speed of signals in fiber as a fraction of the speed of light in vacuum.
    #[serde(default = "default_fiber_factor")]
    pub fiber_factor: f64,
}

fn default_fiber_factor() -> f64 {
    crate::infer::Assumptions::default().fiber_factor
}

impl Default for InferenceChoices {
    fn default() -> InferenceChoices {
        InferenceChoices {
            fiber_factor: default_fiber_factor(),
        }
    }
}

/// The author's input exactly as typed, so an invalid entry is kept for correction rather than lost.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct AtlasRequest {
    /// A measurement ID or an Atlas measurement URL.
    #[serde(default)]
    pub measurement: String,
    /// Optional window start: unix seconds or an ISO-8601 date/time (UTC).
    #[serde(default)]
    pub start: String,
    #[serde(default)]
    pub stop: String,
}

/// Where a snapshot's data came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SnapshotSource {
    /// Fetched from the Atlas REST API.
    Api { msm_id: u64, results_url: String },
    /// Read from a file the author chose.
    File { name: String },
    /// Pasted into the cell.
    Pasted,
    /// Recorded data shipped with the app (the demo notebook).
    Recording { citation: String },
    /// A Globalping measurement run from a "Measure now" cell, adapted for the same views (never
    /// stored in this form: the cell stores the measurement as received).
    Globalping { id: String, url: String },
}

/// The evidence behind an Atlas cell: raw results as received plus the probe metadata needed to place
/// them on a map. This is what a share link carries, so readers see the same evidence years later.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AtlasSnapshot {
    pub source: SnapshotSource,
    /// When the data was fetched or imported, in milliseconds since the Unix epoch (UTC).
    pub fetched_at_unix_ms: i64,
    /// The results body exactly as received (JSON array or one result per line).
    pub results_text: String,
    /// Metadata of the probes that appear in the results (as returned by `/api/v2/probes/`).
    #[serde(default)]
    pub probes: Vec<Probe>,
    /// Problems met while fetching probe metadata (e.g. one page failed); shown with the cell.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fetch_notes: Vec<String>,
    /// RIPEstat lookups of traceroute hops (router names, owners), as received.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hop_lookups: Vec<dns::RipestatLookup>,
    /// Router names the measuring probes resolved themselves (Globalping), used like reverse-DNS
    /// answers: (address, name as the probe reported it).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hop_names: Vec<(String, String)>,
}

impl InferenceChoices {
    /// Keeps an untrusted value (a file, a link, a slider) within what the inference accepts, so a
    /// shared report cannot claim a verdict under physically absurd assumptions.
    pub fn sanitized(self) -> InferenceChoices {
        InferenceChoices {
            fiber_factor: self.assumptions().fiber_factor,
        }
    }

    /// The inference's assumptions with the author's choices applied (and clamped).
    pub fn assumptions(self) -> crate::infer::Assumptions {
        crate::infer::Assumptions {
            fiber_factor: self.fiber_factor,
            ..crate::infer::Assumptions::default()
        }
        .sanitised()
    }
}

/// Up or down in the list of cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Up,
    Down,
}

/// Progress of a request a cell has under way. It is session state: never saved nor shared.
#[derive(Debug, Clone, PartialEq)]
pub enum FetchState {
    Idle,
    InProgress { step: String },
    Failed { message: String },
}

/// Everything the app holds: the notebook (saved and shared) and per-session state (not saved).
#[derive(Debug, Clone, PartialEq)]
pub struct AppState {
    pub notebook: Notebook,
    pub fetches: Vec<(CellId, FetchState)>,
    /// A message for the author about the whole page (a broken share link, a file that failed to open).
    pub notice: Option<Notice>,
    /// True while the notebook on screen came from a share link and the author has not edited it.
    pub viewing_shared: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    pub level: NoticeLevel,
    pub text: String,
    /// True when the previous notebook was kept aside and the notice should offer to bring it back.
    pub offer_restore: bool,
}

impl Notice {
    pub fn info(text: impl Into<String>) -> Notice {
        Notice {
            level: NoticeLevel::Info,
            text: text.into(),
            offer_restore: false,
        }
    }

    pub fn error(text: impl Into<String>) -> Notice {
        Notice {
            level: NoticeLevel::Error,
            text: text.into(),
            offer_restore: false,
        }
    }

    pub fn with_restore(mut self) -> Notice {
        self.offer_restore = true;
        self
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeLevel {
    Info,
    Error,
}

/// Every change the UI can ask for. Data from the outside world (file text, fetched bodies, the clock)
/// arrives inside the action, so `apply` stays pure.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    SetTitle(String),
    AddCell {
        after: Option<CellId>,
        kind: NewCellKind,
    },
    EditMarkdown {
        id: CellId,
        source: String,
    },
    EditAtlasRequest {
        id: CellId,
        request: AtlasRequest,
    },
    SetInference {
        id: CellId,
        choices: InferenceChoices,
    },
    EditDnsRequest {
        id: CellId,
        request: DnsRequest,
    },
    EditRoutingRequest {
        id: CellId,
        request: RoutingRequest,
    },
    EditMeasureForm {
        id: CellId,
        form: measure::MeasureForm,
    },
    /// A "Measure now" cell made from another cell (repeat an imported measurement), placed after it.
    InsertMeasureCell {
        after: CellId,
        cell: measure::MeasureCell,
    },
    /// A measurement was created at its source: the run is stored at once (with its ID), so a
    /// reload resumes following it.
    MeasureRunStarted {
        id: CellId,
        run: measure::MeasureRun,
    },
    /// Newer data of the cell's current run (a poll, the results of a finished Atlas measurement).
    /// Ignored unless it is the same measurement as the current run.
    MeasureRunUpdated {
        id: CellId,
        run: measure::MeasureRun,
        /// Whether the run is over (finished, or given up): the cell's progress line goes.
        done: bool,
    },
    MoveCell {
        id: CellId,
        direction: Direction,
    },
    DeleteCell {
        id: CellId,
    },
    FetchProgress {
        id: CellId,
        step: String,
    },
    FetchFailed {
        id: CellId,
        message: String,
    },
    /// A table of observations was imported into an observations cell.
    TableLoaded {
        id: CellId,
        snapshot: TableSnapshot,
    },
    /// Data arrived (from the API, a file or a paste) and becomes the cell's snapshot.
    SnapshotLoaded {
        id: CellId,
        snapshot: AtlasSnapshot,
    },
    /// A DNS fan-out finished (or was cancelled) and its exchanges become the cell's snapshot.
    DnsSnapshotLoaded {
        id: CellId,
        snapshot: DnsSnapshot,
    },
    /// A routing-context run finished (or was cancelled) and its lookups become the snapshot.
    RoutingSnapshotLoaded {
        id: CellId,
        snapshot: RoutingSnapshot,
    },
    ClearSnapshot {
        id: CellId,
    },
    /// Lookups of traceroute hops arrived: they join the Atlas cell's snapshot.
    HopLookupsLoaded {
        id: CellId,
        lookups: Vec<dns::RipestatLookup>,
    },
    /// Replace the whole notebook (new, opened file, shared link, demo).
    Open {
        notebook: Notebook,
        from_share_link: bool,
        notice: Option<Notice>,
    },
    ShowNotice(Option<Notice>),
}

impl Notebook {
    /// A new, empty notebook: one note cell inviting the author to write.
    pub fn blank() -> Notebook {
        Notebook {
            title: "Untitled investigation".to_string(),
            cells: vec![Cell {
                id: CellId(1),
                body: CellBody::Markdown {
                    source: String::new(),
                },
            }],
        }
    }

    pub fn cell(&self, id: CellId) -> Option<&Cell> {
        self.cells.iter().find(|cell| cell.id == id)
    }

    fn index_of(&self, id: CellId) -> Option<usize> {
        self.cells.iter().position(|cell| cell.id == id)
    }

    /// The next free id. Ids are never reused within a notebook, even after deletions of the last cell,
    /// because an in-flight request may still carry the old id. `normalized` keeps every id at or
    /// below `MAX_CELL_ID`, so this cannot overflow.
    fn next_id(&self) -> CellId {
        CellId(
            self.cells
                .iter()
                .map(|cell| cell.id.0)
                .max()
                .unwrap_or(0)
                .saturating_add(1),
        )
    }

    /// Repairs what an untrusted notebook (a file or a share link) may get wrong without being invalid
    /// JSON: duplicate cell ids would make cells impossible to address (deleting one would delete
    /// both), so they are renumbered, as are all ids when one is above `MAX_CELL_ID` (room for new
    /// ids would run out); and inference assumptions outside the physical range are brought back into it.
    pub fn normalized(mut self) -> Notebook {
        if self.cells.iter().any(|cell| cell.id.0 > MAX_CELL_ID) {
            for (index, cell) in self.cells.iter_mut().enumerate() {
                cell.id = CellId(index as u64 + 1);
            }
        }
        // Every id is now at most 2^53, so adding one per cell cannot overflow.
        let mut seen = std::collections::HashSet::new();
        let mut next = self.cells.iter().map(|cell| cell.id.0).max().unwrap_or(0);
        for cell in &mut self.cells {
            if !seen.insert(cell.id) {
                next += 1;
                cell.id = CellId(next);
                seen.insert(cell.id);
            }
            match &mut cell.body {
                CellBody::Atlas(AtlasCell { inference, .. })
                | CellBody::Observations(ObservationsCell { inference, .. }) => {
                    *inference = inference.sanitized();
                }
                CellBody::Measure(measure) => measure.inference = measure.inference.sanitized(),
                CellBody::Markdown { .. } | CellBody::Dns(_) | CellBody::Routing(_) => {}
            }
        }
        self
    }
}

impl AppState {
    pub fn new(notebook: Notebook) -> AppState {
        AppState {
            notebook,
            fetches: Vec::new(),
            notice: None,
            viewing_shared: false,
        }
    }

    pub fn fetch_state(&self, id: CellId) -> &FetchState {
        self.fetches
            .iter()
            .find(|(cell, _)| *cell == id)
            .map(|(_, state)| state)
            .unwrap_or(&FetchState::Idle)
    }

    fn set_fetch_state(&mut self, id: CellId, state: FetchState) {
        self.fetches.retain(|(cell, _)| *cell != id);
        if state != FetchState::Idle {
            self.fetches.push((id, state));
        }
    }

    fn body_mut(&mut self, id: CellId) -> Option<&mut CellBody> {
        self.notebook
            .cells
            .iter_mut()
            .find(|cell| cell.id == id)
            .map(|cell| &mut cell.body)
    }

    fn atlas_cell_mut(&mut self, id: CellId) -> Option<&mut AtlasCell> {
        match self.body_mut(id)? {
            CellBody::Atlas(atlas) => Some(atlas),
            CellBody::Markdown { .. }
            | CellBody::Dns(_)
            | CellBody::Observations(_)
            | CellBody::Routing(_)
            | CellBody::Measure(_) => None,
        }
    }

    fn dns_cell_mut(&mut self, id: CellId) -> Option<&mut DnsCell> {
        match self.body_mut(id)? {
            CellBody::Dns(dns) => Some(dns),
            CellBody::Markdown { .. }
            | CellBody::Atlas(_)
            | CellBody::Observations(_)
            | CellBody::Routing(_)
            | CellBody::Measure(_) => None,
        }
    }

    fn routing_cell_mut(&mut self, id: CellId) -> Option<&mut RoutingCell> {
        match self.body_mut(id)? {
            CellBody::Routing(routing) => Some(routing),
            CellBody::Markdown { .. }
            | CellBody::Atlas(_)
            | CellBody::Observations(_)
            | CellBody::Dns(_)
            | CellBody::Measure(_) => None,
        }
    }

    fn measure_cell_mut(&mut self, id: CellId) -> Option<&mut measure::MeasureCell> {
        match self.body_mut(id)? {
            CellBody::Measure(measure) => Some(measure),
            CellBody::Markdown { .. }
            | CellBody::Atlas(_)
            | CellBody::Observations(_)
            | CellBody::Dns(_)
            | CellBody::Routing(_) => None,
        }
    }

    fn observations_cell_mut(&mut self, id: CellId) -> Option<&mut ObservationsCell> {
        match self.body_mut(id)? {
            CellBody::Observations(table) => Some(table),
            CellBody::Markdown { .. }
            | CellBody::Atlas(_)
            | CellBody::Dns(_)
            | CellBody::Routing(_)
            | CellBody::Measure(_) => None,
        }
    }
}

/// Applies one action. Pure: the same state and action always give the same new state. Actions that
/// name a cell which no longer exists (it was deleted while its request was in flight) change nothing.
pub fn apply(mut state: AppState, action: Action) -> AppState {
    let edits_notebook = !matches!(
        action,
        Action::FetchProgress { .. }
            | Action::FetchFailed { .. }
            | Action::ShowNotice(_)
            | Action::Open { .. }
    );
    if edits_notebook {
        // An edited shared report has become the author's own notebook.
        state.viewing_shared = false;
    }
    match action {
        Action::SetTitle(title) => state.notebook.title = title,
        Action::AddCell { after, kind } => {
            let id = state.notebook.next_id();
            let body = match kind {
                NewCellKind::Markdown => CellBody::Markdown {
                    source: String::new(),
                },
                NewCellKind::Atlas => CellBody::Atlas(AtlasCell::default()),
                NewCellKind::Observations => CellBody::Observations(ObservationsCell::default()),
                NewCellKind::Dns => CellBody::Dns(DnsCell::default()),
                NewCellKind::Routing => CellBody::Routing(RoutingCell::default()),
                NewCellKind::Measure => CellBody::Measure(measure::MeasureCell::default()),
            };
            let at = after
                .and_then(|after| state.notebook.index_of(after))
                .map_or(state.notebook.cells.len(), |index| index + 1);
            state.notebook.cells.insert(at, Cell { id, body });
        }
        Action::EditMarkdown {
            id,
            source: new_source,
        } => {
            if let Some(Cell {
                body: CellBody::Markdown { source },
                ..
            }) = state.notebook.cells.iter_mut().find(|cell| cell.id == id)
            {
                *source = new_source;
            }
        }
        Action::EditAtlasRequest { id, request } => {
            if let Some(atlas) = state.atlas_cell_mut(id) {
                atlas.request = request;
            }
        }
        Action::SetInference { id, choices } => {
            if let Some(atlas) = state.atlas_cell_mut(id) {
                atlas.inference = choices.sanitized();
            } else if let Some(table) = state.observations_cell_mut(id) {
                table.inference = choices.sanitized();
            } else if let Some(measure) = state.measure_cell_mut(id) {
                measure.inference = choices.sanitized();
            }
        }
        Action::HopLookupsLoaded { id, lookups } => {
            if let Some(atlas) = state.atlas_cell_mut(id)
                && let Some(snapshot) = &atlas.snapshot
            {
                let mut snapshot = AtlasSnapshot::clone(snapshot);
                snapshot.hop_lookups.extend(lookups);
                atlas.snapshot = Some(Rc::new(snapshot));
            }
            state.set_fetch_state(id, FetchState::Idle);
        }
        Action::TableLoaded { id, snapshot } => {
            if let Some(table) = state.observations_cell_mut(id) {
                table.snapshot = Some(Rc::new(snapshot));
                state.set_fetch_state(id, FetchState::Idle);
            }
        }
        Action::EditDnsRequest { id, request } => {
            if let Some(dns) = state.dns_cell_mut(id) {
                dns.request = request;
            }
        }
        Action::EditRoutingRequest { id, request } => {
            if let Some(routing) = state.routing_cell_mut(id) {
                routing.request = request;
            }
        }
        Action::EditMeasureForm { id, form } => {
            if let Some(measure) = state.measure_cell_mut(id) {
                measure.form = form;
            }
        }
        Action::InsertMeasureCell { after, cell } => {
            if let Some(index) = state.notebook.index_of(after) {
                let id = state.notebook.next_id();
                state.notebook.cells.insert(
                    index + 1,
                    Cell {
                        id,
                        body: CellBody::Measure(cell),
                    },
                );
            }
        }
        Action::MeasureRunStarted { id, run } => {
            if let Some(measure) = state.measure_cell_mut(id) {
                measure.runs.push(Rc::new(run));
            }
        }
        Action::MeasureRunUpdated { id, run, done } => {
            if let Some(measure) = state.measure_cell_mut(id) {
                if let Some(current) = measure.runs.last_mut()
                    && current.source_id() == run.source_id()
                {
                    *current = Rc::new(run);
                }
                if done {
                    state.set_fetch_state(id, FetchState::Idle);
                }
            }
        }
        Action::MoveCell { id, direction } => {
            if let Some(index) = state.notebook.index_of(id) {
                let target = match direction {
                    Direction::Up => index.checked_sub(1),
                    Direction::Down => {
                        Some(index + 1).filter(|next| *next < state.notebook.cells.len())
                    }
                };
                if let Some(target) = target {
                    state.notebook.cells.swap(index, target);
                }
            }
        }
        Action::DeleteCell { id } => {
            state.notebook.cells.retain(|cell| cell.id != id);
            state.set_fetch_state(id, FetchState::Idle);
        }
        Action::FetchProgress { id, step } => {
            if state.notebook.cell(id).is_some() {
                state.set_fetch_state(id, FetchState::InProgress { step });
            }
        }
        Action::FetchFailed { id, message } => {
            if state.notebook.cell(id).is_some() {
                state.set_fetch_state(id, FetchState::Failed { message });
            }
        }
        Action::SnapshotLoaded { id, snapshot } => {
            if let Some(atlas) = state.atlas_cell_mut(id) {
                atlas.snapshot = Some(Rc::new(snapshot));
                state.set_fetch_state(id, FetchState::Idle);
            }
        }
        Action::DnsSnapshotLoaded { id, snapshot } => {
            if let Some(dns) = state.dns_cell_mut(id) {
                // A run again keeps the run before it, for the before/after.
                if let Some(earlier) = dns.snapshot.take() {
                    dns.previous = Some(earlier);
                }
                dns.snapshot = Some(Rc::new(snapshot));
                state.set_fetch_state(id, FetchState::Idle);
            }
        }
        Action::RoutingSnapshotLoaded { id, snapshot } => {
            if let Some(routing) = state.routing_cell_mut(id) {
                routing.snapshot = Some(Rc::new(snapshot));
                state.set_fetch_state(id, FetchState::Idle);
            }
        }
        Action::ClearSnapshot { id } => {
            if let Some(atlas) = state.atlas_cell_mut(id) {
                atlas.snapshot = None;
            } else if let Some(table) = state.observations_cell_mut(id) {
                table.snapshot = None;
            }
            if let Some(dns) = state.dns_cell_mut(id) {
                dns.snapshot = None;
                dns.previous = None;
            }
            if let Some(routing) = state.routing_cell_mut(id) {
                routing.snapshot = None;
            }
        }
        Action::Open {
            notebook,
            from_share_link,
            notice,
        } => {
            state.notebook = notebook.normalized();
            state.fetches.clear();
            state.notice = notice;
            state.viewing_shared = from_share_link;
        }
        Action::ShowNotice(notice) => state.notice = notice,
    }
    state
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn state_with(kinds: &[NewCellKind]) -> AppState {
        let mut state = AppState::new(Notebook {
            title: "t".into(),
            cells: Vec::new(),
        });
        for kind in kinds {
            state = apply(
                state,
                Action::AddCell {
                    after: None,
                    kind: *kind,
                },
            );
        }
        state
    }

    fn ids(state: &AppState) -> Vec<u64> {
        state.notebook.cells.iter().map(|cell| cell.id.0).collect()
    }

    #[test]
    fn cells_are_added_after_the_named_cell_or_at_the_end() {
        let state = state_with(&[NewCellKind::Markdown, NewCellKind::Atlas]);
        assert_eq!(ids(&state), vec![1, 2]);
        let state = apply(
            state,
            Action::AddCell {
                after: Some(CellId(1)),
                kind: NewCellKind::Markdown,
            },
        );
        assert_eq!(ids(&state), vec![1, 3, 2]);
        assert!(matches!(state.notebook.cells[2].body, CellBody::Atlas(_)));
    }

    #[test]
    fn moving_past_either_end_changes_nothing() {
        let state = state_with(&[
            NewCellKind::Markdown,
            NewCellKind::Markdown,
            NewCellKind::Markdown,
        ]);
        let state = apply(
            state,
            Action::MoveCell {
                id: CellId(1),
                direction: Direction::Up,
            },
        );
        assert_eq!(ids(&state), vec![1, 2, 3]);
        let state = apply(
            state,
            Action::MoveCell {
                id: CellId(3),
                direction: Direction::Down,
            },
        );
        assert_eq!(ids(&state), vec![1, 2, 3]);
        let state = apply(
            state,
            Action::MoveCell {
                id: CellId(1),
                direction: Direction::Down,
            },
        );
        assert_eq!(ids(&state), vec![2, 1, 3]);
    }

    #[test]
    fn ids_are_not_reused_after_deleting_a_middle_cell() {
        let state = state_with(&[
            NewCellKind::Markdown,
            NewCellKind::Markdown,
            NewCellKind::Markdown,
        ]);
        let state = apply(state, Action::DeleteCell { id: CellId(2) });
        let state = apply(
            state,
            Action::AddCell {
                after: None,
                kind: NewCellKind::Markdown,
            },
        );
        assert_eq!(ids(&state), vec![1, 3, 4]);
    }

    #[test]
    fn inference_choices_are_stored_and_kept_physical() {
        let state = state_with(&[NewCellKind::Atlas]);
        let factor_of = |state: &AppState| match &state.notebook.cells[0].body {
            CellBody::Atlas(atlas) => atlas.inference.fiber_factor,
            CellBody::Markdown { .. }
            | CellBody::Observations(_)
            | CellBody::Dns(_)
            | CellBody::Routing(_)
            | CellBody::Measure(_) => f64::NAN,
        };
        assert_eq!(
            factor_of(&state),
            crate::infer::Assumptions::default().fiber_factor
        );
        let set = |state: AppState, fiber_factor: f64| {
            apply(
                state,
                Action::SetInference {
                    id: CellId(1),
                    choices: InferenceChoices { fiber_factor },
                },
            )
        };
        let state = set(state, 0.8);
        assert_eq!(factor_of(&state), 0.8);
        let clamped = set(state.clone(), 50.0);
        assert_eq!(
            factor_of(&clamped),
            1.0,
            "nothing travels faster than light"
        );
        let clamped = set(state, f64::NAN);
        assert_eq!(
            factor_of(&clamped),
            crate::infer::Assumptions::default().fiber_factor
        );
        // An untrusted notebook (file or link) with an absurd factor is brought back into range.
        let text = r#"{"title":"t","cells":[{"id":1,"body":{"kind":"atlas","request":{},"inference":{"fiber_factor":-3}}}]}"#;
        let notebook: Notebook = serde_json::from_str::<Notebook>(text).unwrap().normalized();
        let CellBody::Atlas(atlas) = &notebook.cells[0].body else {
            panic!("an Atlas cell");
        };
        assert!(atlas.inference.fiber_factor > 0.0);
        // A notebook saved before the choice existed reads with the default.
        let old = r#"{"title":"t","cells":[{"id":1,"body":{"kind":"atlas","request":{}}}]}"#;
        let notebook: Notebook = serde_json::from_str(old).unwrap();
        let CellBody::Atlas(atlas) = &notebook.cells[0].body else {
            panic!("an Atlas cell");
        };
        assert_eq!(atlas.inference, InferenceChoices::default());
    }

    #[test]
    fn an_observations_cell_takes_a_table_and_its_own_choices() {
        let state = state_with(&[NewCellKind::Observations, NewCellKind::Atlas]);
        let snapshot = TableSnapshot {
            source: SnapshotSource::Pasted,
            fetched_at_unix_ms: 7,
            text: "id,lat,lon,rtt\na,52.37,4.9,1.2\n".into(),
        };
        let state = apply(
            state,
            Action::TableLoaded {
                id: CellId(1),
                snapshot: snapshot.clone(),
            },
        );
        let state = apply(
            state,
            Action::SetInference {
                id: CellId(1),
                choices: InferenceChoices { fiber_factor: 0.9 },
            },
        );
        // A table sent to an Atlas cell (a stale request) changes nothing.
        let unchanged = apply(
            state.clone(),
            Action::TableLoaded {
                id: CellId(2),
                snapshot,
            },
        );
        assert_eq!(unchanged.notebook, state.notebook);
        match &state.notebook.cells[0].body {
            CellBody::Observations(table) => {
                assert_eq!(
                    table.snapshot.as_ref().map(|s| s.fetched_at_unix_ms),
                    Some(7)
                );
                assert_eq!(table.inference.fiber_factor, 0.9);
            }
            other => panic!("expected an observations cell, got {other:?}"),
        }
        match &state.notebook.cells[1].body {
            CellBody::Atlas(atlas) => assert_eq!(atlas.inference, InferenceChoices::default()),
            other => panic!("expected an Atlas cell, got {other:?}"),
        }
        let state = apply(state, Action::ClearSnapshot { id: CellId(1) });
        assert!(matches!(
            &state.notebook.cells[0].body,
            CellBody::Observations(ObservationsCell { snapshot: None, .. })
        ));
    }

    #[test]
    fn a_late_response_for_a_deleted_cell_is_dropped() {
        let state = state_with(&[NewCellKind::Atlas]);
        let state = apply(state, Action::DeleteCell { id: CellId(1) });
        let snapshot = AtlasSnapshot {
            source: SnapshotSource::Pasted,
            fetched_at_unix_ms: 0,
            results_text: "[]".into(),
            probes: Vec::new(),
            fetch_notes: Vec::new(),
            hop_lookups: Vec::new(),
            hop_names: Vec::new(),
        };
        let after = apply(
            state.clone(),
            Action::SnapshotLoaded {
                id: CellId(1),
                snapshot,
            },
        );
        assert_eq!(after, state);
        let after = apply(
            state.clone(),
            Action::FetchProgress {
                id: CellId(1),
                step: "x".into(),
            },
        );
        assert_eq!(after.fetches, Vec::new());
    }

    #[test]
    fn progress_then_snapshot_clears_the_progress() {
        let state = state_with(&[NewCellKind::Atlas]);
        let state = apply(
            state,
            Action::FetchProgress {
                id: CellId(1),
                step: "Fetching results".into(),
            },
        );
        assert_eq!(
            state.fetch_state(CellId(1)),
            &FetchState::InProgress {
                step: "Fetching results".into()
            }
        );
        let state = apply(
            state,
            Action::SnapshotLoaded {
                id: CellId(1),
                snapshot: AtlasSnapshot {
                    source: SnapshotSource::Pasted,
                    fetched_at_unix_ms: 5,
                    results_text: "[]".into(),
                    probes: Vec::new(),
                    fetch_notes: Vec::new(),
                    hop_lookups: Vec::new(),
                    hop_names: Vec::new(),
                },
            },
        );
        assert_eq!(state.fetch_state(CellId(1)), &FetchState::Idle);
        match &state.notebook.cells[0].body {
            CellBody::Atlas(atlas) => assert_eq!(
                atlas.snapshot.as_ref().map(|s| s.fetched_at_unix_ms),
                Some(5)
            ),
            other => panic!("expected an Atlas cell, got {other:?}"),
        }
    }

    #[test]
    fn editing_a_shared_report_makes_it_the_authors_own() {
        let state = apply(
            AppState::new(Notebook::blank()),
            Action::Open {
                notebook: Notebook::blank(),
                from_share_link: true,
                notice: None,
            },
        );
        assert!(state.viewing_shared);
        let state = apply(
            state,
            Action::EditMarkdown {
                id: CellId(1),
                source: "mine now".into(),
            },
        );
        assert!(!state.viewing_shared);
    }

    pub(crate) fn dns_snapshot(name: &str) -> DnsSnapshot {
        DnsSnapshot {
            name: name.into(),
            started_at_unix_ms: 1,
            finished_at_unix_ms: 2,
            planned_queries: 0,
            cancelled: false,
            exchanges: Vec::new(),
            controls: Vec::new(),
            origin_lookups: Vec::new(),
            origins_fetched_at_unix_ms: None,
            notes: Vec::new(),
        }
    }

    fn dns_cell(state: &AppState, index: usize) -> &DnsCell {
        match &state.notebook.cells[index].body {
            CellBody::Dns(dns) => dns,
            other => panic!("expected a DNS cell, got {other:?}"),
        }
    }

    #[test]
    fn a_dns_cell_keeps_its_request_and_takes_its_snapshot() {
        let state = state_with(&[NewCellKind::Dns, NewCellKind::Atlas]);
        assert_eq!(dns_cell(&state, 0), &DnsCell::default());
        let request = DnsRequest {
            name: "example.com".into(),
            ..DnsRequest::default()
        };
        let state = apply(
            state,
            Action::EditDnsRequest {
                id: CellId(1),
                request: request.clone(),
            },
        );
        assert_eq!(dns_cell(&state, 0).request, request);
        let state = apply(
            state,
            Action::FetchProgress {
                id: CellId(1),
                step: "3 / 6 queries".into(),
            },
        );
        let state = apply(
            state,
            Action::DnsSnapshotLoaded {
                id: CellId(1),
                snapshot: dns_snapshot("example.com"),
            },
        );
        assert_eq!(state.fetch_state(CellId(1)), &FetchState::Idle);
        assert_eq!(
            dns_cell(&state, 0)
                .snapshot
                .as_ref()
                .map(|s| s.name.as_str()),
            Some("example.com")
        );
        // A DNS snapshot never lands in an Atlas cell, nor a DNS request edit.
        let unchanged = apply(
            state.clone(),
            Action::DnsSnapshotLoaded {
                id: CellId(2),
                snapshot: dns_snapshot("other.example"),
            },
        );
        assert_eq!(unchanged.notebook, state.notebook);
        let unchanged = apply(
            state.clone(),
            Action::EditDnsRequest {
                id: CellId(2),
                request: DnsRequest::default(),
            },
        );
        assert_eq!(unchanged.notebook, state.notebook);
        // Running again keeps the run before, for the before/after.
        assert!(dns_cell(&state, 0).previous.is_none());
        let again = apply(
            state.clone(),
            Action::DnsSnapshotLoaded {
                id: CellId(1),
                snapshot: dns_snapshot("example.org"),
            },
        );
        let cell = dns_cell(&again, 0);
        assert_eq!(
            cell.previous.as_ref().map(|s| s.name.as_str()),
            Some("example.com")
        );
        assert_eq!(
            cell.snapshot.as_ref().map(|s| s.name.as_str()),
            Some("example.org")
        );
        assert!(
            cell.comparison().is_none(),
            "another name: nothing to compare"
        );
        let cleared = apply(again, Action::ClearSnapshot { id: CellId(1) });
        assert!(dns_cell(&cleared, 0).snapshot.is_none());
        assert!(dns_cell(&cleared, 0).previous.is_none());
    }

    #[test]
    fn a_late_dns_run_for_a_deleted_cell_is_dropped() {
        let state = state_with(&[NewCellKind::Dns]);
        let state = apply(state, Action::DeleteCell { id: CellId(1) });
        for action in [
            Action::FetchProgress {
                id: CellId(1),
                step: "1 / 6 queries".into(),
            },
            Action::FetchFailed {
                id: CellId(1),
                message: "late".into(),
            },
            Action::DnsSnapshotLoaded {
                id: CellId(1),
                snapshot: dns_snapshot("example.com"),
            },
        ] {
            let after = apply(state.clone(), action);
            assert_eq!(after.notebook, state.notebook);
            assert!(after.fetches.is_empty());
        }
    }

    #[test]
    fn notebooks_with_a_dns_cell_survive_files_and_old_ones_still_load() {
        let mut state = state_with(&[NewCellKind::Markdown, NewCellKind::Dns]);
        state = apply(
            state,
            Action::DnsSnapshotLoaded {
                id: CellId(2),
                snapshot: dns_snapshot("example.com"),
            },
        );
        let notebook = state.notebook;
        let text = file::to_file_text(&notebook);
        assert!(text.contains(r#""kind": "dns""#), "{text}");
        assert_eq!(file::from_file_text(&text), Ok(notebook));
        // Through a share link: `share::tests::notebooks_with_dns_and_routing_cells_survive_links`.
        // A version-1 file from before DNS cells existed reads unchanged.
        let old = r#"{"format":"vantage-notebook","version":1,"notebook":{"title":"t","cells":[{"id":1,"body":{"kind":"markdown","source":"x"}},{"id":2,"body":{"kind":"atlas","request":{}}}]}}"#;
        let read = file::from_file_text(old).unwrap();
        assert_eq!(read.cells.len(), 2);
    }

    pub(crate) fn routing_snapshot(resource: &str) -> RoutingSnapshot {
        RoutingSnapshot {
            resource: resource.into(),
            started_at_unix_ms: 1,
            finished_at_unix_ms: 2,
            cancelled: false,
            lookups: Vec::new(),
            notes: Vec::new(),
            community_remarks: None,
        }
    }

    fn routing_cell(state: &AppState, index: usize) -> &RoutingCell {
        match &state.notebook.cells[index].body {
            CellBody::Routing(routing) => routing,
            other => panic!("expected a routing cell, got {other:?}"),
        }
    }

    #[test]
    fn a_routing_cell_keeps_its_request_takes_its_snapshot_and_travels() {
        let state = state_with(&[NewCellKind::Routing, NewCellKind::Dns]);
        assert_eq!(routing_cell(&state, 0), &RoutingCell::default());
        let request = RoutingRequest {
            resource: "AS3333".into(),
        };
        let state = apply(
            state,
            Action::EditRoutingRequest {
                id: CellId(1),
                request: request.clone(),
            },
        );
        assert_eq!(routing_cell(&state, 0).request, request);
        let state = apply(
            state,
            Action::FetchProgress {
                id: CellId(1),
                step: "3 / 4 lookups".into(),
            },
        );
        let state = apply(
            state,
            Action::RoutingSnapshotLoaded {
                id: CellId(1),
                snapshot: routing_snapshot("AS3333"),
            },
        );
        assert_eq!(state.fetch_state(CellId(1)), &FetchState::Idle);
        assert_eq!(
            routing_cell(&state, 0)
                .snapshot
                .as_ref()
                .map(|s| s.resource.as_str()),
            Some("AS3333")
        );
        // Neither a routing snapshot nor a routing request lands in a DNS cell.
        for action in [
            Action::RoutingSnapshotLoaded {
                id: CellId(2),
                snapshot: routing_snapshot("AS1"),
            },
            Action::EditRoutingRequest {
                id: CellId(2),
                request: RoutingRequest::default(),
            },
        ] {
            assert_eq!(apply(state.clone(), action).notebook, state.notebook);
        }
        let notebook = state.notebook.clone();
        let text = file::to_file_text(&notebook);
        assert!(text.contains(r#""kind": "routing""#), "{text}");
        assert_eq!(file::from_file_text(&text), Ok(notebook));
        // Through a share link: `share::tests::notebooks_with_dns_and_routing_cells_survive_links`.
        let cleared = apply(state, Action::ClearSnapshot { id: CellId(1) });
        assert!(routing_cell(&cleared, 0).snapshot.is_none());
        // A late run for a deleted routing cell changes nothing.
        let gone = apply(cleared, Action::DeleteCell { id: CellId(1) });
        let after = apply(
            gone.clone(),
            Action::RoutingSnapshotLoaded {
                id: CellId(1),
                snapshot: routing_snapshot("AS3333"),
            },
        );
        assert_eq!(after, gone);
    }

    #[test]
    fn duplicate_ids_from_an_untrusted_notebook_are_renumbered() {
        let cell = |id| Cell {
            id: CellId(id),
            body: CellBody::Markdown {
                source: String::new(),
            },
        };
        let notebook = Notebook {
            title: String::new(),
            cells: vec![cell(7), cell(7), cell(2)],
        }
        .normalized();
        assert_eq!(
            notebook.cells.iter().map(|c| c.id.0).collect::<Vec<_>>(),
            vec![7, 8, 2]
        );
    }

    /// Regression (issue 17): with u64::MAX as the largest id, `saturating_add` gave the duplicate the
    /// same id again, so deleting one cell deleted both.
    #[test]
    fn ids_stay_unique_and_addable_whatever_a_notebook_holds() {
        let cell = |id| Cell {
            id: CellId(id),
            body: CellBody::Markdown {
                source: String::new(),
            },
        };
        for ids in [
            vec![u64::MAX, u64::MAX],
            vec![u64::MAX, 3, u64::MAX - 1, 3],
            vec![MAX_CELL_ID, MAX_CELL_ID],
            vec![0, 0, 0],
        ] {
            let notebook = Notebook {
                title: String::new(),
                cells: ids.iter().map(|id| cell(*id)).collect(),
            }
            .normalized();
            let unique: std::collections::HashSet<_> =
                notebook.cells.iter().map(|c| c.id).collect();
            assert_eq!(unique.len(), ids.len(), "{ids:?}");
            // A new cell gets an id of its own, and deleting the first deletes only it.
            let first = notebook.cells[0].id;
            let state = apply(
                AppState::new(notebook),
                Action::AddCell {
                    after: None,
                    kind: NewCellKind::Markdown,
                },
            );
            let unique: std::collections::HashSet<_> =
                state.notebook.cells.iter().map(|c| c.id).collect();
            assert_eq!(unique.len(), ids.len() + 1, "{ids:?}");
            let state = apply(state, Action::DeleteCell { id: first });
            assert_eq!(state.notebook.cells.len(), ids.len(), "{ids:?}");
        }
    }
}
