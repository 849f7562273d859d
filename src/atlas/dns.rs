//! Atlas DNS results of every firmware generation, with the semantics of ripe-atlas-sagan's
//! `DnsResult`: a result holds one response (`result`, for a query to one resolver) or several
//! (`resultset`, one per resolver the probe uses, each with its own `dst_addr`, `af`, `proto` and
//! `time`, falling back to the result's top-level values); a response is the reply's `abuf` (the DNS
//! message in base64), its response time `rt` in ms and size, or an `error` such as
//! `{"timeout": 5000}` when the probe got no reply.
//!
//! The `abuf` is decoded by `dns::wire`. Results without one (some resultset entries of firmware
//! 4610) keep the header counts the probe recorded (`ANCOUNT`, …); the firmware's own `answers`
//! digest is ignored, since it is lossy (one TXT string, three SOA fields) and every recorded result
//! that has it also has the `abuf`. The old flattened top-level keys (`result-rt`, `result-rdata`, …)
//! are read only for `rt`, when the response itself lacks it.
//!
//! Owns only parsing and the step to `dns::matrix` observations; comparisons live there.

use serde::Serialize;
use serde_json::Value;

use super::wire::{self, Object};
use super::{DiagnosticKind, LatencySample};
use crate::atlas::probes::Probe;
use crate::dns::matrix::{FailureKind, Observation, Vantage};
use crate::dns::wire::{DecodeError, Message, decode_base64};
use crate::dns::{Answer, Question, Rcode};

/// The header counts as the probe recorded them next to the `abuf` (RFC 1035 §4.1.1 names).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct SectionCounts {
    pub id: Option<u32>,
    pub qdcount: Option<u32>,
    pub ancount: Option<u32>,
    pub nscount: Option<u32>,
    pub arcount: Option<u32>,
}

/// What one query to one resolver produced.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DnsOutcome {
    /// The reply, decoded from its `abuf`.
    Decoded { message: Message },
    /// A reply the firmware summarised by its header counts only (no `abuf`).
    CountsOnly,
    /// An `abuf` that is not a DNS message.
    Undecodable { error: DecodeError },
    /// The probe reported a failure (`{"timeout": 5000}`, a socket error, …).
    Failed { error: String, timed_out: bool },
}

/// One resolver's response within a result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DnsResponse {
    /// The resolver the probe asked.
    pub dst_addr: Option<String>,
    pub af: Option<u8>,
    pub proto: Option<String>,
    pub src_addr: Option<String>,
    /// The 1-based position in a `resultset` (`subid`), absent for a single `result`.
    pub subid: Option<u32>,
    /// When this query was sent (`time` in a resultset entry), unix seconds.
    pub time: Option<i64>,
    pub rt_ms: Option<f64>,
    pub size: Option<u32>,
    pub counts: SectionCounts,
    /// The question as sent, from `qbuf` when the probe recorded it.
    pub query: Option<Question>,
    pub outcome: DnsOutcome,
}

impl DnsResponse {
    pub fn message(&self) -> Option<&Message> {
        match &self.outcome {
            DnsOutcome::Decoded { message } => Some(message),
            _ => None,
        }
    }

    pub fn rcode(&self) -> Option<Rcode> {
        self.message().map(|message| message.rcode)
    }

    /// The answer section; empty when there was no decodable reply.
    pub fn answers(&self) -> &[Answer] {
        self.message()
            .map(|message| message.answers.as_slice())
            .unwrap_or_default()
    }

    /// What went wrong, in words, when there is no decoded reply.
    pub fn error(&self) -> Option<String> {
        match &self.outcome {
            DnsOutcome::Decoded { .. } => None,
            DnsOutcome::CountsOnly => Some(format!(
                "no answer buffer recorded (only counts: {} answers)",
                self.counts
                    .ancount
                    .map_or_else(|| "?".to_string(), |n| n.to_string())
            )),
            DnsOutcome::Undecodable { error } => Some(error.to_string()),
            DnsOutcome::Failed { error, .. } => Some(error.clone()),
        }
    }

    /// Whether the resolver replied at all (a decoded, undecodable or counts-only reply).
    pub fn replied(&self) -> bool {
        !matches!(self.outcome, DnsOutcome::Failed { .. })
    }

