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

fn anycast_fixture(name: &str) -> String {
    format!(
        "{}/tests/fixtures/anycast/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

fn temp_file(name: &str, text: &str) -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!("vantage-{}-{name}", std::process::id()));
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn locate_finds_the_sites_of_k_root_in_an_igreedy_table() {
    let (code, json, _) = vantage(&["locate", &anycast_fixture("k-planetlab.tsv")]);
    assert_eq!(code, 0);
    assert_eq!(json["verdict"], "anycast");
    let sites = json["sites"].as_array().unwrap();
    assert!(sites.len() >= 5, "{}", sites.len());
    for site in sites {
        assert!(site["lat"].as_f64().is_some() && site["lon"].as_f64().is_some());
        assert!(site["city"].as_str().is_some() && site["country"].as_str().is_some());
        assert!(site["radius_km"].as_f64().unwrap() > 0.0);
        assert!(!site["vantages"].as_array().unwrap().is_empty());
    }
    assert!(sites.iter().any(|site| site["city"] == "Tokyo"));
    assert!(json["summary"].as_str().unwrap().starts_with("At least"));
    assert!(json["evidence"]["violation_count"].as_u64().unwrap() > 100);
    assert!(
        json["evidence"]["violated_pairs"][0]["margin_km"]
            .as_f64()
            .unwrap()
            > 0.0
    );
    assert_eq!(json["presence"].as_array().unwrap().len(), 6);
    assert_eq!(json["diagnostics"], Value::Array(Vec::new()));
}

#[test]
fn locate_reads_a_csv_and_names_one_site() {
    let path = temp_file(
        "amsterdam.csv",
        "probe,Country,lat,lng,min_rtt,notes\n\
         a,NL,52.35,4.90,1.4,home\n\
         b,DE,50.11,8.68,8.0,\n\
         c,GB,51.51,-0.13,6.5,\n\
         d,FR,48.86,2.35,9.0,\n\
         broken,NL,north,4.9,1.0,\n",
    );
    let (code, json, _) = vantage(&["locate", path.to_str().unwrap()]);
    let _ = std::fs::remove_file(&path);
    assert_eq!(code, 0);
    assert_eq!(json["verdict"], "one-site");
    assert_eq!(json["sites"][0]["city"], "Amsterdam");
    assert_eq!(json["sites"][0]["country"], "NL");
    assert_eq!(json["sites"][0]["vantages"].as_array().unwrap().len(), 4);
    let summary = json["summary"].as_str().unwrap();
    assert!(
        summary.starts_with("All 4 probes are consistent with a single location"),
        "{summary}"
    );
    assert!(
        json["evidence"]["region"]["outline"]
            .as_array()
            .unwrap()
            .len()
            >= 3
    );
    let diagnostics = json["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(diagnostics[0]["line"], 6);
}

#[test]
fn locate_on_atlas_results_sets_the_misplaced_probe_aside() {
    // Wikipedia's Amsterdam address, traced from 87 probes: probe 4484 says it is in Addis Ababa, yet
    // its route runs through AMS-IX and ends 24.7 ms later; every contradiction involves it, and no
    // other probe backs a second site, so it is set aside and the rest agree on Amsterdam.
    let (code, json, _) = vantage(&[
        "locate",
        &fixture("traceroute_latest_msm1033154.json"),
        "--probes",
        &fixture("probes_page_msm1033154.json"),
    ]);
    assert_eq!(code, 0);
    assert_eq!(json["verdict"], "one-site");
    assert_eq!(json["sites"][0]["city"], "Amsterdam");
    assert_eq!(json["evidence"]["in_every_violation"][0], "4484");
    assert_eq!(json["evidence"]["set_aside"][0]["id"], "4484");
    assert!(
        json["summary"]
            .as_str()
            .unwrap()
            .starts_with("Probe 4484's RTT")
    );
    // Probes that never reached the target are diagnostics, not observations.
    assert!(json["diagnostics"].as_array().unwrap().len() > 40);
    // A faster assumed signal (light in vacuum) leaves the contradiction standing: it is that large.
    let (_, vacuum, _) = vantage(&[
        "locate",
        &fixture("traceroute_latest_msm1033154.json"),
        "--probes",
        &fixture("probes_page_msm1033154.json"),
        "--fiber-factor",
        "1",
    ]);
    assert_eq!(vacuum["assumptions"]["fiber_factor"], 1.0);
    assert!(vacuum["evidence"]["violation_count"].as_u64().unwrap() > 0);
    assert_eq!(vacuum["evidence"]["set_aside"][0]["id"], "4484");
    assert_ne!(vacuum["verdict"], "anycast");
}

/// Regression (issue 12): a results file holding measurements of two targets got one verdict over
/// both. Wikipedia's Amsterdam address (msm 1033154) and a Facebook address (msm 3082698), each from
/// its own probes, in one file: one inference each, the first as the file alone gives it.
#[test]
fn locate_gives_one_inference_per_target_never_one_across_them() {
    let read = |name: &str| -> Value {
        serde_json::from_str(&std::fs::read_to_string(fixture(name)).unwrap()).unwrap()
    };
    let mut results = read("traceroute_latest_msm1033154.json")
        .as_array()
        .unwrap()
        .clone();
    results.extend(
        read("traceroute_latest_msm3082698.json")
            .as_array()
            .unwrap()
            .clone(),
    );
    let mut probes = read("probes_page_msm1033154.json");
    let more = read("probes_page_msm3082698.json")["results"]
        .as_array()
        .unwrap()
        .clone();
    probes["results"].as_array_mut().unwrap().extend(more);
    let results_path = temp_file("two-targets.json", &Value::Array(results).to_string());
    let probes_path = temp_file("two-targets-probes.json", &probes.to_string());
    let (code, json, _) = vantage(&[
        "locate",
        results_path.to_str().unwrap(),
        "--probes",
        probes_path.to_str().unwrap(),
    ]);
    assert_eq!(code, 0);
    assert!(json.get("verdict").is_none(), "no verdict across targets");
    let targets = json["targets"].as_array().unwrap();
    let names: Vec<&str> = targets
        .iter()
        .map(|t| t["target"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["66.220.156.68", "wikipedia-lb.esams.wikimedia.org"]);
    let (_, alone, _) = vantage(&[
        "locate",
        &fixture("traceroute_latest_msm1033154.json"),
        "--probes",
        &fixture("probes_page_msm1033154.json"),
    ]);
    assert_eq!(targets[1]["verdict"], alone["verdict"]);
    assert_eq!(targets[1]["sites"], alone["sites"]);
    assert_eq!(targets[1]["summary"], alone["summary"]);
    // DNS response times measure the way to the resolver: nothing to locate.
    let (code, _, stderr) = vantage(&[
        "locate",
        &fixture("dns_latest_msm1421267.json"),
        "--probes",
        &fixture("probes_page_msm1421267.json"),
    ]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("do not measure the way to a target"),
        "{stderr}"
    );
}

#[test]
fn locate_usage_errors_exit_two_and_bad_tables_are_diagnostics() {
    let results = fixture("ping_latest_msm3359986.json");
    for args in [
        vec!["locate"],
        vec!["locate", results.as_str()],
        vec!["locate", "/nonexistent/file.tsv"],
        vec!["locate", results.as_str(), "--fiber-factor", "fast"],
        vec!["locate", results.as_str(), "--fiber-factor"],
        vec!["locate", results.as_str(), "--bogus"],
    ] {
        let (code, _, stderr) = vantage(&args);
        assert_eq!(code, 2, "{args:?}");
        assert!(stderr.starts_with("vantage: "), "{args:?}: {stderr}");
    }
    let path = temp_file("garbage.tsv", "what\tis\tthis\n1\t2\t3\n");
    let (code, json, _) = vantage(&["locate", path.to_str().unwrap()]);
    let _ = std::fs::remove_file(&path);
    assert_eq!(code, 0);
    assert_eq!(json["verdict"], "inconclusive");
    assert!(
        json["diagnostics"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("latitude")
    );
}

/// Expected values as ripe-atlas-sagan's tests/test_dns.py states them for the same results
/// (#0: fw 4460, as250.net A) and as dnspython decodes the `abuf`s (tests/expected/).
#[test]
fn analyze_prints_dns_answers_per_result() {
    let (code, json, _) = vantage(&["analyze", &fixture("dns_results_sagan.json")]);
    assert_eq!(code, 0);
    let results = json["results"].as_array().unwrap();
    assert_eq!(results.len(), 43);
    assert!(results.iter().all(|r| r["type"] == "dns"));
    let first = &results[0];
    assert_eq!(first["prb_id"], 184);
    assert_eq!(first["msm_id"], 1_004_041);
    assert_eq!(first["timestamp"], 1_347_765_990);
    assert_eq!(first["dst_addr"], "193.227.234.53");
    assert_eq!(first["rcode"], "NOERROR");
    assert_eq!(first["rt_ms"].as_f64(), Some(45.305));
    assert_eq!(
        first["answers"],
        serde_json::json!([{"name": "as250.net.", "type": "A", "ttl": 3600, "data": "194.150.168.100"}])
    );
    // #18: NXDOMAIN for "aardvark."; #32: TXT with escapes, as dig and dnspython print them.
    assert_eq!(results[18]["rcode"], "NXDOMAIN");
    assert_eq!(
        results[32]["answers"][0]["data"],
        "\"Here be \\255 dragons! With \\\\ and \\\" and \\127\" \"as well.\" \"Throwing in \\128 for good measure.\""
    );
    // #8 timed out: no answer, and a probe-error diagnostic naming the resolver.
    assert_eq!(results[8]["rcode"], Value::Null);
    assert_eq!(results[8]["answers"], Value::Array(Vec::new()));
    let diagnostics = json["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 3);
    assert_eq!(diagnostics[0]["kind"], "probe_error");
    assert_eq!(diagnostics[0]["location"]["index"], 8);
    assert_eq!(
        diagnostics[0]["reason"],
        "no reply from 194.0.25.16 within 5000 ms (timeout)"
    );
    // #6: a resultset of three resolvers, each listed.
    let responses = results[6]["responses"].as_array().unwrap();
    assert_eq!(responses.len(), 3);
    assert_eq!(responses[0]["dst_addr"], "192.168.1.1");
    assert_eq!(responses[0]["answers"][0]["data"], "193.0.6.139");
}

#[test]
fn analyze_dns_with_probes_gives_a_verdict_and_continents() {
    let (code, json, _) = vantage(&[
        "analyze",
        &fixture("dns_latest_msm1421267.json"),
        "--probes",
        &fixture("probes_page_msm1421267.json"),
    ]);
    assert_eq!(code, 0);
    let matrices = json["answer_matrices"].as_array().unwrap();
    assert_eq!(matrices.len(), 1);
    let matrix = &matrices[0];
    assert_eq!(matrix["question"]["name"], "www.ripe.net.");
    assert_eq!(matrix["verdict"]["kind"], "consistent");
    assert_eq!(
        matrix["verdict"]["headline"],
        "The same address from all 3 vantages in 2 continents"
    );
    assert_eq!(matrix["answer_sets"][0]["records"][0], "193.0.6.139");
    assert_eq!(matrix["failures"][0]["reason"], "timeout");
    // DNS response times feed the continent summaries like RTTs: 4 probes, 3 replied.
    let all = json["continents"].as_array().unwrap().last().unwrap();
    assert_eq!(
        (all["probes"].as_u64(), all["responding"].as_u64()),
        (Some(4), Some(3))
    );
}

#[test]
fn analyze_dns_resultsets_show_every_resolver() {
    let (code, json, _) = vantage(&["analyze", &fixture("dns_results_ripe-atlas-tools.json")]);
    assert_eq!(code, 0);
    let first = &json["results"][0];
    let rcodes: Vec<&str> = first["responses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["rcode"].as_str().unwrap())
        .collect();
    assert_eq!(rcodes, ["NOERROR", "REFUSED", "NOERROR"]);
    assert_eq!(first["responses"][2]["af"], 6);
    let matrix = &json["answer_matrices"][0];
    assert_eq!(matrix["question"]["name"], "1xbet.com.");
    assert_eq!(matrix["failures"][0]["reason"], "REFUSED");
}

/// The issue's traceroute fields: `hops` is the number of hop entries (Sagan's `total_hops`: an
/// error-only `[{"error": …}]` is one, with no numbered hop in `hop_list`), and every hop of
/// `hop_list` has its `ttl`, the addresses that answered (`from`) and the median RTT.
#[test]
fn analyze_gives_every_traceroute_its_hop_count_and_hops() {
    for name in [
        "traceroute_latest_msm1033154.json",
        "traceroute_latest_msm3082698.json",
        "traceroute_results_sagan.json",
        "traceroute_results_reticle.json",
        "traceroute_results_ripe-atlas-tools.json",
        "traceroute_icmpext_mpls_tracemon.json",
    ] {
        let (code, json, _) = vantage(&["analyze", &fixture(name)]);
        assert_eq!(code, 0, "{name}");
        let results = json["results"].as_array().unwrap();
        assert!(!results.is_empty(), "{name}");
        let raw: Value =
            serde_json::from_str(&std::fs::read_to_string(fixture(name)).unwrap()).unwrap();
        let raw = raw.as_array().cloned().unwrap_or_else(|| vec![raw]);
        assert_eq!(raw.len(), results.len(), "{name}");
        for (result, raw) in results.iter().zip(&raw) {
            assert_eq!(result["type"], "traceroute");
            let hops = result["hop_list"].as_array().unwrap();
            let entries = raw["result"].as_array().unwrap();
            assert_eq!(
                result["hops"].as_u64(),
                Some(entries.len() as u64),
                "{name}"
            );
            let numbered = entries.iter().filter(|e| e.get("hop").is_some()).count();
            assert_eq!(hops.len(), numbered, "{name}");
            assert!(result["destination_responded"].is_boolean());
            assert!(result.get("last_rtt_median").is_some());
            for hop in hops {
                assert!(hop["ttl"].as_u64().is_some(), "{name}");
                assert!(hop["from"].is_array(), "{name}");
                assert!(hop["rtt_median"].is_null() || hop["rtt_median"].as_f64().is_some());
            }
        }
    }
}

fn paths_fixture(name: &str) -> String {
    format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn paths_prints_hop_tables_hints_and_where_paths_converge() {
    let (code, json, stderr) = vantage(&[
        "paths",
        &fixture("traceroute_latest_msm1033154.json"),
        "--probes",
        &fixture("probes_page_msm1033154.json"),
        "--names",
        &paths_fixture("paths/names_msm1033154.json"),
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        json["convergence"]["summary"],
        "36 of 70 probes pass 195.69.145.176 in their last 3 hops before the target (no name or \
         owner known); 38 pass its 195.69.145.0/24 (2 addresses). 39 of 87 probes reached the \
         target."
    );
    let probes = json["probes"].as_array().unwrap();
    assert_eq!(probes.len(), 87);
    // Probe 2748, in Frankfurt, reaches Init7's DE-CIX router at 2.49 ms: the name's `fra` is accepted.
    let frankfurt = probes.iter().find(|p| p["prb_id"] == 2748).unwrap();
    let hop = frankfurt["hops"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["ttl"] == 4)
        .unwrap();
    assert_eq!(hop["addresses"][0], "80.81.192.67");
    assert_eq!(hop["name"], "r1fra3.core.init7.net");
    assert_eq!(hop["rtt_min_ms"].as_f64(), Some(2.49));
    assert_eq!(hop["hints"][0]["token"], "fra");
    assert_eq!(hop["hints"][0]["source"], "iata");
    assert_eq!(hop["hints"][0]["status"], "accepted");
    assert_eq!(hop["accepted_city"], "Frankfurt am Main");
    let accepted = probes
        .iter()
        .flat_map(|p| p["hops"].as_array().unwrap())
        .filter(|h| !h["accepted_city"].is_null())
        .count();
    assert_eq!(accepted, 3);
    let end = &json["convergence"]["ends"][2];
    assert!(end.get("last_responding").is_some() && end["destination_reached"].is_boolean());
    assert_eq!(json["map_paths"].as_array().unwrap().len(), 87);
    assert_eq!(json["assumptions"]["window"], 3);
    assert_eq!(json.get("crossings"), None);
}

#[test]
fn paths_reads_origins_and_neighbours_and_rejects_bad_options() {
    let origins = temp_file(
        "origins.json",
        r#"{"145.145.19.49": {"asn": 12479, "holder": "EXAMPLE"}, "195.69.145.176": 12386, "x": "junk"}"#,
    );
    let (code, json, stderr) = vantage(&[
        "paths",
        &fixture("traceroute_latest_msm1033154.json"),
        "--origins",
        origins.to_str().unwrap(),
        "--neighbours",
        &paths_fixture("ripestat/asn-neighbours.json"),
        "--window",
        "2",
    ]);
    assert_eq!(code, 0, "{stderr}");
    // Made-up origins with the recorded neighbours of AS12386: probe 3161 enters it from AS12479.
    let crossings = json["crossings"].as_array().unwrap();
    assert!(crossings.iter().any(|c| c["prb_id"] == 3161
        && c["note"]
            == "the path enters AS12386 from AS12479 (EXAMPLE), an upstream of the origin"));
    // Without --probes no hint can be checked, and the probes have no position for the map.
    assert_eq!(json["map_paths"], Value::Array(Vec::new()));
    let garbage = temp_file("names.json", "{not json");
    for args in [
        vec!["paths"],
        vec!["paths", "/nonexistent.json"],
        vec!["paths", "x.json", "--window", "0"],
        vec!["paths", "x.json", "--window"],
        vec!["paths", "x.json", "--fiber-factor", "-1"],
        vec!["paths", "x.json", "--names", garbage.to_str().unwrap()],
        vec!["paths", "x.json", "--neighbours", garbage.to_str().unwrap()],
    ] {
        let (code, _, stderr) = vantage(&args);
        assert_eq!(code, 2, "{args:?}");
        assert!(stderr.starts_with("vantage: "), "{args:?}: {stderr}");
    }
    let _ = std::fs::remove_file(&origins);
    let _ = std::fs::remove_file(&garbage);
    // A ping file: no paths, one diagnostic per result.
    let (code, json, _) = vantage(&["paths", &fixture("ping_latest_msm3359986.json")]);
    assert_eq!(code, 0);
    assert_eq!(json["probes"], Value::Array(Vec::new()));
    assert_eq!(json["diagnostics"].as_array().unwrap().len(), 5);
    assert!(
        json["convergence"]["summary"]
            .as_str()
            .unwrap()
            .starts_with("None of the 0 traceroutes")
    );
}

fn globalping_fixture(name: &str) -> String {
    format!(
        "{}/tests/fixtures/globalping/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

#[test]
fn analyze_reads_a_globalping_ping_as_atlas_results_placed_by_geoip() {
    let (code, json, _) = vantage(&[
        "analyze",
        &globalping_fixture("get-ping-measurement-response.json"),
    ]);
    assert_eq!(code, 0);
    assert_eq!(json["globalping"]["id"], "nzGzfAGL7sZfUs3c");
    assert_eq!(json["globalping"]["type"], "ping");
    let results = json["results"].as_array().unwrap();
    assert_eq!(results.len(), 1);
    assert_eq!(results[0]["type"], "ping");
    assert_eq!(results[0]["rtt_min"], 24.174);
    assert_eq!(
        (results[0]["sent"].as_u64(), results[0]["rcvd"].as_u64()),
        (Some(2), Some(2))
    );
    // The probe's own position places it: Oceania, without --probes.
    let continents = json["continents"].as_array().unwrap();
    assert!(
        continents
            .iter()
            .any(|c| c["group"]["continent"] == "Oceania" && c["probes"] == 1),
        "{continents:?}"
    );
}

#[test]
fn analyze_gives_an_http_check_its_verdict_and_timings() {
    let (code, json, _) = vantage(&[
        "analyze",
        &globalping_fixture("get-http-measurement-response.json"),
    ]);
    assert_eq!(code, 0);
    assert_eq!(json["globalping"]["type"], "http");
    assert_eq!(
        json["http"]["verdict"],
        "HTTP 200 from the one location (Asia)"
    );
    let row = &json["http"]["rows"][0];
    assert_eq!(row["status_code"], 200);
    assert_eq!(row["status_class"], "2xx");
    assert_eq!(row["counted"], true);
    assert_eq!(json["http"]["not_counted"], serde_json::json!([]));
    assert!(row["total_ms"].as_f64().is_some_and(|ms| ms > 0.0));
}

#[test]
fn report_turns_a_saved_notebook_into_its_markdown_report() {
    let dir = std::env::temp_dir().join(format!("vantage-report-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let saved = dir.join("example.vantage.json");
    let example = vantage::notebook::demo::demo_notebook();
    std::fs::write(&saved, vantage::notebook::file::to_file_text(&example)).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_vantage"))
        .args(["report", saved.to_str().unwrap()])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0));
    let report = String::from_utf8(output.stdout).unwrap();
    // Read back from the file, the notebook reports as the app's Share panel would report it.
    assert_eq!(report, vantage::notebook::report::markdown(&example, None));
    assert!(report.starts_with(&format!("# {}\n", example.title)));
    assert!(report.contains("| Europe | 84 | 38 | 2.4 |"));
    assert!(report.contains("**What the latencies prove: One site.**"));

    let garbage = dir.join("garbage.json");
    std::fs::write(&garbage, "{\"format\": \"something else\"}").unwrap();
    let (code, _, stderr) = vantage(&["report", garbage.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(stderr.starts_with("vantage: "), "{stderr}");
    assert!(stderr.contains("garbage.json"), "{stderr}");
    let (code, _, stderr) = vantage(&["report"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("report needs a file"), "{stderr}");
    std::fs::remove_dir_all(&dir).unwrap();
}
