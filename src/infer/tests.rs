//! Tests of the whole inference: verdicts, summaries and evidence on small hand-made cases, and the
//! degenerate inputs that must not panic.

use super::*;

fn at(id: &str, lat: f64, lon: f64, rtt_ms: f64) -> Observation {
    Observation::new(id, lat, lon, rtt_ms)
}

#[test]
fn probes_around_amsterdam_agree_on_one_site() {
    let observations = [
        at("ams", 52.35, 4.90, 1.4),
        at("fra", 50.11, 8.68, 8.0),
        at("lon", 51.51, -0.13, 6.5),
        at("par", 48.86, 2.35, 9.0),
        at("nyc", 40.71, -74.01, 80.0),
    ];
    let inference = infer(&observations, &Assumptions::default());
    assert_eq!(inference.verdict, Verdict::OneSite);
    assert_eq!(inference.sites.len(), 1);
    let site = &inference.sites[0];
    assert_eq!(site.city.as_deref(), Some("Amsterdam"));
    assert_eq!(site.vantages.len(), 5);
    assert_eq!(site.evidence_id, "ams");
    assert!(
        inference
            .summary
            .starts_with("All 5 probes are consistent with a single location: within a region ≈"),
        "{}",
        inference.summary
    );
    assert!(
        inference
            .summary
            .ends_with("most likely near Amsterdam (NL).")
    );
    let region = inference.evidence.region.as_ref().unwrap();
    assert!(region.across_km < 300.0, "{}", region.across_km);
    assert!(region.covers(52.37, 4.90));
    assert_eq!(inference.evidence.constraining[0].id, "ams");
    assert_eq!(inference.evidence.violation_count, 0);
    // Presence: Europe likely, North America seen only at 80 ms.
    let europe = inference
        .presence
        .iter()
        .find(|row| row.continent == Continent::Europe)
        .unwrap();
    assert_eq!(europe.finding, PresenceFinding::LocalPresenceLikely);
    assert!(europe.best_probe_to_site_km.unwrap() < 5.0);
    let america = inference
        .presence
        .iter()
        .find(|row| row.continent == Continent::NorthAmerica)
        .unwrap();
    assert_eq!(america.finding, PresenceFinding::NoLocalPresenceSeen);
    assert!(inference.suggestion.as_deref().unwrap().contains("Africa"));
}

#[test]
fn local_answers_on_three_continents_each_seen_from_two_places_are_anycast() {
    let observations = [
        at("ams", 52.35, 4.90, 1.4),
        at("atl", 33.78, -84.40, 1.0),
        at("syd", -33.87, 151.21, 1.0),
        at("fra", 50.11, 8.68, 5.0),
        at("atl-2", 33.95, -83.38, 2.0),
        at("canberra", -35.28, 149.13, 4.0),
    ];
    let inference = infer(&observations, &Assumptions::default());
    assert_eq!(inference.verdict, Verdict::Anycast { sites: 3 });
    let cities: Vec<&str> = inference
        .sites
        .iter()
        .filter_map(|site| site.city.as_deref())
        .collect();
    assert_eq!(cities, vec!["Atlanta", "Sydney", "Amsterdam"]);
    assert!(
        inference.summary.starts_with("At least 3 sites:"),
        "{}",
        inference.summary
    );
    assert!(inference.evidence.uncorroborated_sites.is_empty());
    assert!(inference.evidence.set_aside.is_empty());
    assert_eq!(inference.evidence.violated_pairs[..3].len(), 3);
    let json = serde_json::to_value(&inference).unwrap();
    assert_eq!(json["verdict"], "anycast");
    assert_eq!(json["sites"].as_array().unwrap().len(), 3);
}

