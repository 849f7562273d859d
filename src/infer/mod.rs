//! What the latencies prove: speed-of-light geolocation of a target from minimum RTTs, anycast detection
//! and enumeration, and regional presence, each with its evidence, assumptions and what would falsify it.
//!
//! The physics: a reply cannot travel faster than light in fibre, so a minimum RTT of t ms from a probe
//! puts the responder within t/2 × c × f km of it (a disc). Discs that cannot overlap prove different
//! responders (anycast); when all discs overlap, their intersection is where a single responder can be.
//! This is constraint-based geolocation (Gueye et al., "Constraint-based geolocation of Internet hosts",
//! IEEE/ACM Transactions on Networking 14(6), 2006) with the anycast enumeration of iGreedy (Cicalese
//! et al., INFOCOM 2015; IEEE JSAC 34(6), 2016).
//!
//! This module is pure core: no I/O, no browser crates, and no panics on any input; observations it
//! cannot use become diagnostics. Every public output type is `Serialize + Clone + PartialEq` so the UI
//! can render it as props.

pub mod corroborate;
pub mod disc;
pub mod extend;
pub mod presence;
pub mod region;
pub mod sites;
pub mod table;

use std::collections::BTreeSet;

use serde::{Serialize, Serializer};

use crate::format;
use crate::geo::{City, Continent, continent_of, country_name, haversine_km, nearest_city};
use crate::latency::{LatencyAnalysis, ProbeLatency, analyse_per_target};
use crate::model::Probe;

pub use corroborate::SAME_LOCATION_KM;
pub use disc::{SPEED_OF_LIGHT_KM_PER_MS, Violation, Violations};
pub use presence::{BestProbe, ContinentPresence, PresenceFinding};
pub use region::{FeasibleRegion, LatLon, NoCommonPoint};
pub use sites::Site;
pub use table::parse_observation_table;

use disc::Disc;
use region::RegionSearch;

/// One probe's minimum RTT to the target, with where the probe is.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Observation {
    pub id: String,
    /// Degrees north, in [-90, 90].
    pub latitude: f64,
    /// Degrees east, in [-180, 180].
    pub longitude: f64,
    /// The lowest RTT seen, in ms (non-negative).
    pub rtt_min_ms: f64,
    pub continent: Option<Continent>,
    pub country_code: Option<String>,
}

impl Observation {
    /// An observation without country or continent (they are derived from the position where needed).
    pub fn new(id: &str, latitude: f64, longitude: f64, rtt_min_ms: f64) -> Observation {
        Observation {
            id: id.to_string(),
            latitude,
            longitude,
            rtt_min_ms,
            continent: None,
            country_code: None,
        }
    }
}

/// Something in the input that the engine could not use, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ObservationDiagnostic {
    /// The 1-based line of a table file, when the observation came from one.
    pub line: Option<usize>,
    pub id: Option<String>,
    pub reason: String,
}

/// Observations from latency rows: one per probe that has a position and a reply. Probes without
/// either are listed as diagnostics, since they cannot constrain anything.
pub fn observations_from_latency(
    rows: &[ProbeLatency],
) -> (Vec<Observation>, Vec<ObservationDiagnostic>) {
    let mut observations = Vec::new();
    let mut diagnostics = Vec::new();
    for row in rows {
        let id = row.prb_id.to_string();
        match (row.latitude, row.longitude, row.rtt_min_ms) {
            (Some(latitude), Some(longitude), Some(rtt_min_ms)) => observations.push(Observation {
                id,
                latitude,
                longitude,
                rtt_min_ms,
                continent: row
                    .continent
                    .or_else(|| row.country_code.as_deref().and_then(continent_of)),
                country_code: row.country_code.clone(),
            }),
            (_, _, None) => diagnostics.push(ObservationDiagnostic {
                line: None,
                id: Some(id),
                reason: "no reply: the probe has no minimum RTT".to_string(),
            }),
            _ => diagnostics.push(ObservationDiagnostic {
                line: None,
                id: Some(id),
                reason: "the probe metadata gives no position".to_string(),
            }),
        }
    }
    (observations, diagnostics)
}

/// What the latencies prove about one target.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetInference {
    /// The target as the results name it ("telegram.org", "149.154.167.99").
    pub target: String,
    /// How many probes have a position and a reply, so constrain anything.
    pub observations: usize,
    /// Shared, so views can tell by identity whether it changed.
    pub inference: std::rc::Rc<Inference>,
}

/// One inference per target of `analysis` (the analysis of `results_text` with `probes`), never one
/// across targets: a results file measuring two targets (a name and an address, two services) would
/// otherwise place both at once. Empty when the results do not measure the way to a target (DNS
/// response times). With one target, `analysis` itself is used and nothing is parsed again.
pub fn infer_per_target(
    analysis: &LatencyAnalysis,
    results_text: &str,
    probes: &[Probe],
    assumptions: &Assumptions,
) -> Vec<TargetInference> {
    let of = |target: String, analysis: &LatencyAnalysis| {
        let (observations, _) = observations_from_latency(&analysis.probes);
        TargetInference {
            target,
            observations: observations.len(),
            inference: std::rc::Rc::new(infer(&observations, assumptions)),
        }
    };
    if analysis.targets.len() <= 1 {
        if !analysis.measures_the_way_to_the_target() {
            return Vec::new();
        }
        return vec![of(
            analysis.targets.first().cloned().unwrap_or_default(),
            analysis,
        )];
    }
    analyse_per_target(results_text, probes)
        .into_iter()
        .filter(|(_, analysis)| analysis.measures_the_way_to_the_target())
        .map(|(target, analysis)| of(target, &analysis))
        .collect()
}

/// The lowest allowed [`Assumptions::fiber_factor`]: below it, discs would be smaller than physics and
/// real paths back, and contradictions (so sites) could be invented. See the field's documentation.
pub const MIN_FIBER_FACTOR: f64 = 0.6;
/// The highest allowed [`Assumptions::fiber_factor`]: light in vacuum.
pub const MAX_FIBER_FACTOR: f64 = 1.0;

