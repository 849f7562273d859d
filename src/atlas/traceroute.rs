//! Atlas traceroute results, complete: hops with replies (address, RTT, size, TTL, quoted TTL, ICMP
//! error codes, quoted destination, late and duplicate flags, MTU, ICMP extensions with MPLS labels),
//! `{"x":"*"}` timeouts, hop-level errors, the hop-255 "gave up" sentinel, and results whose target name
//! did not resolve. Summary semantics follow ripe-atlas-sagan 2.0.1 (`ripe/atlas/sagan/traceroute.py`):
//! a late reply (`"late": n`, the answer to a packet sent n packets earlier, often with another TTL)
//! belongs to no hop (`Hop.__init__` drops it); a hop's median is over its other replies' RTTs,
//! duplicates included, the mean of the two middle ones for an even count (`base.py`
//! `Result.calculate_median`); the destination responded when an on-time reply in the *last* hop came
//! from the destination address (`set_destination_ip_responded`); the last median RTT is that of the
//! last hop that has RTTs; `total_hops` counts the entries of `result`, an error-only entry included
//! (`_parse_hops`). `.ci/sagan-oracle.py` checks all of it against Sagan on every fixture.
//! Owns only parsing; router names and hints are later layers.

use serde_json::Value;

use super::LatencySample;
use super::wire::{self, Object};

/// The hop number Atlas writes when a traceroute gives up before reaching `max_hops`.
pub const GAVE_UP_HOP: u32 = 255;

