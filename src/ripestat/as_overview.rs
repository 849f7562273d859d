//! RIPEstat `as-overview` (version 1.3): for an AS number, its registered holder name, whether it is
//! announced in BGP, and the registry block it belongs to.

use serde::Serialize;
use serde_json::Value;

use super::{RipestatError, call_url, data, resource_asn, text_field};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AsOverview {
    pub asn: u32,
    /// "RIPE-NCC-AS - Reseaux IP Europeens Network Coordination Centre (RIPE NCC)".
    pub holder: Option<String>,
    pub announced: bool,
    /// The registry block description, e.g. "Assigned by RIPE NCC".
    pub block: Option<String>,
}

/// The URL of the call for one AS number.
pub fn url(base: &str, asn: u32) -> String {
    call_url(base, "as-overview", &format!("AS{asn}"))
}

pub fn parse(text: &str) -> Result<AsOverview, RipestatError> {
    let data = data(text, "as-overview")?;
    let asn = resource_asn(&data)?;
    Ok(AsOverview {
        asn,
        holder: text_field(&data, "holder"),
        announced: data.get("announced").and_then(Value::as_bool) == Some(true),
        block: data
            .get("block")
            .and_then(Value::as_object)
            .and_then(|block| text_field(block, "desc")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_recorded_response_names_the_holder() {
        let overview = parse(include_str!(
            "../../tests/fixtures/ripestat/as-overview.json"
        ))
        .unwrap();
        assert_eq!(
            overview,
            AsOverview {
                asn: 3333,
                holder: Some(
                    "RIPE-NCC-AS - Reseaux IP Europeens Network Coordination Centre (RIPE NCC)"
                        .to_string()
                ),
                announced: true,
                block: Some("Assigned by RIPE NCC".to_string()),
            }
        );
        assert_eq!(
            url("https://stat.ripe.net", 3333),
            "https://stat.ripe.net/data/as-overview/data.json?resource=AS3333&sourceapp=vantage"
        );
    }

    #[test]
    fn odd_shapes_are_absent_or_errors() {
        assert!(parse(r#"{"status":"ok","data":{}}"#).is_err());
        let odd = r#"{"status":"ok","data":{"resource":"AS64500","holder":"  ","announced":1,"block":"x"}}"#;
        assert_eq!(
            parse(odd).unwrap(),
            AsOverview {
                asn: 64500,
                holder: None,
                announced: false,
                block: None
            }
        );
    }
}
