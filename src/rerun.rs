//! Before and after: what changed when a measurement cell was run again on the same probes. Each run
//! is reduced to one outcome per probe (its RTT, the end of its path, its DNS answers, its status),
//! from Globalping measurements or Atlas results alike; the two lists are matched by probe and every
//! difference that matters is put in words, with a one-line summary.
//!
//! An RTT counts as changed when it moved by at least 5 ms *and* by at least 20 % of its earlier
//! value (|Δ| ≥ max(5 ms, 20 %)). This threshold is this project's choice, not a standard: the floor
//! keeps the few milliseconds of queueing jitter that separate two rounds of the same ping from being
//! reported, and the relative part does the same for long paths, where 10 ms on 200 ms is noise but
//! a jump from 24 to 150 ms is a different route or site.
//!
//! Pure: it reads parsed results and writes text.

use std::collections::{BTreeSet, HashMap};
use std::net::IpAddr;

use crate::atlas::probes::Probe as AtlasProbe;
use crate::atlas::{AtlasResult, parse_results};
use crate::dns::Answer;
use crate::format;
use crate::globalping::measurement::{DnsAnswer, Hop, Measurement, Outcome};

/// An RTT change smaller than this is never reported (see the module doc).
pub const RTT_CHANGE_FLOOR_MS: f64 = 5.0;
/// Nor one smaller than this fraction of the earlier RTT.
pub const RTT_CHANGE_FRACTION: f64 = 0.2;
/// How many of the last responding hops a path keeps.
pub const PATH_TAIL_HOPS: usize = 3;

#[derive(Debug, Clone, PartialEq)]
pub struct ProbeOutcome {
    /// What matches the same probe in the other run.
    pub key: String,
    pub label: String,
    pub rtt_ms: Option<f64>,
    /// The addresses of the last responding hops, the destination last when it answered.
    pub path: Vec<String>,
    /// The DNS answer set, sorted: the addresses when there are any, else "TYPE data" records.
    pub answers: Vec<String>,
    /// "HTTP 500", "NXDOMAIN", "timeout", "failed: …"; `None` for a plain answer.
    pub status: Option<String>,
}

impl ProbeOutcome {
    /// Whether the probe got anything back: a time, records, or an HTTP status.
    fn answered(&self) -> bool {
        self.rtt_ms.is_some()
            || !self.answers.is_empty()
            || self
                .status
                .as_deref()
                .is_some_and(|s| s.starts_with("HTTP "))
    }
}

/// The answer set as the DNS matrix forms it: addresses in canonical form when the answer has any
/// (the CNAMEs are context), else every record but the signatures, which change between signing
/// runs (RFC 4034 §3).
fn answer_set<'a>(records: impl Iterator<Item = (&'a str, &'a str)> + Clone) -> Vec<String> {
    let addresses: BTreeSet<String> = records
        .clone()
        .filter(|(rtype, _)| *rtype == "A" || *rtype == "AAAA")
        .map(|(_, data)| {
            data.parse::<IpAddr>()
                .map_or_else(|_| data.to_string(), |a| a.to_string())
        })
        .collect();
    if !addresses.is_empty() {
        return addresses.into_iter().collect();
    }
    records
        .filter(|(rtype, _)| *rtype != "RRSIG")
        .map(|(rtype, data)| format!("{rtype} {data}"))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

fn globalping_answers(answers: &[DnsAnswer]) -> Vec<String> {
    answer_set(answers.iter().map(|a| (a.rtype.as_str(), a.value.as_str())))
}

pub(crate) fn atlas_answers(answers: &[Answer]) -> Vec<String> {
    let typed: Vec<(String, &str)> = answers
        .iter()
        .map(|a| (a.rtype.to_string(), a.data.as_str()))
        .collect();
    answer_set(typed.iter().map(|(t, d)| (t.as_str(), *d)))
}