#[derive(Debug, Clone, PartialEq)]
pub struct MplsLabel {
    pub label: u32,
    pub exp: Option<u32>,
    pub bottom_of_stack: bool,
    pub ttl: Option<u32>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    /// The router or host that answered.
    pub from: Option<String>,
    /// Absent for late replies in most firmware.
    pub rtt_ms: Option<f64>,
    pub size: Option<u32>,
    pub ttl: Option<u32>,
    /// TTL of the probe packet quoted inside the ICMP error.
    pub quoted_ttl: Option<u32>,
    /// ICMP unreachable code: "H" host, "N" net, "A" administratively prohibited, "P" protocol,
    /// "p" port, or a number.
    pub icmp_error: Option<String>,
    /// The destination quoted in the ICMP error when it differs from the target.
    pub quoted_destination: Option<String>,
    /// The reply arrived after its slot (`late: n` packets late).
    pub late: bool,
    pub duplicate: bool,
    /// Packet-too-big MTU.
    pub mtu: Option<u32>,
    pub mpls: Vec<MplsLabel>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum HopEntry {
    Reply(Reply),
    /// `{"x": "*"}`: nothing came back for this packet.
    Timeout,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Hop {
    /// The hop number (the TTL the packets were sent with), or 255 for the give-up sentinel.
    pub ttl: u32,
    pub entries: Vec<HopEntry>,
    /// A hop-level error such as "connect failed: Network is unreachable".
    pub error: Option<String>,
}

impl Hop {
    pub fn replies(&self) -> impl Iterator<Item = &Reply> {
        self.entries.iter().filter_map(|entry| match entry {
            HopEntry::Reply(reply) => Some(reply),
            HopEntry::Timeout => None,
        })
    }

    /// The replies to this hop's own packets: every reply but the late ones, which answer a packet
    /// sent earlier (Sagan's `Hop` drops them; a home router answering during hop 13 is not hop 13).
    pub fn on_time_replies(&self) -> impl Iterator<Item = &Reply> {
        self.replies().filter(|reply| !reply.late)
    }

    /// RTTs of the on-time replies, duplicates included: the samples Sagan's `Hop.median_rtt` is
    /// taken over.
    pub fn rtts_ms(&self) -> Vec<f64> {
        self.on_time_replies()
            .filter_map(|reply| reply.rtt_ms)
            .collect()
    }

    /// The median of `rtts_ms`, the mean of the two middle ones for an even count (Sagan's
    /// `Result.calculate_median`).
    pub fn rtt_median_ms(&self) -> Option<f64> {
        crate::stats::median(&self.rtts_ms())
    }

    /// The distinct addresses that answered on time, in order of first reply.
    pub fn addresses(&self) -> Vec<String> {
        let mut seen: Vec<String> = Vec::new();
        for address in self
            .on_time_replies()
            .filter_map(|reply| reply.from.clone())
        {
            if !address.is_empty() && !seen.contains(&address) {
                seen.push(address);
            }
        }
        seen
    }

    pub fn is_gave_up_sentinel(&self) -> bool {
        self.ttl == GAVE_UP_HOP
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct TracerouteResult {
    pub prb_id: u64,
    pub msm_id: u64,
    pub timestamp: i64,
    pub end_time: Option<i64>,
    pub firmware: u32,
    pub af: Option<u8>,
    pub protocol: Option<String>,
    pub paris_id: Option<u32>,
    pub size: Option<u32>,
    pub dst_addr: Option<String>,
    pub dst_name: Option<String>,
    pub src_addr: Option<String>,
    pub from: Option<String>,
    pub hops: Vec<Hop>,
    /// The entries of `result` as Atlas wrote them: the hops plus any entry holding only an error.
    pub result_entries: usize,
    /// The traceroute failed as a whole (e.g. "name resolution failed: …").
    pub error: Option<String>,
}

impl TracerouteResult {
    /// Sagan's `total_hops`: every entry of `result`, so `[{"error": "name resolution failed…"}]`
    /// is one hop (without a hop number, hence not in `hops`).
    pub fn total_hops(&self) -> usize {
        self.result_entries
    }

    pub fn last_hop(&self) -> Option<&Hop> {
        self.hops.last()
    }

    /// On-time replies in the last hop that came from the destination address. A late reply from
    /// the destination answers an earlier packet, so it does not show that this hop reached it.
    fn destination_replies(&self) -> Vec<&Reply> {
        let (Some(destination), Some(last)) = (self.dst_addr.as_deref(), self.last_hop()) else {
            return Vec::new();
        };
        last.on_time_replies()
            .filter(|reply| reply.from.as_deref() == Some(destination))
            .collect()
    }

    pub fn destination_responded(&self) -> bool {
        !self.destination_replies().is_empty()
    }

    pub fn last_hop_responded(&self) -> bool {
        self.last_hop()
            .is_some_and(|hop| hop.replies().any(|reply| reply.rtt_ms.is_some()))
    }

    /// The median RTT of the last hop that has any RTT (sagan's `last_median_rtt`).
    pub fn last_rtt_median_ms(&self) -> Option<f64> {
        self.hops.iter().rev().find_map(Hop::rtt_median_ms)
    }

    /// Latency to the target: the RTTs of the destination's own replies in the last hop. Routers
    /// on the way answer from elsewhere and say nothing about the distance to the target. Like a
    /// ping's (Sagan's `PingResult._set_rtt_median`), these figures leave duplicates out.
    pub fn latency(&self) -> LatencySample {
        let rtts: Vec<f64> = self
            .destination_replies()
            .iter()
            .filter(|reply| !reply.duplicate)
            .filter_map(|reply| reply.rtt_ms)
            .collect();
        let sent = self.last_hop().map_or(0, |hop| {
            hop.entries
                .iter()
                .filter(|e| !matches!(e, HopEntry::Reply(r) if r.late || r.duplicate))
                .count()
        });
        LatencySample {
            prb_id: self.prb_id,
            sent: u32::try_from(sent).unwrap_or(u32::MAX),
            received: u32::try_from(rtts.len()).unwrap_or(u32::MAX),
            rtt_min_ms: crate::stats::min(&rtts),
            rtt_median_ms: crate::stats::median(&rtts),
            rtt_avg_ms: crate::stats::mean(&rtts),
            rtt_max_ms: crate::stats::max(&rtts),
        }
    }
}

fn mpls_labels(reply: &Object) -> Vec<MplsLabel> {
    let Some(objects) = reply
        .get("icmpext")
        .and_then(Value::as_object)
        .and_then(|ext| ext.get("obj"))
        .and_then(Value::as_array)
    else {
        return Vec::new();
    };
    objects
        .iter()
        .filter_map(|object| object.get("mpls")?.as_array())
        .flatten()
        .filter_map(|label| {
            let label = label.as_object()?;
            Some(MplsLabel {
                label: wire::small(label, "label")?,
                exp: wire::small(label, "exp"),
                bottom_of_stack: wire::flag(label, "s"),
                ttl: wire::small(label, "ttl"),
            })
        })
        .collect()
}

fn entry(value: &Value) -> Result<HopEntry, String> {
    let object = value
        .as_object()
        .ok_or_else(|| format!("a hop reply is not an object: {value}"))?;
    if object.contains_key("x") && !object.contains_key("from") {
        return Ok(HopEntry::Timeout);
    }
    Ok(HopEntry::Reply(Reply {
        from: wire::text(object, "from"),
        rtt_ms: wire::float(object, "rtt").filter(|rtt| *rtt >= 0.0),
        size: wire::small(object, "size"),
        ttl: wire::small(object, "ttl"),
        quoted_ttl: wire::small(object, "ittl"),
        icmp_error: object
            .get("err")
            .filter(|v| !v.is_null())
            .map(wire::describe),
        quoted_destination: wire::text(object, "edst"),
        late: wire::flag(object, "late"),
        duplicate: wire::flag(object, "dup"),
        mtu: wire::small(object, "mtu"),
        mpls: mpls_labels(object),
    }))
}

/// Parses one traceroute result; the error is why it is malformed, the list the failures the probe
/// reported.
pub(crate) fn parse(object: &Object) -> Result<(TracerouteResult, Vec<String>), String> {
    let prb_id = wire::unsigned(object, "prb_id").ok_or("the result has no valid prb_id")?;
    let msm_id = wire::unsigned(object, "msm_id").ok_or("the result has no valid msm_id")?;
    let timestamp = wire::signed(object, "timestamp").ok_or("the result has no valid timestamp")?;
    let firmware = wire::small(object, "fw").unwrap_or(0);
    let items = match object.get("result") {
        Some(Value::Array(items)) => items,
        Some(Value::String(_)) => {
            return Err("old firmware text traceroutes are not supported".to_string());
        }
        _ => return Err("the traceroute has no list of hops".to_string()),
    };
    let mut hops = Vec::new();
    let mut error = None;
    let mut probe_errors = Vec::new();
    for item in items {
        let hop = item
            .as_object()
            .ok_or_else(|| format!("a hop is not an object: {item}"))?;
        let Some(ttl) = wire::small(hop, "hop") else {
            // `[{"error": "name resolution failed: …"}]`: the traceroute never started.
            if let Some(message) = hop.get("error") {
                let message = wire::describe(message);
                probe_errors.push(message.clone());
                error = Some(message);
                continue;
            }
            return Err("a hop has no hop number".to_string());
        };
        let hop_error = hop
            .get("error")
            .filter(|v| !v.is_null())
            .map(wire::describe);
        if let Some(message) = &hop_error {
            probe_errors.push(format!("hop {ttl}: {message}"));
        }
        let entries = match hop.get("result") {
            Some(Value::Array(replies)) => {
                replies.iter().map(entry).collect::<Result<Vec<_>, _>>()?
            }
            None | Some(Value::Null) => Vec::new(),
            Some(other) => return Err(format!("hop {ttl}'s replies are not a list: {other}")),
        };
        hops.push(Hop {
            ttl,
            entries,
            error: hop_error,
        });
    }
    let dst_addr = wire::text(object, "dst_addr").or_else(|| wire::text(object, "addr"));
    let result = TracerouteResult {
        prb_id,
        msm_id,
        timestamp,
        end_time: wire::signed(object, "endtime"),
        firmware,
        af: wire::small(object, "af")
            .or_else(|| wire::small(object, "pf"))
            .and_then(|af| u8::try_from(af).ok())
            .or_else(|| {
                dst_addr
                    .as_deref()
                    .map(|a| if a.contains(':') { 6 } else { 4 })
            }),
        protocol: wire::text(object, "proto"),
        paris_id: wire::small(object, "paris_id").or_else(|| wire::small(object, "paris-id")),
        size: wire::small(object, "size"),
        dst_addr,
        dst_name: wire::text(object, "dst_name").or_else(|| wire::text(object, "name")),
        src_addr: wire::text(object, "src_addr").or_else(|| wire::text(object, "srcaddr")),
        from: wire::text(object, "from"),
        hops,
        result_entries: items.len(),
        error,
    };
    Ok((result, probe_errors))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::atlas::{DiagnosticKind, parse_results};

    fn traces(text: &str) -> Vec<TracerouteResult> {
        crate::atlas::traceroutes(text)
    }

    const MSM_1033154: &str =
        include_str!("../../tests/fixtures/atlas/traceroute_latest_msm1033154.json");

    /// Figures computed independently from the fixture with Python: 87 results; 39 have a reply from
    /// 91.198.174.225 in their last hop; the fastest is probe 3161 at 2.399 ms.
    #[test]
    fn msm_1033154_destination_replies() {
        let all = traces(MSM_1033154);
        assert_eq!(all.len(), 87);
        assert_eq!(all.iter().filter(|t| t.destination_responded()).count(), 39);
        let fastest = all
            .iter()
            .filter_map(|t| t.latency().rtt_min_ms.map(|rtt| (t.prb_id, rtt)))
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .unwrap();
        assert_eq!(fastest, (3161, 2.399));
        let unresolved: Vec<_> = all.iter().filter(|t| t.error.is_some()).collect();
        assert!(!unresolved.is_empty());
        assert!(
            unresolved
                .iter()
                .all(|t| t.hops.is_empty() && !t.destination_responded())
        );
        assert!(
            all.iter()
                .any(|t| t.last_hop().is_some_and(Hop::is_gave_up_sentinel))
        );
    }

    #[test]
    fn every_real_traceroute_fixture_parses_without_malformed_rows() {
        for text in [
            MSM_1033154,
            include_str!("../../tests/fixtures/atlas/traceroute_latest_msm3082698.json"),
            include_str!("../../tests/fixtures/atlas/traceroute_results_sagan.json"),
            include_str!("../../tests/fixtures/atlas/traceroute_results_reticle.json"),
            include_str!("../../tests/fixtures/atlas/traceroute_results_ripe-atlas-tools.json"),
            include_str!("../../tests/fixtures/atlas/traceroute_icmpext_mpls_tracemon.json"),
        ] {
            let parsed = parse_results(text);
            assert!(!parsed.results.is_empty());
            assert!(
                parsed
                    .diagnostics
                    .iter()
                    .all(|d| d.kind != DiagnosticKind::Malformed),
                "{:?}",
                parsed.diagnostics
            );
        }
    }

    #[test]
    fn mpls_labels_and_the_sentinel_are_read() {
        let all = traces(include_str!(
            "../../tests/fixtures/atlas/traceroute_icmpext_mpls_tracemon.json"
        ));
        let trace = &all[0];
        let labels: Vec<&MplsLabel> = trace
            .hops
            .iter()
            .flat_map(|h| h.replies())
            .flat_map(|r| &r.mpls)
            .collect();
        assert!(!labels.is_empty());
        assert!(labels.iter().any(|l| l.bottom_of_stack));
        assert!(trace.last_hop().is_some_and(Hop::is_gave_up_sentinel));
        assert!(!trace.destination_responded());
    }

    #[test]
    fn sagan_edge_cases() {
        let all = traces(include_str!(
            "../../tests/fixtures/atlas/traceroute_results_sagan.json"
        ));
        // #12: hop-level "connect failed", no `from`.
        assert!(all[12].hops.iter().any(|h| {
            h.error
                .as_deref()
                .is_some_and(|e| e.contains("connect failed"))
        }));
        // #18: late packets carry no RTT and are left out of the medians.
        assert!(all[18].hops.iter().flat_map(Hop::replies).any(|r| r.late));
        // #20: the name did not resolve.
        assert!(all[20].dst_addr.is_none());
        assert!(
            all[20]
                .error
                .as_deref()
                .is_some_and(|e| e.contains("name resolution"))
        );
        // Every hop median lies between its hop's smallest and largest RTT (for an even count it is
        // the mean of the two middle ones, not necessarily a sample).
        for trace in &all {
            for hop in &trace.hops {
                if let Some(median) = hop.rtt_median_ms() {
                    let rtts = hop.rtts_ms();
                    let (min, max) = (crate::stats::min(&rtts), crate::stats::max(&rtts));
                    assert!(min <= Some(median) && Some(median) <= max, "{hop:?}");
                }
            }
        }
    }

    const MSM_3082698: &str =
        include_str!("../../tests/fixtures/atlas/traceroute_latest_msm3082698.json");

    fn probe(text: &str, prb_id: u64) -> TracerouteResult {
        traces(text)
            .into_iter()
            .find(|t| t.prb_id == prb_id)
            .unwrap()
    }

    /// Regression (issue 12): a hop with two RTTs (4.014 and 713.668 ms, probe 738 of msm 3082698)
    /// had the lower one as its median; Sagan 2.0.1 gives their mean, 358.841.
    #[test]
    fn even_count_hop_median_is_the_mean_of_the_two_middle_replies() {
        let trace = probe(MSM_3082698, 738);
        let hop = &trace.hops[0];
        assert_eq!(hop.rtts_ms(), [4.014, 713.668]);
        assert!((hop.rtt_median_ms().unwrap() - 358.841).abs() < 1e-9);
    }

    /// Regression (issue 12): duplicate replies were left out of the hop median; Sagan's `Hop`
    /// counts them. Probe 738's hop 2: 1.685, 14.553, 2.394 and duplicates 8.12 and 40.13, median
    /// 8.12 in Sagan 2.0.1 (2.394 without the duplicates).
    #[test]
    fn hop_median_includes_duplicate_replies() {
        let trace = probe(MSM_3082698, 738);
        let hop = &trace.hops[1];
        assert_eq!(hop.replies().filter(|r| r.duplicate).count(), 2);
        assert_eq!(hop.rtt_median_ms(), Some(8.12));
    }

    /// Regression (issue 12): `[{"error": "name resolution failed…"}]` counted 0 hops; Sagan's
    /// `total_hops` is 1 (every entry of `result`). Sagan's test result #20 and probe 3564 of
    /// msm 1033154.
    #[test]
    fn error_only_traceroute_counts_one_hop() {
        let sagan = traces(include_str!(
            "../../tests/fixtures/atlas/traceroute_results_sagan.json"
        ));
        for trace in [&sagan[20], &probe(MSM_1033154, 3564)] {
            assert!(trace.error.is_some() && trace.hops.is_empty());
            assert_eq!(trace.total_hops(), 1);
        }
    }

    /// Regression (issue 12): late replies from the destination (Sagan's test result #18, probe
    /// 10834: three `"late"` replies from 78.46.48.134 in hop 255) made the destination "respond";
    /// Sagan drops late replies from their hop, so it did not, and the hop has no address.
    #[test]
    fn late_destination_replies_do_not_mean_the_destination_responded() {
        let sagan = traces(include_str!(
            "../../tests/fixtures/atlas/traceroute_results_sagan.json"
        ));
        let trace = &sagan[18];
        let last = trace.last_hop().unwrap();
        assert!(last.replies().all(|r| r.late && r.from == trace.dst_addr));
        assert!(!trace.destination_responded());
        assert!(last.addresses().is_empty());
    }

    /// Regression (issue 12): a late reply is the answer to an earlier packet. Probe 11106 of
    /// msm 1033154 got three late replies from its home router 192.168.178.1 during hop 13, whose
    /// only on-time reply came from 83.169.169.198 (Sagan's `ip_path` for that hop).
    #[test]
    fn late_replies_are_not_hop_addresses() {
        let trace = probe(MSM_1033154, 11106);
        let hop = trace.hops.iter().find(|h| h.ttl == 13).unwrap();
        assert!(hop.replies().any(|r| r.late));
        assert_eq!(hop.addresses(), ["83.169.169.198"]);
    }

    #[test]
    fn hostile_hops_are_malformed_not_panics() {
        for text in [
            r#"[{"type":"traceroute","prb_id":1,"msm_id":1,"timestamp":1,"result":[{"hop":1,"result":"x"}]}]"#,
            r#"[{"type":"traceroute","prb_id":1,"msm_id":1,"timestamp":1,"result":[7]}]"#,
            r#"[{"type":"traceroute","prb_id":1,"msm_id":1,"timestamp":1,"result":[{"hop":-1}]}]"#,
            r#"[{"type":"traceroute","prb_id":1,"msm_id":1,"timestamp":1}]"#,
        ] {
            let parsed = parse_results(text);
            assert!(parsed.results.is_empty(), "{text}");
            assert_eq!(
                parsed.diagnostics[0].kind,
                DiagnosticKind::Malformed,
                "{text}"
            );
        }
    }
}
