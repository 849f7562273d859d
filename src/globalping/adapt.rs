//! Globalping results in the RIPE Atlas result format, so that everything built for Atlas (the map,
//! the continent table, the hop tables, the DNS answer matrix, the inference) reads them unchanged
//! through `atlas::parse_results` and `atlas::probes::Probe`. The format written is the current
//! firmware's (API-NOTES §2): ping results with per-packet `rtt`s and `{"x":"*"}` for lost packets,
//! traceroutes with numbered hops, DNS results whose `abuf` is the reply rebuilt by `reply`.
//!
//! What does not carry over, and why:
//! - Globalping probes have no stable ids, so result *i* is probe *i + 1* of this measurement only;
//!   the same number in another measurement is not the same probe (`rerun` matches by place).
//! - Results carry no time of their own; every result gets the measurement's `createdAt`.
//! - There is no Atlas measurement: `msm_id` is [`ADAPTED_MSM_ID`] (0, which Atlas never assigns).
//! - MTR's per-hop AS numbers and jitter have no place in an Atlas traceroute.
//! - The router names the probes resolved (`resolvedHostname`, and `name (address)` in the text
//!   output) have no place in an Atlas result either: they travel beside it, in
//!   [`AtlasForm::hop_names`], and the hop tables read them like reverse-DNS answers.
//! - HTTP results are not adapted: Atlas HTTP results are not analysed here; `http` has their view.
//!
//! A traceroute's hops normally come from the structured `hops` list. When the probe's text output
//! (`rawOutput`, read by `raw`) shows more hops than that list, the hops are read from the text
//! instead: the API returns every hop, but the examples in its own documentation (the fixtures here)
//! had their `hops` lists cut to the last two by their authors, while their text output shows the
//! whole path with the routers' names. For MTR the text gives one RTT per hop, the hop's average.
//!
//! Pure: no I/O; it builds strings that `atlas` parses.

use serde_json::{Map, Value, json};

use super::measurement::{DnsAnswer, Hop, Measurement, Outcome, ProbeResult};
use super::raw::{self, RawHop, RawPacket};
use super::reply::{edns_from_dig, encode_reply};
use super::request::TestType;
use crate::atlas::probes::Probe as AtlasProbe;
use crate::dns::RecordType;

/// The `msm_id` of adapted results: no Atlas measurement has id 0.
pub const ADAPTED_MSM_ID: u64 = 0;

/// A Globalping measurement as an Atlas results body and the probes that place it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AtlasForm {
    /// A JSON array of Atlas results, for `atlas::parse_results`.
    pub results_text: String,
    /// Probe `i + 1` for result `i`.
    pub probes: Vec<AtlasProbe>,
    /// What could not be carried over (DNS records left out of a rebuilt reply), and traceroutes
    /// whose hops were read from the probe's text output, one line each.
    pub notes: Vec<String>,
    /// (address, router name) as the probes resolved them, each address once (the first probe's name
    /// when two differ), never a name equal to its address.
    pub hop_names: Vec<(String, String)>,
}

/// The Atlas probe id given to Globalping result `index`.
pub fn probe_id(index: usize) -> u64 {
    u64::try_from(index).map_or(u64::MAX, |i| i.saturating_add(1))
}

/// Unix seconds of an API time such as `2023-07-14T18:25:52.414Z` (fractions dropped).
pub fn unix_seconds(time: &str) -> Option<i64> {
    let time = time.trim();
    let whole = match time.split_once('.') {
        Some((whole, fraction))
            if fraction
                .trim_end_matches('Z')
                .bytes()
                .all(|b| b.is_ascii_digit()) =>
        {
            format!("{whole}Z")
        }
        _ => time.to_string(),
    };
    crate::atlas::api::parse_time(&whole).ok()
}

fn address_family(address: Option<&str>) -> Option<u8> {
    let address = address?
        .trim()
        .trim_start_matches('[')
        .trim_end_matches(']');
    match address.parse::<std::net::IpAddr>().ok()? {
        std::net::IpAddr::V4(_) => Some(4),
        std::net::IpAddr::V6(_) => Some(6),
    }
}

fn atlas_probe(index: usize, result: &ProbeResult) -> AtlasProbe {
    let probe = &result.probe;
    AtlasProbe {
        id: probe_id(index),
        country_code: Some(probe.country.clone()).filter(|c| !c.is_empty()),
        asn_v4: probe.asn,
        asn_v6: None,
        latitude: probe.latitude,
        longitude: probe.longitude,
        is_anchor: false,
        description: Some(probe.label()),
        status_name: None,
        prefix_v4: None,
        prefix_v6: None,
    }
}

