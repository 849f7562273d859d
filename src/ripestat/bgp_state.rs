//! RIPEstat `bgp-state` (version 1.2): the routes RIS peers held for a prefix or AS at one moment, with
//! their AS paths (lists) and communities (`x:y` strings). The recorded answer is empty: its query time
//! was older than the data RIPEstat keeps, which the call reports as an empty list, not an error.

use serde::Serialize;
use serde_json::Value;

use super::bgp_updates::{community_list, path_list};
use super::{RipestatError, call_url, data, text_field};
use crate::model::Community;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BgpRoute {
    pub prefix: Option<String>,
    pub source_id: Option<String>,
    pub as_path: Vec<u32>,
    pub communities: Vec<Community>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BgpState {
    pub resource: Option<String>,
    pub timestamp: Option<String>,
    pub routes: Vec<BgpRoute>,
}

/// The URL of the call for a prefix, address or AS.
pub fn url(base: &str, resource: &str) -> String {
    call_url(base, "bgp-state", resource)
}

pub fn parse(text: &str) -> Result<BgpState, RipestatError> {
    let data = data(text, "bgp-state")?;
    let Some(Value::Array(items)) = data.get("bgp_state") else {
        return Err(RipestatError::MissingData {
            detail: "a \"bgp_state\" list".to_string(),
        });
    };
    Ok(BgpState {
        resource: text_field(&data, "resource"),
        timestamp: text_field(&data, "timestamp"),
        routes: items
            .iter()
            .filter_map(Value::as_object)
            .map(|item| BgpRoute {
                prefix: text_field(item, "target_prefix"),
                source_id: text_field(item, "source_id"),
                as_path: path_list(item.get("path")),
                communities: community_list(item.get("community")),
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_recorded_state_is_empty_and_a_made_up_one_is_read() {
        let state = parse(include_str!("../../tests/fixtures/ripestat/bgp-state.json")).unwrap();
        assert_eq!(state.resource.as_deref(), Some("140.78.0.0/16"));
        assert!(state.routes.is_empty());
        // Same shape as the call's documented `bgp_state[]` items, filled in by hand.
        let text = r#"{"status":"ok","data":{"bgp_state":[{"target_prefix":"192.0.2.0/24","source_id":"00-1.2.3.4","path":[64500,"64501"],"community":["64500:1","bad"]}]}}"#;
        let route = &parse(text).unwrap().routes[0];
        assert_eq!(route.as_path, [64500, 64501]);
        assert_eq!(route.communities.len(), 1);
    }
}