#[test]
fn sites_seen_from_one_place_count_only_when_fast_and_say_so() {
    let observations = [
        at("ams", 52.35, 4.90, 1.4),
        at("utrecht", 52.09, 5.12, 3.0),
        at("syd", -33.87, 151.21, 1.0),
        at("canberra", -35.28, 149.13, 4.0),
        // Tokyo answers in 1 ms, but no other probe sees a site there.
        at("tokyo", 35.68, 139.69, 1.0),
        // Two probes of one host share a position in São Paulo: one location, however many probes.
        at("sao-paulo-1", -23.55, -46.63, 2.0),
        at("sao-paulo-2", -23.55, -46.63, 2.2),
        // Johannesburg answers in 15 ms: a range 1,500 km wide, too wide to count from one place.
        at("johannesburg", -26.20, 28.05, 15.0),
    ];
    let inference = infer(&observations, &Assumptions::default());
    // Two sites are proven from two places each; Tokyo and São Paulo, fast and holding neither, are
    // counted too, marked as resting on one place.
    assert_eq!(inference.verdict, Verdict::Anycast { sites: 4 });
    let sites: Vec<(&str, bool)> = inference
        .sites
        .iter()
        .map(|site| (site.evidence_id.as_str(), site.seen_from_one_place))
        .collect();
    assert_eq!(
        sites,
        vec![
            ("syd", false),
            ("ams", false),
            ("tokyo", true),
            ("sao-paulo-1", true)
        ]
    );
    let sao_paulo = &inference.sites[3];
    assert_eq!(sao_paulo.city.as_deref(), Some("São Paulo"));
    assert_eq!(sao_paulo.vantages, vec!["sao-paulo-1", "sao-paulo-2"]);
    let possible: Vec<&str> = inference
        .evidence
        .uncorroborated_sites
        .iter()
        .map(|site| site.evidence_id.as_str())
        .collect();
    assert_eq!(possible, vec!["johannesburg"]);
    for words in [
        "At least 4 sites: 2 probes' ranges are mutually disjoint",
        "2 more are seen from one place only",
        "a wrong registered position could make such a site",
        "Probe johannesburg suggests one more, not counted",
    ] {
        assert!(inference.summary.contains(words), "{}", inference.summary);
    }
    assert!(inference.suggestion.unwrap().contains("johannesburg"));
    assert!(
        inference
            .falsifiable_by
            .iter()
            .any(|line| line.contains("counted twice"))
    );
}

#[test]
fn a_site_between_placed_sites_is_found_once_they_are_placed() {
    // Real PlanetLab rows from the K-root set (tests/fixtures/anycast/k-planetlab.tsv): nodes in
    // Budapest see a site at 0.9 ms whose range overlaps the Vienna-area ranges; only once the sites
    // proven by disjoint ranges are placed in their cities does the Budapest range hold none of them.
    let text = include_str!("../../tests/fixtures/anycast/k-planetlab.tsv");
    let (observations, _) = parse_observation_table(text);
    let inference = infer(&observations, &Assumptions::default());
    let budapest = inference
        .sites
        .iter()
        .find(|site| site.evidence_id == "planet1.elte.hu")
        .expect("a site proven from the Budapest node");
    assert_eq!(budapest.city.as_deref(), Some("Budapest"));
    assert!(budapest.seen_from_one_place);
    // Nothing is counted twice: no two sites share a city.
    let cities: std::collections::BTreeSet<_> = inference
        .sites
        .iter()
        .map(|site| site.city.clone())
        .collect();
    assert_eq!(cities.len(), inference.sites.len());
}

#[test]
fn a_misplaced_probe_in_the_example_is_not_a_second_site() {
    // The built-in example: Wikipedia's Amsterdam address traced from 87 RIPE Atlas probes. Probe 4484
    // is registered in Addis Ababa but is on a European cable network and answers in 24.7 ms; its range
    // is disjoint from the Amsterdam probes', which once made "at least 2 sites", one in Dar es Salaam.
    let results = include_str!("../../tests/fixtures/atlas/traceroute_latest_msm1033154.json");
    let probes = include_str!("../../tests/fixtures/atlas/probes_page_msm1033154.json");
    let analysis = crate::latency::analyse(
        results,
        &crate::atlas::probes::parse_probes_page(probes).probes,
    );
    let (observations, _) = observations_from_latency(&analysis.probes);
    let inference = infer(&observations, &Assumptions::default());
    assert_eq!(inference.verdict, Verdict::OneSite, "{}", inference.summary);
    assert_eq!(inference.sites.len(), 1);
    assert_eq!(inference.sites[0].city.as_deref(), Some("Amsterdam"));
    assert_eq!(inference.sites[0].vantages.len(), 38);
    assert!(!inference.sites[0].vantages.iter().any(|id| id == "4484"));
    let aside = &inference.evidence.set_aside;
    assert_eq!(aside.len(), 1);
    assert_eq!(aside[0].id, "4484");
    assert_eq!(aside[0].country_code.as_deref(), Some("ET"));
    assert_eq!(aside[0].contradicts, inference.evidence.violation_count);
    assert!(inference.evidence.uncorroborated_sites.is_empty());
    // The contradiction is still reported: it is a fact about the data.
    assert_eq!(inference.evidence.in_every_violation, vec!["4484"]);
    assert!(
        inference.summary.starts_with(
            "Probe 4484's RTT (24.7 ms from Ethiopia) contradicts 23 other probes: its registered \
             position is probably wrong, or it alone reached another site. Set aside, the other 38 \
             probes are consistent with a single location: within a region ≈"
        ),
        "{}",
        inference.summary
    );
    assert!(
        inference
            .summary
            .ends_with("most likely near Amsterdam (NL)."),
        "{}",
        inference.summary
    );
    assert!(
        inference
            .suggestion
            .as_deref()
            .unwrap()
            .starts_with("Check the registered position of probe 4484")
    );
    // Africa's only probe was set aside, so Africa is not measured rather than "local presence likely".
    let africa = inference
        .presence
        .iter()
        .find(|row| row.continent == Continent::Africa)
        .unwrap();
    assert_eq!(africa.finding, PresenceFinding::NotMeasured);
    assert!(africa.sentence.contains("4484"), "{}", africa.sentence);
}

