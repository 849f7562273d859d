//! Build script: prepares the example notebook's recorded data for embedding. The recordings in
//! tests/fixtures/ are pretty-printed extracts; the bundle carries the same results minified, and of each
//! probe only the fields the app reads (the tag lists are most of a probe page and are never shown).
//! This keeps the wasm bundle within its size budget without changing any figure the example shows.

// The inputs are files of this repository: if one is missing or broken the build must stop with a clear
// message, which is what `expect` does here (this is not outside data).
#![allow(clippy::expect_used)]

use std::path::PathBuf;

const RESULTS: [&str; 2] = [
    "traceroute_latest_msm1033154.json",
    "ping_latest_msm3359986.json",
];
const PROBE_PAGES: [&str; 2] = ["probes_page_msm1033154.json", "probes_page_msm3359986.json"];
const PROBE_FIELDS: [&str; 11] = [
    "id",
    "country_code",
    "asn_v4",
    "asn_v6",
    "geometry",
    "is_anchor",
    "description",
    "status",
    "prefix_v4",
    "prefix_v6",
    "type",
];

fn main() {
    let fixtures = PathBuf::from("tests/fixtures/atlas");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    for name in RESULTS.iter().chain(PROBE_PAGES.iter()) {
        let path = fixtures.join(name);
        println!("cargo::rerun-if-changed={}", path.display());
        let text = std::fs::read_to_string(&path).expect("the demo recording is in the repository");
        let mut value: serde_json::Value =
            serde_json::from_str(&text).expect("the demo recording is valid JSON");
        let probes = value.get_mut("results").and_then(|r| r.as_array_mut());
        if let (true, Some(probes)) = (PROBE_PAGES.contains(name), probes) {
            for probe in probes.iter_mut().filter_map(|p| p.as_object_mut()) {
                probe.retain(|key, _| PROBE_FIELDS.contains(&key.as_str()));
            }
        }
        std::fs::write(out.join(name), value.to_string()).expect("OUT_DIR is writable");
    }
}