/// The constants of the inference, visible to the reader and adjustable. Out-of-range values are
/// clamped by [`Assumptions::sanitised`] before use, never trusted.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assumptions {
    /// The fastest a signal is assumed to travel, as a fraction of c. Default 2/3: light in silica
    /// fibre (refractive index about 1.47) moves at c/1.47 ≈ 0.68 c, and 2/3 is the figure used by
    /// constraint-based geolocation (Gueye et al. 2006; Katz-Bassett et al., "Towards IP geolocation
    /// using delay and topology measurements", IMC 2006) and by iGreedy.
    ///
    /// Clamped from [`MIN_FIBER_FACTOR`] (0.6) to [`MAX_FIBER_FACTOR`] (1.0). Raising the factor is
    /// always safe: discs grow, so contradictions can only disappear (1.0 is light in vacuum, and
    /// nothing is faster). Lowering it is the unsafe direction: it assumes signals slower than fibre
    /// carries them, so discs shrink below what physics allows and two probes that reached one place
    /// can look contradictory, i.e. a site can be invented. A little below 0.68 c is still backed by
    /// real paths being longer than great circles (a median of about twice the fibre latency, Bozkurt
    /// et al., PAM 2017, see `path_stretch`). On the anycast ground truth, the engine without site
    /// corroboration invented a site on the Edgecast data at 0.5 and none from 0.55 up; 0.6 keeps a
    /// margin above that, and the floor does not rely on corroboration to be safe.
    pub fiber_factor: f64,
    /// Every disc is widened by this much (km, default 1) to absorb rounding and small errors in probe
    /// coordinates. Clamped to [0, 1,000].
    pub location_tolerance_km: f64,
    /// iGreedy-style city choice: weight of population against depth inside the disc, in [0, 1]
    /// (default 0.5; 1 is population only, 0 is nearest the disc centre).
    pub population_weight: f64,
    /// A single-site region wider than this (km, default 2,500: roughly a large country, smaller than a
    /// continent) is not a useful claim, and the verdict is inconclusive. Clamped to [10, 20,000].
    pub one_site_max_across_km: f64,
    /// Regional presence: "local" means a site within this distance of a probe (km, default 1,000).
    pub presence_radius_km: f64,
    /// Regional presence: how much longer than the great circle a real path is, relative to fibre at
    /// `fiber_factor` × c. Default 2: ping RTTs are a median 3.1 times the c-latency of the great-circle
    /// distance (Bozkurt et al., "Why Is the Internet so Slow?!", PAM 2017), i.e. about 2.1 times the
    /// fibre latency at 2/3 c. Clamped to [1, 10].
    pub path_stretch: f64,
    /// Regional presence: added for the probe's own access link and the responder's processing, in ms
    /// (default 10: home DSL and cable links add several ms to tens of ms, while data-centre probes add
    /// well under one; 10 keeps "no local presence" from being claimed for a slow last mile). Clamped
    /// to [0, 200].
    pub access_margin_ms: f64,
}

impl Default for Assumptions {
    fn default() -> Assumptions {
        Assumptions {
            fiber_factor: 2.0 / 3.0,
            location_tolerance_km: 1.0,
            population_weight: 0.5,
            one_site_max_across_km: 2_500.0,
            presence_radius_km: 1_000.0,
            path_stretch: 2.0,
            access_margin_ms: 10.0,
        }
    }
}

/// Clamps a value to a range, replacing a non-finite one with the default.
fn sane(value: f64, low: f64, high: f64, default: f64) -> f64 {
    if value.is_finite() {
        value.clamp(low, high)
    } else {
        default
    }
}

impl Assumptions {
    /// The same assumptions with every figure within its documented range.
    pub fn sanitised(&self) -> Assumptions {
        let default = Assumptions::default();
        Assumptions {
            fiber_factor: sane(
                self.fiber_factor,
                MIN_FIBER_FACTOR,
                MAX_FIBER_FACTOR,
                default.fiber_factor,
            ),
            location_tolerance_km: sane(
                self.location_tolerance_km,
                0.0,
                1_000.0,
                default.location_tolerance_km,
            ),
            population_weight: sane(self.population_weight, 0.0, 1.0, default.population_weight),
            one_site_max_across_km: sane(
                self.one_site_max_across_km,
                10.0,
                20_000.0,
                default.one_site_max_across_km,
            ),
            presence_radius_km: sane(
                self.presence_radius_km,
                1.0,
                20_000.0,
                default.presence_radius_km,
            ),
            path_stretch: sane(self.path_stretch, 1.0, 10.0, default.path_stretch),
            access_margin_ms: sane(self.access_margin_ms, 0.0, 200.0, default.access_margin_ms),
        }
    }

    /// How far a signal gets in fibre per millisecond of RTT (there and back): c × f / 2.
    pub fn km_per_rtt_ms(&self) -> f64 {
        SPEED_OF_LIGHT_KM_PER_MS * self.sanitised().fiber_factor / 2.0
    }

    /// The disc radius of a minimum RTT: `rtt_min_ms / 2 × c × fiber_factor`.
    pub fn radius_km(&self, rtt_min_ms: f64) -> f64 {
        rtt_min_ms * self.km_per_rtt_ms()
    }

    /// Probes closer together than this count as one vantage location, which can back no site but its
    /// own: the location tolerance, or [`SAME_LOCATION_KM`] when that is larger.
    pub fn same_location_km(&self) -> f64 {
        self.sanitised().location_tolerance_km.max(SAME_LOCATION_KM)
    }

    /// The RTT a site within `presence_radius_km` would give: 2R / (c·f) × stretch + access margin.
    pub fn local_baseline_ms(&self) -> f64 {
        let a = self.sanitised();
        a.presence_radius_km / a.km_per_rtt_ms() * a.path_stretch + a.access_margin_ms
    }

