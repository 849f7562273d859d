//! What Globalping answers: the `202` of a created measurement, its error bodies and rate-limit
//! headers, the `/v1/limits` body, and the measurement itself (`GET /v1/measurements/{id}`) with one
//! typed result per probe.
//!
//! Reading is total and lenient, as the architecture asks of every wire format: the serde mirrors
//! below are private, every field is optional, a scalar of the wrong type (a number as a string, a
//! "NaN", a float where an integer belongs) reads as absent, and unknown fields are ignored. A result
//! whose *structure* is wrong (a `hops` that is not a list, a probe that is not an object) becomes a
//! diagnostic naming its index while the other results stay; only text that is not a measurement
//! object at all is an `Err`. Field names follow the API's schema (jsdelivr/globalping
//! `public/v1/components/schemas.yaml`, `src/measurement/schema/probe-response-schema.ts`).
//!
//! It performs no I/O and knows nothing of the views: `adapt` and `http` turn these types into what
//! the notebook shows.

use std::fmt::Write;

use serde::{Deserialize, Deserializer};
use serde_json::Value;

use super::request::{TestOptions, TestType};
use crate::model::{ApiProblem, During, ProblemKind, Service};

/// The reply to `POST /v1/measurements`: `202` with `{"id": "...", "probesCount": n}`.
#[derive(Debug, Clone, PartialEq)]
pub struct Created {
    pub id: String,
    pub probes_count: u32,
}

/// Reads the `202` body of a created measurement; any other status is an [`ApiProblem`].
pub fn parse_created(status: u16, text: &str) -> Result<Created, ApiProblem> {
    if status != 202 {
        return Err(parse_error(status, text, None));
    }
    let value: Value = serde_json::from_str(text.trim()).unwrap_or(Value::Null);
    let id = value
        .get("id")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|id| !id.is_empty());
    match id {
        Some(id) => Ok(Created {
            id: id.to_string(),
            probes_count: value.get("probesCount").and_then(u32_of).unwrap_or(0),
        }),
        None => {
            let mut problem = ApiProblem::new(
                Service::Globalping,
                During::Creating,
                Some(status),
                ProblemKind::Unreadable,
            );
            problem.code = Some("unreadable_response".to_string());
            problem.detail =
                Some("the reply to the new measurement names no measurement id".to_string());
            Err(problem)
        }
    }
}

/// "Too many requests. Please retry in 4 seconds." → 4: the per-measurement polling limit says how
/// long to wait in its message when no `Retry-After` header came.
fn seconds_in_message(message: &str) -> Option<u64> {
    let lower = message.to_ascii_lowercase();
    let after = lower.split("retry in ").nth(1)?;
    let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// Reads an error reply, `{"error": {"type", "message", "params"}}`, into an [`ApiProblem`] whose
/// `code` is the API's `error.type` (`validation_error`, `not_found`, `no_probes_found`,
/// `rate_limit_exceeded`, `insufficient_credits`, `too_many_requests`) and whose `fields` are its
/// `params` (for a validation error, which field is wrong and why). Never fails: a body that is not the
/// API's JSON gives a problem with the status alone. `retry_after` is how long the API asked to wait,
/// in seconds: the `Retry-After` header, or for the hourly quota `X-RateLimit-Reset`. Without it, a
/// wait stated in the message ("Please retry in 4 seconds.") is used.
pub fn parse_error(status: u16, text: &str, retry_after: Option<&str>) -> ApiProblem {
    let value: Value = serde_json::from_str(text.trim()).unwrap_or(Value::Null);
    let error = value.get("error").filter(|e| e.is_object());
    let field = |key: &str| {
        error
            .and_then(|e| e.get(key))
            .and_then(Value::as_str)
            .map(clean)
            .unwrap_or_default()
    };
    let code = Some(field("type")).filter(|k| !k.is_empty());
    let message = field("message");
    let params = error
        .and_then(|e| e.get("params"))
        .and_then(Value::as_object)
        .map(|params| {
            params
                .iter()
                .map(|(key, value)| {
                    let why = match value {
                        Value::String(s) => clean(s),
                        other => other.to_string(),
                    };
                    (key.clone(), why)
                })
                .collect()
        })
        .unwrap_or_default();
    let kind = match code.as_deref() {
        Some("rate_limit_exceeded") => ProblemKind::RateLimited { hourly_quota: true },
        Some("too_many_requests") => ProblemKind::RateLimited {
            hourly_quota: false,
        },
        Some("insufficient_credits") => ProblemKind::NoCredits,
        Some("no_probes_found") => ProblemKind::NoProbes,
        Some("validation_error") => ProblemKind::BadRequest,
        Some("not_found") => ProblemKind::NotFound,
        Some("unreadable_response") => ProblemKind::Unreadable,
        _ if status >= 500 => ProblemKind::Server,
        _ => ProblemKind::Other,
    };
    let retry_after = retry_after
        .and_then(|header| header.trim().parse::<u64>().ok())
        .or_else(|| seconds_in_message(&message));
    let mut problem = ApiProblem::new(Service::Globalping, During::Creating, Some(status), kind);
    problem.code = code;
    problem.detail = (!message.is_empty()).then_some(message);
    problem.fields = params;
    problem.retry_after = retry_after;
    problem
}

/// The API's validation messages come from Joi with escaped quotes (`\"measurement\" does not
/// match…`); a reader wants plain ones.
fn clean(text: &str) -> String {
    text.replace("\\\"", "\"").trim().to_string()
}

/// The hourly measurement quota, from the rate-limit headers or the `/v1/limits` body.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RateLimit {
    pub limit: Option<u32>,
    pub consumed: Option<u32>,
    pub remaining: Option<u32>,
    /// Seconds until the quota resets.
    pub reset_s: Option<u32>,
}

/// Reads `X-RateLimit-Limit`, `-Consumed`, `-Remaining` and `-Reset` through `get` (a header lookup;
/// the lower-case name is tried too, for lookups that are case-sensitive).
pub fn rate_limit_from_headers(get: impl Fn(&str) -> Option<String>) -> RateLimit {
    let number = |name: &str| {
        get(name)
            .or_else(|| get(&name.to_ascii_lowercase()))
            .and_then(|value| value.trim().parse::<u32>().ok())
    };
    RateLimit {
        limit: number("X-RateLimit-Limit"),
        consumed: number("X-RateLimit-Consumed"),
        remaining: number("X-RateLimit-Remaining"),
        reset_s: number("X-RateLimit-Reset"),
    }
}

/// Reads `GET /v1/limits`: `rateLimit.measurements.create {limit, remaining, reset}`; `consumed` is
/// what the limit leaves after `remaining`, since this body does not state it.
pub fn parse_limits(text: &str) -> Result<RateLimit, String> {
    let value: Value = serde_json::from_str(text.trim())
        .map_err(|error| format!("the limits reply is not JSON: {error}"))?;
    let create = value
        .get("rateLimit")
        .and_then(|r| r.get("measurements"))
        .and_then(|m| m.get("create"))
        .filter(|c| c.is_object())
        .ok_or("the limits reply has no rateLimit.measurements.create")?;
    let limit = create.get("limit").and_then(u32_of);
    let remaining = create.get("remaining").and_then(u32_of);
    Ok(RateLimit {
        limit,
        consumed: limit.zip(remaining).map(|(l, r)| l.saturating_sub(r)),
        remaining,
        reset_s: create.get("reset").and_then(u32_of),
    })
}

