//! RIPEstat `network-info` (version 1.1): for an IP address, the most specific prefix announced in BGP
//! and the AS numbers originating it. The AS numbers are strings in this call (`"asns": ["1205"]`);
//! an unannounced address has no prefix and no ASes.

use serde::Serialize;
use serde_json::Value;

use super::{RipestatError, asn_number, call_url, data};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NetworkInfo {
    pub prefix: Option<String>,
    pub asns: Vec<u32>,
}

/// The URL of the call for one address.
pub fn url(base: &str, address: &str) -> String {
    call_url(base, "network-info", address)
}

pub fn parse(text: &str) -> Result<NetworkInfo, RipestatError> {
    let data = data(text, "network-info")?;
    let asns = match data.get("asns") {
        Some(Value::Array(items)) => items.iter().filter_map(asn_number).collect(),
        None | Some(Value::Null) => Vec::new(),
        Some(_) => {
            return Err(RipestatError::MissingData {
                detail: "a list of \"asns\"".to_string(),
            });
        }
    };
    Ok(NetworkInfo {
        prefix: data
            .get("prefix")
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|prefix| !prefix.is_empty())
            .map(str::to_string),
        asns,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_recorded_response_names_its_prefix_and_as() {
        let info = parse(include_str!(
            "../../tests/fixtures/ripestat/network-info.json"
        ))
        .unwrap();
        assert_eq!(
            info,
            NetworkInfo {
                prefix: Some("140.78.0.0/16".to_string()),
                asns: vec![1205]
            }
        );
        assert_eq!(
            url("https://stat.ripe.net", "140.78.2.62"),
            "https://stat.ripe.net/data/network-info/data.json?resource=140.78.2.62&sourceapp=vantage"
        );
    }

    #[test]
    fn wrong_types_are_errors_or_absent() {
        let unannounced = r#"{"status":"ok","data":{"asns":[],"prefix":null}}"#;
        assert_eq!(
            parse(unannounced).unwrap(),
            NetworkInfo {
                prefix: None,
                asns: vec![]
            }
        );
        let strange =
            r#"{"status":"ok","data":{"asns":["x", 7, {"a":1}, "4294967296"],"prefix":5}}"#;
        assert_eq!(parse(strange).unwrap().asns, vec![7]);
        assert!(parse(r#"{"status":"ok","data":{"asns":"1205"}}"#).is_err());
    }
}
