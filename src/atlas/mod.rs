//! RIPE Atlas results: reads every input form (the API's JSON array, one result per line, a single
//! object, the probe-keyed `/latest/` object), dispatches each result to its type's module, and returns
//! results plus diagnostics. Parsing is total: a bad record becomes a diagnostic naming where it was and
//! why, never a panic. A *probe error* (the probe reported a failure, as ripe-atlas-sagan distinguishes)
//! is kept apart from a *malformed* record.

pub mod api;
pub mod create;
pub mod dns;
pub mod ping;
pub mod probes;
pub mod traceroute;
mod wire;

use std::fmt;

use serde::Serialize;
use serde_json::Value;

pub use dns::DnsResult;
pub use ping::PingResult;
pub use traceroute::TracerouteResult;

/// Where in the input a diagnostic points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InputLocation {
    /// 0-based index into a JSON array (or the flattened `/latest/` object).
    Index(usize),
    /// 1-based line in the one-result-per-line form.
    Line(usize),
    /// The input as a whole.
    Whole,
}

impl fmt::Display for InputLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InputLocation::Index(index) => write!(f, "result #{index}"),
            InputLocation::Line(line) => write!(f, "line {line}"),
            InputLocation::Whole => write!(f, "input"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DiagnosticKind {
    /// Not a valid result: wrong JSON, wrong types, missing identity.
    Malformed,
    /// A valid result in which the probe reported a failure (name resolution, sendto, timeout).
    ProbeError,
    /// A valid result of a type this version does not analyse.
    Unsupported,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagnostic {
    pub location: InputLocation,
    pub prb_id: Option<u64>,
    pub kind: DiagnosticKind,
    pub reason: String,
}

/// The latency a result shows from its probe to the target.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LatencySample {
    pub prb_id: u64,
    pub sent: u32,
    pub received: u32,
    pub rtt_min_ms: Option<f64>,
    pub rtt_median_ms: Option<f64>,
    pub rtt_avg_ms: Option<f64>,
    pub rtt_max_ms: Option<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum AtlasResult {
    Ping(PingResult),
    Traceroute(TracerouteResult),
    Dns(DnsResult),
}

impl AtlasResult {
    pub fn prb_id(&self) -> u64 {
        match self {
            AtlasResult::Ping(r) => r.prb_id,
            AtlasResult::Traceroute(r) => r.prb_id,
            AtlasResult::Dns(r) => r.prb_id,
        }
    }

    pub fn msm_id(&self) -> u64 {
        match self {
            AtlasResult::Ping(r) => r.msm_id,
            AtlasResult::Traceroute(r) => r.msm_id,
            AtlasResult::Dns(r) => r.msm_id,
        }
    }

    pub fn timestamp(&self) -> i64 {
        match self {
            AtlasResult::Ping(r) => r.timestamp,
            AtlasResult::Traceroute(r) => r.timestamp,
            AtlasResult::Dns(r) => r.timestamp,
        }
    }

    /// The measurement type, as Atlas names it.
    pub fn kind(&self) -> &'static str {
        match self {
            AtlasResult::Ping(_) => "ping",
            AtlasResult::Traceroute(_) => "traceroute",
            AtlasResult::Dns(_) => "dns",
        }
    }

    /// The target as the result states it: its name if given, else its address. For DNS, the
    /// resolver asked, when all responses went to one (a `resultset` of the probe's own resolvers has
    /// no single target).
    pub fn target(&self) -> Option<String> {
        let (name, address) = match self {
            AtlasResult::Ping(r) => (r.dst_name.clone(), r.dst_addr.clone()),
            AtlasResult::Traceroute(r) => (r.dst_name.clone(), r.dst_addr.clone()),
            AtlasResult::Dns(r) => (r.dst_name.clone(), r.dst_addr()),
        };
        name.filter(|n| !n.is_empty()).or(address)
    }

    /// The latency the result shows; for DNS, the response times `rt` to the resolvers.
    pub fn latency(&self) -> LatencySample {
        match self {
            AtlasResult::Ping(r) => r.latency(),
            AtlasResult::Traceroute(r) => r.latency(),
            AtlasResult::Dns(r) => r.latency(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ParsedResults {
    pub results: Vec<AtlasResult>,
    pub diagnostics: Vec<Diagnostic>,
}

/// The result type: the `type` field, or for firmware before 4460 (which had none) the `msm_name`.
fn result_type(object: &wire::Object) -> Option<String> {
    if let Some(kind) = wire::text(object, "type") {
        return Some(kind.to_ascii_lowercase());
    }
    let by_name = match wire::text(object, "msm_name")?.as_str() {
        "Ping" => "ping",
        "Traceroute" => "traceroute",
        "Tdig" => "dns",
        "HTTPGet" => "http",
        "SSLCert" => "sslcert",
        "Ntp" | "NTP" => "ntp",
        other => return Some(other.to_ascii_lowercase()),
    };
    Some(by_name.to_string())
}

fn parse_one(value: &Value, location: InputLocation, out: &mut ParsedResults) {
    let malformed = |prb_id, reason: String| Diagnostic {
        location,
        prb_id,
        kind: DiagnosticKind::Malformed,
        reason,
    };
    let Value::Object(object) = value else {
        out.diagnostics.push(malformed(
            None,
            format!("expected a JSON object, found {}", json_kind(value)),
        ));
        return;
    };
    let prb_id = wire::unsigned(object, "prb_id");
    let Some(kind) = result_type(object) else {
        out.diagnostics
            .push(malformed(prb_id, "the result has no type".to_string()));
        return;
    };
    // Ping and traceroute report only probe errors; DNS responses can also be malformed in part
    // (an undecodable `abuf`) while the result stays usable.
    let probe_errors = |errors: Vec<String>| {
        errors
            .into_iter()
            .map(|reason| (DiagnosticKind::ProbeError, reason))
            .collect::<Vec<_>>()
    };
    let parsed = match kind.as_str() {
        "ping" => ping::parse(object)
            .map(|(result, errors)| (AtlasResult::Ping(result), probe_errors(errors))),
        "traceroute" => traceroute::parse(object)
            .map(|(result, errors)| (AtlasResult::Traceroute(result), probe_errors(errors))),
        "dns" => dns::parse(object).map(|(result, problems)| (AtlasResult::Dns(result), problems)),
        other => {
            let name = match other {
                "http" => "HTTP",
                "sslcert" => "TLS certificate",
                "ntp" => "NTP",
                _ => "",
            };
            let reason = if name.is_empty() {
                format!("unknown result type \"{other}\"")
            } else {
                format!("{name} results are not analysed by this cell yet")
            };
            out.diagnostics.push(Diagnostic {
                location,
                prb_id,
                kind: DiagnosticKind::Unsupported,
                reason,
            });
            return;
        }
    };
    match parsed {
        Ok((result, problems)) => {
            out.diagnostics
                .extend(problems.into_iter().map(|(kind, reason)| Diagnostic {
                    location,
                    prb_id: Some(result.prb_id()),
                    kind,
                    reason,
                }));
            out.results.push(result);
        }
        Err(reason) => out.diagnostics.push(malformed(prb_id, reason)),
    }
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// True when an object is a result rather than the `/latest/` map of probe id → results.
fn looks_like_result(object: &wire::Object) -> bool {
    ["prb_id", "type", "msm_id", "result", "fw"]
        .iter()
        .any(|key| object.contains_key(*key))
}

/// The traceroute results of a results body (the others, and every problem, are left out): what the
/// path views and the hop lookups work on.
pub fn traceroutes(text: &str) -> Vec<TracerouteResult> {
    parse_results(text)
        .results
        .into_iter()
        .filter_map(|result| match result {
            AtlasResult::Traceroute(trace) => Some(trace),
            _ => None,
        })
        .collect()
}

/// Parses any of the input forms the API and users produce. Never fails: problems are diagnostics.
pub fn parse_results(text: &str) -> ParsedResults {
    let mut out = ParsedResults::default();
    let trimmed = text.trim_start_matches('\u{feff}').trim();
    let whole = |reason: String| Diagnostic {
        location: InputLocation::Whole,
        prb_id: None,
        kind: DiagnosticKind::Malformed,
        reason,
    };
    if trimmed.is_empty() {
        out.diagnostics
            .push(whole("the input is empty".to_string()));
        return out;
    }
    match serde_json::from_str::<Value>(trimmed) {
        Ok(Value::Array(items)) => {
            for (index, item) in items.iter().enumerate() {
                parse_one(item, InputLocation::Index(index), &mut out);
            }
        }
        Ok(Value::Object(object)) if looks_like_result(&object) => {
            parse_one(&Value::Object(object), InputLocation::Index(0), &mut out);
        }
        Ok(Value::Object(object)) => {
            // The documented `/latest/` shape: {"<probe id>": [result, …], …}.
            let mut index = 0;
            for (_, value) in object {
                match value {
                    Value::Array(items) => {
                        for item in &items {
                            parse_one(item, InputLocation::Index(index), &mut out);
                            index += 1;
                        }
                    }
                    other => {
                        parse_one(&other, InputLocation::Index(index), &mut out);
                        index += 1;
                    }
                }
            }
            if index == 0 {
                out.diagnostics
                    .push(whole("the JSON object holds no results".to_string()));
            }
        }
        Ok(other) => out.diagnostics.push(whole(format!(
            "expected Atlas results, found {}",
            json_kind(&other)
        ))),
        Err(whole_error) => {
            // Not one JSON document: the one-result-per-line form (format=txt), if its lines parse.
            let lines: Vec<(usize, &str)> = trimmed
                .lines()
                .enumerate()
                .map(|(number, line)| (number + 1, line.trim()))
                .filter(|(_, line)| !line.is_empty())
                .collect();
            let line_form = lines.len() > 1
                && lines
                    .iter()
                    .any(|(_, line)| serde_json::from_str::<Value>(line).is_ok());
            if !line_form {
                out.diagnostics
                    .push(whole(format!("not valid JSON: {whole_error}")));
                return out;
            }
            for (number, line) in lines {
                match serde_json::from_str::<Value>(line) {
                    Ok(value) => parse_one(&value, InputLocation::Line(number), &mut out),
                    Err(error) => out.diagnostics.push(Diagnostic {
                        location: InputLocation::Line(number),
                        prb_id: None,
                        kind: DiagnosticKind::Malformed,
                        reason: format!("not valid JSON: {error}"),
                    }),
                }
            }
        }
    }
    out
}

/// Every probe ID in a results body, sorted and distinct: those of the parsed results plus any
/// `prb_id` of an array entry the parsers rejected, so a result shown as a diagnostic still has its
/// probe described (and counts when the same probes are asked for again).
pub fn probe_ids(results_text: &str) -> Vec<u64> {
    let mut ids: Vec<u64> = parse_results(results_text)
        .results
        .iter()
        .map(AtlasResult::prb_id)
        .collect();
    if let Ok(rows) = serde_json::from_str::<Vec<Value>>(results_text) {
        ids.extend(rows.iter().filter_map(|row| row.get("prb_id")?.as_u64()));
    }
    ids.sort_unstable();
    ids.dedup();
    ids
}

#[cfg(test)]
mod tests {
    use super::*;

    const PING: &str = include_str!("../../tests/fixtures/atlas/ping_latest_msm3359986.json");

    #[test]
    fn the_array_and_line_forms_give_the_same_results() {
        let array = parse_results(PING);
        assert_eq!(array.results.len(), 5);
        assert!(array.diagnostics.is_empty());
        let values: Vec<Value> = serde_json::from_str(PING).unwrap();
        let lines: String = values.iter().map(|v| format!("{v}\n\n")).collect();
        let line_form = parse_results(&lines);
        assert_eq!(line_form.results, array.results);
        let keyed: String = format!(
            "{{{}}}",
            values
                .iter()
                .map(|v| format!("\"{}\": [{v}]", v["prb_id"]))
                .collect::<Vec<_>>()
                .join(",")
        );
        assert_eq!(parse_results(&keyed).results.len(), 5);
        assert_eq!(parse_results(&values[0].to_string()).results.len(), 1);
    }

    #[test]
    fn garbage_becomes_diagnostics_with_locations() {
        for input in [
            "",
            "   ",
            "hello",
            "42",
            "\"x\"",
            "{}",
            "[1, null, \"x\", []]",
            "[{\"prb_id\": 5}]",
        ] {
            let parsed = parse_results(input);
            assert!(parsed.results.is_empty(), "{input}");
            assert!(!parsed.diagnostics.is_empty(), "{input}");
        }
        let parsed = parse_results("[1, {\"type\": \"ping\"}]");
        assert_eq!(parsed.diagnostics[0].location, InputLocation::Index(0));
        assert_eq!(parsed.diagnostics[1].kind, DiagnosticKind::Malformed);
        let values: Vec<Value> = serde_json::from_str(PING).unwrap();
        let mixed = format!("{}\n{{broken\n{}", values[0], values[1]);
        let parsed = parse_results(&mixed);
        assert_eq!(parsed.results.len(), 2);
        assert_eq!(parsed.diagnostics[0].location, InputLocation::Line(2));
    }

    #[test]
    fn other_types_are_unsupported_not_malformed() {
        for (text, name) in [
            (
                include_str!("../../tests/fixtures/atlas/http_results_reticle.json"),
                "HTTP",
            ),
            (
                include_str!("../../tests/fixtures/atlas/sslcert_latest_msm1443162.json"),
                "TLS certificate",
            ),
        ] {
            let parsed = parse_results(text);
            assert!(parsed.results.is_empty());
            assert!(
                parsed
                    .diagnostics
                    .iter()
                    .all(|d| d.kind == DiagnosticKind::Unsupported)
            );
            assert!(parsed.diagnostics[0].reason.contains(name), "{name}");
        }
    }

    #[test]
    fn deep_nesting_and_huge_numbers_do_not_panic() {
        let deep = "[".repeat(100_000) + &"]".repeat(100_000);
        assert!(!parse_results(&deep).diagnostics.is_empty());
        let huge = r#"[{"type":"ping","prb_id":1e300,"msm_id":-5,"timestamp":"x","sent":-3,"rcvd":1e99,"min":"NaN","result":{"rtt":1}}]"#;
        let parsed = parse_results(huge);
        assert!(parsed.results.is_empty());
        assert_eq!(parsed.diagnostics[0].kind, DiagnosticKind::Malformed);
    }
}