    /// The question: the reply's, else the one recorded as sent.
    pub fn question(&self) -> Option<&Question> {
        self.message()
            .and_then(|message| message.questions.first())
            .or(self.query.as_ref())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DnsResult {
    pub prb_id: u64,
    pub msm_id: u64,
    pub timestamp: i64,
    pub firmware: u32,
    pub from: Option<String>,
    /// The resolver's name as the measurement gave it (`name` in some firmware).
    pub dst_name: Option<String>,
    pub responses: Vec<DnsResponse>,
}

impl DnsResult {
    /// The response a one-line summary shows: the first decoded reply, else the first response.
    pub fn primary(&self) -> Option<&DnsResponse> {
        self.responses
            .iter()
            .find(|response| response.message().is_some())
            .or_else(|| self.responses.first())
    }

    /// The resolver when every response went to the same one.
    pub fn dst_addr(&self) -> Option<String> {
        let first = self.responses.first()?.dst_addr.clone()?;
        self.responses
            .iter()
            .all(|response| response.dst_addr.as_deref() == Some(first.as_str()))
            .then_some(first)
    }

    /// Response times as latency: each response is one query "sent", each reply one "received", and
    /// the RTT figures are over the replies' `rt`, so a DNS measurement maps like a ping to its
    /// resolvers.
    pub fn latency(&self) -> LatencySample {
        let rts: Vec<f64> = self
            .responses
            .iter()
            .filter(|response| response.replied())
            .filter_map(|response| response.rt_ms)
            .collect();
        let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        LatencySample {
            prb_id: self.prb_id,
            sent: count(self.responses.len()),
            received: count(self.responses.iter().filter(|r| r.replied()).count()),
            rtt_min_ms: crate::stats::min(&rts),
            rtt_median_ms: crate::stats::median(&rts),
            rtt_avg_ms: crate::stats::mean(&rts),
            rtt_max_ms: crate::stats::max(&rts),
        }
    }

    /// One observation per response, for the answer matrix; the probe's metadata places it.
    pub fn observations(&self, probe: Option<&Probe>) -> Vec<Observation> {
        self.responses
            .iter()
            .map(|response| {
                let vantage = Vantage::atlas_probe(self.prb_id, response.dst_addr.clone(), probe);
                let kind = match &response.outcome {
                    DnsOutcome::Decoded { message } => {
                        return Observation::from_message(vantage, message, response.rt_ms);
                    }
                    DnsOutcome::Failed {
                        timed_out: true, ..
                    } => FailureKind::Timeout,
                    DnsOutcome::Failed { .. } => FailureKind::Error,
                    DnsOutcome::CountsOnly | DnsOutcome::Undecodable { .. } => {
                        FailureKind::Unreadable
                    }
                };
                Observation::failed(
                    vantage,
                    kind,
                    response.error().unwrap_or_default(),
                    response.rt_ms,
                )
            })
            .collect()
    }
}

/// Observations of every response of every DNS result, joined with probe metadata by probe ID.
pub fn observations(results: &[DnsResult], probes: &[Probe]) -> Vec<Observation> {
    results
        .iter()
        .flat_map(|result| {
            let probe = probes.iter().find(|probe| probe.id == result.prb_id);
            result.observations(probe)
        })
        .collect()
}

/// Observations grouped by the question they answer, in order of first appearance: an answer matrix
/// only makes sense for one question. Responses that carry no question (timeouts) join the only
/// question when there is one, and form a group of their own (`None`) otherwise.
pub fn observations_by_question(
    results: &[DnsResult],
    probes: &[Probe],
) -> Vec<(Option<Question>, Vec<Observation>)> {
    let mut groups: Vec<(Option<Question>, Vec<Observation>)> = Vec::new();
    let mut unplaced = Vec::new();
    for result in results {
        let probe = probes.iter().find(|probe| probe.id == result.prb_id);
        for (response, observation) in result.responses.iter().zip(result.observations(probe)) {
            // Names compare without case (RFC 4343), so the key is lower-case.
            let Some(question) = response.question().map(|q| Question {
                name: q.name.to_ascii_lowercase(),
                rtype: q.rtype,
            }) else {
                unplaced.push(observation);
                continue;
            };
            match groups
                .iter_mut()
                .find(|(q, _)| q.as_ref() == Some(&question))
            {
                Some((_, members)) => members.push(observation),
                None => groups.push((Some(question), vec![observation])),
            }
        }
    }
    match groups.as_mut_slice() {
        [(_, only)] => only.append(&mut unplaced),
        _ if !unplaced.is_empty() => groups.push((None, unplaced)),
        _ => {}
    }
    groups
}

fn counts(result: &Object) -> SectionCounts {
    SectionCounts {
        id: wire::small(result, "ID"),
        qdcount: wire::small(result, "QDCOUNT"),
        ancount: wire::small(result, "ANCOUNT"),
        nscount: wire::small(result, "NSCOUNT"),
        arcount: wire::small(result, "ARCOUNT"),
    }
}

/// "no reply from 194.0.25.16 within 5000 ms" for `{"timeout": 5000}`; other errors as the probe
/// wrote them, naming the resolver.
fn describe_error(error: &Value, resolver: Option<&str>) -> String {
    let resolver = resolver.unwrap_or("the resolver");
    if let Some(timeout) = error
        .as_object()
        .filter(|map| map.len() == 1)
        .and_then(|map| map.get("timeout"))
        .and_then(Value::as_f64)
    {
        return format!("no reply from {resolver} within {timeout} ms (timeout)");
    }
    format!("{resolver}: {}", wire::describe(error))
}

/// One response; `top` is the whole result, whose `af`, `dst_addr`, `src_addr` and `proto` apply when
/// a resultset entry lacks its own. Problems come back with their kinds.
fn response(
    entry: &Object,
    top: &Object,
    subid_default: Option<u32>,
    problems: &mut Vec<(DiagnosticKind, String)>,
) -> DnsResponse {
    let text = |key: &str| wire::text(entry, key).or_else(|| wire::text(top, key));
    let dst_addr = text("dst_addr");
    let result = entry.get("result").and_then(Value::as_object);
    let rt_ms = result
        .and_then(|result| wire::float(result, "rt"))
        .or_else(|| wire::float(entry, "result-rt"))
        .or_else(|| wire::float(top, "result-rt"))
        .filter(|rt| *rt >= 0.0);
    let query = wire::text(entry, "qbuf")
        .or_else(|| wire::text(top, "qbuf"))
        .and_then(|qbuf| decode_base64(&qbuf).ok())
        .and_then(|message| message.questions.into_iter().next());
    let resolver = dst_addr.as_deref();
    let outcome = match (entry.get("error").filter(|e| !e.is_null()), result) {
        (Some(error), _) => {
            let timed_out = error.get("timeout").is_some();
            let error = describe_error(error, resolver);
            problems.push((DiagnosticKind::ProbeError, error.clone()));
            DnsOutcome::Failed { error, timed_out }
        }
        (None, Some(result)) => match wire::text(result, "abuf") {
            Some(abuf) => match decode_base64(&abuf) {
                Ok(message) => DnsOutcome::Decoded { message },
                Err(error) => {
                    problems.push((
                        DiagnosticKind::Malformed,
                        format!("{}: {error}", resolver.unwrap_or("the resolver")),
                    ));
                    DnsOutcome::Undecodable { error }
                }
            },
            None => DnsOutcome::CountsOnly,
        },
        (None, None) => {
            let error = match entry.get("result") {
                Some(other) if !other.is_null() => {
                    format!("\"result\" should be an object, found {other}")
                }
                _ => "a response has neither a result nor an error".to_string(),
            };
            problems.push((DiagnosticKind::Malformed, error.clone()));
            DnsOutcome::Failed {
                error,
                timed_out: false,
            }
        }
    };
    DnsResponse {
        dst_addr,
        af: wire::small(entry, "af")
            .or_else(|| wire::small(top, "af"))
            .and_then(|af| u8::try_from(af).ok()),
        proto: text("proto"),
        src_addr: text("src_addr"),
        subid: wire::small(entry, "subid").or(subid_default),
        time: wire::signed(entry, "time"),
        rt_ms,
        size: result.and_then(|result| wire::small(result, "size")),
        counts: result.map(counts).unwrap_or_default(),
        query,
        outcome,
    }
}

/// Parses one DNS result; the error is why it is malformed, the list the problems of its responses
/// (probe errors such as timeouts, and undecodable answers).
pub(crate) fn parse(object: &Object) -> Result<(DnsResult, Vec<(DiagnosticKind, String)>), String> {
    let prb_id = wire::unsigned(object, "prb_id").ok_or("the result has no valid prb_id")?;
    let msm_id = wire::unsigned(object, "msm_id").ok_or("the result has no valid msm_id")?;
    let timestamp = wire::signed(object, "timestamp").ok_or("the result has no valid timestamp")?;
    let mut problems = Vec::new();
    let mut responses = Vec::new();
    let has_result = object.get("result").is_some_and(|v| !v.is_null());
    let has_error = object.get("error").is_some_and(|v| !v.is_null());
    match object.get("resultset") {
        Some(Value::Array(entries)) => {
            for (position, entry) in entries.iter().enumerate() {
                let subid = u32::try_from(position + 1).ok();
                match entry.as_object() {
                    Some(entry) => {
                        responses.push(response(entry, object, subid, &mut problems));
                    }
                    None => problems.push((
                        DiagnosticKind::Malformed,
                        format!("resultset entry {position} is not an object: {entry}"),
                    )),
                }
            }
        }
        None | Some(Value::Null) => {}
        Some(other) => return Err(format!("\"resultset\" should be a list, found {other}")),
    }
    if has_result || has_error {
        responses.push(response(object, object, None, &mut problems));
    }
    if responses.is_empty() && problems.is_empty() {
        return Err("the DNS result has no result, resultset or error".to_string());
    }
    let result = DnsResult {
        prb_id,
        msm_id,
        timestamp,
        firmware: wire::small(object, "fw").unwrap_or(0),
        from: wire::text(object, "from"),
        dst_name: wire::text(object, "dst_name").or_else(|| wire::text(object, "name")),
        responses,
    };
    Ok((result, problems))
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use serde_json::Value;

    use super::*;
    use crate::atlas::probes::parse_probes_page;
    use crate::atlas::{AtlasResult, parse_results};
    use crate::dns::RecordType;
    use crate::dns::matrix::{VerdictKind, addresses_to_enrich, build};
    use crate::format::counted;
    use crate::ripestat::{Origin, prefix_overview};
    use crate::test_kit::XorShift;

    const SAGAN: &str = include_str!("../../tests/fixtures/atlas/dns_results_sagan.json");
    const FILES: [(&str, &str); 5] = [
        ("dns_results_sagan.json", SAGAN),
        (
            "dns_results_reticle.json",
            include_str!("../../tests/fixtures/atlas/dns_results_reticle.json"),
        ),
        (
            "dns_results_ripe-atlas-tools.json",
            include_str!("../../tests/fixtures/atlas/dns_results_ripe-atlas-tools.json"),
        ),
        (
            "dns_latest_msm1071935.json",
            include_str!("../../tests/fixtures/atlas/dns_latest_msm1071935.json"),
        ),
        (
            "dns_latest_msm1421267.json",
            include_str!("../../tests/fixtures/atlas/dns_latest_msm1421267.json"),
        ),
    ];
    /// Every abuf of those files decoded by dnspython 2.9.2 (`tests/expected/decode_abufs.py`).
    const DNSPYTHON: &str = include_str!("../../tests/expected/atlas_dns_abufs.dnspython.json");

    fn dns_results(text: &str) -> Vec<DnsResult> {
        parse_results(text)
            .results
            .into_iter()
            .filter_map(|result| match result {
                AtlasResult::Dns(dns) => Some(dns),
                _ => None,
            })
            .collect()
    }

    /// Types simple-dns does not model, which we write in the RFC 3597 generic form where
    /// dnspython has a specific one.
    const GENERIC: [&str; 5] = ["SSHFP", "TLSA", "NSEC3", "NSEC3PARAM", "SPF"];

    fn record_set(records: &[Answer]) -> BTreeSet<(String, String, u32, String)> {
        records
            .iter()
            .map(|r| (r.name.clone(), r.rtype.to_string(), r.ttl, r.data.clone()))
            .collect()
    }

    fn expected_set(records: &Value) -> BTreeSet<(String, String, u32, String)> {
        records
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["name"].as_str().unwrap().to_string(),
                    r["type"].as_str().unwrap().to_string(),
                    u32::try_from(r["ttl"].as_u64().unwrap()).unwrap(),
                    r["data"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    }

    /// Ours equals dnspython's record for record, except that hex is compared without case (we write
    /// DS digests and generic data upper-case, like dig; dnspython lower-case) and the types in
    /// `GENERIC` only need our generic form of the same type, name and TTL.
    fn same_records(ours: &[Answer], theirs: &Value, context: &str) {
        let comparable = |set: BTreeSet<(String, String, u32, String)>, generic: bool| {
            set.into_iter()
                .map(|(name, rtype, ttl, data)| {
                    if GENERIC.contains(&rtype.as_str()) {
                        let data = if generic {
                            data.starts_with("\\# ").to_string()
                        } else {
                            "true".to_string()
                        };
                        (name, rtype, ttl, data)
                    } else if rtype == "DS" || data.starts_with("\\#") {
                        (name, rtype, ttl, data.to_ascii_lowercase())
                    } else {
                        (name, rtype, ttl, data)
                    }
                })
                .collect::<BTreeSet<_>>()
        };
        assert_eq!(
            comparable(record_set(ours), true),
            comparable(expected_set(theirs), false),
            "{context}"
        );
    }

    #[test]
    fn every_abuf_decodes_as_dnspython_decodes_it() {
        let expected: Vec<Value> = serde_json::from_str(DNSPYTHON).unwrap();
        assert_eq!(expected.len(), 66);
        for row in &expected {
            let file = row["file"].as_str().unwrap();
            let text = FILES.iter().find(|(name, _)| *name == file).unwrap().1;
            let results = dns_results(text);
            let index = usize::try_from(row["index"].as_u64().unwrap()).unwrap();
            let result = &results[index];
            let response = match row["resultset_index"].as_u64() {
                Some(sub) => &result.responses[usize::try_from(sub).unwrap()],
                None => result.responses.last().unwrap(),
            };
            let context = format!("{file} #{index} {:?}", row["resultset_index"]);
            let message = response
                .message()
                .unwrap_or_else(|| panic!("{context}: {:?}", response.outcome));
            assert_eq!(
                u64::from(message.id),
                row["id"].as_u64().unwrap(),
                "{context}"
            );
            assert_eq!(
                message.rcode.to_string(),
                row["rcode"].as_str().unwrap(),
                "{context}"
            );
            let flags = &row["flags"];
            assert_eq!(
                [
                    message.flags.qr,
                    message.flags.aa,
                    message.flags.tc,
                    message.flags.rd,
                    message.flags.ra,
                    message.flags.ad,
                    message.flags.cd
                ],
                ["qr", "aa", "tc", "rd", "ra", "ad", "cd"].map(|f| flags[f].as_bool().unwrap()),
                "{context}"
            );
            let questions: Vec<(String, String)> = message
                .questions
                .iter()
                .map(|q| (q.name.clone(), q.rtype.to_string()))
                .collect();
            let expected_questions: Vec<(String, String)> = row["questions"]
                .as_array()
                .unwrap()
                .iter()
                .map(|q| {
                    (
                        q["name"].as_str().unwrap().to_string(),
                        q["type"].as_str().unwrap().to_string(),
                    )
                })
                .collect();
            assert_eq!(questions, expected_questions, "{context}");
            same_records(&message.answers, &row["answers"], &context);
            same_records(&message.authority, &row["authority"], &context);
            same_records(&message.additional, &row["additional"], &context);
            let nsid = message.edns.as_ref().and_then(|e| e.nsid.clone());
            assert_eq!(nsid.as_deref(), row["nsid"].as_str(), "{context}");
            assert!(row["client_subnet"].is_null(), "no fixture carries ECS");
        }
    }

    /// Values stated by ripe-atlas-sagan's tests/test_dns.py for the same results.
    #[test]
    fn sagan_samples_parse_like_sagan() {
        let parsed = parse_results(SAGAN);
        assert_eq!(parsed.results.len(), 43);
        let results = dns_results(SAGAN);
        let first = &results[0];
        assert_eq!(
            (first.prb_id, first.msm_id, first.firmware),
            (184, 1_004_041, 4460)
        );
        assert_eq!(first.from.as_deref(), Some("217.172.81.146"));
        let response = &first.responses[0];
        assert_eq!(response.dst_addr.as_deref(), Some("193.227.234.53"));
        assert_eq!(
            (response.af, response.proto.as_deref()),
            (Some(4), Some("UDP"))
        );
        assert_eq!((response.rt_ms, response.size), (Some(45.305), Some(43)));
        assert_eq!(response.counts.id, Some(39825));
        let message = response.message().unwrap();
        assert!(message.flags.aa && message.flags.qr && !message.flags.rd);
        assert_eq!(message.questions[0].name, "as250.net.");
        assert_eq!(message.answers[0].data, "194.150.168.100");
        assert_eq!(message.answers[0].ttl, 3600);
        // #6: a resultset of three resolvers, each with its own address.
        let set = &results[6];
        assert_eq!(set.responses.len(), 3);
        assert_eq!(set.responses[0].dst_addr.as_deref(), Some("192.168.1.1"));
        assert_eq!(set.responses[1].subid, Some(2));
        assert_eq!(set.dst_addr(), None);
        // #8: the probe timed out.
        let timeout = &results[8];
        assert_eq!(
            timeout.responses[0].error().as_deref(),
            Some("no reply from 194.0.25.16 within 5000 ms (timeout)")
        );
        assert!(matches!(
            timeout.responses[0].outcome,
            DnsOutcome::Failed {
                timed_out: true,
                ..
            }
        ));
        // #37: firmware as a string ("4570"), resolver name in `name`.
        assert_eq!(results[37].firmware, 4570);
        assert_eq!(results[37].dst_name.as_deref(), Some("ns1.nic.uk"));
        // #42: NOTIMP with no question at all.
        assert_eq!(results[42].responses[0].rcode(), Some(Rcode::NOTIMP));
        // Only the timeouts of #8, #16 and #35 are diagnostics; nothing is malformed.
        let kinds: Vec<(usize, DiagnosticKind)> = parsed
            .diagnostics
            .iter()
            .map(|d| match d.location {
                crate::atlas::InputLocation::Index(i) => (i, d.kind),
                _ => (usize::MAX, d.kind),
            })
            .collect();
        assert_eq!(
            kinds,
            [
                (8, DiagnosticKind::ProbeError),
                (16, DiagnosticKind::ProbeError),
                (35, DiagnosticKind::ProbeError)
            ]
        );
    }

    /// Sagan #10 (fw 4610, TCP to 8.8.8.8 and 8.8.4.4): no abuf, only the header counts and the
    /// query sent (`qbuf`).
    #[test]
    fn replies_without_abuf_keep_their_counts_and_question() {
        let results = dns_results(SAGAN);
        let counts_only = &results[10].responses[0];
        assert_eq!(counts_only.outcome, DnsOutcome::CountsOnly);
        assert_eq!(
            counts_only.counts,
            SectionCounts {
                id: Some(30121),
                qdcount: Some(1),
                ancount: Some(0),
                nscount: Some(1),
                arcount: Some(1)
            }
        );
        assert_eq!(counts_only.rt_ms, Some(57.764));
        let question = counts_only.question().unwrap();
        assert_eq!(question.name, "15112.1400665523.www.twitter.com.");
        assert_eq!(question.rtype, RecordType::A);
        assert!(counts_only.replied());
        assert!(counts_only.error().unwrap().contains("0 answers"));
    }

    /// Sagan #5 carries `result-rt` next to `result.rt`; a result with only the flattened key still
    /// gets its response time.
    #[test]
    fn the_old_flattened_rt_is_a_fallback() {
        let text = r#"{"type":"dns","prb_id":1,"msm_id":2,"timestamp":3,"fw":4610,"dst_addr":"192.0.2.53",
            "result-rt":12.5,"result":{"ANCOUNT":0,"QDCOUNT":0,"NSCOUNT":0,"ARCOUNT":0,"ID":1}}"#;
        let results = dns_results(text);
        assert_eq!(results[0].responses[0].rt_ms, Some(12.5));
    }

    #[test]
    fn garbage_of_the_wrong_types_is_malformed_never_a_panic() {
        for (text, reason) in [
            (
                r#"{"type":"dns","prb_id":1,"msm_id":2,"timestamp":3}"#,
                "no result",
            ),
            (
                r#"{"type":"dns","prb_id":1,"msm_id":2,"timestamp":3,"resultset":5}"#,
                "should be a list",
            ),
            (
                r#"{"type":"dns","prb_id":"x","msm_id":2,"timestamp":3,"result":{}}"#,
                "prb_id",
            ),
            (
                r#"{"type":"dns","prb_id":1,"msm_id":2,"timestamp":[],"result":{}}"#,
                "timestamp",
            ),
        ] {
            let parsed = parse_results(&format!("[{text}]"));
            assert!(parsed.results.is_empty(), "{text}");
            assert_eq!(
                parsed.diagnostics[0].kind,
                DiagnosticKind::Malformed,
                "{text}"
            );
            assert!(
                parsed.diagnostics[0].reason.contains(reason),
                "{text}: {:?}",
                parsed.diagnostics
            );
        }
        // Usable results with broken parts: each part is a diagnostic, the rest stays.
        let text = r#"[{"type":"dns","prb_id":1,"msm_id":2,"timestamp":3,"resultset":[
            7, {"dst_addr":"192.0.2.1","result":"abuf?"}, {"dst_addr":"192.0.2.2"},
            {"dst_addr":"192.0.2.3","result":{"abuf":"AAAA","rt":-1}},
            {"dst_addr":"192.0.2.4","result":{"abuf":"@@@","rt":"3.5","size":"x"}},
            {"dst_addr":"192.0.2.5","error":{"socket":"connect failed"}},
            {"dst_addr":"192.0.2.6","result":{"abuf":"m5GEAAABAAEAAAAABWFzMjUwA25ldAAAAQABwAwAAQABAAAOEAAEwpaoZA=="}}]}]"#;
        let parsed = parse_results(text);
        assert_eq!(parsed.results.len(), 1);
        let AtlasResult::Dns(result) = &parsed.results[0] else {
            panic!("not DNS")
        };
        assert_eq!(result.responses.len(), 6);
        assert_eq!(result.responses[2].rt_ms, None, "a negative rt is no time");
        assert!(matches!(
            result.responses[2].outcome,
            DnsOutcome::Undecodable { .. }
        ));
        assert_eq!(result.responses[3].rt_ms, Some(3.5));
        assert!(matches!(
            result.responses[3].outcome,
            DnsOutcome::Undecodable {
                error: crate::dns::wire::DecodeError::NotBase64
            }
        ));
        assert_eq!(
            result.responses[4].error().as_deref(),
            Some("192.0.2.5: socket: connect failed")
        );
        assert_eq!(
            result.primary().unwrap().dst_addr.as_deref(),
            Some("192.0.2.6")
        );
        let kinds: Vec<DiagnosticKind> = parsed.diagnostics.iter().map(|d| d.kind).collect();
        assert_eq!(
            kinds,
            [
                DiagnosticKind::Malformed,
                DiagnosticKind::Malformed,
                DiagnosticKind::Malformed,
                DiagnosticKind::Malformed,
                DiagnosticKind::Malformed,
                DiagnosticKind::ProbeError
            ]
        );
        let latency = result.latency();
        assert_eq!((latency.sent, latency.received), (6, 3));
    }

    /// Hostile JSON around the abufs: bytes of the recorded file changed at random (seeded, so a
    /// failure reproduces) must still give results plus diagnostics.
    #[test]
    fn mutated_result_files_never_panic() {
        let mut rng = XorShift(0x0d15_ea5e_4460_4720);
        let mut next = move || rng.next_u64();
        let original = FILES[2].1.as_bytes();
        for _ in 0..400 {
            let mut bytes = original.to_vec();
            for _ in 0..1 + next() % 8 {
                let at = (next() % bytes.len() as u64) as usize;
                let alphabet = b"{}[]\",:0123456789-eE.ntfx \n";
                bytes[at] = alphabet[(next() % alphabet.len() as u64) as usize];
            }
            let parsed = parse_results(&String::from_utf8_lossy(&bytes));
            assert!(!parsed.results.is_empty() || !parsed.diagnostics.is_empty());
        }
    }

    #[test]
    fn every_recorded_dns_file_parses_without_malformed_rows() {
        for (name, text) in FILES {
            let parsed = parse_results(text);
            let count = serde_json::from_str::<Vec<Value>>(text).unwrap().len();
            assert_eq!(parsed.results.len(), count, "{name}");
            assert!(
                parsed
                    .diagnostics
                    .iter()
                    .all(|d| d.kind == DiagnosticKind::ProbeError),
                "{name}: {:?}",
                parsed.diagnostics
            );
        }
    }

    /// msm 1071935 asks L-root for `fr. SOA`; the NSID says which instance answered each probe.
    #[test]
    fn nsid_names_the_anycast_instance() {
        let results = dns_results(FILES[3].1);
        let instances: Vec<Option<String>> = results
            .iter()
            .map(|r| {
                r.responses[0]
                    .message()
                    .and_then(|m| m.edns.clone())
                    .and_then(|e| e.nsid)
            })
            .collect();
        assert_eq!(instances[0].as_deref(), Some("ods01.l.root-servers.org"));
        assert_eq!(instances[3].as_deref(), Some("atl01.l.root-servers.org"));
        assert_eq!(results[0].responses[0].rcode(), Some(Rcode::NOERROR));
        assert!(
            results[0].responses[0].answers().is_empty(),
            "a referral: the answer is in authority"
        );
    }

    #[test]
    fn observations_split_by_question() {
        // msm 1421267 asks one question; its timeout joins it.
        let one = observations_by_question(&dns_results(FILES[4].1), &[]);
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].0.as_ref().unwrap().name, "www.ripe.net.");
        assert_eq!(one[0].1.len(), 4);
        // Sagan's samples ask many questions; what carries none (the timeouts of #8, #16 and #35,
        // and #42's NOTIMP reply, which has no question section) is a group of its own.
        let many = observations_by_question(&dns_results(SAGAN), &[]);
        assert!(many.len() > 20);
        let (question, unplaced) = many.last().unwrap();
        assert_eq!(question, &None);
        let failures: Vec<Option<FailureKind>> = unplaced.iter().map(|o| o.failure).collect();
        assert_eq!(
            failures,
            [
                Some(FailureKind::Timeout),
                Some(FailureKind::Timeout),
                Some(FailureKind::Timeout),
                None
            ]
        );
        assert_eq!(unplaced[3].rcode, Some(Rcode::NOTIMP));
        // Case does not split a question (sagan #21 asks 9.A.7.1… in upper case).
        let total: usize = many.iter().map(|(_, members)| members.len()).sum();
        assert_eq!(
            total,
            dns_results(SAGAN)
                .iter()
                .map(|r| r.responses.len())
                .sum::<usize>()
        );
    }

    /// msm 1421267 (www.ripe.net A from four probes, one timed out) as matrix observations, placed
    /// by the probe page recorded with it.
    #[test]
    fn observations_place_each_probe() {
        let results = dns_results(FILES[4].1);
        let probes = parse_probes_page(include_str!(
            "../../tests/fixtures/atlas/probes_page_msm1421267.json"
        ))
        .probes;
        let observations = observations(&results, &probes);
        assert_eq!(observations.len(), 4);
        let failed: Vec<&Observation> = observations
            .iter()
            .filter(|o| o.failure.is_some())
            .collect();
        assert_eq!(failed.len(), 1);
        assert_eq!(failed[0].failure, Some(FailureKind::Timeout));
        for observation in observations.iter().filter(|o| o.failure.is_none()) {
            assert!(
                observation.vantage.country.is_some(),
                "{:?}",
                observation.vantage
            );
            assert!(observation.vantage.latitude.is_some());
            assert!(observation.answers.iter().any(|a| a.data == "193.0.6.139"));
        }
    }

    // The answer matrix (`dns::matrix`) built from Atlas observations: these tests live here, above
    // `dns`, so that `dns` never imports `atlas` (issue 11: one-way dependencies).

    /// The DNS results of a recorded Atlas file (read at run time), for the answer matrix tests.
    fn fixture_dns_results(file: &str) -> Vec<DnsResult> {
        let text = std::fs::read_to_string(format!(
            "{}/tests/fixtures/atlas/{file}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        parse_results(&text)
            .results
            .into_iter()
            .filter_map(|r| match r {
                AtlasResult::Dns(dns) => Some(dns),
                _ => None,
            })
            .collect()
    }

    /// msm 1421267: www.ripe.net from probes in three countries, one timed out. The recorded
    /// prefix-overview (193.0.0.0/21, AS3333) covers 193.0.6.139, so it serves as its origin.
    #[test]
    fn the_same_address_everywhere_with_its_origin() {
        let probes = parse_probes_page(include_str!(
            "../../tests/fixtures/atlas/probes_page_msm1421267.json"
        ))
        .probes;
        let observations =
            observations(&fixture_dns_results("dns_latest_msm1421267.json"), &probes);
        assert_eq!(addresses_to_enrich(&observations), ["193.0.6.139"]);
        let overview = prefix_overview::parse(include_str!(
            "../../tests/fixtures/ripestat/prefix-overview.json"
        ))
        .unwrap();
        let origins = BTreeMap::from([(
            "193.0.6.139".to_string(),
            Origin::from_calls(None, Some(&overview)),
        )]);
        let matrix = build(observations, &origins);
        assert_eq!(matrix.groups.len(), 1);
        assert_eq!(matrix.groups[0].records, ["193.0.6.139"]);
        assert_eq!(matrix.groups[0].observations.len(), 3);
        assert_eq!(matrix.failures[0].reason, "timeout");
        assert_eq!(matrix.group_of.iter().filter(|g| g.is_none()).count(), 1);
        let verdict = &matrix.verdict;
        assert_eq!(verdict.kind, VerdictKind::Consistent);
        assert_eq!(
            verdict.headline,
            format!(
                "The same address from all 3 vantages in {} (one origin AS: AS3333 RIPE-NCC-AS - Reseaux IP Europeens Network Coordination Centre (RIPE NCC))",
                counted(matrix.groups[0].continents.len(), "continent")
            )
        );
        assert!(verdict.outliers.is_empty());
        assert_eq!(
            verdict.failures.as_deref(),
            Some("1 vantage failed and is counted apart: 1 timeout")
        );
        assert!(
            verdict
                .evidence
                .iter()
                .any(|line| line == "193.0.6.139 is announced in 193.0.0.0/21 by AS3333 RIPE-NCC-AS - Reseaux IP Europeens Network Coordination Centre (RIPE NCC)"),
            "{:?}",
            verdict.evidence
        );
    }

    /// ripe-atlas-tools' 1xbet.com sample: one resolver of a resultset REFUSED, the others agree
    /// (whatever the order of the two addresses), one probe timed out.
    #[test]
    fn refusals_and_timeouts_are_failures_apart() {
        let observations = observations(
            &fixture_dns_results("dns_results_ripe-atlas-tools.json"),
            &[],
        );
        let matrix = build(observations, &BTreeMap::new());
        let reasons: Vec<&str> = matrix.failures.iter().map(|f| f.reason.as_str()).collect();
        assert!(
            reasons.contains(&"REFUSED") && reasons.contains(&"timeout"),
            "{reasons:?}"
        );
        let xbet = matrix
            .groups
            .iter()
            .find(|g| g.records.contains(&"190.105.194.58".to_string()))
            .unwrap();
        assert_eq!(xbet.records, ["190.105.194.58", "190.121.210.133"]);
        assert_eq!(xbet.observations.len(), 2);
        assert!(matrix.verdict.failures.unwrap().contains("1 REFUSED"));
    }
}
