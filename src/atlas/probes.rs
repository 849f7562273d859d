//! Probe metadata from `/api/v2/probes/` pages (2016 and current shapes) or a bare array of probe
//! objects. Only what the notebook needs to place and describe a probe is kept. `geometry` is GeoJSON,
//! so its coordinates are [longitude, latitude]; it may be null for probes that never connected.

use serde_json::Value;

use super::wire::{self, Object};
use super::{Diagnostic, DiagnosticKind, InputLocation};

/// The probe type is the model's (`model::Probe`); this module reads Atlas pages into it.
pub use crate::model::Probe;

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
    use crate::dns::subnets::{TABLE, derive_table};

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

    /// Every probe of the recorded probe pages (`probes_page_*.json`), then of the recorded probe
    /// lists (`probes_tab_*.txt`), each group in file-name order.
    fn fixture_probes() -> Vec<Probe> {
        let dir = format!("{}/tests/fixtures/atlas", env!("CARGO_MANIFEST_DIR"));
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(|entry| entry.ok())
            .map(|entry| entry.file_name().to_string_lossy().into_owned())
            .filter(|name| {
                (name.starts_with("probes_page_") && name.ends_with(".json"))
                    || (name.starts_with("probes_tab_") && name.ends_with(".txt"))
            })
            .collect();
        names.sort();
        names
            .iter()
            .flat_map(|name| {
                let text = std::fs::read_to_string(format!("{dir}/{name}")).unwrap();
                if name.ends_with(".txt") {
                    text.lines().map(tab_probe).collect()
                } else {
                    parse_probes_page(&text).probes
                }
            })
            .collect()
    }

    /// One line of a probe list in the format USC-NSL's `fetch_active.py` writes from the Atlas
    /// `/api/v1/probe/` objects (the `probes_tab_*.txt` fixtures; see tests/fixtures/SOURCES.md):
    /// eleven fields separated by single spaces, `id asn_v4 asn_v6 address_v4 address_v6 prefix_v4
    /// prefix_v6 status_name country_code latitude longitude`, `None` where the API had null. The app
    /// never reads this format, so it is parsed here; a line that does not fit fails the test rather
    /// than losing a probe.
    fn tab_probe(line: &str) -> Probe {
        let fields: Vec<&str> = line.split(' ').collect();
        let [
            id,
            asn_v4,
            asn_v6,
            _,
            _,
            prefix_v4,
            prefix_v6,
            status,
            country,
            latitude,
            longitude,
        ] = fields.as_slice()
        else {
            panic!("not the eleven fields of a probe line: {line:?}");
        };
        let known = |field: &str| (field != "None").then(|| field.to_string());
        let number = |field: &str| known(field).map(|value| value.parse::<f64>().unwrap());
        Probe {
            id: id.parse().unwrap(),
            country_code: known(country),
            asn_v4: known(asn_v4).map(|asn| asn.parse().unwrap()),
            asn_v6: known(asn_v6).map(|asn| asn.parse().unwrap()),
            latitude: number(latitude),
            longitude: number(longitude),
            // The format keeps neither whether the probe is an anchor nor its description.
            is_anchor: false,
            description: None,
            status_name: known(status),
            prefix_v4: known(prefix_v4),
            prefix_v6: known(prefix_v6),
        }
    }

    /// `dns::subnets`' shipped table is derived from these pages and lists (here, above `dns`, so that
    /// `dns` never imports `atlas`).
    #[test]
    fn the_committed_table_is_what_the_probe_fixtures_give() {
        let derived = derive_table(&fixture_probes());
        assert!(
            derived == TABLE,
            "src/dns/ecs_subnets.tsv is stale; replace it with:\n{derived}"
        );
    }
}
