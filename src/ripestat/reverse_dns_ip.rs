//! RIPEstat `reverse-dns-ip` (version 0.1): the PTR names of one address, from RIPEstat's own
//! resolver. `result` is a list of names, or `null` when there is none; `error` is a string (empty when
//! there was no error).

use serde::Serialize;
use serde_json::Value;

use super::{RipestatError, call_url, data, text_field};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReverseDns {
    pub address: Option<String>,
    /// Names without a trailing dot.
    pub names: Vec<String>,
    pub error: Option<String>,
}

/// The URL of the call for one address.
pub fn url(base: &str, address: &str) -> String {
    call_url(base, "reverse-dns-ip", address)
}

pub fn parse(text: &str) -> Result<ReverseDns, RipestatError> {
    let data = data(text, "reverse-dns-ip")?;
    Ok(ReverseDns {
        address: text_field(&data, "resource"),
        names: data
            .get("result")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(|name| name.trim().trim_end_matches('.').to_string())
            .filter(|name| !name.is_empty())
            .collect(),
        error: text_field(&data, "error"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_recorded_name_of_193_0_6_139() {
        let reverse = parse(include_str!(
            "../../tests/fixtures/ripestat/reverse-dns-ip.json"
        ))
        .unwrap();
        assert_eq!(
            reverse,
            ReverseDns {
                address: Some("193.0.6.139".to_string()),
                names: vec!["www.ripe.net".to_string()],
                error: None
            }
        );
        assert_eq!(
            url("https://stat.ripe.net", "193.0.6.139"),
            "https://stat.ripe.net/data/reverse-dns-ip/data.json?resource=193.0.6.139&sourceapp=vantage"
        );
    }

    #[test]
    fn a_null_result_is_no_names() {
        let text =
            r#"{"status":"ok","data":{"resource":"192.0.2.1","result":null,"error":"NXDOMAIN"}}"#;
        let reverse = parse(text).unwrap();
        assert!(reverse.names.is_empty());
        assert_eq!(reverse.error.as_deref(), Some("NXDOMAIN"));
    }
}