    /// The assumptions in plain words, for the reader of a verdict.
    pub fn notes(&self) -> Vec<String> {
        let a = self.sanitised();
        vec![
            format!(
                "Signals are assumed to travel at most at {:.2} × c in fibre (c = 299,792.458 km/s), so \
                 each millisecond of round trip puts the responder at most {:.1} km further from the \
                 probe. A real path is longer than the great circle, so the true distance is usually \
                 much less.",
                a.fiber_factor,
                a.km_per_rtt_ms()
            ),
            "Each probe's minimum RTT is used. More samples can only lower a minimum, so with more \
             data the ranges can only shrink: a contradiction found now cannot go away."
                .to_string(),
            format!(
                "Probe positions are taken as given: hosts enter them by hand and public positions may \
                 be deliberately approximate. Each range is widened by {} for that; a probe placed \
                 wrongly by more can fake or hide a contradiction.",
                format::km(a.location_tolerance_km)
            ),
            format!(
                "So a site is only counted when probes at two places (more than {} apart) both show \
                 it: one misplaced probe, or several at one registered position, cannot make a site. \
                 A probe that alone contradicts all the others is set aside and named.",
                format::km(a.same_location_km())
            ),
            format!(
                "A local site is one within {} of a probe; it would answer within about {} ms (twice \
                 that distance in fibre, × {:.1} for real paths, + {} ms for the access link).",
                format::km(a.presence_radius_km),
                format::ms(Some(a.local_baseline_ms())),
                a.path_stretch,
                format::ms(Some(a.access_margin_ms)),
            ),
        ]
    }
}

/// The conclusion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Every observation is consistent with one place, and that place is small enough to name.
    OneSite,
    /// Some observations cannot have reached the same place: at least `sites` distinct sites, each
    /// seen by probes at two or more places, so that no single misplaced probe can account for one.
    Anycast { sites: usize },
    /// The data cannot decide: too few observations, or a region too large to be a claim.
    Inconclusive,
}

impl Verdict {
    /// "One site", "Anycast: at least 7 sites", "Inconclusive".
    pub fn label(self) -> String {
        match self {
            Verdict::OneSite => "One site".to_string(),
            Verdict::Anycast { sites } => format!("Anycast: at least {sites} sites"),
            Verdict::Inconclusive => "Inconclusive".to_string(),
        }
    }

    /// "one-site", "anycast" or "inconclusive": the form used in JSON and CSS classes.
    pub fn code(self) -> &'static str {
        match self {
            Verdict::OneSite => "one-site",
            Verdict::Anycast { .. } => "anycast",
            Verdict::Inconclusive => "inconclusive",
        }
    }
}

impl Serialize for Verdict {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

/// An observation's disc, as shown in the evidence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DiscEvidence {
    pub id: String,
    pub lat: f64,
    pub lon: f64,
    pub rtt_min_ms: f64,
    pub radius_km: f64,
}

impl DiscEvidence {
    fn of(disc: &Disc) -> DiscEvidence {
        DiscEvidence {
            id: disc.id.clone(),
            lat: disc.lat,
            lon: disc.lon,
            rtt_min_ms: disc.rtt_min_ms,
            radius_km: disc.radius_km,
        }
    }
}

/// The most likely city of a one-site verdict.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LikelyCity {
    pub city: City,
    /// False when no city of the gazetteer is inside the region and this is merely the nearest one to
    /// its centroid.
    pub inside: bool,
    /// Distance from the region's centroid.
    pub distance_km: f64,
}

/// What the verdict rests on.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    /// Observations that became discs (the rest are diagnostics).
    pub observations_used: usize,
    /// One site: the few smallest discs whose edges shape the region. Anycast: the mutually disjoint
    /// discs, one per site, then the ranges of the further sites (see `extend`).
    pub constraining: Vec<DiscEvidence>,
    /// The most decisive contradictory pairs (largest margin first, at most 20).
    pub violated_pairs: Vec<Violation>,
    /// How many contradictory pairs there are in all.
    pub violation_count: usize,
    /// The probes that take part in every contradictory pair: when there is one, a wrong position for
    /// it alone would explain every contradiction.
    pub in_every_violation: Vec<String>,
    /// One site: the feasible region.
    pub region: Option<FeasibleRegion>,
    pub likely_city: Option<LikelyCity>,
    /// When no two discs contradict each other but no point lies in all of them.
    pub no_common_point: Option<NoCommonPoint>,
    /// Anycast: observations whose disc contains no site's position (they reached a site that the
    /// disjoint discs did not reveal, or one of the sites lies outside its placed city).
    pub unassigned: Vec<String>,
    /// Observations left out of the verdict: a probe location whose RTT contradicts the others while
    /// no probe elsewhere backs it (its registered position is probably wrong, or it alone reached
    /// another site), with every probe at that position. Empty unless the verdict says so.
    pub set_aside: Vec<SetAside>,
    /// Possible further sites, each resting on one probe location: disjoint from the counted sites'
    /// ranges (anycast) or from each other (inconclusive), but not backed by a probe elsewhere, so
    /// one misplaced probe could explain each. Never counted in the verdict.
    pub uncorroborated_sites: Vec<Site>,
}

/// An observation set aside because its location alone contradicts the others.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SetAside {
    pub id: String,
    pub lat: f64,
    pub lon: f64,
    pub country_code: Option<String>,
    pub rtt_min_ms: f64,
    /// How many probes at other locations its range is disjoint from.
    pub contradicts: usize,
    /// Why, in plain words.
    pub reason: String,
}