fn tail<T>(items: Vec<T>, keep: usize) -> Vec<T> {
    let skip = items.len().saturating_sub(keep);
    items.into_iter().skip(skip).collect()
}

fn globalping_path(hops: &[Hop]) -> (Vec<String>, Option<f64>) {
    let path = tail(
        hops.iter().filter_map(|hop| hop.address.clone()).collect(),
        PATH_TAIL_HOPS,
    );
    // The last hop with RTTs, its median as an Atlas traceroute's `last_rtt_median_ms` takes it
    // (Sagan's `last_median_rtt`), so both sources compare alike.
    let rtt = hops
        .iter()
        .rev()
        .find_map(|hop| crate::stats::median(&hop.rtts_ms));
    (path, rtt)
}

/// One outcome per reported result; results still running are left out. Globalping probes have no
/// id, so the key is the probe's place and network (`Probe::key`), with "#2", "#3" for further
/// probes that share them: a re-run on the same probes lists them in the same order.
pub fn outcomes_from_globalping(m: &Measurement) -> Vec<ProbeOutcome> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut outcomes = Vec::new();
    for result in &m.results {
        let (rtt_ms, path, answers, status) = match &result.outcome {
            Outcome::Pending => continue,
            Outcome::Failed { reason } => (
                None,
                Vec::new(),
                Vec::new(),
                Some(format!("failed: {reason}")),
            ),
            Outcome::Ping {
                min_ms, received, ..
            } => (
                *min_ms,
                Vec::new(),
                Vec::new(),
                (*received == 0).then(|| "timeout".to_string()),
            ),
            Outcome::Traceroute { hops, .. } | Outcome::Mtr { hops, .. } => {
                let (path, rtt) = globalping_path(hops);
                (rtt, path, Vec::new(), None)
            }
            Outcome::Dns {
                status_code,
                status_name,
                answers,
                total_ms,
                ..
            } => (
                *total_ms,
                Vec::new(),
                globalping_answers(answers),
                status_name
                    .clone()
                    .or_else(|| status_code.map(|code| crate::dns::Rcode(code).to_string())),
            ),
            Outcome::Http {
                status_code,
                timings,
                ..
            } => (
                timings.total_ms,
                Vec::new(),
                Vec::new(),
                Some(status_code.map_or_else(|| "no answer".to_string(), |c| format!("HTTP {c}"))),
            ),
        };
        let base = result.probe.key();
        let count = seen.entry(base.clone()).or_insert(0);
        *count += 1;
        let key = if *count == 1 {
            base
        } else {
            format!("{base}#{count}")
        };
        outcomes.push(ProbeOutcome {
            key,
            label: result.probe.label(),
            rtt_ms,
            path,
            answers,
            status,
        });
    }
    outcomes
}

fn atlas_label(prb_id: u64, probes: &[AtlasProbe]) -> String {
    let Some(probe) = probes.iter().find(|p| p.id == prb_id) else {
        return format!("probe {prb_id}");
    };
    let details: Vec<String> = [
        probe.country_code.clone(),
        probe.asn_v4.or(probe.asn_v6).map(|asn| format!("AS{asn}")),
    ]
    .into_iter()
    .flatten()
    .collect();
    if details.is_empty() {
        format!("probe {prb_id}")
    } else {
        format!("probe {prb_id} ({})", details.join(", "))
    }
}

