//! Creating RIPE Atlas one-off measurements with the user's own API key, as pure data: the request the
//! author builds (test, target, probe selection), its checks, the exact `POST /api/v2/measurements/`
//! body, a credit estimate, the equivalent `ripe-atlas measure …` command lines, and the replies read
//! back (created IDs, progress from the measurement's metadata, error bodies read into an
//! `ApiProblem`, which `problem_words` words). The key itself is an [`ApiKey`] that never prints or
//! serialises its secret.
//!
//! This module must not do I/O: the `net` shell sends the body and hands the status and text back here.
//! It owns the public API (re-exported below, so callers name `atlas::create::…` whatever file holds
//! an item) and the few text helpers its files share; each topic lives in its own file:
//! `selection` (the probe-selection language), `request` (the request, its checks and its body),
//! `cost` (the credit estimate), `command` (the `ripe-atlas measure` equivalent), `error` (error
//! replies read into an `ApiProblem`), `progress` (created IDs and progress) and `key` (the API key).
//!
//! Sources: the RIPE Atlas REST API manual (atlas.ripe.net/docs/apis/rest-api-manual/…: creating
//! measurements, the probes array, error messages, API keys), the Atlas "Credits" page for the cost
//! model, and RIPE's own command-line client ripe-atlas-tools (`ripe/atlas/tools/commands/measure/*.py`)
//! for the command equivalents. Each figure names where it came from.

mod command;
mod cost;
mod error;
mod key;
mod progress;
mod request;
mod selection;

pub use cost::{COST_SOURCE, CostEstimate};
pub use error::{parse_error, read_error};
pub use key::{ApiKey, CREATE_PERMISSION, KEYS_PAGE};
pub use progress::{MeasurementProgress, parse_created, parse_credits_per_result, parse_progress};
pub use request::{
    AtlasTest, CreateRequest, DNS_QUERY_TYPES, PARIS_VARIATIONS, PING_PACKETS,
    TRACEROUTE_PROTOCOLS, definition_json_pretty,
};
pub use selection::{
    AREAS, CONTINENT_REGIONS, MAX_PROBES_PER_MEASUREMENT, ProbeRequest, ProbeSelector, REGIONS,
    format_probe_requests, parse_probe_requests, reuse_probes,
};

// ---------------------------------------------------------------------------------------------------
// Text helpers the files share
// ---------------------------------------------------------------------------------------------------

fn plural(count: u64) -> &'static str {
    if count == 1 { "" } else { "s" }
}

/// User text in quotes for a message, escaped (control characters shown as `\n`, `\u{…}`) and cut to
/// 60 characters, so a message never breaks its layout or carries a whole pasted document.
pub fn quoted(text: &str) -> String {
    let mut short: String = text.chars().take(60).collect();
    if text.chars().count() > 60 {
        short.push('…');
    }
    format!("{short:?}")
}

/// Requests, fixtures and error bodies that the tests of several files share (the error readers' and
/// the wording's, `problem_words`).
#[cfg(test)]
pub(crate) mod test_support {
    use super::{AtlasTest, CreateRequest, parse_probe_requests};

    /// An Atlas error body about the key or the account, as the API writes them (code 104).
    pub(crate) fn key_error(status: u16, detail: &str) -> String {
        format!(
            "{{\"error\": {{\"detail\": \"{detail}\", \"status\": {status}, \"title\": \"x\", \"code\": 104}}}}"
        )
    }

    /// The three ways Atlas says the account cannot pay for a measurement.
    pub(crate) fn credit_refusals() -> [(u16, String); 3] {
        [
            (402, String::new()),
            (
                400,
                key_error(
                    400,
                    "You do not have enough credits to schedule this measurement",
                ),
            ),
            (403, key_error(403, "Daily credit spending limit exceeded")),
        ]
    }

    pub(crate) const ERROR_FIXTURES: [&str; 2] = [
        include_str!("../../../tests/fixtures/atlas/error_400_docs_error-handling.json"),
        include_str!("../../../tests/fixtures/atlas/error_400_docs_error-messages.json"),
    ];

    pub(super) fn with(test: AtlasTest, target: &str, probes: &str) -> CreateRequest {
        CreateRequest {
            test,
            target: target.to_string(),
            af: 4,
            description: "Vantage check".to_string(),
            probes: parse_probe_requests(probes).unwrap(),
            resolve_on_probe: false,
        }
    }

    pub(super) fn ping(target: &str, probes: &str) -> CreateRequest {
        with(AtlasTest::Ping { packets: 3 }, target, probes)
    }

    pub(super) fn dns(argument: &str, target: &str, use_probe_resolver: bool) -> CreateRequest {
        with(
            AtlasTest::Dns {
                query_type: "aaaa".to_string(),
                query_argument: argument.to_string(),
                use_probe_resolver,
            },
            target,
            "NL:20",
        )
    }
}