/// Everything the engine concludes, with its reasons.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Inference {
    pub verdict: Verdict,
    /// One site, or one per proven anycast site; empty when inconclusive.
    pub sites: Vec<Site>,
    pub evidence: Evidence,
    pub presence: Vec<ContinentPresence>,
    /// The verdict in one plain sentence.
    pub summary: String,
    /// What measurement would decide an inconclusive case (or sharpen a conclusive one).
    pub suggestion: Option<String>,
    pub assumptions: Assumptions,
    pub assumption_notes: Vec<String>,
    /// What observation would prove the verdict wrong, and what it cannot say.
    pub falsifiable_by: Vec<String>,
    pub diagnostics: Vec<ObservationDiagnostic>,
}

/// At most this many violated pairs and constraining discs are carried as evidence.
const EVIDENCE_PAIRS: usize = 20;
const CONSTRAINING_DISCS: usize = 5;

/// The speed-of-light violations among observations (all of them counted, the `limit` most decisive
/// listed); unusable observations are ignored.
pub fn speed_of_light_violations(
    observations: &[Observation],
    assumptions: &Assumptions,
    limit: usize,
) -> Violations {
    let (discs, _) = disc::discs(observations, assumptions);
    disc::violations(&discs, limit)
}

/// A contradiction is explained by one misplaced probe location at most this many times per inference.
/// Each set-aside location is a separate probe whose registered position must be wrong by thousands of
/// km; beyond a few, "the target has several sites, each seen by one probe" is as good an explanation,
/// and the verdict stays inconclusive instead.
const MAX_SET_ASIDE_LOCATIONS: usize = 3;

/// Runs the whole inference over a set of observations.
///
/// Contradictions are weighed location by location: a site counts only when probes at two places back
/// it ([`corroborate`]); a single location that alone contradicts everyone else, while the others are
/// backed, is set aside and the rest analysed again, so one misplaced probe can never make a target
/// look anycast.
pub fn infer(observations: &[Observation], assumptions: &Assumptions) -> Inference {
    let assumptions = assumptions.sanitised();
    let (discs, diagnostics) = disc::discs(observations, &assumptions);
    let found = disc::violations(&discs, EVIDENCE_PAIRS);
    let continents = presence::continents_of(observations, &discs);
    let mut inference = Inference {
        verdict: Verdict::Inconclusive,
        sites: Vec::new(),
        evidence: Evidence {
            observations_used: discs.len(),
            constraining: Vec::new(),
            violated_pairs: found.pairs,
            violation_count: found.total,
            in_every_violation: found.in_every_pair,
            region: None,
            likely_city: None,
            no_common_point: None,
            unassigned: Vec::new(),
            set_aside: Vec::new(),
            uncorroborated_sites: Vec::new(),
        },
        presence: Vec::new(),
        summary: String::new(),
        suggestion: None,
        assumption_notes: assumptions.notes(),
        assumptions: assumptions.clone(),
        falsifiable_by: Vec::new(),
        diagnostics,
    };
    if discs.is_empty() {
        inference.summary =
            "No usable observation: nothing can be said about where the target is.".to_string();
        inference.suggestion = Some(
            "Measure from probes with a known position that get a reply from the target."
                .to_string(),
        );
        return inference;
    }
    let same_location_km = assumptions.same_location_km();
    // Observation indices set aside so far, and one sentence per set-aside location.
    let mut aside: BTreeSet<usize> = BTreeSet::new();
    let mut explanations: Vec<String> = Vec::new();
    let mut site = None;
    let mut rest: Vec<Disc>;
    let mut joined_as_subject = false;
    let mut round = 0;
    loop {
        rest = discs
            .iter()
            .filter(|disc| !aside.contains(&disc.index))
            .cloned()
            .collect();
        let rest_continents = continents_in_play(&discs, &continents, &aside);
        let unmeasured = unmeasured_continents(observations, &rest, &rest_continents, &assumptions);
        // The first round's contradictions are those of all discs, already counted.
        let contradictory = if aside.is_empty() {
            inference.evidence.violation_count
        } else {
            disc::violations(&rest, 0).total
        };
        if contradictory == 0 {
            let subject = Subject::of(rest.len(), !aside.is_empty());
            site = one_site(&mut inference, &rest, &unmeasured, &subject);
            joined_as_subject = subject.joins;
            break;
        }
        let set = disc::independent_set(&rest);
        let backing = corroborate::corroborate(&rest, &set, same_location_km);
        if backing.counted.len() >= 2 {
            anycast(
                &mut inference,
                &rest,
                &backing,
                same_location_km,
                &unmeasured,
            );
            break;
        }
        // One location alone against a side that was backed from the start: that location is the
        // simplest explanation (its position is wrong, or it alone reached another site).
        let lone = match (backing.counted.as_slice(), backing.unbacked.as_slice()) {
            ([kept], [lone]) if backing.backed_at_first.contains(kept) => Some(*lone),
            _ => None,
        };
        match lone {
            Some(lone) if round < MAX_SET_ASIDE_LOCATIONS => {
                let (indices, records, sentence) =
                    set_aside_location(observations, &rest, lone, same_location_km);
                aside.extend(indices);
                inference.evidence.set_aside.extend(records);
                explanations.push(sentence);
                round += 1;
            }
            _ => {
                unproven(
                    &mut inference,
                    observations,
                    &rest,
                    &backing,
                    same_location_km,
                    lone.is_some(),
                );
                break;
            }
        }
    }
    if !explanations.is_empty() {
        let body = std::mem::take(&mut inference.summary);
        let it = if explanations.len() == 1 {
            "it"
        } else {
            "them"
        };
        inference.summary = if joined_as_subject {
            format!("{} Set aside, {body}", explanations.join(" "))
        } else {
            format!("{} With {it} set aside: {body}", explanations.join(" "))
        };
        let ids: Vec<&str> = inference
            .evidence
            .set_aside
            .iter()
            .map(|record| record.id.as_str())
            .collect();
        let check = format!(
            "Check the registered position of {} {} (the network and the route's first hops often \
             show where a probe really is), or add probes near it: if they too answer that fast, \
             there is a site there.",
            if ids.len() == 1 { "probe" } else { "probes" },
            list(&ids)
        );
        inference.suggestion = Some(match inference.suggestion.take() {
            Some(rest) => format!("{check} {rest}"),
            None => check,
        });
        inference.falsifiable_by.push(format!(
            "Setting aside rests on probe positions: a second probe near {} that also answered that \
             fast would show a real site there, not a misplaced probe.",
            if explanations.len() == 1 {
                "the set-aside probe's registered position"
            } else {
                "a set-aside probe's registered position"
            }
        ));
    }
    let rest_continents = continents_in_play(&discs, &continents, &aside);
    inference.presence =
        presence::presence_with(observations, &rest, &rest_continents, &assumptions, site);
    explain_set_aside_presence(&mut inference, &discs, &continents, &aside);
    inference
}

