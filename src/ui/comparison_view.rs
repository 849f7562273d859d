//! Before and after: the comparison of two runs of one cell (a re-run on the same probes, a DNS
//! fan-out run again), one row per probe or vantage with what changed. Renders what
//! `rerun::compare` derived; used by the "Measure now" and DNS cells.

use std::rc::Rc;

use yew::prelude::*;

#[derive(Properties)]
pub struct ComparisonViewProps {
    pub comparison: Rc<crate::rerun::Comparison>,
}

impl PartialEq for ComparisonViewProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.comparison, &other.comparison) || self.comparison == other.comparison
    }
}

/// The last two runs side by side: what changed per probe.
#[component]
pub fn ComparisonView(props: &ComparisonViewProps) -> Html {
    let describe = |outcome: &Option<crate::rerun::ProbeOutcome>| -> String {
        let Some(outcome) = outcome else {
            return "—".to_string();
        };
        let mut parts = Vec::new();
        if let Some(rtt) = outcome.rtt_ms {
            parts.push(format!("{rtt:.1} ms"));
        }
        if let Some(status) = &outcome.status {
            parts.push(status.clone());
        }
        if !outcome.answers.is_empty() {
            parts.push(outcome.answers.join(" "));
        }
        if !outcome.path.is_empty() {
            parts.push(format!("via {}", outcome.path.join(" → ")));
        }
        if parts.is_empty() {
            "no answer".to_string()
        } else {
            parts.join("; ")
        }
    };
    html! {
        <section class="comparison" aria-label="Before and after">
            <h3>{ "Before and after (the last two runs)" }</h3>
            <p class="comparison-summary">{ props.comparison.summary.clone() }</p>
            <table>
                <thead><tr><th>{ "Probe" }</th><th>{ "Before" }</th><th>{ "After" }</th><th>{ "What changed" }</th></tr></thead>
                <tbody>
                    { for props.comparison.changes.iter().map(|change| html! {
                        <tr class={classes!((!change.what_changed.is_empty()).then_some("changed"))}>
                            <td>{ change.label.clone() }</td>
                            <td>{ describe(&change.before) }</td>
                            <td>{ describe(&change.after) }</td>
                            <td>{ if change.what_changed.is_empty() { "—".to_string() } else { change.what_changed.join("; ") } }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
        </section>
    }
}