/// The fields every adapted result has.
fn common(kind: &str, index: usize, timestamp: i64, target: &str) -> Map<String, Value> {
    let mut object = Map::new();
    object.insert("type".into(), json!(kind));
    object.insert("prb_id".into(), json!(probe_id(index)));
    object.insert("msm_id".into(), json!(ADAPTED_MSM_ID));
    object.insert("timestamp".into(), json!(timestamp));
    if !target.is_empty() {
        object.insert("dst_name".into(), json!(target));
    }
    object
}

fn put_address(object: &mut Map<String, Value>, address: Option<&str>) {
    if let Some(address) = address.filter(|a| !a.is_empty()) {
        object.insert("dst_addr".into(), json!(address));
        if let Some(af) = address_family(Some(address)) {
            object.insert("af".into(), json!(af));
        }
    }
}

fn ping(mut object: Map<String, Value>, outcome: &Outcome) -> Option<Value> {
    let Outcome::Ping {
        resolved_address,
        rtts_ms,
        sent,
        received,
        min_ms,
        avg_ms,
        max_ms,
    } = outcome
    else {
        return None;
    };
    put_address(&mut object, resolved_address.as_deref());
    let lost = usize::try_from(*sent)
        .unwrap_or(usize::MAX)
        .saturating_sub(rtts_ms.len());
    let mut packets: Vec<Value> = rtts_ms.iter().map(|rtt| json!({"rtt": rtt})).collect();
    packets.extend(std::iter::repeat_n(json!({"x": "*"}), lost.min(1024)));
    object.insert("result".into(), Value::Array(packets));
    object.insert("sent".into(), json!(sent));
    object.insert("rcvd".into(), json!(received));
    for (key, value) in [("min", min_ms), ("avg", avg_ms), ("max", max_ms)] {
        if let Some(value) = value {
            object.insert(key.into(), json!(value));
        }
    }
    Some(Value::Object(object))
}

/// The structured hops in the shape of the text output's: numbered from 1, each RTT a reply from
/// the hop's address, and an address without timings one reply without a time (the router
/// answered, but no time was recorded).
fn structured_hops(hops: &[Hop]) -> Vec<RawHop> {
    hops.iter()
        .enumerate()
        .map(|(at, hop)| {
            let mut packets: Vec<RawPacket> = match &hop.address {
                Some(from) => hop
                    .rtts_ms
                    .iter()
                    .map(|rtt| RawPacket::Reply {
                        from: from.clone(),
                        rtt_ms: Some(*rtt),
                    })
                    .collect(),
                None => Vec::new(),
            };
            if packets.is_empty()
                && let Some(from) = &hop.address
            {
                packets.push(RawPacket::Reply {
                    from: from.clone(),
                    rtt_ms: None,
                });
            }
            RawHop {
                ttl: u32::try_from(at).map_or(u32::MAX, |at| at.saturating_add(1)),
                packets,
            }
        })
        .collect()
}

/// A traceroute or MTR result as adapted: its hops, the router names its probe resolved, and notes.
struct AdaptedPath {
    hops: Vec<RawHop>,
    names: Vec<(String, String)>,
    notes: Vec<String>,
}

/// A traceroute or MTR result's hops and router names: the names from the structured list and from
/// the text output, and the hops from the text output when it shows more of them (see the module
/// documentation), with a note saying so and the lines of it that could not be read.
fn path_of(result: &ProbeResult, hops: &[Hop], label: &str) -> AdaptedPath {
    let text = match &result.outcome {
        Outcome::Mtr { .. } => raw::mtr_path(&result.raw_output),
        _ => raw::traceroute_path(&result.raw_output),
    };
    let mut names: Vec<(String, String)> = hops
        .iter()
        .filter_map(|hop| {
            let address = hop.address.as_deref()?;
            let name = raw::reported_name(address, hop.hostname.as_deref()?)?;
            Some((address.to_string(), name))
        })
        .collect();
    names.extend(text.names);
    // The real API lists every hop, so this only happens with lists trimmed by hand, as in the
    // API documentation's examples (2 of 11 traceroute hops, 2 of 7 MTR hops): the text is then the
    // better record of the path. MTR's text has one RTT per hop (its Avg column) where the list has
    // each packet's, which is why the list is kept whenever it is complete.
    if hops.len() < text.hops.len() {
        let mut notes = vec![format!(
            "{label}: {} hops read from the probe's text output (its hop list had {})",
            text.hops.len(),
            hops.len()
        )];
        notes.extend(
            text.diagnostics
                .iter()
                .map(|why| format!("{label}: text output {why}")),
        );
        AdaptedPath {
            hops: text.hops,
            names,
            notes,
        }
    } else {
        AdaptedPath {
            hops: structured_hops(hops),
            names,
            notes: Vec::new(),
        }
    }
}

