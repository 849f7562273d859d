//! RIPEstat `prefix-overview` (version 1.3): for a prefix or address, whether it is announced, the
//! origin ASes with their holder names, and the registry block it belongs to. RIPEstat may answer
//! about a less specific prefix than the one asked (`is_less_specific`, with a warning message).

use serde::Serialize;
use serde_json::Value;

use super::{Asn, RipestatError, asn_number, call_url, data};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PrefixOverview {
    /// The prefix the answer is about (possibly less specific than asked).
    pub resource: String,
    pub announced: bool,
    pub is_less_specific: bool,
    pub asns: Vec<Asn>,
    /// The registry block description, e.g. "RIPE NCC (Status: ALLOCATED)".
    pub block: Option<String>,
}

/// The URL of the call for one prefix or address.
pub fn url(base: &str, resource: &str) -> String {
    call_url(base, "prefix-overview", resource)
}

pub fn parse(text: &str) -> Result<PrefixOverview, RipestatError> {
    let data = data(text, "prefix-overview")?;
    let resource = data
        .get("resource")
        .and_then(Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| RipestatError::MissingData {
            detail: "the \"resource\" it describes".to_string(),
        })?;
    let asns = data
        .get("asns")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|item| {
            Some(Asn {
                number: asn_number(item.get("asn")?)?,
                holder: item
                    .get("holder")
                    .and_then(Value::as_str)
                    .map(str::trim)
                    .filter(|holder| !holder.is_empty())
                    .map(str::to_string),
            })
        })
        .collect();
    Ok(PrefixOverview {
        resource,
        announced: data.get("announced").and_then(Value::as_bool) == Some(true),
        is_less_specific: data.get("is_less_specific").and_then(Value::as_bool) == Some(true),
        asns,
        block: data
            .get("block")
            .and_then(|block| block.get("desc"))
            .and_then(Value::as_str)
            .map(str::to_string),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_recorded_response_names_ripe_ncc() {
        let overview = parse(include_str!(
            "../../tests/fixtures/ripestat/prefix-overview.json"
        ))
        .unwrap();
        assert_eq!(overview.resource, "193.0.0.0/21");
        assert!(overview.announced && overview.is_less_specific);
        assert_eq!(overview.asns.len(), 1);
        assert_eq!(overview.asns[0].number, 3333);
        assert_eq!(
            overview.block.as_deref(),
            Some("RIPE NCC (Status: ALLOCATED)")
        );
    }

    #[test]
    fn wrong_types_are_skipped_or_errors() {
        assert!(parse(r#"{"status":"ok","data":{"asns":[]}}"#).is_err());
        let odd = r#"{"status":"ok","data":{"resource":"192.0.2.0/24","announced":"yes",
            "asns":[{"asn":"64500","holder":""},{"asn":null},7,{"asn":1e30}],"block":[]}}"#;
        let overview = parse(odd).unwrap();
        assert!(!overview.announced);
        assert_eq!(
            overview.asns,
            vec![Asn {
                number: 64500,
                holder: None
            }]
        );
        assert_eq!(overview.block, None);
    }
}
