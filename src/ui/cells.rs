//! The list of cells: each cell's frame (move, delete, insert below), the "+ add cell" bar and the
//! Markdown note cell.

use yew::prelude::*;

use super::StoreHandle;
use super::atlas_cell::AtlasCellView;
use super::browser;
use super::dns_cell::DnsCellView;
use super::markdown_view::MarkdownView;
use super::measure_cell::MeasureCellView;
use super::observations_cell::ObservationsCellView;
use super::routing_cell::RoutingCellView;
use crate::notebook::{Action, Cell, CellBody, CellId, Direction, NewCellKind};

#[component]
pub fn CellList() -> Html {
    let Some(store) = use_context::<StoreHandle>() else {
        return html! {};
    };
    let cells = store.0.notebook.cells.clone();
    let count = cells.len();
    html! {
        <div class="cells">
            { for cells.into_iter().enumerate().map(|(index, cell)| html! {
                <CellFrame key={cell.id.0} cell={cell.clone()} first={index == 0} last={index + 1 == count} />
            }) }
            // Every cell carries an "insert below" bar, so the one that appends is only needed on an
            // empty notebook: otherwise the last cell's bar and it would stand as two identical rows.
            if count == 0 {
                <AddCellBar after={None::<CellId>} />
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct AddCellBarProps {
    after: Option<CellId>,
}

#[component]
fn AddCellBar(props: &AddCellBarProps) -> Html {
    let Some(store) = use_context::<StoreHandle>() else {
        return html! {};
    };
    let add = |kind: NewCellKind| {
        let store = store.clone();
        let after = props.after;
        Callback::from(move |_: MouseEvent| store.dispatch(Action::AddCell { after, kind }))
    };
    html! {
        <div class="add-cell">
            <button onclick={add(NewCellKind::Markdown)}>{ "+ Note" }</button>
            <button onclick={add(NewCellKind::Atlas)}>{ "+ Atlas measurement" }</button>
            <button onclick={add(NewCellKind::Observations)}>{ "+ Latency table" }</button>
            <button onclick={add(NewCellKind::Dns)}>{ "+ DNS from everywhere" }</button>
            <button onclick={add(NewCellKind::Routing)}>{ "+ Routing context" }</button>
            <button onclick={add(NewCellKind::Measure)}>{ "+ Measure now" }</button>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct CellFrameProps {
    cell: Cell,
    first: bool,
    last: bool,
}

#[component]
fn CellFrame(props: &CellFrameProps) -> Html {
    let Some(store) = use_context::<StoreHandle>() else {
        return html! {};
    };
    let id = props.cell.id;
    let action = |action: Action| {
        let store = store.clone();
        Callback::from(move |_: MouseEvent| store.dispatch(action.clone()))
    };
    let (kind, body) = match &props.cell.body {
        CellBody::Markdown { source } => (
            "Note",
            html! { <MarkdownCell id={id} source={source.clone()} /> },
        ),
        CellBody::Atlas(atlas) => (
            "Atlas measurement",
            html! { <AtlasCellView id={id} cell={atlas.clone()} /> },
        ),
        CellBody::Observations(table) => (
            "Latency table",
            html! { <ObservationsCellView id={id} cell={table.clone()} /> },
        ),
        CellBody::Dns(dns) => ("DNS", html! { <DnsCellView id={id} cell={dns.clone()} /> }),
        CellBody::Routing(routing) => (
            "Routing context",
            html! { <RoutingCellView id={id} cell={routing.clone()} /> },
        ),
        CellBody::Measure(measure) => (
            "Measure now",
            html! { <MeasureCellView id={id} cell={measure.clone()} /> },
        ),
    };
    html! {
        <>
        <article class="cell" data-cell-id={id.0.to_string()} data-kind={kind}>
            <div class="cell-toolbar">
                <span class="cell-kind">{ kind }</span>
                <button title="Move up" aria-label="Move cell up" disabled={props.first}
                    onclick={action(Action::MoveCell { id, direction: Direction::Up })}>{ "↑" }</button>
                <button title="Move down" aria-label="Move cell down" disabled={props.last}
                    onclick={action(Action::MoveCell { id, direction: Direction::Down })}>{ "↓" }</button>
                <button title="Delete cell" aria-label="Delete cell" class="danger"
                    onclick={action(Action::DeleteCell { id })}>{ "✕" }</button>
            </div>
            { body }
        </article>
        <AddCellBar after={Some(id)} />
        </>
    }
}

#[derive(Properties, PartialEq)]
struct MarkdownCellProps {
    id: CellId,
    source: AttrValue,
}

#[component]
fn MarkdownCell(props: &MarkdownCellProps) -> Html {
    let Some(store) = use_context::<StoreHandle>() else {
        return html! {};
    };
    // A new, empty note opens in the editor; a written one opens rendered.
    let editing = use_state(|| props.source.trim().is_empty());
    let id = props.id;
    let on_input = {
        let store = store.clone();
        Callback::from(move |event: InputEvent| {
            store.dispatch(Action::EditMarkdown {
                id,
                source: browser::input_value(&event),
            })
        })
    };
    let toggle = {
        let editing = editing.clone();
        Callback::from(move |_: MouseEvent| editing.set(!*editing))
    };
    if *editing {
        html! {
            <div class="markdown-cell editing">
                <textarea class="markdown-source" aria-label="Note (Markdown)" rows="8"
                    placeholder="Write your findings in Markdown: # headings, **bold**, [links](https://…), - lists"
                    value={props.source.clone()} oninput={on_input} />
                <button class="primary" onclick={toggle}>{ "Done" }</button>
            </div>
        }
    } else {
        html! {
            <div class="markdown-cell">
                <MarkdownView source={props.source.clone()} />
                <button class="edit" onclick={toggle}>{ "Edit" }</button>
            </div>
        }
    }
}