/// Hops as Atlas numbers them. Globalping's structured list has only the packets that came back, so
/// each hop is padded with `{"x":"*"}` up to the most packets any hop of this result shows (every
/// hop is sent the same number), and a silent hop gets at least one.
fn traceroute(mut object: Map<String, Value>, resolved: Option<&str>, hops: &[RawHop]) -> Value {
    put_address(&mut object, resolved);
    let per_hop = hops
        .iter()
        .map(|hop| hop.packets.len())
        .max()
        .unwrap_or(0)
        .max(1);
    let numbered: Vec<Value> = hops
        .iter()
        .map(|hop| {
            let mut replies: Vec<Value> = hop
                .packets
                .iter()
                .map(|packet| match packet {
                    RawPacket::Reply {
                        from,
                        rtt_ms: Some(rtt),
                    } => json!({"from": from, "rtt": rtt}),
                    RawPacket::Reply { from, rtt_ms: None } => json!({"from": from}),
                    RawPacket::Timeout => json!({"x": "*"}),
                })
                .collect();
            let missing = per_hop.saturating_sub(replies.len());
            replies.extend(std::iter::repeat_n(json!({"x": "*"}), missing));
            json!({"hop": hop.ttl, "result": replies})
        })
        .collect();
    object.insert("result".into(), Value::Array(numbered));
    Value::Object(object)
}

struct DnsContext<'a> {
    target: &'a str,
    qtype: RecordType,
    trace: bool,
}

fn dns(
    mut object: Map<String, Value>,
    result: &ProbeResult,
    context: &DnsContext<'_>,
    notes: &mut Vec<String>,
    label: &str,
) -> Option<Value> {
    let Outcome::Dns {
        status_code,
        answers,
        total_ms,
        resolver,
        ..
    } = &result.outcome
    else {
        return None;
    };
    // "private" stands for a resolver at a private address the probe does not disclose.
    let resolver = resolver.as_deref().filter(|r| *r != "private");
    if let Some(resolver) = resolver {
        object.insert("dst_addr".into(), json!(resolver));
        if let Some(af) = address_family(Some(resolver)) {
            object.insert("af".into(), json!(af));
        }
    }
    // A trace reports no status code; its last step answered, so records there mean NOERROR. With
    // neither, nothing says what the server replied.
    let rcode = match (status_code, answers.is_empty()) {
        (Some(code), _) => *code,
        (None, false) => 0,
        (None, true) => {
            object.insert(
                "error".into(),
                json!("the DNS trace ended without an answer or a status"),
            );
            return Some(Value::Object(object));
        }
    };
    let edns = edns_from_dig(&result.raw_output);
    let answers: &[DnsAnswer] = answers;
    match encode_reply(
        context.target,
        context.qtype,
        rcode,
        answers,
        edns.as_ref(),
        context.trace,
    ) {
        Ok(reply) => {
            notes.extend(reply.skipped.iter().map(|why| format!("{label}: {why}")));
            use base64::Engine;
            let abuf = base64::engine::general_purpose::STANDARD.encode(&reply.bytes);
            let mut response = Map::new();
            if let Some(rt) = total_ms {
                response.insert("rt".into(), json!(rt));
            }
            response.insert("size".into(), json!(reply.bytes.len()));
            response.insert("abuf".into(), json!(abuf));
            response.insert("ID".into(), json!(0));
            response.insert("QDCOUNT".into(), json!(1));
            response.insert("ANCOUNT".into(), json!(reply.answer_count));
            response.insert("NSCOUNT".into(), json!(0));
            response.insert("ARCOUNT".into(), json!(reply.additional_count));
            object.insert("result".into(), Value::Object(response));
        }
        Err(why) => {
            // The question itself could not be encoded (a target that is no domain name): the
            // reply is kept as counts only, which the DNS views show as unreadable.
            notes.push(format!(
                "{label}: the DNS reply could not be rebuilt: {why}"
            ));
            let mut response = Map::new();
            if let Some(rt) = total_ms {
                response.insert("rt".into(), json!(rt));
            }
            response.insert("ANCOUNT".into(), json!(answers.len()));
            object.insert("result".into(), Value::Object(response));
        }
    }
    Some(Value::Object(object))
}