/// The continents of the discs that are still in play, in the same order as the discs themselves.
fn continents_in_play(
    discs: &[Disc],
    continents: &[Option<Continent>],
    aside: &BTreeSet<usize>,
) -> Vec<Option<Continent>> {
    discs
        .iter()
        .zip(continents)
        .filter(|(disc, _)| !aside.contains(&disc.index))
        .map(|(_, continent)| *continent)
        .collect()
}

/// A continent whose only probes were set aside reads "not measured (no probe there)"; say why.
fn explain_set_aside_presence(
    inference: &mut Inference,
    discs: &[Disc],
    continents: &[Option<Continent>],
    aside: &BTreeSet<usize>,
) {
    for row in &mut inference.presence {
        if row.finding != PresenceFinding::NotMeasured {
            continue;
        }
        let ids: Vec<&str> = discs
            .iter()
            .zip(continents)
            .filter(|(disc, continent)| {
                aside.contains(&disc.index) && **continent == Some(row.continent)
            })
            .map(|(disc, _)| disc.id.as_str())
            .collect();
        if !ids.is_empty() {
            let probes = if ids.len() == 1 { "probe" } else { "probes" };
            row.sentence = format!(
                "{}: not measured (its only {probes}, {}, {} set aside: {} RTT contradicts the others).",
                row.continent_name,
                list(&ids),
                if ids.len() == 1 { "was" } else { "were" },
                if ids.len() == 1 { "its" } else { "their" },
            );
        }
    }
}

/// The names of the inhabited continents where no usable observation is, for suggestions.
fn unmeasured_continents(
    observations: &[Observation],
    discs: &[Disc],
    continents: &[Option<Continent>],
    assumptions: &Assumptions,
) -> Vec<&'static str> {
    presence::presence_with(observations, discs, continents, assumptions, None)
        .into_iter()
        .filter(|row| row.finding == PresenceFinding::NotMeasured)
        .filter(|row| row.continent != Continent::Antarctica)
        .map(|row| row.continent_name)
        .collect()
}

