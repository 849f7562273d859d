//! The `vantage` binary run on recorded real Atlas results, as a user or a script would.
// Test code: a failed expectation should stop the test with its message.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::process::Command;

use serde_json::Value;

fn vantage(args: &[&str]) -> (i32, Value, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_vantage"))
        .args(args)
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&output.stdout).to_string();
    let json = serde_json::from_str(&stdout).unwrap_or(Value::Null);
    (
        output.status.code().unwrap_or(-1),
        json,
        String::from_utf8_lossy(&output.stderr).to_string(),
    )
}

fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/atlas/{name}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn analyze_prints_ping_figures() {
    let (code, json, _) = vantage(&["analyze", &fixture("ping_latest_msm3359986.json")]);
    assert_eq!(code, 0);
    let results = json["results"].as_array().unwrap();
    assert_eq!(results.len(), 5);
    let probe = results.iter().find(|r| r["prb_id"] == 13939).unwrap();
    assert_eq!(probe["type"], "ping");
    assert_eq!(probe["msm_id"], 3_359_986);
    assert!(probe["timestamp"].as_i64().is_some());
    assert_eq!(
        (probe["sent"].as_u64(), probe["rcvd"].as_u64()),
        (Some(3), Some(3))
    );
    assert_eq!(probe["rtt_min"].as_f64(), Some(14.31932));
    for key in ["rtt_median", "rtt_avg", "rtt_max"] {
        assert!(probe[key].as_f64().is_some(), "{key}");
    }
    assert_eq!(json["diagnostics"], Value::Array(Vec::new()));
}

#[test]
fn analyze_with_probes_adds_continent_summaries() {
    let (code, json, _) = vantage(&[
        "analyze",
        &fixture("traceroute_latest_msm1033154.json"),
        "--probes",
        &fixture("probes_page_msm1033154.json"),
    ]);
    assert_eq!(code, 0);
    let continents = json["continents"].as_array().unwrap();
    let all = continents.last().unwrap();
    assert_eq!(all["group"], "all");
    assert_eq!(
        (all["probes"].as_u64(), all["responding"].as_u64()),
        (Some(87), Some(39))
    );
    assert_eq!(all["rtt_min_ms"].as_f64(), Some(2.399));
    let trace = json["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["prb_id"] == 3161)
        .unwrap();
    assert_eq!(trace["destination_responded"], true);
    assert!(trace["hops"].as_u64().unwrap() > 1);
    let last = trace["hop_list"].as_array().unwrap().last().unwrap();
    assert_eq!(last["from"][0], "91.198.174.225");
    // The probes that could not resolve the name are diagnostics that name their index and reason.
    let diagnostics = json["diagnostics"].as_array().unwrap();
    assert!(diagnostics.iter().any(|d| {
        d["kind"] == "probe_error"
            && d["reason"]
                .as_str()
                .unwrap()
                .contains("name resolution failed")
            && d["location"]["index"].as_u64().is_some()
    }));
}

#[test]
fn bad_usage_and_unreadable_files_exit_non_zero_with_one_line() {
    let (code, _, stderr) = vantage(&["analyze", "/nonexistent/file.json"]);
    assert_eq!(code, 2);
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("vantage: cannot read"));
    let (code, _, _) = vantage(&["frobnicate"]);
    assert_eq!(code, 2);
    let (code, _, _) = vantage(&[]);
    assert_eq!(code, 2);
}

#[test]
fn a_file_of_garbage_is_read_and_explained() {
    let path = std::env::temp_dir().join(format!("vantage-garbage-{}.json", std::process::id()));
    std::fs::write(&path, "{\"prb_id\": \n not json at all").unwrap();
    let (code, json, _) = vantage(&["analyze", path.to_str().unwrap()]);
    let _ = std::fs::remove_file(&path);
    assert_eq!(code, 0);
    assert_eq!(json["results"], Value::Array(Vec::new()));
    assert_eq!(json["diagnostics"][0]["kind"], "malformed");
}