/// A failed test as the Atlas result of its type that reports a probe error: a top-level `error`
/// for ping and DNS, a `[{"error": …}]` hop list for traceroutes (both read as `ProbeError`
/// diagnostics by `atlas`).
fn failed(mut object: Map<String, Value>, kind: TestType, reason: &str) -> Option<Value> {
    match kind {
        TestType::Ping => {
            object.insert("error".into(), json!(reason));
            object.insert("sent".into(), json!(0));
            object.insert("rcvd".into(), json!(0));
            object.insert("result".into(), json!([]));
        }
        TestType::Traceroute | TestType::Mtr => {
            object.insert("result".into(), json!([{"error": reason}]));
        }
        TestType::Dns => {
            object.insert("error".into(), json!(reason));
        }
        TestType::Http => return None,
    }
    Some(Value::Object(object))
}

fn atlas_kind(kind: TestType) -> &'static str {
    match kind {
        TestType::Ping => "ping",
        TestType::Traceroute | TestType::Mtr => "traceroute",
        TestType::Dns => "dns",
        TestType::Http => "http",
    }
}

/// The type a result shows by its outcome, for measurements that do not state theirs.
fn outcome_kind(outcome: &Outcome) -> Option<TestType> {
    match outcome {
        Outcome::Ping { .. } => Some(TestType::Ping),
        Outcome::Traceroute { .. } => Some(TestType::Traceroute),
        Outcome::Mtr { .. } => Some(TestType::Mtr),
        Outcome::Dns { .. } => Some(TestType::Dns),
        Outcome::Http { .. } => Some(TestType::Http),
        Outcome::Pending | Outcome::Failed { .. } => None,
    }
}

