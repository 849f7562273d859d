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
fn local_answers_on_three_continents_are_anycast() {
    let observations = [
        at("ams", 52.35, 4.90, 1.4),
        at("atl", 33.78, -84.40, 1.0),
        at("syd", -33.87, 151.21, 1.0),
        at("fra", 50.11, 8.68, 5.0),
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
    assert_eq!(inference.evidence.violation_count, 5);
    assert_eq!(inference.evidence.violated_pairs.len(), 5);
    let json = serde_json::to_value(&inference).unwrap();
    assert_eq!(json["verdict"], "anycast");
    assert_eq!(json["sites"].as_array().unwrap().len(), 3);
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