/// The credits left on an authenticated account (`credits.remaining` of `/v1/limits`), if any.
pub fn credits_remaining(text: &str) -> Option<u32> {
    let value: Value = serde_json::from_str(text.trim()).ok()?;
    value.get("credits")?.get("remaining").and_then(u32_of)
}

#[derive(Debug, Clone, PartialEq)]
pub enum Status {
    InProgress,
    Finished,
    Failed,
    Offline,
    Other(String),
}

impl Status {
    fn from_api(text: &str) -> Status {
        match text.trim() {
            "in-progress" => Status::InProgress,
            "finished" => Status::Finished,
            "failed" => Status::Failed,
            "offline" => Status::Offline,
            other => Status::Other(other.to_string()),
        }
    }

    /// The API: "Any value other than `in-progress` is final."
    pub fn is_final(&self) -> bool {
        *self != Status::InProgress
    }
}

/// Where a probe is, by GeoIP (city level; Globalping probes are not hand-placed).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Probe {
    /// Continent code: AF, AN, AS, EU, NA, OC, SA.
    pub continent: String,
    pub region: String,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    /// US state code, for probes in the US.
    pub state: Option<String>,
    pub city: String,
    pub asn: Option<u32>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub network: String,
    pub tags: Vec<String>,
    pub resolvers: Vec<String>,
}

impl Probe {
    /// "Auckland, NZ, AS61138 Zappie Host LLC"; "Ashburn, VA, US, AS14618 Amazon.com, Inc.".
    pub fn label(&self) -> String {
        let mut parts: Vec<String> = [
            Some(self.city.as_str()),
            self.state.as_deref(),
            Some(self.country.as_str()),
        ]
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .map(str::to_string)
        .collect();
        let network = self.network.trim();
        match (self.asn, network.is_empty()) {
            (Some(asn), false) => parts.push(format!("AS{asn} {network}")),
            (Some(asn), true) => parts.push(format!("AS{asn}")),
            (None, false) => parts.push(network.to_string()),
            (None, true) => {}
        }
        if parts.is_empty() {
            "a probe of unknown location".to_string()
        } else {
            parts.join(", ")
        }
    }

    /// What identifies "the same probe" across two runs: Globalping gives probes no id, and reuses
    /// a measurement's probes in the same order, so place and network are the best key there is.
    pub fn key(&self) -> String {
        format!(
            "{}|{}|{}|{}|{}",
            self.country,
            self.state.as_deref().unwrap_or_default(),
            self.city,
            self.asn.map(|asn| asn.to_string()).unwrap_or_default(),
            self.network
        )
    }
}