#[test]
fn two_probes_at_one_wrong_position_are_set_aside_together() {
    let observations = [
        at("ams", 52.35, 4.96, 2.4),
        at("utrecht", 52.09, 5.12, 3.0),
        at("brussels", 50.85, 4.35, 5.0),
        at("addis-1", 9.02, 38.76, 24.7),
        at("addis-2", 9.02, 38.76, 25.3),
    ];
    let inference = infer(&observations, &Assumptions::default());
    assert_eq!(inference.verdict, Verdict::OneSite, "{}", inference.summary);
    let aside: Vec<&str> = inference
        .evidence
        .set_aside
        .iter()
        .map(|record| record.id.as_str())
        .collect();
    assert_eq!(aside, vec!["addis-1", "addis-2"]);
    assert!(
        inference.summary.starts_with(
            "Probes addis-1 and addis-2, registered at one position, answer from 9.02, 38.76 in as \
             little as 24.7 ms and contradict 3 other probes:"
        ),
        "{}",
        inference.summary
    );
    assert!(
        inference
            .summary
            .contains("Set aside, the other 3 probes are consistent with a single location"),
        "{}",
        inference.summary
    );
}

#[test]
fn two_lone_probes_that_contradict_each_other_prove_nothing() {
    // One probe in Amsterdam and one in Sydney, each answering in 1 ms, and two slow probes that fit
    // either: two sites, or one misplaced probe. Nothing tells which.
    let observations = [
        at("ams", 52.35, 4.90, 1.0),
        at("syd", -33.87, 151.21, 1.0),
        at("slow-1", 0.0, 100.0, 200.0),
        at("slow-2", 10.0, 60.0, 200.0),
    ];
    let inference = infer(&observations, &Assumptions::default());
    assert_eq!(inference.verdict, Verdict::Inconclusive);
    assert!(inference.sites.is_empty());
    assert!(inference.evidence.set_aside.is_empty());
    assert_eq!(inference.evidence.uncorroborated_sites.len(), 2);
    assert!(
        inference
            .summary
            .contains("neither one site nor several is proven"),
        "{}",
        inference.summary
    );
    // Adding a second probe near Amsterdam backs that side: Sydney is then the lone contradiction.
    let mut more = observations.to_vec();
    more.push(at("utrecht", 52.09, 5.12, 3.0));
    let inference = infer(&more, &Assumptions::default());
    assert_eq!(inference.evidence.set_aside.len(), 1);
    assert_eq!(inference.evidence.set_aside[0].id, "syd");
    assert_ne!(
        inference.verdict,
        Verdict::Anycast { sites: 2 },
        "{}",
        inference.summary
    );
}

#[test]
fn a_continent_sized_region_is_inconclusive_with_a_suggestion() {
    let observations = [at("a", 48.0, 10.0, 40.0), at("b", 45.0, 15.0, 40.0)];
    let inference = infer(&observations, &Assumptions::default());
    assert_eq!(inference.verdict, Verdict::Inconclusive);
    assert!(
        inference.summary.contains("too wide to name a place"),
        "{}",
        inference.summary
    );
    let suggestion = inference.suggestion.unwrap();
    assert!(
        suggestion.starts_with("Add probes within about 630 km of"),
        "{suggestion}"
    );
    assert!(inference.sites.is_empty());
}