/// The measurement in Atlas form. Results still running are left out (their probes are listed, so
/// ids stay aligned); HTTP measurements give an empty form.
pub fn atlas_form(m: &Measurement) -> AtlasForm {
    if m.test == Some(TestType::Http) {
        return AtlasForm {
            results_text: "[]".to_string(),
            ..AtlasForm::default()
        };
    }
    let timestamp = unix_seconds(&m.created_at).unwrap_or(0);
    let qtype = m
        .options
        .query_type
        .as_deref()
        .and_then(|t| t.parse::<RecordType>().ok())
        .unwrap_or(RecordType::A);
    let context = DnsContext {
        target: &m.target,
        qtype,
        trace: m.options.trace,
    };
    let mut notes = Vec::new();
    let mut hop_names: Vec<(String, String)> = Vec::new();
    let mut results = Vec::new();
    let mut probes = Vec::new();
    for (index, result) in m.results.iter().enumerate() {
        let kind = m.test.or_else(|| outcome_kind(&result.outcome));
        if kind == Some(TestType::Http) {
            continue;
        }
        probes.push(atlas_probe(index, result));
        let Some(kind) = kind else {
            if let Outcome::Failed { reason } = &result.outcome {
                notes.push(format!(
                    "probe {} ({}): failed ({reason}), and the measurement does not say its type",
                    probe_id(index),
                    result.probe.label()
                ));
            }
            continue;
        };
        let object = common(atlas_kind(kind), index, timestamp, &m.target);
        let label = format!("probe {} ({})", probe_id(index), result.probe.label());
        let value = match &result.outcome {
            Outcome::Pending => None,
            Outcome::Failed { reason } => failed(object, kind, reason),
            Outcome::Ping { .. } => ping(object, &result.outcome),
            Outcome::Traceroute {
                resolved_address,
                hops,
            }
            | Outcome::Mtr {
                resolved_address,
                hops,
            } => {
                let path = path_of(result, hops, &label);
                notes.extend(path.notes);
                for (address, name) in path.names {
                    if !hop_names.iter().any(|(known, _)| *known == address) {
                        hop_names.push((address, name));
                    }
                }
                Some(traceroute(object, resolved_address.as_deref(), &path.hops))
            }
            Outcome::Dns { .. } => dns(object, result, &context, &mut notes, &label),
            Outcome::Http { .. } => None,
        };
        results.extend(value);
    }
    AtlasForm {
        results_text: Value::Array(results).to_string(),
        probes,
        notes,
        hop_names,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::atlas::{AtlasResult, DiagnosticKind, parse_results};
    use crate::dns::Rcode;
    use crate::globalping::measurement::parse_measurement;
    use crate::globalping::measurement::tests::{
        ALL, HTTP, MTR, PING, SIMPLE_DNS, TRACE_DNS, TRACEROUTE,
    };
    use crate::test_kit::XorShift;

    fn adapted(text: &str) -> (Measurement, AtlasForm, Vec<AtlasResult>) {
        let measurement = parse_measurement(text).unwrap();
        let form = atlas_form(&measurement);
        let parsed = parse_results(&form.results_text);
        assert!(
            parsed.diagnostics.is_empty(),
            "{:?} from {}",
            parsed.diagnostics,
            form.results_text
        );
        (measurement, form, parsed.results)
    }

    /// 2023-07-14T18:25:52Z: 19552 days after 1970-01-01 (checked with Python's datetime).
    const PING_CREATED_S: i64 = 1_689_359_152;

    #[test]
    fn times_are_unix_seconds() {
        assert_eq!(
            unix_seconds("2023-07-14T18:25:52.414Z"),
            Some(PING_CREATED_S)
        );
        assert_eq!(unix_seconds("2023-07-14T18:25:52Z"), Some(PING_CREATED_S));
        assert_eq!(unix_seconds("yesterday"), None);
        assert_eq!(unix_seconds("2023-07-14T18:25:52.4x4Z"), None);
    }

    #[test]
    fn ping_becomes_an_atlas_ping() {
        let (measurement, form, results) = adapted(PING);
        let [AtlasResult::Ping(ping)] = results.as_slice() else {
            panic!("{results:?}")
        };
        assert_eq!((ping.prb_id, ping.msm_id), (1, ADAPTED_MSM_ID));
        assert_eq!(ping.timestamp, PING_CREATED_S);
        assert_eq!(ping.dst_addr.as_deref(), Some("151.101.129.229"));
        assert_eq!(ping.dst_name.as_deref(), Some("cdn.jsdelivr.net"));
        assert_eq!(ping.af, Some(4));
        assert_eq!(ping.reply_rtts_ms(), [24.2, 24.2]);
        assert_eq!((ping.sent, ping.received), (2, 2));
        assert_eq!(
            (ping.rtt_min_ms, ping.rtt_avg_ms, ping.rtt_max_ms),
            (Some(24.174), Some(24.183), Some(24.193))
        );
        assert_eq!(form.probes.len(), 1);
        let probe = &form.probes[0];
        assert_eq!(probe.id, 1);
        assert_eq!(probe.country_code.as_deref(), Some("NZ"));
        assert_eq!(probe.asn_v4, Some(61138));
        assert_eq!(
            (probe.latitude, probe.longitude),
            (Some(-36.87), Some(174.77))
        );
        assert_eq!(
            probe.description.as_deref(),
            Some(measurement.results[0].probe.label().as_str())
        );
        // The latency view places it in Oceania.
        let analysis = crate::latency::analyse(&form.results_text, &form.probes);
        assert!(analysis.unplaced_probes.is_empty());
        assert_eq!(analysis.groups[0].group.label(), "Oceania");
        assert_eq!(analysis.probes[0].rtt_min_ms, Some(24.174));
    }

    #[test]
    fn lost_packets_are_timeouts() {
        let text = PING
            .replace("\"total\": 2", "\"total\": 3")
            .replace("\"rcv\": 2", "\"rcv\": 1")
            .replace("{\n      \"ttl\": 59,\n      \"rtt\": 24.2\n     },\n", "");
        let (_, _, results) = adapted(&text);
        let [AtlasResult::Ping(ping)] = results.as_slice() else {
            panic!("{results:?}")
        };
        assert_eq!((ping.sent, ping.received), (3, 1));
        assert_eq!(ping.packets.len(), 3);
        assert_eq!(
            ping.packets
                .iter()
                .filter(|p| **p == crate::atlas::ping::PingPacket::Timeout)
                .count(),
            2
        );
    }

    /// The fixture with every result's text output replaced, so the structured hops are what counts.
    fn with_raw_output(text: &str, raw_output: &str) -> String {
        let mut json: Value = serde_json::from_str(text).unwrap();
        for result in json["results"].as_array_mut().unwrap() {
            result["result"]["rawOutput"] = json!(raw_output);
        }
        json.to_string()
    }

    /// Without a longer text output, the structured hops are adapted as listed.
    #[test]
    fn traceroute_and_mtr_become_atlas_traceroutes() {
        for (text, rtts) in [
            (TRACEROUTE, [[1.777, 1.778], [0.826, 0.733]]),
            (MTR, [[176.348, 176.416], [178.403, 178.287]]),
        ] {
            let text = with_raw_output(text, "");
            let (measurement, form, results) = adapted(&text);
            let [AtlasResult::Traceroute(trace)] = results.as_slice() else {
                panic!("{results:?}")
            };
            let hops = match &measurement.results[0].outcome {
                Outcome::Traceroute { hops, .. } | Outcome::Mtr { hops, .. } => hops.clone(),
                other => panic!("{other:?}"),
            };
            assert_eq!(trace.hops.len(), hops.len());
            for (at, (atlas_hop, hop)) in trace.hops.iter().zip(&hops).enumerate() {
                assert_eq!(atlas_hop.ttl as usize, at + 1);
                assert_eq!(
                    atlas_hop.addresses(),
                    hop.address.iter().cloned().collect::<Vec<_>>()
                );
                assert_eq!(atlas_hop.rtts_ms(), rtts[at]);
            }
            assert!(trace.destination_responded(), "{text}");
            assert_eq!(trace.latency().rtt_min_ms, crate::stats::min(&rtts[1]));
            // These hops' `resolvedHostname` is their address: no names.
            assert!(form.hop_names.is_empty(), "{:?}", form.hop_names);
            assert!(form.notes.is_empty(), "{:?}", form.notes);
        }
    }

    /// The documentation's traceroute example lists 2 of its 11 hops; its text output has them all,
    /// with the two names the probe resolved.
    #[test]
    fn the_whole_traceroute_comes_from_the_text_output() {
        let (_, form, results) = adapted(TRACEROUTE);
        let [AtlasResult::Traceroute(trace)] = results.as_slice() else {
            panic!("{results:?}")
        };
        assert_eq!(trace.hops.len(), 11);
        assert_eq!(
            trace.hops.iter().map(|h| h.ttl).collect::<Vec<_>>(),
            (1..=11).collect::<Vec<_>>()
        );
        assert_eq!(trace.hops[7].addresses(), ["103.5.14.220"]);
        assert_eq!(trace.hops[7].rtts_ms(), [1.105, 1.160]);
        assert!(trace.destination_responded());
        assert_eq!(trace.latency().rtt_min_ms, Some(0.733));
        assert!(form.hop_names.contains(&(
            "103.5.14.220".to_string(),
            "syd-sy2-bb1-a9.au.asia".to_string()
        )));
        assert!(form.hop_names.contains(&(
            "218.100.52.11".to_string(),
            "as13335.nsw.ix.asn.au".to_string()
        )));
        assert!(form.hop_names.iter().all(|(address, name)| address != name));
        assert_eq!(
            form.notes,
            [
                "probe 1 (Sydney, AU, AS16276 OVH SAS): 11 hops read from the probe's text output (its hop list had 2)"
            ]
        );
    }

    /// The MTR example: 7 hops of one RTT each, the report's Avg column.
    #[test]
    fn the_whole_mtr_comes_from_the_report() {
        let (_, form, results) = adapted(MTR);
        let [AtlasResult::Traceroute(trace)] = results.as_slice() else {
            panic!("{results:?}")
        };
        let rtts: Vec<Vec<f64>> = trace.hops.iter().map(|h| h.rtts_ms()).collect();
        assert_eq!(
            rtts,
            [
                vec![0.5],
                vec![0.3],
                vec![0.4],
                vec![1.1],
                vec![177.0],
                vec![176.4],
                vec![178.3]
            ]
        );
        assert_eq!(trace.hops[4].addresses(), ["154.54.40.93"]);
        assert!(trace.destination_responded());
        assert_eq!(
            form.hop_names,
            [(
                "154.54.40.93".to_string(),
                "be2385.ccr21.lon01.atlas.cogentco.com".to_string()
            )]
        );
    }

    /// A name in the structured list counts too; a probe reporting another name for an address
    /// already named does not replace it, and a list at least as long as the text is kept.
    #[test]
    fn structured_names_come_first_and_each_address_once() {
        let text = with_raw_output(
            &TRACEROUTE.replace(
                "\"resolvedHostname\": \"172.68.208.3\"",
                "\"resolvedHostname\": \"edge1.syd.example.net\"",
            ),
            " 1  other.example.net (172.68.208.3)  1.7 ms  1.8 ms\n 2  104.16.85.20 (104.16.85.20)  0.8 ms  0.7 ms",
        );
        let (_, form, results) = adapted(&text);
        assert_eq!(
            form.hop_names,
            [(
                "172.68.208.3".to_string(),
                "edge1.syd.example.net".to_string()
            )]
        );
        let AtlasResult::Traceroute(trace) = &results[0] else {
            panic!()
        };
        assert_eq!(
            trace.hops[0].rtts_ms(),
            [1.777, 1.778],
            "the structured hops are kept"
        );
    }

    #[test]
    fn silent_hops_are_padded_with_timeouts() {
        let text = TRACEROUTE.replace(
            "\"resolvedHostname\": \"172.68.208.3\",\n      \"resolvedAddress\": \"172.68.208.3\",\n      \"timings\": [\n       {\n        \"rtt\": 1.777\n       },\n       {\n        \"rtt\": 1.778\n       }\n      ]",
            "\"resolvedHostname\": null, \"resolvedAddress\": null, \"timings\": []",
        );
        assert_ne!(text, TRACEROUTE);
        let (_, _, results) = adapted(&with_raw_output(&text, ""));
        let [AtlasResult::Traceroute(trace)] = results.as_slice() else {
            panic!("{results:?}")
        };
        assert_eq!(
            trace.hops[0].entries,
            [
                crate::atlas::traceroute::HopEntry::Timeout,
                crate::atlas::traceroute::HopEntry::Timeout
            ]
        );
        assert!(trace.destination_responded());
    }

    #[test]
    fn dns_answers_reach_the_answer_matrix() {
        let (measurement, form, results) = adapted(SIMPLE_DNS);
        assert!(form.notes.is_empty(), "{:?}", form.notes);
        let [AtlasResult::Dns(dns)] = results.as_slice() else {
            panic!("{results:?}")
        };
        let response = &dns.responses[0];
        assert_eq!(response.dst_addr.as_deref(), Some("8.8.8.8"));
        assert_eq!(response.rt_ms, Some(99.0));
        let message = response.message().unwrap();
        assert_eq!(message.rcode, Rcode::NOERROR);
        assert_eq!(message.questions[0].name, "cdn.jsdelivr.net.");
        assert_eq!(message.questions[0].rtype, RecordType::A);
        assert_eq!(
            message.edns.as_ref().and_then(|e| e.nsid.as_deref()),
            Some("gpdns-syd")
        );
        let Outcome::Dns { answers, .. } = &measurement.results[0].outcome else {
            panic!()
        };
        let ours: Vec<(String, String, String, u32)> = message
            .answers
            .iter()
            .map(|a| (a.name.clone(), a.rtype.to_string(), a.data.clone(), a.ttl))
            .collect();
        let theirs: Vec<(String, String, String, u32)> = answers
            .iter()
            .map(|a| {
                (
                    a.name.clone(),
                    a.rtype.clone(),
                    a.value.clone(),
                    a.ttl.unwrap(),
                )
            })
            .collect();
        assert_eq!(ours, theirs);
        // The Atlas DNS view (`notebook::dns::atlas_matrices`) groups by question, then builds.
        let groups =
            crate::atlas::dns::observations_by_question(std::slice::from_ref(dns), &form.probes);
        assert_eq!(groups.len(), 1);
        assert_eq!(
            crate::dns::matrix::question_text(groups[0].0.as_ref()),
            "cdn.jsdelivr.net. A"
        );
        let matrix =
            crate::dns::matrix::build(groups[0].1.clone(), &std::collections::BTreeMap::new());
        assert_eq!(matrix.groups.len(), 1, "{matrix:?}");
        let observations = crate::atlas::dns::observations(std::slice::from_ref(dns), &form.probes);
        assert_eq!(observations[0].vantage.country.as_deref(), Some("AU"));
        assert_eq!(observations[0].nsid.as_deref(), Some("gpdns-syd"));
        let addresses: Vec<&str> = observations[0]
            .answers
            .iter()
            .filter(|a| a.rtype == RecordType::A)
            .map(|a| a.data.as_str())
            .collect();
        assert_eq!(
            addresses,
            [
                "151.101.1.229",
                "151.101.65.229",
                "151.101.129.229",
                "151.101.193.229"
            ]
        );
    }

    #[test]
    fn a_dns_trace_gives_its_last_answer() {
        let (_, form, results) = adapted(TRACE_DNS);
        let [AtlasResult::Dns(dns)] = results.as_slice() else {
            panic!("{results:?}")
        };
        let response = &dns.responses[0];
        assert_eq!(response.dst_addr.as_deref(), Some("ns1.gcorelabs.net"));
        let message = response.message().unwrap();
        assert!(message.flags.aa);
        assert_eq!(message.answers.len(), 1);
        assert_eq!(message.answers[0].data, "jsdelivr.map.fastly.net.");
        assert!(form.notes.is_empty());
    }

    #[test]
    fn http_is_not_adapted() {
        let (_, form, results) = adapted(HTTP);
        assert!(results.is_empty());
        assert!(form.probes.is_empty());
        assert_eq!(form.results_text, "[]");
    }

    /// Failures become probe errors of their type, never malformed records; running results are
    /// left out but keep their probe, so ids stay aligned.
    #[test]
    fn failures_are_probe_errors() {
        for kind in ["ping", "traceroute", "mtr", "dns"] {
            let text = format!(
                r#"{{"id":"x","type":"{kind}","status":"in-progress","createdAt":"2023-07-14T18:25:52.414Z","target":"example.com","results":[
                {{"probe":{{"country":"DE"}},"result":{{"status":"in-progress","rawOutput":""}}}},
                {{"probe":{{"country":"FR"}},"result":{{"status":"failed","rawOutput":"connect: Network is unreachable"}}}},
                {{"probe":{{"country":"US"}},"result":{{"status":"offline","rawOutput":""}}}}]}}"#
            );
            let measurement = parse_measurement(&text).unwrap();
            let form = atlas_form(&measurement);
            assert_eq!(
                form.probes.iter().map(|p| p.id).collect::<Vec<_>>(),
                [1, 2, 3]
            );
            let parsed = parse_results(&form.results_text);
            assert_eq!(parsed.results.len(), 2, "{kind}");
            assert_eq!(
                parsed
                    .results
                    .iter()
                    .map(AtlasResult::prb_id)
                    .collect::<Vec<_>>(),
                [2, 3]
            );
            let kinds: Vec<DiagnosticKind> = parsed.diagnostics.iter().map(|d| d.kind).collect();
            assert_eq!(
                kinds,
                [DiagnosticKind::ProbeError; 2],
                "{kind}: {:?}",
                parsed.diagnostics
            );
            assert!(
                parsed.diagnostics[0]
                    .reason
                    .contains("Network is unreachable")
            );
            assert!(parsed.diagnostics[1].reason.contains("offline"));
        }
    }

    /// The 2023 trace example's earlier steps are not adapted, but a simple query can return what
    /// Globalping mangled there; such records are left out with a note instead of guessed.
    #[test]
    fn unreadable_records_are_noted() {
        let text = SIMPLE_DNS.replace("\"value\": \"151.101.65.229\"", "\"value\": \"8BD973EE\"");
        let measurement = parse_measurement(&text).unwrap();
        let form = atlas_form(&measurement);
        assert_eq!(form.notes.len(), 1);
        assert!(
            form.notes[0].starts_with("probe 1 (Sydney, AU, AS202422 G-Core Labs S.A.): A record")
        );
        let parsed = parse_results(&form.results_text);
        assert!(parsed.diagnostics.is_empty());
        let AtlasResult::Dns(dns) = &parsed.results[0] else {
            panic!()
        };
        assert_eq!(dns.responses[0].answers().len(), 4);
    }

    #[test]
    fn a_dns_query_type_from_the_options_is_the_question() {
        let text = SIMPLE_DNS.replace(
            "\"probesCount\": 1,",
            "\"probesCount\": 1, \"measurementOptions\": {\"query\": {\"type\": \"AAAA\"}},",
        );
        let (_, _, results) = adapted(&text);
        let AtlasResult::Dns(dns) = &results[0] else {
            panic!()
        };
        assert_eq!(dns.responses[0].question().unwrap().rtype, RecordType::AAAA);
    }

    /// Hostile measurements (every fixture cut short, and mutated) still give Atlas text that parses
    /// without a malformed record.
    #[test]
    fn adapted_text_is_always_well_formed() {
        let mut rng = XorShift(0x0ada_97ed_0000_0001);
        let mut next = move || rng.next_u64();
        let alphabet = b"{}[]\",:0123456789-.ntfx \n";
        for (name, text) in ALL {
            let mut inputs: Vec<String> = (0..text.len())
                .step_by(97)
                .filter_map(|end| text.get(..end).map(str::to_string))
                .collect();
            for _ in 0..60 {
                let mut bytes = text.as_bytes().to_vec();
                for _ in 0..1 + next() % 4 {
                    let at = (next() % bytes.len() as u64) as usize;
                    bytes[at] = alphabet[(next() % alphabet.len() as u64) as usize];
                }
                inputs.push(String::from_utf8_lossy(&bytes).into_owned());
            }
            for input in inputs {
                let Ok(measurement) = parse_measurement(&input) else {
                    continue;
                };
                let form = atlas_form(&measurement);
                let parsed = parse_results(&form.results_text);
                assert!(
                    parsed
                        .diagnostics
                        .iter()
                        .all(|d| d.kind != DiagnosticKind::Malformed),
                    "{name}: {:?}\n{}",
                    parsed.diagnostics,
                    form.results_text
                );
            }
        }
    }
}