/// The text with its first letter in upper case.
fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn list(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => one.to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// "from Ethiopia", or "from 9.02, 38.76" when the observation has no known country.
fn from_where(observation: Option<&Observation>, disc: &Disc) -> String {
    match observation
        .and_then(|o| o.country_code.as_deref())
        .and_then(country_name)
    {
        Some(name) => format!("from {name}"),
        None => format!("from {:.2}, {:.2}", disc.lat, disc.lon),
    }
}

fn probes_count(count: usize) -> String {
    if count == 1 {
        "1 other probe".to_string()
    } else {
        format!("{count} other probes")
    }
}

/// Sets aside the probe at `rest[lone]` and every probe at its position: their observation indices,
/// their records, and the sentence that says why.
fn set_aside_location(
    observations: &[Observation],
    rest: &[Disc],
    lone: usize,
    same_location_km: f64,
) -> (Vec<usize>, Vec<SetAside>, String) {
    let Some(anchor) = rest.get(lone) else {
        return (Vec::new(), Vec::new(), String::new());
    };
    let record = |disc: &Disc, reason: String| SetAside {
        id: disc.id.clone(),
        lat: disc.lat,
        lon: disc.lon,
        country_code: observations
            .get(disc.index)
            .and_then(|o| o.country_code.clone()),
        rtt_min_ms: disc.rtt_min_ms,
        contradicts: rest
            .iter()
            .position(|other| other.index == disc.index)
            .map_or(0, |position| {
                corroborate::contradictions(rest, position, same_location_km)
            }),
        reason,
    };
    let contradicts = corroborate::contradictions(rest, lone, same_location_km);
    let mut records = vec![record(
        anchor,
        format!(
            "its RTT contradicts {} and no probe elsewhere backs a second site: its registered \
             position is probably wrong, or it alone reached another site",
            probes_count(contradicts)
        ),
    )];
    let twins: Vec<&Disc> = rest
        .iter()
        .filter(|disc| disc.index != anchor.index)
        .filter(|disc| !corroborate::elsewhere(anchor, disc, same_location_km))
        .collect();
    for twin in &twins {
        records.push(record(
            twin,
            format!(
                "registered within {} of probe {}, which was set aside: probes at one position \
                 count as one location",
                format::km(same_location_km),
                anchor.id
            ),
        ));
    }
    let from = from_where(observations.get(anchor.index), anchor);
    let sentence = if twins.is_empty() {
        format!(
            "Probe {}'s RTT ({} ms {from}) contradicts {}: its registered position is probably \
             wrong, or it alone reached another site.",
            anchor.id,
            format::ms(Some(anchor.rtt_min_ms)),
            probes_count(contradicts)
        )
    } else {
        let mut ids: Vec<&str> = vec![anchor.id.as_str()];
        ids.extend(twins.iter().map(|twin| twin.id.as_str()));
        format!(
            "Probes {}, registered at one position, answer {from} in as little as {} ms and \
             contradict {}: their position is probably wrong, or they alone reached another site.",
            list(&ids),
            format::ms(Some(anchor.rtt_min_ms)),
            probes_count(contradicts)
        )
    };
    let mut indices = vec![anchor.index];
    indices.extend(twins.iter().map(|twin| twin.index));
    (indices, records, sentence)
}

/// The probes at the location of `disc` (itself first), for the vantages of a possible site.
fn at_location(discs: &[Disc], disc: &Disc, same_location_km: f64) -> Vec<String> {
    let mut ids = vec![disc.id.clone()];
    ids.extend(
        discs
            .iter()
            .filter(|other| other.index != disc.index)
            .filter(|other| !corroborate::elsewhere(disc, other, same_location_km))
            .map(|other| other.id.clone()),
    );
    ids
}

/// Possible sites, one per disc, each with the probes at its location as vantages.
fn possible_sites(
    discs: &[Disc],
    positions: &[usize],
    same_location_km: f64,
    assumptions: &Assumptions,
) -> Vec<Site> {
    positions
        .iter()
        .filter_map(|&position| discs.get(position))
        .map(|disc| {
            let mut site = sites::site_in_disc(disc, assumptions);
            site.vantages = at_location(discs, disc, same_location_km);
            site
        })
        .collect()
}

fn anycast(
    inference: &mut Inference,
    discs: &[Disc],
    backing: &corroborate::Corroboration,
    same_location_km: f64,
    unmeasured: &[&str],
) {
    let set = &backing.counted;
    let assumptions = inference.assumptions.clone();
    let placed: Vec<(usize, Site)> = set
        .iter()
        .filter_map(|&position| {
            Some((
                position,
                sites::site_in_disc(discs.get(position)?, &assumptions),
            ))
        })
        .collect();
    let further = extend::further_sites(discs, &placed, same_location_km, &assumptions);
    let further_count = further.len();
    let mut placed: Vec<(usize, Site)> = placed.into_iter().chain(further).collect();
    extend::refine_placements(discs, &mut placed, &assumptions);
    let (positions, mut sites): (Vec<usize>, Vec<Site>) = placed.into_iter().unzip();
    sites::assign_vantages(discs, &positions, &mut sites);
    let one_place = sites.iter().filter(|site| site.seen_from_one_place).count();
    let evidence = &mut inference.evidence;
    // A possibility that a further site now explains (its range holds that site) is not listed again.
    let points: Vec<_> = sites
        .iter()
        .map(|site| crate::geo::sphere::unit_vector(site.lat, site.lon))
        .collect();
    let still_open: Vec<usize> = backing
        .unbacked
        .iter()
        .copied()
        .filter(|&position| {
            !positions.contains(&position)
                && discs
                    .get(position)
                    .is_some_and(|disc| !points.iter().any(|&point| disc.contains(point)))
        })
        .collect();
    evidence.uncorroborated_sites =
        possible_sites(discs, &still_open, same_location_km, &assumptions);
    let assigned: BTreeSet<&str> = sites
        .iter()
        .flat_map(|site| site.vantages.iter().map(String::as_str))
        .collect();
    evidence.unassigned = discs
        .iter()
        .filter(|disc| !assigned.contains(disc.id.as_str()))
        .map(|disc| disc.id.clone())
        .collect();
    evidence.constraining = positions
        .iter()
        .filter_map(|&position| discs.get(position))
        .map(DiscEvidence::of)
        .collect();
    // The pairs among the disjoint discs are the proof of the count; list them first.
    let mut proof: Vec<Violation> = Vec::new();
    for (i, &a) in set.iter().enumerate() {
        for &b in set.iter().skip(i + 1) {
            if let (Some(a), Some(b)) = (discs.get(a), discs.get(b)) {
                proof.push(disc::violation(a, b));
            }
        }
    }
    proof.sort_by(|x, y| y.margin_km.total_cmp(&x.margin_km));
    let smallest_margin = proof
        .iter()
        .map(|pair| pair.margin_km)
        .fold(f64::INFINITY, f64::min);
    for pair in std::mem::take(&mut evidence.violated_pairs) {
        if !proof.iter().any(|p| p.a == pair.a && p.b == pair.b) {
            proof.push(pair);
        }
    }
    proof.truncate(EVIDENCE_PAIRS.max(set.len()));
    evidence.violated_pairs = proof;
    let count = sites.len();
    let disjoint = set.len();
    let violation_count = evidence.violation_count;
    inference.verdict = Verdict::Anycast { sites: count };
    inference.summary = format!(
        "At least {count} sites: {disjoint} probes' ranges are mutually disjoint, so no single place \
         could answer them all in the time measured ({violation_count} contradictory probe pairs in \
         all). Each of those is also seen by a probe at another place, so no single misplaced probe can \
         account for one."
    );
    if further_count > 0 {
        let backed = further_count - one_place;
        let mut parts = Vec::new();
        if backed > 0 {
            parts.push(format!(
                "{backed} more {} seen by probes at two places whose ranges hold none of the sites \
                 placed before",
                if backed == 1 { "is" } else { "are" }
            ));
        }
        if one_place > 0 {
            parts.push(format!(
                "{one_place} more {} seen from one place only, by a probe within {} ms whose range \
                 holds none of them (a wrong registered position could make such a site)",
                if one_place == 1 { "is" } else { "are" },
                extend::ONE_PLACE_MAX_RTT_MS
            ));
        }
        inference.summary.push_str(&format!(
            " {}: those rest on the sites placed before being in their cities.",
            capitalise(&parts.join("; "))
        ));
    }
    let possible: Vec<&str> = evidence
        .uncorroborated_sites
        .iter()
        .map(|site| site.evidence_id.as_str())
        .collect();
    match possible.as_slice() {
        [] => {}
        [one] => inference.summary.push_str(&format!(
            " Probe {one} suggests one more, not counted: it rests on that probe's location alone."
        )),
        many => inference.summary.push_str(&format!(
            " Probes {} suggest {} more, not counted: each rests on one probe's location alone.",
            list(many),
            many.len()
        )),
    }
    inference.falsifiable_by = vec![
        format!(
            "The count stands unless, for some site, probes at two places are both misplaced by more \
             than the margin of their pairs (the smallest margin among the disjoint ranges is {}), or \
             the replies did not all come from the target (a middlebox answering for it).",
            format::km(smallest_margin)
        ),
        "It is a lower bound: sites that no probe reached, sites seen from one place only (unless a \
         probe answered within a few ms), and sites whose probes' ranges overlap another site's are \
         not counted. The cities are the most likely ones inside each range, not measurements."
            .to_string(),
    ];
    if further_count > 0 {
        inference.falsifiable_by.push(
            "The sites beyond the disjoint ranges assume each site placed before it is within a \
             quarter of its range (at least 25 km) of its city: a site far from its placed city \
             could be counted twice."
                .to_string(),
        );
    }
    inference.suggestion = Some(if !possible.is_empty() {
        format!(
            "Add probes near {} {}: if one of them also answers fast, that site is real.",
            if possible.len() == 1 {
                "probe"
            } else {
                "probes"
            },
            list(&possible)
        )
    } else if unmeasured.is_empty() {
        "More probes near the largest ranges would locate those sites better, and may reveal more."
            .to_string()
    } else {
        format!(
            "Add probes in {}: sites there would be invisible to these probes.",
            list(unmeasured)
        )
    });
    inference.sites = sites;
}

/// Contradictions that no backed site explains and no single location accounts for: inconclusive, with
/// the unbacked discs as possible sites. `too_many` when the only reason is that enough locations were
/// set aside already.
fn unproven(
    inference: &mut Inference,
    observations: &[Observation],
    discs: &[Disc],
    backing: &corroborate::Corroboration,
    same_location_km: f64,
    too_many: bool,
) {
    let set = &backing.initial;
    let assumptions = inference.assumptions.clone();
    let unbacked: Vec<usize> = set
        .iter()
        .copied()
        .filter(|member| !backing.backed_at_first.contains(member))
        .collect();
    inference.evidence.uncorroborated_sites =
        possible_sites(discs, &unbacked, same_location_km, &assumptions);
    inference.evidence.constraining = set
        .iter()
        .filter_map(|&position| discs.get(position))
        .map(DiscEvidence::of)
        .collect();
    let described: Vec<String> = unbacked
        .iter()
        .filter_map(|&position| discs.get(position))
        .map(|disc| {
            format!(
                "{} ({} ms {})",
                disc.id,
                format::ms(Some(disc.rtt_min_ms)),
                from_where(observations.get(disc.index), disc)
            )
        })
        .collect();
    let described: Vec<&str> = described.iter().map(String::as_str).collect();
    let ids: Vec<&str> = unbacked
        .iter()
        .filter_map(|&position| discs.get(position))
        .map(|disc| disc.id.as_str())
        .collect();
    let (probes, may) = if ids.len() == 1 {
        ("probe", "It may be misplaced or may have")
    } else {
        ("probes", "Each of them may be misplaced or may have")
    };
    inference.summary = format!(
        "{} probes' ranges are mutually disjoint, so no single place could answer them all, but no \
         second site is seen from two places: the contradictions rest on {probes} {} alone. {may} \
         reached a site of its own, so neither one site nor several is proven.",
        set.len(),
        list(&described),
    );
    if too_many {
        inference.summary.push_str(&format!(
            " ({MAX_SET_ASIDE_LOCATIONS} probe locations were set aside already: more misplaced \
             probes than that is no simpler than more sites.)"
        ));
    }
    inference.suggestion = Some(format!(
        "Check the positions of {probes} {} (their networks and their routes' first hops often show \
         where they really are), and add probes near them: a second probe near one that also answers \
         fast would confirm a site there.",
        list(&ids)
    ));
    inference.falsifiable_by = vec![
        "A probe at another place whose range overlaps one of these and is disjoint from the others' \
         would prove a second site; corrected probe positions could remove the contradictions."
            .to_string(),
    ];
}

/// Who the one-site summary speaks of: "All 5 probes", "The only probe", or, once some are set aside,
/// "the other 38 probes" (then the summary follows "Set aside, ").
struct Subject {
    text: String,
    joins: bool,
}

impl Subject {
    fn of(count: usize, after_set_aside: bool) -> Subject {
        let text = match (count, after_set_aside) {
            (1, false) => "The only probe".to_string(),
            (_, false) => format!("All {count} probes"),
            (1, true) => "the only other probe".to_string(),
            (_, true) => format!("the other {count} probes"),
        };
        Subject {
            text,
            joins: after_set_aside,
        }
    }
}

/// The one-site analysis; returns the site position for the presence table when it names one.
fn one_site(
    inference: &mut Inference,
    discs: &[Disc],
    unmeasured: &[&str],
    subject: &Subject,
) -> Option<(f64, f64)> {
    let assumptions = inference.assumptions.clone();
    let count = discs.len();
    let probes_text = &subject.text;
    match region::feasible_region(discs)? {
        RegionSearch::Empty(miss) => {
            let no_two = if subject.joins {
                format!("no two of {probes_text}")
            } else {
                "No two probes".to_string()
            };
            inference.summary = format!(
                "{no_two} contradict each other, yet no single place is within reach of all {count}: \
                 the closest point misses probe {}'s range by {}. Either there is more than one site or a \
                 probe is misplaced.",
                miss.missed_id,
                format::km(miss.overshoot_km)
            );
            inference.suggestion = Some(format!(
                "Check the position of probe {}, and add probes near it to tell two sites from one.",
                miss.missed_id
            ));
            inference.falsifiable_by = vec![
                "A probe pair with disjoint ranges would prove several sites; a corrected probe position \
                 could restore a common region."
                    .to_string(),
            ];
            inference.evidence.no_common_point = Some(miss);
            inference.evidence.constraining = discs
                .iter()
                .take(CONSTRAINING_DISCS)
                .map(DiscEvidence::of)
                .collect();
            None
        }
        RegionSearch::Found(region) => {
            inference.evidence.constraining = constraining_discs(discs, &region);
            let likely = likely_city_of(discs, &region, assumptions.population_weight);
            let smallest = discs.first()?;
            let (site_lat, site_lon) = match &likely {
                Some(likely) if likely.inside => (likely.city.lat, likely.city.lon),
                _ => (region.centroid.lat, region.centroid.lon),
            };
            let place = match &likely {
                Some(likely) if likely.inside => {
                    format!(
                        "most likely near {} ({})",
                        likely.city.name, likely.city.country_code
                    )
                }
                Some(likely) => format!(
                    "with no large city inside; the nearest is {} ({}), {} from its centre",
                    likely.city.name,
                    likely.city.country_code,
                    format::km(likely.distance_km)
                ),
                None => "with no city nearby".to_string(),
            };
            let across = format::km(region.across_km);
            let small_enough = region.across_km <= assumptions.one_site_max_across_km;
            let invisible = if unmeasured.is_empty() {
                String::new()
            } else {
                format!(
                    " No probe is in {}: sites there would be invisible.",
                    list(unmeasured)
                )
            };
            inference.falsifiable_by = vec![
                "Any pair of probes whose ranges do not overlap would prove a second site, and so would a \
                 probe that answers faster than light in fibre allows from the region."
                    .to_string(),
                format!(
                    "\"No other site\" cannot be proven: a site that no probe reached is invisible.{invisible}"
                ),
            ];
            if count >= 2 && small_enough {
                inference.verdict = Verdict::OneSite;
                inference.summary = format!(
                    "{probes_text} are consistent with a single location: within a region ≈ {across} \
                     across, {place}."
                );
                inference.sites = vec![Site {
                    lat: site_lat,
                    lon: site_lon,
                    city: likely.as_ref().map(|l| l.city.name.to_string()),
                    country: likely.as_ref().map(|l| l.city.country_code.to_string()),
                    city_inside: likely.as_ref().is_some_and(|l| l.inside),
                    radius_km: smallest.radius_km,
                    evidence_id: smallest.id.clone(),
                    evidence_rtt_ms: smallest.rtt_min_ms,
                    vantages: discs.iter().map(|disc| disc.id.clone()).collect(),
                    seen_from_one_place: false,
                }];
                if !unmeasured.is_empty() {
                    inference.suggestion = Some(format!(
                        "Add probes in {} to look for sites these probes cannot see.",
                        list(unmeasured)
                    ));
                }
            } else {
                let near = likely
                    .as_ref()
                    .map(|l| format!("{} ({})", l.city.name, l.city.country_code))
                    .unwrap_or_else(|| "the region's centre".to_string());
                let reason = if count < 2 {
                    format!(
                        "{probes_text} cannot tell one site from several: its range is ≈ {across} across, \
                         {place}."
                    )
                } else {
                    format!(
                        "{probes_text} are consistent with a single location, but only within a region \
                         ≈ {across} across, {place}: too wide to name a place."
                    )
                };
                let near_km = assumptions.one_site_max_across_km / 4.0;
                let mut suggestion = format!(
                    "Add probes within about {} of {near}: a probe that close, on a typical path, would \
                     shrink the region below {}.",
                    format::km(near_km),
                    format::km(assumptions.one_site_max_across_km)
                );
                if !unmeasured.is_empty() {
                    suggestion.push_str(&format!(
                        " Probes in {} could also reveal other sites.",
                        list(unmeasured)
                    ));
                }
                inference.summary = reason;
                inference.suggestion = Some(suggestion);
            }
            inference.evidence.likely_city = likely;
            inference.evidence.region = Some(region);
            (inference.verdict == Verdict::OneSite).then_some((site_lat, site_lon))
        }
    }
}

/// The discs whose edge passes near the region's outline (within two sampling cells), smallest first:
/// the observations that actually shape the region. Falls back to the smallest discs.
fn constraining_discs(discs: &[Disc], region: &FeasibleRegion) -> Vec<DiscEvidence> {
    let corners: Vec<_> = region
        .outline
        .iter()
        .map(|corner| crate::geo::sphere::unit_vector(corner.lat, corner.lon))
        .collect();
    let near_edge = 2.0 * region.resolution_km;
    let shaping: Vec<DiscEvidence> = discs
        .iter()
        .filter(|disc| {
            corners
                .iter()
                .any(|&corner| disc.depth_km(corner) <= near_edge)
        })
        .take(CONSTRAINING_DISCS)
        .map(DiscEvidence::of)
        .collect();
    if shaping.is_empty() {
        discs
            .iter()
            .take(CONSTRAINING_DISCS)
            .map(DiscEvidence::of)
            .collect()
    } else {
        shaping
    }
}

/// The most likely city inside the region (iGreedy's score, with depth measured to the region's nearest
/// edge), or the nearest city to the centroid when none is inside.
fn likely_city_of(
    discs: &[Disc],
    region: &FeasibleRegion,
    population_weight: f64,
) -> Option<LikelyCity> {
    let candidates: Vec<sites::Candidate> = region::cities_in(discs)
        .into_iter()
        .map(|city| {
            let point = crate::geo::sphere::unit_vector(city.lat, city.lon);
            let depth_km = discs
                .iter()
                .map(|disc| disc.depth_km(point))
                .fold(f64::INFINITY, f64::min);
            sites::Candidate { city, depth_km }
        })
        .collect();
    let centroid = region.centroid;
    if let Some(city) = sites::likely_city(&candidates, population_weight) {
        return Some(LikelyCity {
            city: city.clone(),
            inside: true,
            distance_km: haversine_km(centroid.lat, centroid.lon, city.lat, city.lon),
        });
    }
    nearest_city(centroid.lat, centroid.lon).map(|(city, distance_km)| LikelyCity {
        city: city.clone(),
        inside: false,
        distance_km,
    })
}

#[cfg(test)]
mod tests;
