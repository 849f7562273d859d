//! A measurement probe's metadata: what places and describes a vantage point (country, network,
//! position). Read from RIPE Atlas probe pages by `atlas::probes` and built for Globalping probes by
//! `globalping::adapt`; stored with each snapshot as received, so its serde shape is part of the
//! notebook format.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Probe {
    pub id: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub asn_v4: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub asn_v6: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latitude: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub longitude: Option<f64>,
    #[serde(default)]
    pub is_anchor: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix_v4: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix_v6: Option<String>,
}
