//! RIPEstat Data API responses (`https://stat.ripe.net/data/<call>/data.json`): the envelope every
//! call shares (`status`, `status_code`, `messages`, `data_call_name`, `data`), the two calls the DNS
//! answer matrix uses to say who originates an address (`network-info`: address → prefix and origin AS
//! numbers; `prefix-overview`: prefix → origin ASes with their holder names), and the routing-context
//! calls, one file each: `as-overview`, `asn-neighbours`, `announced-prefixes`, `routing-status`,
//! `looking-glass`, `bgp-updates`, `bgp-state`, `reverse-dns-ip`, and `whois` (the aut-num objects
//! whose remarks document an AS's communities).
//!
//! Pure functions over the response text; `net` fetches. Wire shapes stay here; only the validated
//! types of each call leave, and the model's `Origin` (`Origin::from_calls`).

pub mod announced_prefixes;
pub mod as_overview;
pub mod asn_neighbours;
pub mod bgp_state;
pub mod bgp_updates;
pub mod looking_glass;
pub mod network_info;
pub mod prefix_overview;
pub mod reverse_dns_ip;
pub mod routing_status;
pub mod whois;

use std::fmt;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::model::lenient;

/// `Asn` and `Origin` are the model's (`model::origin`); read here, they are re-exported for the
/// calls' users.
pub use crate::model::{Asn, Origin};
pub use network_info::NetworkInfo;
pub use prefix_overview::PrefixOverview;

pub const DEFAULT_BASE_URL: &str = "https://stat.ripe.net";
/// RIPEstat asks applications to identify themselves with `sourceapp` (its Data API documentation).
const SOURCE_APP: &str = "vantage";

/// Why a RIPEstat response could not be used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "error", rename_all = "snake_case")]
pub enum RipestatError {
    NotJson {
        detail: String,
    },
    /// `status: "error"` (or a 4xx/5xx `status_code`), with RIPEstat's own message when it gave one.
    Refused {
        status_code: Option<u64>,
        message: Option<String>,
    },
    /// A response of another data call than the one asked for.
    WrongCall {
        expected: String,
        found: String,
    },
    /// The `data` object lacks what the call always returns.
    MissingData {
        detail: String,
    },
}

impl fmt::Display for RipestatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RipestatError::NotJson { detail } => {
                write!(
                    f,
                    "RIPEstat's reply is not JSON ({detail}); try again later"
                )
            }
            RipestatError::Refused {
                status_code,
                message,
            } => {
                write!(f, "RIPEstat refused the query")?;
                if let Some(code) = status_code {
                    write!(f, " (status {code})")?;
                }
                if let Some(message) = message {
                    write!(f, ": {message}")?;
                }
                Ok(())
            }
            RipestatError::WrongCall { expected, found } => write!(
                f,
                "RIPEstat answered with \"{found}\" data where \"{expected}\" was asked"
            ),
            RipestatError::MissingData { detail } => {
                write!(f, "RIPEstat's reply lacks {detail}")
            }
        }
    }
}

/// The `data` object of a response to `call`, after checking the envelope.
fn data(text: &str, call: &str) -> Result<Map<String, Value>, RipestatError> {
    let value: Value =
        serde_json::from_str(text.trim_start_matches('\u{feff}')).map_err(|error| {
            RipestatError::NotJson {
                detail: error.to_string(),
            }
        })?;
    let Value::Object(mut envelope) = value else {
        return Err(RipestatError::MissingData {
            detail: "its envelope object".to_string(),
        });
    };
    let status_code = envelope.get("status_code").and_then(Value::as_u64);
    let failed = envelope.get("status").and_then(Value::as_str) == Some("error")
        || status_code.is_some_and(|code| code >= 400);
    if failed {
        // Messages are [["error", "…"], ["info", "…"]]; the first error one says why.
        let message = envelope
            .get("messages")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_array)
            .find(|pair| pair.first().and_then(Value::as_str) == Some("error"))
            .and_then(|pair| pair.get(1))
            .and_then(Value::as_str)
            .map(str::to_string);
        return Err(RipestatError::Refused {
            status_code,
            message,
        });
    }
    if let Some(found) = envelope.get("data_call_name").and_then(Value::as_str)
        && found != call
    {
        return Err(RipestatError::WrongCall {
            expected: call.to_string(),
            found: found.to_string(),
        });
    }
    match envelope.remove("data") {
        Some(Value::Object(data)) => Ok(data),
        _ => Err(RipestatError::MissingData {
            detail: "its \"data\" object".to_string(),
        }),
    }
}

/// An AS number; RIPEstat writes them as numbers in some calls and as strings in others
/// (`network-info`), so both are read.
fn asn_number(value: &Value) -> Option<u32> {
    let number = match value {
        Value::String(s) => s.trim().trim_start_matches("AS").parse().ok(),
        other => lenient::unsigned(other),
    };
    number.and_then(|n| u32::try_from(n).ok())
}

