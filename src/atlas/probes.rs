//! Probe metadata from `/api/v2/probes/` pages (2016 and current shapes) or a bare array of probe
//! objects. Only what the notebook needs to place and describe a probe is kept. `geometry` is GeoJSON,
//! so its coordinates are [longitude, latitude]; it may be null for probes that never connected.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::wire::{self, Object};
use super::{Diagnostic, DiagnosticKind, InputLocation};

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

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ProbesPage {
    pub probes: Vec<Probe>,
    /// The next page's URL, if the list continues.
    pub next: Option<String>,
    pub count: Option<u64>,
    pub diagnostics: Vec<Diagnostic>,
}

fn probe(object: &Object) -> Result<Probe, String> {
    let id = wire::unsigned(object, "id").ok_or("a probe has no valid id")?;
    let (longitude, latitude) = match object
        .get("geometry")
        .and_then(|g| g.get("coordinates"))
        .and_then(Value::as_array)
    {
        Some(pair) if pair.len() >= 2 => (
            pair[0]
                .as_f64()
                .filter(|lon| (-180.0..=180.0).contains(lon)),
            pair[1].as_f64().filter(|lat| (-90.0..=90.0).contains(lat)),
        ),
        _ => (None, None),
    };
    let (latitude, longitude) = match (latitude, longitude) {
        (Some(lat), Some(lon)) => (Some(lat), Some(lon)),
        _ => (None, None),
    };
    Ok(Probe {
        id,
        country_code: wire::text(object, "country_code")
            .map(|code| code.trim().to_ascii_uppercase())
            .filter(|code| !code.is_empty()),
        asn_v4: wire::small(object, "asn_v4"),
        asn_v6: wire::small(object, "asn_v6"),
        latitude,
        longitude,
        is_anchor: wire::flag(object, "is_anchor"),
        description: wire::text(object, "description").filter(|d| !d.is_empty()),
        status_name: object
            .get("status")
            .and_then(|status| status.get("name"))
            .and_then(Value::as_str)
            .map(str::to_string),
        prefix_v4: wire::text(object, "prefix_v4"),
        prefix_v6: wire::text(object, "prefix_v6"),
    })
}

/// Reads a probes page (or a bare array of probes). Never fails: problems are diagnostics.
pub fn parse_probes_page(text: &str) -> ProbesPage {
    let mut page = ProbesPage::default();
    let whole = |reason: String| Diagnostic {
        location: InputLocation::Whole,
        prb_id: None,
        kind: DiagnosticKind::Malformed,
        reason,
    };
    let items = match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(object)) => {
            page.next = wire::text(&object, "next").filter(|next| !next.is_empty());
            page.count = wire::unsigned(&object, "count");
            match object.get("results") {
                Some(Value::Array(items)) => items.clone(),
                _ => {
                    page.diagnostics
                        .push(whole("the probes page has no \"results\" list".to_string()));
                    return page;
                }
            }
        }
        Ok(Value::Array(items)) => items,
        Ok(_) => {
            page.diagnostics.push(whole(
                "expected a probes page or a list of probes".to_string(),
            ));
            return page;
        }
        Err(error) => {
            page.diagnostics
                .push(whole(format!("the probes page is not valid JSON: {error}")));
            return page;
        }
    };
    for (index, item) in items.iter().enumerate() {
        match item
            .as_object()
            .ok_or_else(|| "a probe is not an object".to_string())
            .and_then(probe)
        {
            Ok(probe) => page.probes.push(probe),
            Err(reason) => page.diagnostics.push(Diagnostic {
                location: InputLocation::Index(index),
                prb_id: None,
                kind: DiagnosticKind::Malformed,
                reason,
            }),
        }
    }
    page
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_2016_page_of_msm_1033154() {
        let page = parse_probes_page(include_str!(
            "../../tests/fixtures/atlas/probes_page_msm1033154.json"
        ));
        assert_eq!(page.probes.len(), 87);
        assert_eq!(page.count, Some(87));
        assert_eq!(page.next, None);
        assert!(page.diagnostics.is_empty());
        let probe = page.probes.iter().find(|p| p.id == 2060).unwrap();
        assert_eq!(probe.country_code.as_deref(), Some("GB"));
        assert_eq!(probe.asn_v4, Some(25180));
        // GeoJSON order: [-0.0895, 51.5175] is longitude then latitude (London).
        assert_eq!(
            (probe.latitude, probe.longitude),
            (Some(51.5175), Some(-0.0895))
        );
        assert_eq!(probe.status_name.as_deref(), Some("Connected"));
    }

    #[test]
    fn the_2025_page_and_bare_arrays() {
        let page = parse_probes_page(include_str!(
            "../../tests/fixtures/atlas/probes_page_asn5384_7713.json"
        ));
        assert_eq!(page.probes.len(), 5);
        let probe = page.probes.iter().find(|p| p.id == 50271).unwrap();
        assert_eq!(probe.country_code.as_deref(), Some("ID"));
        assert_eq!(
            (probe.latitude, probe.longitude),
            (Some(-8.2925), Some(113.9905))
        );
        let bare = serde_json::to_string(
            &serde_json::from_str::<Value>(include_str!(
                "../../tests/fixtures/atlas/probes_page_asn5384_7713.json"
            ))
            .unwrap()["results"],
        )
        .unwrap();
        assert_eq!(parse_probes_page(&bare).probes, page.probes);
    }

    #[test]
    fn bad_pages_and_probes_are_diagnostics() {
        assert_eq!(parse_probes_page("nope").diagnostics.len(), 1);
        assert_eq!(parse_probes_page("{\"count\": 1}").diagnostics.len(), 1);
        let page = parse_probes_page(
            r#"[{"id": 1, "geometry": null, "country_code": ""}, {"id": "x"}, 5, {"id": 2, "geometry": {"coordinates": [500, 10]}}]"#,
        );
        assert_eq!(page.probes.len(), 2);
        assert_eq!(page.probes[0].country_code, None);
        assert_eq!(
            page.probes[1].latitude, None,
            "impossible coordinates are dropped"
        );
        assert_eq!(page.diagnostics.len(), 2);
    }
}
