//! RIPEstat `bgp-updates` (version 1.1): the BGP announcements and withdrawals RIS collectors received
//! for a prefix or AS in a time window. Here the AS path is a list of numbers and the communities a
//! list of `x:y` strings, unlike `looking-glass`.

use serde::Serialize;
use serde_json::{Map, Value};

use super::{RipestatError, asn_number, call_url, data, text_field};
use crate::model::Community;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UpdateKind {
    Announcement,
    Withdrawal,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BgpUpdate {
    pub timestamp: Option<String>,
    pub kind: UpdateKind,
    /// `"<collector number>-<peer address>"`, e.g. "00-45.134.89.1".
    pub source_id: Option<String>,
    pub prefix: Option<String>,
    pub as_path: Vec<u32>,
    pub communities: Vec<Community>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BgpUpdates {
    pub resource: Option<String>,
    pub updates: Vec<BgpUpdate>,
}

/// The URL of the call for a prefix, address or AS.
pub fn url(base: &str, resource: &str) -> String {
    call_url(base, "bgp-updates", resource)
}

/// A path given as a JSON list of numbers (or numeric strings).
pub(crate) fn path_list(value: Option<&Value>) -> Vec<u32> {
    value
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(asn_number)
        .collect()
}

/// Communities given as a JSON list of `x:y` strings.
pub(crate) fn community_list(value: Option<&Value>) -> Vec<Community> {
    value
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .filter_map(Community::parse)
        .collect()
}

fn update(item: &Map<String, Value>) -> Option<BgpUpdate> {
    let kind = match item.get("type")?.as_str()? {
        "A" => UpdateKind::Announcement,
        "W" => UpdateKind::Withdrawal,
        _ => return None,
    };
    let attrs = item.get("attrs").and_then(Value::as_object);
    Some(BgpUpdate {
        timestamp: text_field(item, "timestamp"),
        kind,
        source_id: attrs.and_then(|a| text_field(a, "source_id")),
        prefix: attrs.and_then(|a| text_field(a, "target_prefix")),
        as_path: path_list(attrs.and_then(|a| a.get("path"))),
        communities: community_list(attrs.and_then(|a| a.get("community"))),
    })
}

pub fn parse(text: &str) -> Result<BgpUpdates, RipestatError> {
    let data = data(text, "bgp-updates")?;
    let Some(Value::Array(items)) = data.get("updates") else {
        return Err(RipestatError::MissingData {
            detail: "a list of \"updates\"".to_string(),
        });
    };
    Ok(BgpUpdates {
        resource: text_field(&data, "resource"),
        updates: items
            .iter()
            .filter_map(Value::as_object)
            .filter_map(update)
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_recorded_updates() {
        let updates = parse(include_str!(
            "../../tests/fixtures/ripestat/bgp-updates.TRIMMED.json"
        ))
        .unwrap();
        assert_eq!(updates.resource.as_deref(), Some("140.78.0.0/16"));
        assert_eq!(updates.updates.len(), 8);
        let first = &updates.updates[0];
        assert_eq!(first.kind, UpdateKind::Announcement);
        assert_eq!(first.as_path, [48237, 1299, 1764, 1853, 1205]);
        assert_eq!(first.source_id.as_deref(), Some("26-185.1.8.3"));
        let withdrawal = &updates.updates[2];
        assert_eq!(withdrawal.kind, UpdateKind::Withdrawal);
        assert!(withdrawal.as_path.is_empty());
        assert_eq!(updates.updates[3].communities.len(), 12);
        assert_eq!(updates.updates[3].communities[0].to_string(), "0:2906");
    }
}