/// The AS number a response is about (`resource`, "3333" or 3333), for the calls on an AS.
fn resource_asn(data: &Map<String, Value>) -> Result<u32, RipestatError> {
    data.get("resource")
        .and_then(asn_number)
        .ok_or_else(|| RipestatError::MissingData {
            detail: "the AS number it describes".to_string(),
        })
}

/// A non-empty trimmed string field.
fn text_field(object: &Map<String, Value>, key: &str) -> Option<String> {
    object
        .get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|text| !text.is_empty())
        .map(str::to_string)
}

/// `?resource=…` in a URL query: addresses and prefixes only hold characters that may stand there
/// except `/`, which is escaped for proxies that treat it specially.
fn resource_parameter(resource: &str) -> String {
    resource.trim().replace('/', "%2F")
}

pub(crate) fn call_url(base: &str, call: &str, resource: &str) -> String {
    format!(
        "{}/data/{call}/data.json?resource={}&sourceapp={SOURCE_APP}",
        base.trim().trim_end_matches('/'),
        resource_parameter(resource)
    )
}

/// The model's `Origin` as RIPEstat's two calls give it.
impl Origin {
    /// Joins what `network-info` (for the address) and `prefix-overview` (for its prefix) say: the
    /// prefix from the first, the AS numbers from both, holder names from the second.
    pub fn from_calls(network: Option<&NetworkInfo>, overview: Option<&PrefixOverview>) -> Origin {
        let mut asns: Vec<Asn> = overview.map(|o| o.asns.clone()).unwrap_or_default();
        for number in network.map(|n| n.asns.as_slice()).unwrap_or_default() {
            if !asns.iter().any(|asn| asn.number == *number) {
                asns.push(Asn {
                    number: *number,
                    holder: None,
                });
            }
        }
        asns.sort();
        Origin {
            prefix: network
                .and_then(|n| n.prefix.clone())
                .or_else(|| overview.map(|o| o.resource.clone())),
            asns,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NETWORK: &str = include_str!("../../tests/fixtures/ripestat/network-info.json");
    const OVERVIEW: &str = include_str!("../../tests/fixtures/ripestat/prefix-overview.json");

    #[test]
    fn the_envelope_is_checked() {
        assert!(matches!(
            data("nope", "x"),
            Err(RipestatError::NotJson { .. })
        ));
        assert!(matches!(
            data("[1]", "x"),
            Err(RipestatError::MissingData { .. })
        ));
        let refused = r#"{"status":"error","status_code":400,"messages":[["info","a"],["error","Invalid resource"]],"data":{}}"#;
        assert_eq!(
            data(refused, "network-info"),
            Err(RipestatError::Refused {
                status_code: Some(400),
                message: Some("Invalid resource".to_string())
            })
        );
        assert!(matches!(
            data(NETWORK, "prefix-overview"),
            Err(RipestatError::WrongCall { .. })
        ));
        assert!(matches!(
            data(r#"{"status":"ok","data":[]}"#, "x"),
            Err(RipestatError::MissingData { .. })
        ));
    }

    #[test]
    fn urls_name_the_call_and_the_app() {
        assert_eq!(
            call_url("https://stat.ripe.net/", "prefix-overview", "193.0.0.0/21"),
            "https://stat.ripe.net/data/prefix-overview/data.json?resource=193.0.0.0%2F21&sourceapp=vantage"
        );
    }

    #[test]
    fn origins_join_both_calls() {
        let network = network_info::parse(NETWORK).unwrap();
        let overview = prefix_overview::parse(OVERVIEW).unwrap();
        let origin = Origin::from_calls(Some(&network), None);
        assert_eq!(origin.prefix.as_deref(), Some("140.78.0.0/16"));
        assert_eq!(origin.asns[0].to_string(), "AS1205");
        // The two fixtures are about different networks, which shows the merge keeps both.
        let both = Origin::from_calls(Some(&network), Some(&overview));
        let numbers: Vec<u32> = both.asns.iter().map(|asn| asn.number).collect();
        assert_eq!(numbers, [1205, 3333]);
        let only_overview = Origin::from_calls(None, Some(&overview));
        assert_eq!(only_overview.prefix.as_deref(), Some("193.0.0.0/21"));
        assert_eq!(
            only_overview.asns[0].holder.as_deref(),
            Some("RIPE-NCC-AS - Reseaux IP Europeens Network Coordination Centre (RIPE NCC)")
        );
        assert_eq!(
            asn_number(&Value::String("AS64500".to_string())),
            Some(64500)
        );
        assert_eq!(asn_number(&serde_json::json!(-1)), None);
    }
}