fn atlas_outcome(result: &AtlasResult) -> (Option<f64>, Vec<String>, Vec<String>, Option<String>) {
    match result {
        AtlasResult::Ping(ping) => {
            let status = (ping.received == 0).then(|| match ping.errors.first() {
                Some(error) => format!("failed: {error}"),
                None => "timeout".to_string(),
            });
            (ping.rtt_min_ms, Vec::new(), Vec::new(), status)
        }
        AtlasResult::Traceroute(trace) => {
            let path = tail(
                trace
                    .hops
                    .iter()
                    .filter_map(|hop| hop.addresses().into_iter().next())
                    .collect(),
                PATH_TAIL_HOPS,
            );
            let status = trace.error.clone().map(|e| format!("failed: {e}"));
            (trace.last_rtt_median_ms(), path, Vec::new(), status)
        }
        AtlasResult::Dns(dns) => match dns.primary() {
            Some(response) => {
                let status = match response.rcode() {
                    Some(rcode) => Some(rcode.to_string()),
                    None => match &response.outcome {
                        crate::atlas::dns::DnsOutcome::Failed {
                            timed_out: true, ..
                        } => Some("timeout".to_string()),
                        _ => response.error().map(|e| format!("failed: {e}")),
                    },
                };
                let rt = response.replied().then_some(response.rt_ms).flatten();
                (rt, Vec::new(), atlas_answers(response.answers()), status)
            }
            None => (
                None,
                Vec::new(),
                Vec::new(),
                Some("no response".to_string()),
            ),
        },
    }
}

/// One outcome per probe of an Atlas results body (its latest result when it has several), keyed
/// "prb <id>": ping → the minimum RTT; traceroute → the median RTT of the last hop with times and
/// the last responding hops; DNS → the answers of the primary response (`DnsResult::primary`) with
/// its RCODE as status.
pub fn outcomes_from_atlas(results_text: &str, probes: &[AtlasProbe]) -> Vec<ProbeOutcome> {
    let parsed = parse_results(results_text);
    let mut latest: Vec<&AtlasResult> = Vec::new();
    for result in &parsed.results {
        match latest.iter_mut().find(|r| r.prb_id() == result.prb_id()) {
            Some(slot) if result.timestamp() >= slot.timestamp() => *slot = result,
            Some(_) => {}
            None => latest.push(result),
        }
    }
    latest
        .into_iter()
        .map(|result| {
            let (rtt_ms, path, answers, status) = atlas_outcome(result);
            ProbeOutcome {
                key: format!("prb {}", result.prb_id()),
                label: atlas_label(result.prb_id(), probes),
                rtt_ms,
                path,
                answers,
                status,
            }
        })
        .collect()
}

#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub key: String,
    pub label: String,
    pub before: Option<ProbeOutcome>,
    pub after: Option<ProbeOutcome>,
    /// Empty when nothing that matters changed.
    pub what_changed: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// Every probe of either run: those of the first run in its order, then the new ones.
    pub changes: Vec<Change>,
    pub summary: String,
}

/// Whether an RTT moved enough to report (see the module doc).
pub fn rtt_changed(before_ms: f64, after_ms: f64) -> bool {
    let delta = (after_ms - before_ms).abs();
    delta.is_finite() && delta >= RTT_CHANGE_FLOOR_MS.max(RTT_CHANGE_FRACTION * before_ms.abs())
}

/// "a, b and 2 more".
fn short_list(items: &[String]) -> String {
    const SHOWN: usize = 3;
    if items.is_empty() {
        return "nothing".to_string();
    }
    if items.len() <= SHOWN {
        items.join(", ")
    } else {
        format!(
            "{} and {} more",
            items[..SHOWN].join(", "),
            items.len() - SHOWN
        )
    }
}