/// One hop of a traceroute or MTR.
#[derive(Debug, Clone, PartialEq)]
pub struct Hop {
    /// `None` for a hop where nothing answered (`*`).
    pub address: Option<String>,
    pub hostname: Option<String>,
    /// The replies' RTTs; lost packets are missing from the list.
    pub rtts_ms: Vec<f64>,
    /// MTR only: the ASes Globalping assigned to the address.
    pub asns: Vec<u32>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DnsAnswer {
    pub name: String,
    pub rtype: String,
    pub ttl: Option<u32>,
    pub class: String,
    /// The record data as `dig` prints it (its tokens joined by single spaces).
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct HttpTimings {
    pub total_ms: Option<f64>,
    pub dns_ms: Option<f64>,
    pub tcp_ms: Option<f64>,
    pub tls_ms: Option<f64>,
    pub first_byte_ms: Option<f64>,
    pub download_ms: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct TlsSummary {
    /// Whether a trusted authority signed the certificate.
    pub authorized: Option<bool>,
    pub protocol: Option<String>,
    pub cipher: Option<String>,
    /// The subject's common name.
    pub subject: Option<String>,
    /// The issuer's common name, with its organisation in parentheses when it has one.
    pub issuer: Option<String>,
    pub expires_at: Option<String>,
    pub fingerprint256: Option<String>,
    /// Why the certificate was rejected, when `authorized` is false.
    pub error: Option<String>,
}

// The HTTP variant is several times larger than the others. Boxing it would change the shape the
// views match on, for a saving that does not matter: one outcome per probe, at most 500 probes.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// The probe has not reported yet.
    Pending,
    Ping {
        resolved_address: Option<String>,
        rtts_ms: Vec<f64>,
        sent: u32,
        received: u32,
        min_ms: Option<f64>,
        avg_ms: Option<f64>,
        max_ms: Option<f64>,
    },
    Traceroute {
        resolved_address: Option<String>,
        hops: Vec<Hop>,
    },
    Mtr {
        resolved_address: Option<String>,
        hops: Vec<Hop>,
    },
    /// A DNS answer. For a `trace` query, the last step of the delegation (the authoritative
    /// server's answer): the status code is then absent, since the trace output has none.
    Dns {
        status_code: Option<u16>,
        status_name: Option<String>,
        answers: Vec<DnsAnswer>,
        total_ms: Option<f64>,
        resolver: Option<String>,
    },
    Http {
        resolved_address: Option<String>,
        status_code: Option<u16>,
        status_text: Option<String>,
        headers: Vec<(String, String)>,
        body_excerpt: String,
        /// The body was cut: by Globalping (it returns the first 10 kB) or to [`BODY_EXCERPT_CHARS`].
        truncated: bool,
        timings: HttpTimings,
        tls: Option<TlsSummary>,
    },
    /// The test failed or the probe was offline: why, from the output's last line and the API's
    /// `failureSource`.
    Failed { reason: String },
}

/// How much of an HTTP body is kept: enough to recognise an error page, little enough to store.
pub const BODY_EXCERPT_CHARS: usize = 1000;

/// Globalping's own guess at where a failed test went wrong: its `failureSource`, which the schema
/// marks EXPERIMENTAL and "best-effort" (jsdelivr/globalping `public/v1/components/schemas.yaml`
/// @ 52c0c19). Probes write it since jsdelivr/globalping-probe 9677a8e (2026-07-23); older results
/// have none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FailureSource {
    /// "the target and its network path, including misconfigured DNS records and timeouts".
    Target,
    /// "failures communicating with or receiving an unusable response from the DNS resolver".
    Resolver,
    /// "Globalping probe and API failures".
    Internal,
    /// A value the schema does not list, as received.
    Other(String),
}

impl FailureSource {
    fn from_api(text: &str) -> Option<FailureSource> {
        match text.trim() {
            "" => None,
            "target" => Some(FailureSource::Target),
            "resolver" => Some(FailureSource::Resolver),
            "internal" => Some(FailureSource::Internal),
            other => Some(FailureSource::Other(other.to_string())),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ProbeResult {
    pub probe: Probe,
    pub status: Status,
    pub raw_output: String,
    pub outcome: Outcome,
    /// `failureSource`, when the result failed and said.
    pub failure_source: Option<FailureSource>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Measurement {
    pub id: String,
    pub test: Option<TestType>,
    pub status: Status,
    pub created_at: String,
    pub updated_at: String,
    pub target: String,
    pub probes_count: u32,
    pub results: Vec<ProbeResult>,
    /// Problems met while reading, each naming the result it concerns.
    pub diagnostics: Vec<String>,
    /// `measurementOptions` as the API echoes them: only what differs from its defaults, so an
    /// absent DNS query type means A. Reusable as the options of a re-run.
    pub options: TestOptions,
}

impl Measurement {
    /// Results whose probe has reported (any final status).
    pub fn finished_results(&self) -> usize {
        self.results.iter().filter(|r| r.status.is_final()).count()
    }

    /// Whether the measurement as a whole is over (the API's top-level status).
    pub fn is_finished(&self) -> bool {
        self.status.is_final()
    }

    /// "12 of 48 probes reported", with the failures when there are any.
    pub fn progress_line(&self) -> String {
        let total = usize::try_from(self.probes_count)
            .unwrap_or(usize::MAX)
            .max(self.results.len());
        if total == 0 {
            return if self.is_finished() {
                "No probe took part".to_string()
            } else {
                "Waiting for probes".to_string()
            };
        }
        let mut line = format!(
            "{} of {total} probe{} reported",
            self.finished_results(),
            if total == 1 { "" } else { "s" }
        );
        let failed = self
            .results
            .iter()
            .filter(|r| matches!(r.outcome, Outcome::Failed { .. }))
            .count();
        if failed > 0 {
            let _ = write!(line, "; {failed} failed");
        }
        line
    }
}

// ---- Wire mirrors (private) ----------------------------------------------------------------------

fn u32_of(value: &Value) -> Option<u32> {
    let number = match value {
        Value::Number(n) => n.as_f64()?,
        Value::String(s) => s.trim().parse::<f64>().ok()?,
        _ => return None,
    };
    (number.is_finite() && number >= 0.0 && number.fract() == 0.0 && number <= f64::from(u32::MAX))
        .then_some(number as u32)
}

fn f64_of(value: &Value) -> Option<f64> {
    let number = match value {
        Value::Number(n) => n.as_f64()?,
        Value::String(s) => s.trim().parse::<f64>().ok()?,
        _ => return None,
    };
    number.is_finite().then_some(number)
}

fn string_of(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn lenient_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(string_of(&Value::deserialize(d)?))
}

fn lenient_f64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    Ok(f64_of(&Value::deserialize(d)?))
}

fn lenient_u32<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
    let value = Value::deserialize(d)?;
    // "AS13335" is how people write an AS number; accept it where the API means one.
    if let Value::String(s) = &value
        && let Some(digits) = s.trim().strip_prefix("AS")
    {
        return Ok(digits.parse().ok());
    }
    Ok(u32_of(&value))
}

fn lenient_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    Ok(Value::deserialize(d)?.as_bool())
}

/// A list of strings; anything else in it is dropped, and a non-list is empty.
fn lenient_strings<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Array(items) => items.iter().filter_map(string_of).collect(),
        _ => Vec::new(),
    })
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct WireTop {
    #[serde(deserialize_with = "lenient_string")]
    id: Option<String>,
    #[serde(rename = "type", deserialize_with = "lenient_string")]
    kind: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    status: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    created_at: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    updated_at: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    target: Option<String>,
    #[serde(deserialize_with = "lenient_u32")]
    probes_count: Option<u32>,
    measurement_options: Option<Value>,
    results: Option<Value>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct WireItem {
    probe: Option<WireProbe>,
    result: Option<WireResult>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct WireProbe {
    #[serde(deserialize_with = "lenient_string")]
    continent: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    region: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    country: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    state: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    city: Option<String>,
    #[serde(deserialize_with = "lenient_u32")]
    asn: Option<u32>,
    #[serde(deserialize_with = "lenient_f64")]
    latitude: Option<f64>,
    #[serde(deserialize_with = "lenient_f64")]
    longitude: Option<f64>,
    #[serde(deserialize_with = "lenient_string")]
    network: Option<String>,
    #[serde(deserialize_with = "lenient_strings")]
    tags: Vec<String>,
    #[serde(deserialize_with = "lenient_strings")]
    resolvers: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct WireStats {
    #[serde(deserialize_with = "lenient_f64")]
    min: Option<f64>,
    #[serde(deserialize_with = "lenient_f64")]
    avg: Option<f64>,
    #[serde(deserialize_with = "lenient_f64")]
    max: Option<f64>,
    #[serde(deserialize_with = "lenient_u32")]
    total: Option<u32>,
    #[serde(deserialize_with = "lenient_u32")]
    rcv: Option<u32>,
}

/// A hop of any kind: traceroute and MTR hops have addresses and timings (MTR also `asn` and
/// `stats`); DNS trace hops have a resolver, answers and a `timings.total`.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct WireHop {
    #[serde(deserialize_with = "lenient_string")]
    resolved_address: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    resolved_hostname: Option<String>,
    timings: Option<Value>,
    asn: Option<Value>,
    answers: Option<Vec<Value>>,
    #[serde(deserialize_with = "lenient_string")]
    resolver: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct WireTlsParty {
    #[serde(rename = "CN", deserialize_with = "lenient_string")]
    common_name: Option<String>,
    #[serde(rename = "O", deserialize_with = "lenient_string")]
    organisation: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct WireTls {
    #[serde(deserialize_with = "lenient_bool")]
    authorized: Option<bool>,
    #[serde(deserialize_with = "lenient_string")]
    protocol: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    cipher_name: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    expires_at: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    fingerprint256: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    error: Option<String>,
    subject: Option<WireTlsParty>,
    issuer: Option<WireTlsParty>,
}

/// Every result type's fields in one tolerant mirror; which apply depends on the measurement type.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct WireResult {
    #[serde(deserialize_with = "lenient_string")]
    status: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    raw_output: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    failure_source: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    resolved_address: Option<String>,
    /// A list of `{rtt, ttl}` for ping; an object of named times for DNS and HTTP.
    timings: Option<Value>,
    stats: Option<WireStats>,
    hops: Option<Vec<WireHop>>,
    #[serde(deserialize_with = "lenient_u32")]
    status_code: Option<u32>,
    #[serde(deserialize_with = "lenient_string")]
    status_code_name: Option<String>,
    answers: Option<Vec<Value>>,
    #[serde(deserialize_with = "lenient_string")]
    resolver: Option<String>,
    headers: Option<Value>,
    raw_headers: Option<Value>,
    #[serde(deserialize_with = "lenient_string")]
    raw_body: Option<String>,
    #[serde(deserialize_with = "lenient_bool")]
    truncated: Option<bool>,
    tls: Option<WireTls>,
}

fn rtt_list(timings: Option<&Value>) -> Vec<f64> {
    match timings {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|timing| timing.get("rtt").and_then(f64_of))
            .filter(|rtt| *rtt >= 0.0)
            .collect(),
        _ => Vec::new(),
    }
}

fn timing(timings: Option<&Value>, key: &str) -> Option<f64> {
    timings
        .filter(|t| t.is_object())
        .and_then(|t| t.get(key))
        .and_then(f64_of)
        .filter(|ms| *ms >= 0.0)
}

fn answers(items: Option<&Vec<Value>>) -> Vec<DnsAnswer> {
    items
        .into_iter()
        .flatten()
        .filter_map(|item| {
            // The schema allows `{}` entries (records of sections Globalping does not report).
            let text = |key: &str| item.get(key).and_then(string_of);
            let value = text("value")?;
            Some(DnsAnswer {
                name: text("name").unwrap_or_default(),
                rtype: text("type").unwrap_or_default().to_ascii_uppercase(),
                ttl: item.get("ttl").and_then(u32_of),
                class: text("class").unwrap_or_else(|| "IN".to_string()),
                value: value.trim().to_string(),
            })
        })
        .collect()
}

fn hops(wire: &[WireHop]) -> Vec<Hop> {
    wire.iter()
        .map(|hop| Hop {
            address: hop.resolved_address.clone().filter(|a| !a.is_empty()),
            hostname: hop.resolved_hostname.clone().filter(|h| !h.is_empty()),
            rtts_ms: rtt_list(hop.timings.as_ref()),
            asns: match &hop.asn {
                Some(Value::Array(items)) => items.iter().filter_map(u32_of).collect(),
                Some(other) => u32_of(other).into_iter().collect(),
                None => Vec::new(),
            },
        })
        .collect()
}

/// The line of the output that says what went wrong: the last non-empty one, capped.
pub(crate) fn gist(raw_output: &str) -> Option<String> {
    let line = raw_output.lines().map(str::trim).rfind(|l| !l.is_empty())?;
    let mut gist: String = line.chars().take(200).collect();
    if gist.len() < line.len() {
        gist.push('…');
    }
    Some(gist)
}

fn failure(status: &Status, wire: &WireResult, raw_output: &str) -> Outcome {
    let what = gist(raw_output).unwrap_or_else(|| match status {
        Status::Offline => {
            "the probe was offline: it took part in the earlier measurement but has disconnected since"
                .to_string()
        }
        _ => "the test failed without output".to_string(),
    });
    let reason = match wire.failure_source.as_deref().map(str::trim) {
        Some("target") => format!("{what} (a problem at the target)"),
        Some("resolver") => format!("{what} (the resolver failed)"),
        Some("internal") => format!("{what} (an internal error of the probe)"),
        Some(other) if !other.is_empty() => format!("{what} ({other})"),
        _ => what,
    };
    Outcome::Failed { reason }
}

/// The type of a result when the measurement does not say: by the fields each type has.
fn infer_type(wire: &WireResult) -> Option<TestType> {
    if wire.headers.is_some() || wire.raw_headers.is_some() || wire.tls.is_some() {
        return Some(TestType::Http);
    }
    if wire.answers.is_some() {
        return Some(TestType::Dns);
    }
    if let Some(hops) = &wire.hops {
        return Some(if hops.iter().any(|h| h.answers.is_some()) {
            TestType::Dns
        } else if hops.iter().any(|h| h.asn.is_some()) {
            TestType::Mtr
        } else {
            TestType::Traceroute
        });
    }
    if wire.stats.is_some() || matches!(wire.timings, Some(Value::Array(_))) {
        return Some(TestType::Ping);
    }
    None
}

fn headers(value: Option<&Value>) -> Vec<(String, String)> {
    let Some(Value::Object(map)) = value else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (name, value) in map {
        match value {
            // `Set-Cookie` and other repeated headers come as lists: one row per value.
            Value::Array(values) => {
                out.extend(
                    values
                        .iter()
                        .map(|v| (name.clone(), string_of(v).unwrap_or_else(|| v.to_string()))),
                );
            }
            Value::Null => {}
            other => out.push((
                name.clone(),
                string_of(other).unwrap_or_else(|| other.to_string()),
            )),
        }
    }
    out
}

fn tls(wire: &WireTls) -> TlsSummary {
    let text = |t: &Option<String>| t.clone().filter(|t| !t.trim().is_empty());
    let issuer = wire.issuer.as_ref().and_then(|issuer| {
        match (text(&issuer.common_name), text(&issuer.organisation)) {
            (Some(cn), Some(o)) if cn != o => Some(format!("{cn} ({o})")),
            (Some(cn), _) => Some(cn),
            (None, o) => o,
        }
    });
    TlsSummary {
        authorized: wire.authorized,
        protocol: text(&wire.protocol),
        cipher: text(&wire.cipher_name),
        subject: wire
            .subject
            .as_ref()
            .and_then(|subject| text(&subject.common_name)),
        issuer,
        expires_at: text(&wire.expires_at),
        fingerprint256: text(&wire.fingerprint256),
        error: text(&wire.error),
    }
}

fn excerpt(body: &str) -> (String, bool) {
    let mut chars = body.chars();
    let kept: String = chars.by_ref().take(BODY_EXCERPT_CHARS).collect();
    let cut = chars.next().is_some();
    (kept, cut)
}

fn finished(kind: TestType, wire: &WireResult, notes: &mut Vec<String>) -> Outcome {
    let resolved_address = wire.resolved_address.clone().filter(|a| !a.is_empty());
    match kind {
        TestType::Ping => {
            if wire.timings.as_ref().is_some_and(|t| !t.is_array()) {
                notes.push("its timings are not a list of packets".to_string());
            }
            let rtts_ms = rtt_list(wire.timings.as_ref());
            let stats = wire.stats.as_ref();
            let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
            let received = stats
                .and_then(|s| s.rcv)
                .unwrap_or_else(|| count(rtts_ms.len()));
            let sent = stats
                .and_then(|s| s.total)
                .unwrap_or_else(|| count(rtts_ms.len()))
                .max(received);
            let summary = |pick: fn(&WireStats) -> Option<f64>| {
                stats.and_then(pick).filter(|ms| *ms >= 0.0 && received > 0)
            };
            Outcome::Ping {
                resolved_address,
                sent,
                received,
                min_ms: summary(|s| s.min).or_else(|| crate::stats::min(&rtts_ms)),
                avg_ms: summary(|s| s.avg).or_else(|| crate::stats::mean(&rtts_ms)),
                max_ms: summary(|s| s.max).or_else(|| crate::stats::max(&rtts_ms)),
                rtts_ms,
            }
        }
        TestType::Traceroute => Outcome::Traceroute {
            resolved_address,
            hops: hops(wire.hops.as_deref().unwrap_or_default()),
        },
        TestType::Mtr => Outcome::Mtr {
            resolved_address,
            hops: hops(wire.hops.as_deref().unwrap_or_default()),
        },
        TestType::Dns => match wire.hops.as_deref() {
            // A trace: the answer is the last step's, from the server that was authoritative.
            Some(trace) if !trace.is_empty() && wire.answers.is_none() => {
                let last = &trace[trace.len() - 1];
                Outcome::Dns {
                    status_code: None,
                    status_name: None,
                    answers: answers(last.answers.as_ref()),
                    total_ms: timing(last.timings.as_ref(), "total"),
                    resolver: last.resolver.clone().filter(|r| !r.is_empty()),
                }
            }
            _ => Outcome::Dns {
                status_code: wire.status_code.and_then(|c| u16::try_from(c).ok()),
                status_name: wire.status_code_name.clone().filter(|n| !n.is_empty()),
                answers: answers(wire.answers.as_ref()),
                total_ms: timing(wire.timings.as_ref(), "total"),
                resolver: wire.resolver.clone().filter(|r| !r.is_empty()),
            },
        },
        TestType::Http => {
            let (body_excerpt, cut) = excerpt(wire.raw_body.as_deref().unwrap_or_default());
            let timings = wire.timings.as_ref();
            Outcome::Http {
                resolved_address,
                status_code: wire.status_code.and_then(|c| u16::try_from(c).ok()),
                status_text: wire.status_code_name.clone().filter(|n| !n.is_empty()),
                headers: headers(wire.headers.as_ref()),
                body_excerpt,
                truncated: wire.truncated.unwrap_or(false) || cut,
                timings: HttpTimings {
                    total_ms: timing(timings, "total"),
                    dns_ms: timing(timings, "dns"),
                    tcp_ms: timing(timings, "tcp"),
                    tls_ms: timing(timings, "tls"),
                    first_byte_ms: timing(timings, "firstByte"),
                    download_ms: timing(timings, "download"),
                },
                tls: wire.tls.as_ref().map(tls),
            }
        }
    }
}

fn probe(wire: Option<WireProbe>) -> Probe {
    let wire = wire.unwrap_or_default();
    let text = |t: Option<String>| t.map(|t| t.trim().to_string()).unwrap_or_default();
    // Coordinates outside the globe are dropped, and one without the other is no position.
    let latitude = wire.latitude.filter(|lat| (-90.0..=90.0).contains(lat));
    let longitude = wire.longitude.filter(|lon| (-180.0..=180.0).contains(lon));
    let (latitude, longitude) = match (latitude, longitude) {
        (Some(lat), Some(lon)) => (Some(lat), Some(lon)),
        _ => (None, None),
    };
    Probe {
        continent: text(wire.continent).to_ascii_uppercase(),
        region: text(wire.region),
        country: text(wire.country).to_ascii_uppercase(),
        state: wire
            .state
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty()),
        city: text(wire.city),
        asn: wire.asn,
        latitude,
        longitude,
        network: text(wire.network),
        tags: wire.tags,
        resolvers: wire.resolvers,
    }
}

/// The options the API echoes in `measurementOptions`, as request options.
fn echoed_options(value: Option<&Value>) -> TestOptions {
    let Some(options) = value.filter(|v| v.is_object()) else {
        return TestOptions::default();
    };
    let text = |v: Option<&Value>| v.and_then(string_of).filter(|s| !s.is_empty());
    let small = |key: &str| options.get(key).and_then(u32_of);
    let request = options.get("request");
    TestOptions {
        packets: small("packets").and_then(|p| u8::try_from(p).ok()),
        protocol: text(options.get("protocol")),
        port: small("port").and_then(|p| u16::try_from(p).ok()),
        ip_version: small("ipVersion").and_then(|v| u8::try_from(v).ok()),
        query_type: text(options.get("query").and_then(|q| q.get("type"))),
        resolver: text(options.get("resolver")),
        trace: options
            .get("trace")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        http_method: text(request.and_then(|r| r.get("method"))),
        http_path: text(request.and_then(|r| r.get("path"))),
        http_query: text(request.and_then(|r| r.get("query"))),
        http_host: text(request.and_then(|r| r.get("host"))),
    }
}

/// Reads `GET /v1/measurements/{id}`. `Err` only when the text is not a measurement object (not
/// JSON, not an object, an API error body, an object with neither `id` nor `results`); everything
/// else reads, with problems as diagnostics.
pub fn parse_measurement(text: &str) -> Result<Measurement, String> {
    let value: Value = serde_json::from_str(text.trim_start_matches('\u{feff}').trim())
        .map_err(|error| format!("the measurement is not valid JSON: {error}"))?;
    let Value::Object(object) = &value else {
        return Err("the measurement is not a JSON object".to_string());
    };
    if !object.contains_key("id") && !object.contains_key("results") {
        if let Some(error) = object.get("error").filter(|e| e.is_object()) {
            let message = error
                .get("message")
                .and_then(Value::as_str)
                .unwrap_or("no message");
            return Err(format!(
                "Globalping answered with an error, not a measurement: {message}"
            ));
        }
        return Err(
            "the JSON object is not a Globalping measurement (no id, no results)".to_string(),
        );
    }
    let top: WireTop = serde_json::from_value(value.clone()).unwrap_or_default();
    let mut diagnostics = Vec::new();
    let declared = top.kind.as_deref().and_then(TestType::from_api);
    if declared.is_none() {
        diagnostics.push(match &top.kind {
            Some(kind) => {
                format!("the measurement type \"{kind}\" is not one Globalping documents")
            }
            None => "the measurement does not say its type".to_string(),
        });
    }
    let items: Vec<Value> = match top.results {
        Some(Value::Array(items)) => items,
        None | Some(Value::Null) => Vec::new(),
        Some(_) => {
            diagnostics.push("\"results\" is not a list; no result could be read".to_string());
            Vec::new()
        }
    };
    let mut results = Vec::new();
    for (index, item) in items.into_iter().enumerate() {
        let wire: WireItem = match serde_json::from_value(item) {
            Ok(wire) => wire,
            Err(error) => {
                diagnostics.push(format!(
                    "result #{index} is malformed and was left out: {error}"
                ));
                continue;
            }
        };
        let Some(result) = wire.result else {
            diagnostics.push(format!(
                "result #{index} has no \"result\" and was left out"
            ));
            continue;
        };
        let status = match result.status.as_deref() {
            Some(status) => Status::from_api(status),
            None => {
                diagnostics.push(format!(
                    "result #{index} has no status; it is shown as still running"
                ));
                Status::InProgress
            }
        };
        let raw_output = result.raw_output.clone().unwrap_or_default();
        let mut notes = Vec::new();
        let outcome = match &status {
            Status::InProgress => Outcome::Pending,
            Status::Failed | Status::Offline => failure(&status, &result, &raw_output),
            Status::Finished | Status::Other(_) => match declared.or_else(|| infer_type(&result)) {
                Some(kind) => finished(kind, &result, &mut notes),
                None => Outcome::Failed {
                    reason: "the result's type could not be told from its fields".to_string(),
                },
            },
        };
        diagnostics.extend(
            notes
                .into_iter()
                .map(|note| format!("result #{index}: {note}")),
        );
        let failure_source = match status {
            Status::Failed | Status::Offline => result
                .failure_source
                .as_deref()
                .and_then(FailureSource::from_api),
            _ => None,
        };
        results.push(ProbeResult {
            probe: probe(wire.probe),
            status,
            raw_output,
            outcome,
            failure_source,
        });
    }
    let status = match top.status.as_deref() {
        Some(status) => Status::from_api(status),
        // No status: over when every result is.
        None if results.iter().all(|r| r.status.is_final()) && !results.is_empty() => {
            Status::Finished
        }
        None => Status::InProgress,
    };
    Ok(Measurement {
        id: top.id.unwrap_or_default(),
        test: declared,
        status,
        created_at: top.created_at.unwrap_or_default(),
        updated_at: top.updated_at.unwrap_or_default(),
        target: top.target.unwrap_or_default(),
        probes_count: top
            .probes_count
            .unwrap_or_else(|| u32::try_from(results.len()).unwrap_or(u32::MAX)),
        results,
        diagnostics,
        options: echoed_options(top.measurement_options.as_ref()),
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) const PING: &str =
        include_str!("../../tests/fixtures/globalping/get-ping-measurement-response.json");
    pub(crate) const TRACEROUTE: &str =
        include_str!("../../tests/fixtures/globalping/get-traceroute-measurement-response.json");
    pub(crate) const MTR: &str =
        include_str!("../../tests/fixtures/globalping/get-mtr-measurement-response.json");
    pub(crate) const SIMPLE_DNS: &str =
        include_str!("../../tests/fixtures/globalping/get-simple-dns-measurement-response.json");
    pub(crate) const TRACE_DNS: &str =
        include_str!("../../tests/fixtures/globalping/get-trace-dns-measurement-response.json");
    pub(crate) const HTTP: &str =
        include_str!("../../tests/fixtures/globalping/get-http-measurement-response.json");
    pub(crate) const ERRORS: &str =
        include_str!("../../tests/fixtures/globalping/error-responses.json");

    /// The recorded error examples: name, the HTTP status the name begins with, and the body.
    pub(crate) fn error_examples() -> Vec<(String, u16, Value)> {
        let examples: serde_json::Map<String, Value> = serde_json::from_str(ERRORS).unwrap();
        examples
            .into_iter()
            .map(|(name, body)| {
                let status: u16 = name
                    .trim_start_matches(|c: char| !c.is_ascii_digit())
                    .get(..3)
                    .and_then(|code| code.parse().ok())
                    .unwrap();
                (name, status, body)
            })
            .collect()
    }

    /// One recorded error example's body, by its name.
    pub(crate) fn error_example(name: &str) -> Value {
        let examples: serde_json::Map<String, Value> = serde_json::from_str(ERRORS).unwrap();
        examples[name].clone()
    }
    const CREATED: &str =
        include_str!("../../tests/fixtures/globalping/create-measurement-response.json");
    const ANONYMOUS_LIMITS: &str =
        include_str!("../../tests/fixtures/globalping/non-authenticated-limits.json");
    const AUTHENTICATED_LIMITS: &str =
        include_str!("../../tests/fixtures/globalping/authenticated-limits.json");

    pub(crate) const ALL: [(&str, &str); 6] = [
        ("ping", PING),
        ("traceroute", TRACEROUTE),
        ("mtr", MTR),
        ("simple-dns", SIMPLE_DNS),
        ("trace-dns", TRACE_DNS),
        ("http", HTTP),
    ];

    fn only(text: &str) -> (Measurement, ProbeResult) {
        let measurement = parse_measurement(text).unwrap();
        assert!(
            measurement.diagnostics.is_empty(),
            "{:?}",
            measurement.diagnostics
        );
        assert_eq!(measurement.results.len(), 1);
        let result = measurement.results[0].clone();
        (measurement, result)
    }

    #[test]
    fn the_ping_example() {
        let (measurement, result) = only(PING);
        assert_eq!(measurement.id, "nzGzfAGL7sZfUs3c");
        assert_eq!(measurement.test, Some(TestType::Ping));
        assert_eq!(measurement.status, Status::Finished);
        assert_eq!(measurement.created_at, "2023-07-14T18:25:52.414Z");
        assert_eq!(measurement.target, "cdn.jsdelivr.net");
        assert_eq!(measurement.probes_count, 1);
        assert_eq!(measurement.options.packets, Some(2));
        assert!(measurement.is_finished());
        assert_eq!(measurement.progress_line(), "1 of 1 probe reported");
        assert_eq!(
            result.probe.label(),
            "Auckland, NZ, AS61138 Zappie Host LLC"
        );
        assert_eq!(result.probe.key(), "NZ||Auckland|61138|Zappie Host LLC");
        assert_eq!(result.probe.continent, "OC");
        assert_eq!(result.probe.state, None);
        assert_eq!(
            (result.probe.latitude, result.probe.longitude),
            (Some(-36.87), Some(174.77))
        );
        assert_eq!(result.probe.tags, ["datacenter-network"]);
        assert_eq!(result.probe.resolvers, ["1.1.1.1", "8.8.8.8"]);
        assert!(
            result
                .raw_output
                .starts_with("PING jsdelivr.map.fastly.net")
        );
        assert_eq!(
            result.outcome,
            Outcome::Ping {
                resolved_address: Some("151.101.129.229".into()),
                rtts_ms: vec![24.2, 24.2],
                sent: 2,
                received: 2,
                min_ms: Some(24.174),
                avg_ms: Some(24.183),
                max_ms: Some(24.193),
            }
        );
    }

    /// The example's hop list was abbreviated by its authors: the last 2 of the 11 hops in its raw
    /// output.
    #[test]
    fn the_traceroute_example() {
        let (_, result) = only(TRACEROUTE);
        let Outcome::Traceroute {
            resolved_address,
            hops,
        } = result.outcome
        else {
            panic!("not a traceroute: {:?}", result.outcome)
        };
        assert_eq!(resolved_address.as_deref(), Some("104.16.85.20"));
        assert_eq!(hops.len(), 2);
        assert_eq!(hops[0].address.as_deref(), Some("172.68.208.3"));
        assert_eq!(hops[0].rtts_ms, [1.777, 1.778]);
        assert_eq!(hops[1].rtts_ms, [0.826, 0.733]);
        assert!(hops[1].asns.is_empty());
    }

    #[test]
    fn the_mtr_example() {
        let (measurement, result) = only(MTR);
        assert_eq!(measurement.test, Some(TestType::Mtr));
        assert_eq!(
            result.probe.label(),
            "Johannesburg, ZA, AS199524 G-Core Labs S.A."
        );
        let Outcome::Mtr { hops, .. } = result.outcome else {
            panic!("not an MTR: {:?}", result.outcome)
        };
        assert_eq!(hops[0].asns, [174]);
        assert_eq!(hops[1].asns, [54113]);
        assert_eq!(hops[1].rtts_ms, [178.403, 178.287]);
        assert_eq!(hops[1].hostname.as_deref(), Some("151.101.1.229"));
    }

    #[test]
    fn the_dns_examples() {
        let (measurement, result) = only(SIMPLE_DNS);
        assert_eq!(measurement.options.query_type, None, "A is the default");
        let Outcome::Dns {
            status_code,
            status_name,
            answers,
            total_ms,
            resolver,
        } = result.outcome
        else {
            panic!("not DNS")
        };
        assert_eq!(
            (status_code, status_name.as_deref()),
            (Some(0), Some("NOERROR"))
        );
        assert_eq!(answers.len(), 5);
        assert_eq!(
            answers[0],
            DnsAnswer {
                name: "cdn.jsdelivr.net.".into(),
                rtype: "CNAME".into(),
                ttl: Some(180),
                class: "IN".into(),
                value: "jsdelivr.map.fastly.net.".into()
            }
        );
        assert_eq!(answers[4].value, "151.101.193.229");
        assert_eq!(
            (total_ms, resolver.as_deref()),
            (Some(99.0), Some("8.8.8.8"))
        );

        let (measurement, result) = only(TRACE_DNS);
        assert!(measurement.options.trace);
        let Outcome::Dns {
            status_code,
            answers,
            total_ms,
            resolver,
            ..
        } = result.outcome
        else {
            panic!("not DNS")
        };
        assert_eq!(status_code, None, "a trace has no status code");
        assert_eq!(answers.len(), 1);
        assert_eq!(answers[0].value, "jsdelivr.map.fastly.net.");
        assert_eq!(
            (total_ms, resolver.as_deref()),
            (Some(0.0), Some("ns1.gcorelabs.net"))
        );
    }

    #[test]
    fn the_http_example() {
        let (measurement, result) = only(HTTP);
        assert_eq!(
            measurement.options.http_path.as_deref(),
            Some("/npm/jquery")
        );
        assert_eq!(measurement.options.http_method.as_deref(), Some("GET"));
        let Outcome::Http {
            resolved_address,
            status_code,
            status_text,
            headers,
            body_excerpt,
            truncated,
            timings,
            tls,
        } = result.outcome
        else {
            panic!("not HTTP")
        };
        assert_eq!(resolved_address.as_deref(), Some("104.16.88.20"));
        assert_eq!(
            (status_code, status_text.as_deref()),
            (Some(200), Some("OK"))
        );
        assert_eq!(headers.len(), 24);
        assert!(headers.contains(&("server".to_string(), "cloudflare".to_string())));
        assert!(body_excerpt.starts_with("/*! jQuery v3.7.0"));
        assert!(truncated);
        assert_eq!(
            timings,
            HttpTimings {
                total_ms: Some(325.0),
                dns_ms: Some(37.0),
                tcp_ms: Some(32.0),
                tls_ms: Some(36.0),
                first_byte_ms: Some(219.0),
                download_ms: Some(1.0),
            }
        );
        let tls = tls.unwrap();
        assert_eq!(tls.authorized, Some(true));
        assert_eq!(tls.protocol.as_deref(), Some("TLSv1.3"));
        assert_eq!(tls.cipher.as_deref(), Some("TLS_AES_256_GCM_SHA384"));
        assert_eq!(tls.subject.as_deref(), Some("sni.cloudflaressl.com"));
        assert_eq!(
            tls.issuer.as_deref(),
            Some("Cloudflare Inc ECC CA-3 (Cloudflare, Inc.)")
        );
        assert_eq!(tls.expires_at.as_deref(), Some("2024-05-01T23:59:59.000Z"));
        assert!(tls.fingerprint256.unwrap().starts_with("52:EC:FB"));
        assert_eq!(tls.error, None);
    }

    #[test]
    fn every_error_example_reads_to_its_kind() {
        let mut seen = Vec::new();
        for (name, status, body) in &error_examples() {
            let error = parse_error(*status, &body.to_string(), None);
            let code = error.code.clone().unwrap();
            assert_eq!(code, body["error"]["type"].as_str().unwrap(), "{name}");
            assert_eq!(
                error.detail.as_deref(),
                body["error"]["message"].as_str(),
                "{name}"
            );
            assert_eq!(error.service, Service::Globalping);
            assert_eq!(error.status, Some(*status));
            let expected = match code.as_str() {
                "validation_error" => ProblemKind::BadRequest,
                "not_found" => ProblemKind::NotFound,
                "no_probes_found" => ProblemKind::NoProbes,
                "rate_limit_exceeded" => ProblemKind::RateLimited { hourly_quota: true },
                "insufficient_credits" => ProblemKind::NoCredits,
                "too_many_requests" => ProblemKind::RateLimited {
                    hourly_quota: false,
                },
                other => panic!("unexpected kind {other}"),
            };
            assert_eq!(error.kind, expected, "{name}");
            if code == "validation_error" {
                assert_eq!(
                    error.fields,
                    vec![(
                        "measurement".to_string(),
                        "\"measurement\" does not match any of the allowed types".to_string()
                    )]
                );
            }
            if code == "too_many_requests" {
                assert_eq!(error.retry_after, Some(4), "{name}");
            }
            assert_eq!(error.is_retryable(), code == "too_many_requests", "{name}");
            seen.push(code);
        }
        assert_eq!(seen.len(), 6);
        // Retry-After wins over the message.
        let limited = parse_error(
            429,
            &error_example("measurements429:rateLimitExceeded").to_string(),
            Some(" 125 "),
        );
        assert_eq!(limited.retry_after, Some(125));
        assert!(!limited.is_retryable());
    }

    #[test]
    fn a_429_with_retry_after_is_rate_limited_with_its_wait() {
        let body = r#"{"error":{"type":"too_many_requests","message":"Too many requests."}}"#;
        let error = parse_error(429, body, Some("7"));
        assert_eq!(
            error.kind,
            ProblemKind::RateLimited {
                hourly_quota: false
            }
        );
        assert_eq!(error.retry_after, Some(7));
        assert!(error.is_retryable());
    }

    #[test]
    fn unreadable_error_bodies_still_give_a_problem() {
        for (status, body) in [
            (502, "<html>Bad Gateway</html>"),
            (500, ""),
            (418, "{\"error\": 5}"),
            (400, "[]"),
        ] {
            let error = parse_error(status, body, Some("soon"));
            assert_eq!(error.code, None);
            assert_eq!(error.retry_after, None);
            assert_eq!(error.status, Some(status));
            let expected = if status >= 500 {
                ProblemKind::Server
            } else {
                ProblemKind::Other
            };
            assert_eq!(error.kind, expected, "{body}");
            assert_eq!(error.is_retryable(), status >= 500);
        }
    }

    #[test]
    fn created_measurements() {
        assert_eq!(
            parse_created(202, CREATED),
            Ok(Created {
                id: "PY5fMsREMmIq45VR".into(),
                probes_count: 1
            })
        );
        let refused = parse_created(
            422,
            &serde_json::from_str::<Value>(ERRORS).unwrap()["measurements422:json"].to_string(),
        )
        .unwrap_err();
        assert_eq!(refused.kind, ProblemKind::NoProbes);
        let odd = parse_created(202, "{\"probesCount\": 3}").unwrap_err();
        assert_eq!(odd.kind, ProblemKind::Unreadable);
        assert_eq!(odd.code.as_deref(), Some("unreadable_response"));
        assert!(parse_created(202, "not json").is_err());
    }

    #[test]
    fn limits_from_the_body_and_headers() {
        assert_eq!(
            parse_limits(ANONYMOUS_LIMITS),
            Ok(RateLimit {
                limit: Some(100),
                consumed: Some(5),
                remaining: Some(95),
                reset_s: Some(3599)
            })
        );
        assert_eq!(
            parse_limits(AUTHENTICATED_LIMITS).unwrap().remaining,
            Some(240)
        );
        assert_eq!(credits_remaining(AUTHENTICATED_LIMITS), Some(1000));
        assert_eq!(credits_remaining(ANONYMOUS_LIMITS), None);
        assert!(parse_limits("{}").is_err());
        assert!(parse_limits("nope").is_err());
        let headers = [
            ("x-ratelimit-limit", "250"),
            ("X-RateLimit-Consumed", "12"),
            ("X-RateLimit-Remaining", " 238"),
            ("X-RateLimit-Reset", "junk"),
        ];
        let limit = rate_limit_from_headers(|name| {
            headers
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.to_string())
        });
        assert_eq!(
            limit,
            RateLimit {
                limit: Some(250),
                consumed: Some(12),
                remaining: Some(238),
                reset_s: None
            }
        );
    }

    #[test]
    fn failed_offline_and_running_results() {
        let text = r#"{"id":"x","type":"ping","status":"in-progress","probesCount":3,"results":[
            {"probe":{"country":"de","city":"Berlin","asn":"AS3320","continent":"eu"},
             "result":{"status":"failed","rawOutput":"ping: cdn.example: Name or service not known\n","failureSource":"target"}},
            {"probe":{"country":"US","state":"VA","city":"Ashburn"},"result":{"status":"offline","rawOutput":""}},
            {"probe":{},"result":{"status":"in-progress","rawOutput":"PING x"}}]}"#;
        let measurement = parse_measurement(text).unwrap();
        assert!(
            measurement.diagnostics.is_empty(),
            "{:?}",
            measurement.diagnostics
        );
        assert!(!measurement.is_finished());
        assert_eq!(measurement.finished_results(), 2);
        assert_eq!(
            measurement.progress_line(),
            "2 of 3 probes reported; 2 failed"
        );
        let probe = &measurement.results[0].probe;
        assert_eq!((probe.country.as_str(), probe.asn), ("DE", Some(3320)));
        assert_eq!(probe.continent, "EU");
        assert_eq!(
            measurement.results[0].outcome,
            Outcome::Failed {
                reason: "ping: cdn.example: Name or service not known (a problem at the target)"
                    .into()
            }
        );
        assert_eq!(
            measurement.results[0].failure_source,
            Some(FailureSource::Target)
        );
        assert_eq!(measurement.results[1].status, Status::Offline);
        assert_eq!(measurement.results[1].failure_source, None);
        assert!(matches!(
            &measurement.results[1].outcome,
            Outcome::Failed { reason } if reason.contains("offline")
        ));
        assert_eq!(measurement.results[1].probe.label(), "Ashburn, VA, US");
        assert_eq!(measurement.results[2].outcome, Outcome::Pending);
        assert_eq!(
            measurement.results[2].probe.label(),
            "a probe of unknown location"
        );
    }

    #[test]
    fn one_malformed_result_is_a_diagnostic_naming_it() {
        let mut value: Value = serde_json::from_str(PING).unwrap();
        let good = value["results"][0].clone();
        let mut bad_hops = good.clone();
        bad_hops["result"]["hops"] = json_text("\"many\"");
        let mut bad_probe = good.clone();
        bad_probe["probe"] = json_text("5");
        value["results"] = Value::Array(vec![
            good.clone(),
            json_text("7"),
            bad_hops,
            bad_probe,
            json_text("{\"probe\": {}}"),
            good,
        ]);
        let measurement = parse_measurement(&value.to_string()).unwrap();
        assert_eq!(measurement.results.len(), 2);
        let named: Vec<&str> = measurement
            .diagnostics
            .iter()
            .map(|d| d.split(' ').nth(1).unwrap())
            .collect();
        assert_eq!(
            named,
            ["#1", "#2", "#3", "#4"],
            "{:?}",
            measurement.diagnostics
        );
    }

    fn json_text(text: &str) -> Value {
        serde_json::from_str(text).unwrap()
    }

    #[test]
    fn wrong_types_read_as_absent() {
        let text = r#"{"id": 42, "type": "PING", "status": "finished", "probesCount": "NaN",
          "results": [{"probe": {"asn": 1e300, "latitude": "NaN", "longitude": 12, "city": ["x"],
                                 "tags": "x", "resolvers": [1, null, "8.8.8.8"]},
                       "result": {"status": "finished", "rawOutput": 7,
                                  "timings": [{"rtt": "Infinity"}, {"rtt": -1}, {"rtt": "12.5"}, 3, {"rtt": 1e308}],
                                  "stats": {"min": "nan", "avg": null, "max": true, "total": 1e20, "rcv": -2}}}]}"#;
        let measurement = parse_measurement(text).unwrap();
        assert_eq!(measurement.id, "42");
        assert_eq!(measurement.test, Some(TestType::Ping));
        assert_eq!(
            measurement.probes_count, 1,
            "an unreadable count is the results'"
        );
        let result = &measurement.results[0];
        assert_eq!(result.probe.asn, None);
        assert_eq!(
            (result.probe.latitude, result.probe.longitude),
            (None, None)
        );
        assert_eq!(result.probe.city, "");
        assert!(result.probe.tags.is_empty());
        assert_eq!(result.probe.resolvers, ["1", "8.8.8.8"]);
        assert_eq!(result.raw_output, "7");
        let Outcome::Ping {
            rtts_ms,
            sent,
            received,
            min_ms,
            ..
        } = &result.outcome
        else {
            panic!("not a ping")
        };
        assert_eq!(rtts_ms, &[12.5, 1e308]);
        assert_eq!((*sent, *received), (2, 2));
        assert_eq!(*min_ms, Some(12.5));
    }

    #[test]
    fn texts_that_are_not_measurements_are_errors() {
        for text in ["", "nope", "[]", "42", "{}", "{\"foo\": 1}"] {
            assert!(parse_measurement(text).is_err(), "{text}");
        }
        let error = parse_measurement(
            &serde_json::from_str::<Value>(ERRORS).unwrap()["404:json"].to_string(),
        )
        .unwrap_err();
        assert!(
            error.contains("Couldn't find the requested item"),
            "{error}"
        );
        // A measurement without results is still a measurement (just created).
        let empty = parse_measurement(r#"{"id":"a","type":"dns","status":"in-progress"}"#).unwrap();
        assert_eq!(empty.progress_line(), "Waiting for probes");
        let weird = parse_measurement(r#"{"id":"a","type":"ntp","results":5}"#).unwrap();
        assert_eq!(weird.diagnostics.len(), 2, "{:?}", weird.diagnostics);
    }

    /// Every prefix of every fixture, and each with its bytes mutated (seeded, so a failure
    /// reproduces): no panic, and any `Ok` is internally consistent.
    #[test]
    fn hostile_input_never_panics() {
        for (name, text) in ALL {
            let stride = if text.len() > 3000 { 7 } else { 1 };
            for end in (0..text.len()).step_by(stride) {
                if let Some(prefix) = text.get(..end)
                    && let Ok(measurement) = parse_measurement(prefix)
                {
                    assert!(
                        measurement.finished_results() <= measurement.results.len(),
                        "{name}"
                    );
                    let _ = measurement.progress_line();
                }
            }
        }
        let mut state: u64 = 0x6c6f_6261_6c70_696e;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let alphabet = b"{}[]\",:0123456789-eE.ntfx \n\\";
        for (_, text) in ALL {
            for _ in 0..150 {
                let mut bytes = text.as_bytes().to_vec();
                for _ in 0..1 + next() % 6 {
                    let at = (next() % bytes.len() as u64) as usize;
                    bytes[at] = alphabet[(next() % alphabet.len() as u64) as usize];
                }
                if let Ok(measurement) = parse_measurement(&String::from_utf8_lossy(&bytes)) {
                    for result in &measurement.results {
                        let _ = (result.probe.label(), result.probe.key());
                    }
                }
            }
        }
        // The other replies' readers, on every prefix of every reply fixture.
        for text in [
            ERRORS,
            CREATED,
            ANONYMOUS_LIMITS,
            AUTHENTICATED_LIMITS,
            PING,
            HTTP,
        ] {
            for end in 0..text.len() {
                let Some(prefix) = text.get(..end) else {
                    continue;
                };
                let error = parse_error(429, prefix, Some(prefix));
                assert_eq!(error.status, Some(429));
                if let Ok(created) = parse_created(202, prefix) {
                    assert!(!created.id.is_empty());
                }
                if let Ok(limits) = parse_limits(prefix) {
                    assert!(limits.consumed <= limits.limit);
                }
                let _ = credits_remaining(prefix);
            }
        }
        // Out of f64 range is not JSON serde_json can read: an error, not a panic.
        assert!(parse_measurement(r#"{"id":"a","probesCount":1e999}"#).is_err());
        let deep = "[".repeat(50_000);
        assert!(parse_measurement(&deep).is_err());
    }
}
