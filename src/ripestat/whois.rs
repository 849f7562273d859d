//! RIPEstat `whois` (version 4.1): the registry objects about a resource, as lists of `{key, value,
//! details_link}` attributes, in `records` (the authoritative registry's objects: RIPE's, ARIN's, …)
//! and `irr_records` (routing registries' objects: RADB, LEVEL3, …), with `authorities`. For an AS
//! the objects that matter here are its `aut-num` objects, whose `remarks` and `descr` lines are
//! where many operators document their BGP communities; each keeps the registry it came from.
//!
//! Only reads: what the remarks mean is `paths::remarks`'s business. Never panics; odd objects are
//! skipped, a reply without either list is an error.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{RipestatError, call_url, data};

/// One attribute of a registry object, as RIPEstat lists it (`remarks: …`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attribute {
    pub key: String,
    pub value: String,
}

/// One registry object: its attributes in order, and whether it came from a routing registry
/// (`irr_records`) rather than the authoritative one (`records`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WhoisObject {
    pub attributes: Vec<Attribute>,
    pub from_irr: bool,
}

/// A `whois` reply: every object, authoritative ones first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Whois {
    /// The resource as RIPEstat echoes it (`"3333"`, `"AS3333"`, a prefix).
    pub resource: Option<String>,
    pub objects: Vec<WhoisObject>,
    /// The registries RIPEstat asked (`["ripe"]`, `["arin"]`).
    pub authorities: Vec<String>,
}

/// Which attribute a line of an aut-num's prose came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ProseKey {
    Remarks,
    Descr,
}

impl ProseKey {
    pub fn name(self) -> &'static str {
        match self {
            ProseKey::Remarks => "remarks",
            ProseKey::Descr => "descr",
        }
    }
}

/// One line of an aut-num's `remarks` or `descr`, exactly as received (trailing spaces aside).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProseLine {
    pub key: ProseKey,
    pub text: String,
}

/// An `aut-num` object of one AS in one registry, reduced to what the community reader needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AutNum {
    pub asn: u32,
    /// The registry's name as its `source:` attribute gives it, upper-cased ("RIPE", "RADB",
    /// "LEVEL3"); "unknown" when the object names none.
    pub source: String,
    pub as_name: Option<String>,
    /// The `remarks` and `descr` lines in the object's order; a value RIPEstat folded over several
    /// lines gives one line each.
    pub lines: Vec<ProseLine>,
}

/// The URL of the call for one AS number.
pub fn url(base: &str, asn: u32) -> String {
    call_url(base, "whois", &format!("AS{asn}"))
}

fn objects(list: Option<&Value>, from_irr: bool) -> Vec<WhoisObject> {
    list.and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_array)
        .map(|attributes| WhoisObject {
            attributes: attributes
                .iter()
                .filter_map(Value::as_object)
                .filter_map(attribute)
                .collect(),
            from_irr,
        })
        .filter(|object| !object.attributes.is_empty())
        .collect()
}

fn attribute(object: &Map<String, Value>) -> Option<Attribute> {
    let key = object.get("key")?.as_str()?.trim();
    if key.is_empty() {
        return None;
    }
    let value = match object.get("value") {
        Some(Value::String(text)) => text.clone(),
        Some(Value::Number(number)) => number.to_string(),
        _ => String::new(),
    };
    Some(Attribute {
        key: key.to_string(),
        value,
    })
}

pub fn parse(text: &str) -> Result<Whois, RipestatError> {
    let data = data(text, "whois")?;
    if !data.contains_key("records") && !data.contains_key("irr_records") {
        return Err(RipestatError::MissingData {
            detail: "its \"records\" and \"irr_records\" lists".to_string(),
        });
    }
    let mut all = objects(data.get("records"), false);
    all.extend(objects(data.get("irr_records"), true));
    Ok(Whois {
        resource: match data.get("resource") {
            Some(Value::String(text)) => Some(text.trim().to_string()),
            Some(Value::Number(number)) => Some(number.to_string()),
            _ => None,
        },
        objects: all,
        authorities: data
            .get("authorities")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
    })
}