fn differences(before: &ProbeOutcome, after: &ProbeOutcome) -> Vec<String> {
    let mut changed = Vec::new();
    let (was, is) = (before.answered(), after.answered());
    if was && !is {
        changed.push(match &after.status {
            Some(status) => format!("no longer answers ({status})"),
            None => "no longer answers".to_string(),
        });
    } else if !was && is {
        changed.push("answers again".to_string());
    }
    if let (Some(b), Some(a)) = (before.rtt_ms, after.rtt_ms)
        && rtt_changed(b, a)
    {
        let delta = a - b;
        let sign = if delta >= 0.0 { "+" } else { "−" };
        changed.push(format!(
            "RTT {} → {} ms ({sign}{})",
            format::ms(Some(b)),
            format::ms(Some(a)),
            format::ms(Some(delta.abs()))
        ));
    }
    if !before.path.is_empty() && !after.path.is_empty() && before.path != after.path {
        changed.push(format!(
            "path changed: {} → {}",
            before.path.join(", "),
            after.path.join(", ")
        ));
    }
    if before.answers != after.answers && !(before.answers.is_empty() && after.answers.is_empty()) {
        changed.push(format!(
            "answers changed: {} → {}",
            short_list(&before.answers),
            short_list(&after.answers)
        ));
    }
    // A status change that "no longer answers" / "answers again" has not already said.
    if before.status != after.status && was == is {
        let show = |status: &Option<String>| status.clone().unwrap_or_else(|| "answer".to_string());
        changed.push(format!(
            "{} → {}",
            show(&before.status),
            show(&after.status)
        ));
    }
    changed
}

fn probes(count: usize) -> String {
    format::counted(count, "probe")
}

