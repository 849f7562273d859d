//! RIPEstat `announced-prefixes` (version 1.2): the prefixes an AS originated in BGP during the query
//! window, each with the time spans it was seen announced.

use serde::Serialize;
use serde_json::Value;

use super::{RipestatError, asn_number, call_url, data, text_field};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Timeline {
    pub start: Option<String>,
    pub end: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AnnouncedPrefix {
    pub prefix: String,
    pub timelines: Vec<Timeline>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AnnouncedPrefixes {
    pub asn: Option<u32>,
    pub prefixes: Vec<AnnouncedPrefix>,
    pub query_start: Option<String>,
    pub query_end: Option<String>,
}

impl AnnouncedPrefixes {
    /// IPv4 and IPv6 prefix counts.
    pub fn counts(&self) -> (usize, usize) {
        let v6 = self
            .prefixes
            .iter()
            .filter(|p| p.prefix.contains(':'))
            .count();
        (self.prefixes.len() - v6, v6)
    }
}

/// The URL of the call for one AS number.
pub fn url(base: &str, asn: u32) -> String {
    call_url(base, "announced-prefixes", &format!("AS{asn}"))
}

pub fn parse(text: &str) -> Result<AnnouncedPrefixes, RipestatError> {
    let data = data(text, "announced-prefixes")?;
    let prefixes = match data.get("prefixes") {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|item| {
                let item = item.as_object()?;
                Some(AnnouncedPrefix {
                    prefix: text_field(item, "prefix")?,
                    timelines: item
                        .get("timelines")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                        .filter_map(Value::as_object)
                        .map(|span| Timeline {
                            start: text_field(span, "starttime"),
                            end: text_field(span, "endtime"),
                        })
                        .collect(),
                })
            })
            .collect(),
        _ => {
            return Err(RipestatError::MissingData {
                detail: "a list of \"prefixes\"".to_string(),
            });
        }
    };
    Ok(AnnouncedPrefixes {
        asn: data.get("resource").and_then(asn_number),
        prefixes,
        query_start: text_field(&data, "query_starttime"),
        query_end: text_field(&data, "query_endtime"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_recorded_prefixes_of_as3333() {
        let announced = parse(include_str!(
            "../../tests/fixtures/ripestat/announced-prefixes.json"
        ))
        .unwrap();
        assert_eq!(announced.asn, Some(3333));
        assert_eq!(announced.counts(), (6, 1));
        assert_eq!(announced.prefixes[0].prefix, "2001:67c:2e8::/48");
        assert_eq!(
            announced.prefixes[0].timelines[0].start.as_deref(),
            Some("2020-12-12T16:00:00")
        );
        assert!(parse(r#"{"status":"ok","data":{"prefixes":null}}"#).is_err());
    }
}