/// `AS3333`, `as3333` or `3333` as a number.
fn aut_num_number(value: &str) -> Option<u32> {
    let value = value.trim();
    let digits = value
        .strip_prefix("AS")
        .or_else(|| value.strip_prefix("as"))
        .or_else(|| value.strip_prefix("As"))
        .unwrap_or(value);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

impl WhoisObject {
    fn first(&self, key: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|attribute| attribute.key.eq_ignore_ascii_case(key))
            .map(|attribute| attribute.value.as_str())
    }

    /// This object as an aut-num of `asn`, if it is one: its first attribute is `aut-num: AS<asn>`.
    pub fn aut_num(&self, asn: u32) -> Option<AutNum> {
        let first = self.attributes.first()?;
        if !first.key.eq_ignore_ascii_case("aut-num") || aut_num_number(&first.value) != Some(asn) {
            return None;
        }
        // "RIPE # Filtered" and "radb" both name a registry by their first word.
        let source = self
            .first("source")
            .and_then(|source| source.split_whitespace().next())
            .map_or_else(|| "unknown".to_string(), str::to_ascii_uppercase);
        let lines = self
            .attributes
            .iter()
            .filter_map(|attribute| {
                let key = if attribute.key.eq_ignore_ascii_case("remarks") {
                    ProseKey::Remarks
                } else if attribute.key.eq_ignore_ascii_case("descr") {
                    ProseKey::Descr
                } else {
                    return None;
                };
                Some((key, attribute.value.as_str()))
            })
            .flat_map(|(key, value)| {
                value.lines().map(move |line| ProseLine {
                    key,
                    text: line.trim_end().to_string(),
                })
            })
            .collect();
        Some(AutNum {
            asn,
            source,
            as_name: self
                .first("as-name")
                .map(str::trim)
                .filter(|name| !name.is_empty())
                .map(str::to_string),
            lines,
        })
    }
}