/// Matches the runs by key and says what changed for each probe, and in one line for all.
pub fn compare(before: &[ProbeOutcome], after: &[ProbeOutcome]) -> Comparison {
    let after_by_key: HashMap<&str, &ProbeOutcome> =
        after.iter().map(|o| (o.key.as_str(), o)).collect();
    let before_keys: BTreeSet<&str> = before.iter().map(|o| o.key.as_str()).collect();
    let mut changes = Vec::new();
    let (mut both, mut changed, mut gone) = (0, 0, 0);
    let (mut rtts_before, mut rtts_after) = (Vec::new(), Vec::new());
    for old in before {
        match after_by_key.get(old.key.as_str()) {
            Some(new) => {
                both += 1;
                let what_changed = differences(old, new);
                if !what_changed.is_empty() {
                    changed += 1;
                }
                if let (Some(b), Some(a)) = (old.rtt_ms, new.rtt_ms) {
                    rtts_before.push(b);
                    rtts_after.push(a);
                }
                changes.push(Change {
                    key: old.key.clone(),
                    label: new.label.clone(),
                    before: Some(old.clone()),
                    after: Some((*new).clone()),
                    what_changed,
                });
            }
            None => {
                gone += 1;
                changes.push(Change {
                    key: old.key.clone(),
                    label: old.label.clone(),
                    before: Some(old.clone()),
                    after: None,
                    what_changed: vec!["not in the new run".to_string()],
                });
            }
        }
    }
    let mut new_count = 0;
    for new in after
        .iter()
        .filter(|o| !before_keys.contains(o.key.as_str()))
    {
        new_count += 1;
        changes.push(Change {
            key: new.key.clone(),
            label: new.label.clone(),
            before: None,
            after: Some(new.clone()),
            what_changed: vec!["new probe".to_string()],
        });
    }
    let median = crate::stats::median(&rtts_before).zip(crate::stats::median(&rtts_after));
    let median_text = median.map(|(b, a)| {
        format!(
            "median RTT {} → {} ms",
            format::ms(Some(b)),
            format::ms(Some(a))
        )
    });
    let mut summary = if both == 0 {
        "No probe is in both runs".to_string()
    } else {
        let head = format!("Of {} in both runs, ", probes(both));
        match (changed, median_text) {
            (0, Some(median)) => format!("{head}none changed ({median})"),
            (0, None) => format!("{head}none changed"),
            (n, Some(median)) => format!("{head}{n} changed: {median}"),
            (n, None) => format!("{head}{n} changed"),
        }
    };
    let tail: Vec<String> = [(new_count, "new"), (gone, "gone")]
        .into_iter()
        .filter(|(count, _)| *count > 0)
        .map(|(count, word)| format!("{count} {word}"))
        .collect();
    if !tail.is_empty() {
        summary.push_str("; ");
        summary.push_str(&tail.join(", "));
    }
    Comparison { changes, summary }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::atlas::probes::parse_probes_page;
    use crate::globalping::measurement::parse_measurement;
    use crate::globalping::measurement::tests::{
        HTTP, MTR, PING, SIMPLE_DNS, TRACE_DNS, TRACEROUTE,
    };

    const ATLAS_PING: &str = include_str!("../tests/fixtures/atlas/ping_latest_msm3359986.json");
    const ATLAS_PING_PROBES: &str =
        include_str!("../tests/fixtures/atlas/probes_page_msm3359986.json");
    const ATLAS_TRACE: &str =
        include_str!("../tests/fixtures/atlas/traceroute_latest_msm1033154.json");
    const ATLAS_DNS: &str = include_str!("../tests/fixtures/atlas/dns_latest_msm1421267.json");

    fn outcome(key: &str, rtt: Option<f64>) -> ProbeOutcome {
        ProbeOutcome {
            key: key.into(),
            label: key.into(),
            rtt_ms: rtt,
            path: Vec::new(),
            answers: Vec::new(),
            status: None,
        }
    }

    #[test]
    fn atlas_ping_outcomes_are_minimum_rtts() {
        let probes = parse_probes_page(ATLAS_PING_PROBES).probes;
        let outcomes = outcomes_from_atlas(ATLAS_PING, &probes);
        assert_eq!(outcomes.len(), 5);
        let probe = outcomes.iter().find(|o| o.key == "prb 3183").unwrap();
        assert_eq!(probe.rtt_ms, Some(34.22132));
        assert!(probe.label.starts_with("probe 3183 (DE"), "{}", probe.label);
        assert_eq!(probe.status, None);
    }

    /// msm 3359986 against itself: nothing changes; then one probe's recorded minimum is altered in
    /// the test (probe 13939, 14.3 → 151.3 ms, a made-up slowdown) and only it changes.
    #[test]
    fn one_altered_rtt_is_the_only_change() {
        let probes = parse_probes_page(ATLAS_PING_PROBES).probes;
        let before = outcomes_from_atlas(ATLAS_PING, &probes);
        let same = compare(&before, &before);
        assert!(same.changes.iter().all(|c| c.what_changed.is_empty()));
        assert_eq!(same.changes.len(), 5);
        assert_eq!(
            same.summary,
            "Of 5 probes in both runs, none changed (median RTT 30.3 → 30.3 ms)"
        );
        let mut after = before.clone();
        let slow = after.iter_mut().find(|o| o.key == "prb 13939").unwrap();
        slow.rtt_ms = Some(151.3);
        let comparison = compare(&before, &after);
        let changed: Vec<&Change> = comparison
            .changes
            .iter()
            .filter(|c| !c.what_changed.is_empty())
            .collect();
        assert_eq!(changed.len(), 1);
        assert_eq!(changed[0].key, "prb 13939");
        assert_eq!(changed[0].what_changed, ["RTT 14.3 → 151.3 ms (+137.0)"]);
        assert_eq!(
            comparison.summary,
            "Of 5 probes in both runs, 1 changed: median RTT 30.3 → 34.2 ms"
        );
    }

    #[test]
    fn small_rtt_moves_are_not_changes() {
        assert!(!rtt_changed(24.2, 28.0), "under the 5 ms floor");
        assert!(rtt_changed(24.2, 30.0));
        assert!(!rtt_changed(200.0, 230.0), "under 20 % of 200 ms");
        assert!(rtt_changed(200.0, 241.0));
        assert!(rtt_changed(30.0, 10.0));
        assert!(!rtt_changed(f64::NAN, 10.0));
    }

    #[test]
    fn new_gone_and_silent_probes() {
        let before = vec![
            outcome("a", Some(10.0)),
            outcome("b", Some(20.0)),
            outcome("c", None),
        ];
        let mut timeout = outcome("b", None);
        timeout.status = Some("timeout".into());
        let after = vec![outcome("c", Some(30.0)), timeout, outcome("d", Some(1.0))];
        let comparison = compare(&before, &after);
        let by_key = |key: &str| {
            comparison
                .changes
                .iter()
                .find(|c| c.key == key)
                .unwrap()
                .what_changed
                .clone()
        };
        assert_eq!(by_key("a"), ["not in the new run"]);
        assert_eq!(by_key("b"), ["no longer answers (timeout)"]);
        assert_eq!(by_key("c"), ["answers again"]);
        assert_eq!(by_key("d"), ["new probe"]);
        assert_eq!(
            comparison
                .changes
                .iter()
                .map(|c| c.key.as_str())
                .collect::<Vec<_>>(),
            ["a", "b", "c", "d"]
        );
        assert_eq!(
            comparison.summary,
            "Of 2 probes in both runs, 2 changed; 1 new, 1 gone"
        );
        assert_eq!(compare(&[], &[]).summary, "No probe is in both runs");
    }

    #[test]
    fn atlas_traceroutes_keep_the_end_of_the_path() {
        let outcomes = outcomes_from_atlas(ATLAS_TRACE, &[]);
        let traces = crate::atlas::traceroutes(ATLAS_TRACE);
        assert_eq!(outcomes.len(), traces.len());
        for (outcome, trace) in outcomes.iter().zip(&traces) {
            assert_eq!(outcome.key, format!("prb {}", trace.prb_id));
            assert!(outcome.path.len() <= PATH_TAIL_HOPS);
            assert_eq!(outcome.rtt_ms, trace.last_rtt_median_ms());
            if trace.destination_responded() {
                assert_eq!(
                    outcome.path.last(),
                    trace.dst_addr.as_ref(),
                    "{}",
                    outcome.key
                );
            }
        }
        // The same run again: no change; a path ending elsewhere is reported.
        assert!(
            compare(&outcomes, &outcomes)
                .changes
                .iter()
                .all(|c| c.what_changed.is_empty())
        );
        let with_path = outcomes.iter().find(|o| o.path.len() == 3).unwrap().clone();
        let mut rerouted = with_path.clone();
        rerouted.path[2] = "192.0.2.1".into();
        let comparison = compare(std::slice::from_ref(&with_path), &[rerouted]);
        assert!(comparison.changes[0].what_changed[0].starts_with("path changed: "));
        assert!(comparison.changes[0].what_changed[0].ends_with(", 192.0.2.1"));
    }

    #[test]
    fn atlas_dns_outcomes_are_primary_answers() {
        let outcomes = outcomes_from_atlas(ATLAS_DNS, &[]);
        assert_eq!(outcomes.len(), 4);
        let answered: Vec<&ProbeOutcome> = outcomes
            .iter()
            .filter(|o| o.status.as_deref() == Some("NOERROR"))
            .collect();
        assert_eq!(answered.len(), 3);
        for outcome in &answered {
            assert_eq!(outcome.answers, ["193.0.6.139"], "{}", outcome.key);
            assert!(outcome.rtt_ms.is_some());
        }
        let timeout = outcomes
            .iter()
            .find(|o| o.status.as_deref() == Some("timeout"))
            .unwrap();
        assert!(timeout.answers.is_empty() && timeout.rtt_ms.is_none());
        let mut changed = outcomes.clone();
        changed[0].answers = vec!["192.0.2.66".into()];
        let comparison = compare(&outcomes, &changed);
        assert_eq!(
            comparison.changes[0].what_changed,
            ["answers changed: 193.0.6.139 → 192.0.2.66"]
        );
    }

    #[test]
    fn globalping_outcomes_of_every_type() {
        let ping = outcomes_from_globalping(&parse_measurement(PING).unwrap());
        assert_eq!(ping[0].key, "NZ||Auckland|61138|Zappie Host LLC");
        assert_eq!(ping[0].rtt_ms, Some(24.174));
        let trace = outcomes_from_globalping(&parse_measurement(TRACEROUTE).unwrap());
        assert_eq!(trace[0].path, ["172.68.208.3", "104.16.85.20"]);
        // The last hop's two timings, 0.826 and 0.733 ms: their mean, as Sagan's
        // `Result.calculate_median` takes it (issue 12).
        assert_eq!(trace[0].rtt_ms, Some(0.7795));
        let mtr = outcomes_from_globalping(&parse_measurement(MTR).unwrap());
        assert_eq!(mtr[0].path, ["149.6.2.38", "151.101.1.229"]);
        // Likewise the mean of 178.403 and 178.287 ms.
        assert_eq!(mtr[0].rtt_ms, Some(178.345));
        let dns = outcomes_from_globalping(&parse_measurement(SIMPLE_DNS).unwrap());
        assert_eq!(
            dns[0].answers,
            [
                "151.101.1.229",
                "151.101.129.229",
                "151.101.193.229",
                "151.101.65.229"
            ]
        );
        assert_eq!(dns[0].status.as_deref(), Some("NOERROR"));
        let trace_dns = outcomes_from_globalping(&parse_measurement(TRACE_DNS).unwrap());
        assert_eq!(trace_dns[0].answers, ["CNAME jsdelivr.map.fastly.net."]);
        let http = outcomes_from_globalping(&parse_measurement(HTTP).unwrap());
        assert_eq!(http[0].status.as_deref(), Some("HTTP 200"));
        assert_eq!(http[0].rtt_ms, Some(325.0));
    }

    /// The HTTP example against itself with its status altered in the test (200 → 500) and the ping
    /// example with its minimum altered (24.174 → 151.3 ms).
    #[test]
    fn globalping_reruns_compare() {
        let before = outcomes_from_globalping(&parse_measurement(HTTP).unwrap());
        let broken = HTTP.replace("\"statusCode\": 200", "\"statusCode\": 500");
        let after = outcomes_from_globalping(&parse_measurement(&broken).unwrap());
        let comparison = compare(&before, &after);
        assert_eq!(comparison.changes[0].what_changed, ["HTTP 200 → HTTP 500"]);
        assert_eq!(
            comparison.summary,
            "Of 1 probe in both runs, 1 changed: median RTT 325.0 → 325.0 ms"
        );
        let before = outcomes_from_globalping(&parse_measurement(PING).unwrap());
        let slow = PING.replace("\"min\": 24.174", "\"min\": 151.3");
        let after = outcomes_from_globalping(&parse_measurement(&slow).unwrap());
        assert_eq!(
            compare(&before, &after).changes[0].what_changed,
            ["RTT 24.2 → 151.3 ms (+127.1)"]
        );
    }

    #[test]
    fn duplicate_globalping_probes_get_numbered_keys() {
        let mut value: serde_json::Value = serde_json::from_str(PING).unwrap();
        let item = value["results"][0].clone();
        value["results"] = serde_json::Value::Array(vec![item.clone(), item.clone(), item]);
        let outcomes = outcomes_from_globalping(&parse_measurement(&value.to_string()).unwrap());
        let keys: Vec<&str> = outcomes.iter().map(|o| o.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "NZ||Auckland|61138|Zappie Host LLC",
                "NZ||Auckland|61138|Zappie Host LLC#2",
                "NZ||Auckland|61138|Zappie Host LLC#3"
            ]
        );
    }

    #[test]
    fn dns_status_changes_are_reported() {
        let mut before = outcome("x", Some(20.0));
        before.status = Some("NOERROR".into());
        before.answers = vec!["192.0.2.1".into()];
        let mut after = outcome("x", Some(21.0));
        after.status = Some("NXDOMAIN".into());
        let comparison = compare(&[before], &[after]);
        assert_eq!(
            comparison.changes[0].what_changed,
            ["answers changed: 192.0.2.1 → nothing", "NOERROR → NXDOMAIN"]
        );
    }
}