#[test]
fn one_probe_is_inconclusive_however_small_its_range() {
    let inference = infer(&[at("ams", 52.35, 4.90, 0.5)], &Assumptions::default());
    assert_eq!(inference.verdict, Verdict::Inconclusive);
    assert!(
        inference
            .summary
            .starts_with("The only probe cannot tell one site from several")
    );
}

#[test]
fn degenerate_inputs_do_not_panic() {
    let cases: Vec<Vec<Observation>> = vec![
        vec![],
        vec![at("nan", f64::NAN, f64::NAN, f64::NAN)],
        vec![at("zero", 0.0, 0.0, 0.0), at("zero2", 0.0, 0.0, 0.0)],
        vec![at("north", 90.0, 0.0, 0.0), at("south", -90.0, 0.0, 0.0)],
        vec![at("w", 0.0, 180.0, 0.1), at("e", 0.0, -180.0, 0.1)],
        vec![
            at("huge", 10.0, 10.0, 1e300),
            at("huge2", -10.0, -170.0, 1e12),
        ],
        vec![at("inf", 0.0, 0.0, f64::INFINITY), at("ok", 1.0, 1.0, 3.0)],
        vec![
            at("antipode-a", 0.0, 0.0, 200.0),
            at("antipode-b", 0.0, 180.0, 200.0),
        ],
        vec![
            at("pole", 90.0, 45.0, 3.0),
            at("pole2", 89.99, -135.0, 3.0),
            at("pole3", 89.9, 0.0, 4.0),
        ],
    ];
    for observations in cases {
        let inference = infer(&observations, &Assumptions::default());
        assert!(!inference.summary.is_empty());
        serde_json::to_string(&inference).unwrap();
    }
    // Same place twice at RTT 0: a region of a couple of km (the tolerance), one probe id each.
    let twice = infer(
        &[at("a", 0.0, 0.0, 0.0), at("b", 0.0, 0.0, 0.0)],
        &Assumptions::default(),
    );
    assert_eq!(twice.verdict, Verdict::OneSite);
    // Two probes on the same spot at RTT 0 on either side of the antimeridian: still one place.
    let wrap = infer(
        &[at("w", 0.0, 180.0, 0.0), at("e", 0.0, -180.0, 0.0)],
        &Assumptions::default(),
    );
    assert_eq!(wrap.evidence.violation_count, 0);
    // Nothing usable: diagnostics, not a verdict.
    let none = infer(&[at("nan", f64::NAN, 0.0, 1.0)], &Assumptions::default());
    assert_eq!(none.verdict, Verdict::Inconclusive);
    assert_eq!(none.diagnostics.len(), 1);
}

#[test]
fn silly_assumptions_are_clamped() {
    let assumptions = Assumptions {
        fiber_factor: 7.0,
        location_tolerance_km: -3.0,
        population_weight: f64::NAN,
        ..Assumptions::default()
    };
    let sane = assumptions.sanitised();
    assert_eq!(sane.fiber_factor, 1.0);
    // Slower than fibre would shrink discs below what physics allows: the floor is 0.6.
    let slow = Assumptions {
        fiber_factor: 0.5,
        ..Assumptions::default()
    };
    assert_eq!(slow.sanitised().fiber_factor, MIN_FIBER_FACTOR);
    assert_eq!(Assumptions::default().same_location_km(), SAME_LOCATION_KM);
    assert_eq!(sane.location_tolerance_km, 0.0);
    assert_eq!(sane.population_weight, 0.5);
    // With light in vacuum, 1 ms of RTT is 149.9 km.
    assert!((sane.radius_km(1.0) - 149.896).abs() < 1e-3);
}

#[test]
fn observations_from_latency_rows_skip_what_cannot_be_placed() {
    let row = |prb_id, latitude: Option<f64>, rtt: Option<f64>| ProbeLatency {
        prb_id,
        country_code: Some("NL".to_string()),
        continent: Some(Continent::Europe),
        asn: None,
        latitude,
        longitude: latitude.map(|_| 4.9),
        results: 1,
        sent: 3,
        received: 3,
        rtt_min_ms: rtt,
        rtt_median_ms: rtt,
        rtt_max_ms: rtt,
    };
    let (observations, diagnostics) = observations_from_latency(&[
        row(1, Some(52.37), Some(1.0)),
        row(2, None, Some(1.0)),
        row(3, Some(52.0), None),
    ]);
    assert_eq!(observations.len(), 1);
    assert_eq!(observations[0].id, "1");
    assert_eq!(observations[0].continent, Some(Continent::Europe));
    assert_eq!(diagnostics.len(), 2);
}