impl Whois {
    /// The aut-num objects of `asn`, the authoritative registry's first, then the routing
    /// registries' in RIPEstat's order.
    pub fn aut_nums(&self, asn: u32) -> Vec<AutNum> {
        self.objects
            .iter()
            .filter_map(|object| object.aut_num(asn))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PREFIX: &str = include_str!("../../tests/fixtures/ripestat/whois.json");
    const AS60614: &str =
        include_str!("../../tests/fixtures/ripestat/whois-AS60614.GENERATED-FROM-REAL.json");
    const AS60614_TEXT: &str =
        include_str!("../../tests/fixtures/ripestat/aut-num-AS60614.whois.TRIMMED.txt");
    const AS8283: &str =
        include_str!("../../tests/fixtures/ripestat/whois-AS8283.GENERATED-FROM-REAL.json");
    const AS8283_TEXT: &str =
        include_str!("../../tests/fixtures/ripestat/aut-num-AS8283.remarks.TRIMMED.txt");

    /// The value of each `key:` line of a whois text, as the RIPE server printed it.
    fn values(text: &str, key: &str) -> Vec<String> {
        text.lines()
            .filter_map(|line| line.split_once(':'))
            .filter(|(k, _)| *k == key)
            .map(|(_, value)| value.trim().to_string())
            .collect()
    }

    #[test]
    fn the_recorded_prefix_reply_has_arin_records_and_a_radb_route_but_no_aut_num() {
        let whois = parse(PREFIX).unwrap();
        assert_eq!(whois.resource.as_deref(), Some("192.0.20.0/23"));
        assert_eq!(whois.authorities, ["arin"]);
        // Counted independently with Python: 13 record lists and one irr list.
        assert_eq!(whois.objects.iter().filter(|o| !o.from_irr).count(), 13);
        let irr: Vec<&WhoisObject> = whois.objects.iter().filter(|o| o.from_irr).collect();
        assert_eq!(irr.len(), 1);
        assert_eq!(irr[0].first("source"), Some("radb"));
        assert_eq!(irr[0].first("origin"), Some("834"));
        assert!(whois.aut_nums(834).is_empty());
    }

    #[test]
    fn an_aut_num_keeps_its_remarks_and_descr_in_order_with_its_registry() {
        let whois = parse(AS60614).unwrap();
        assert_eq!(whois.resource.as_deref(), Some("60614"));
        // The as-block object before it is not an aut-num.
        assert_eq!(whois.objects.len(), 2);
        let aut_nums = whois.aut_nums(60614);
        assert_eq!(aut_nums.len(), 1);
        let aut_num = &aut_nums[0];
        assert_eq!(aut_num.source, "RIPE");
        assert_eq!(aut_num.as_name.as_deref(), Some("STEVEYI-NETWORK"));
        // Every descr and remarks line of the RIPE server's text, in its order.
        let expected: Vec<String> = AS60614_TEXT
            .lines()
            .filter_map(|line| line.split_once(':'))
            .filter(|(key, _)| *key == "remarks" || *key == "descr")
            .map(|(_, value)| value.trim().to_string())
            .collect();
        let got: Vec<String> = aut_num.lines.iter().map(|l| l.text.clone()).collect();
        assert_eq!(got, expected);
        assert_eq!(aut_num.lines[0].key, ProseKey::Descr);
        assert_eq!(aut_num.lines[0].text, "SteveYi Network Service");
        assert!(whois.aut_nums(60615).is_empty());
        assert_eq!(
            url("https://stat.ripe.net/", 60614),
            "https://stat.ripe.net/data/whois/data.json?resource=AS60614&sourceapp=vantage"
        );
    }

    #[test]
    fn table_remarks_keep_their_inner_spacing() {
        let aut_num = &parse(AS8283).unwrap().aut_nums(8283)[0];
        let got: Vec<&str> = aut_num.lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(got, values(AS8283_TEXT, "remarks"));
        assert!(got.contains(&"8283:50   | 8283:1:50  | Set LOCAL_PREF to 50 (default is 100)"));
    }

    #[test]
    fn routing_registry_objects_and_odd_shapes() {
        // SYNTHETIC: an aut-num in irr_records with a filtered lower-case source, a folded value,
        // a numeric value, junk entries and an object of another AS.
        let text = r#"{"status":"ok","data_call_name":"whois","data":{"resource":"AS64500",
            "records":[[{"key":"ASNumber","value":"64500"}], "junk", [{"value":"no key"}]],
            "irr_records":[[{"key":"aut-num","value":"as64500"},{"key":"descr","value":"one\ntwo  "},
                {"key":"remarks","value":64500},{"key":"source","value":"level3 # Filtered"}],
                [{"key":"aut-num","value":"AS64501"},{"key":"source","value":"RADB"}]]}}"#;
        let whois = parse(text).unwrap();
        let aut_nums = whois.aut_nums(64500);
        assert_eq!(aut_nums.len(), 1);
        assert_eq!(aut_nums[0].source, "LEVEL3");
        assert_eq!(
            aut_nums[0]
                .lines
                .iter()
                .map(|l| (l.key.name(), l.text.as_str()))
                .collect::<Vec<_>>(),
            [("descr", "one"), ("descr", "two"), ("remarks", "64500")]
        );
        let no_source = r#"{"status":"ok","data":{"records":[[{"key":"aut-num","value":"AS1"}]]}}"#;
        assert_eq!(parse(no_source).unwrap().aut_nums(1)[0].source, "unknown");
        assert!(matches!(
            parse(r#"{"status":"ok","data":{"resource":"AS1"}}"#),
            Err(RipestatError::MissingData { .. })
        ));
        assert!(matches!(
            parse(r#"{"status":"ok","data_call_name":"as-overview","data":{"records":[]}}"#),
            Err(RipestatError::WrongCall { .. })
        ));
        assert_eq!(aut_num_number("AS"), None);
        assert_eq!(aut_num_number(" As12 "), Some(12));
    }
}
