//! Atlas ping results of every firmware generation, with the semantics of RIPE's reference parser
//! ripe-atlas-sagan (`ripe/atlas/sagan/ping.py`):
//! - `rtt_min`/`rtt_avg`/`rtt_max` come from the probe's own `min`/`avg`/`max`; an `avg` below zero
//!   (the `-1` sentinel when nothing came back) means all three are absent.
//! - the median is taken over the per-packet RTTs, excluding duplicate replies (`_set_rtt_median`), and
//!   for an even count is the mean of the two middle samples, as Sagan's `Result.calculate_median`
//!   (`ripe/atlas/sagan/base.py`) computes it: `crate::stats::median`.
//! - firmware before 4460 names the target `addr`/`name` and the family `pf`; firmware 0 writes
//!   numbers as strings.
//!
//! Owns only parsing; statistics across probes live in `latency`.

use super::LatencySample;
use super::wire::{self, Object};

/// One packet of a ping.
#[derive(Debug, Clone, PartialEq)]
pub enum PingPacket {
    Reply {
        rtt_ms: f64,
        ttl: Option<u32>,
        duplicate: bool,
    },
    /// `{"x": "*"}`: no reply within the timeout.
    Timeout,
    /// `{"error": "…"}`: the probe could not send or receive.
    Error(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct PingResult {
    pub prb_id: u64,
    pub msm_id: u64,
    pub timestamp: i64,
    pub firmware: u32,
    pub af: Option<u8>,
    pub dst_addr: Option<String>,
    pub dst_name: Option<String>,
    pub src_addr: Option<String>,
    pub from: Option<String>,
    pub sent: u32,
    pub received: u32,
    pub duplicates: u32,
    pub packets: Vec<PingPacket>,
    pub rtt_min_ms: Option<f64>,
    pub rtt_median_ms: Option<f64>,
    pub rtt_avg_ms: Option<f64>,
    pub rtt_max_ms: Option<f64>,
    /// Failures the probe reported (top-level `error`/`dnserr`, per-packet errors).
    pub errors: Vec<String>,
}

impl PingResult {
    pub fn latency(&self) -> LatencySample {
        LatencySample {
            prb_id: self.prb_id,
            sent: self.sent,
            received: self.received,
            rtt_min_ms: self.rtt_min_ms,
            rtt_median_ms: self.rtt_median_ms,
            rtt_avg_ms: self.rtt_avg_ms,
            rtt_max_ms: self.rtt_max_ms,
        }
    }

    /// RTTs of the replies that were not duplicates, in packet order.
    pub fn reply_rtts_ms(&self) -> Vec<f64> {
        self.packets
            .iter()
            .filter_map(|packet| match packet {
                PingPacket::Reply {
                    rtt_ms,
                    duplicate: false,
                    ..
                } => Some(*rtt_ms),
                _ => None,
            })
            .collect()
    }
}

fn packet(value: &serde_json::Value) -> PingPacket {
    let Some(object) = value.as_object() else {
        return PingPacket::Error(format!("unreadable packet {value}"));
    };
    if let Some(rtt_ms) = wire::float(object, "rtt").filter(|rtt| *rtt >= 0.0) {
        return PingPacket::Reply {
            rtt_ms,
            ttl: wire::small(object, "ttl"),
            duplicate: wire::flag(object, "dup"),
        };
    }
    if let Some(error) = object.get("error").or_else(|| object.get("dnserr")) {
        return PingPacket::Error(wire::describe(error));
    }
    PingPacket::Timeout
}

/// Parses one ping result; the error is why it is malformed, the list the failures the probe reported.
pub(crate) fn parse(object: &Object) -> Result<(PingResult, Vec<String>), String> {
    let prb_id = wire::unsigned(object, "prb_id").ok_or("the result has no valid prb_id")?;
    let msm_id = wire::unsigned(object, "msm_id").ok_or("the result has no valid msm_id")?;
    let timestamp = wire::signed(object, "timestamp").ok_or("the result has no valid timestamp")?;
    let firmware = wire::small(object, "fw").unwrap_or(0);
    let old = firmware > 0 && firmware < 4460;
    let dst_addr = wire::text(object, "dst_addr").or_else(|| wire::text(object, "addr"));
    let dst_name = wire::text(object, "dst_name").or_else(|| wire::text(object, "name"));
    let af = wire::small(object, if old { "pf" } else { "af" })
        .or_else(|| wire::small(object, "af"))
        .and_then(|af| u8::try_from(af).ok())
        .or_else(|| {
            dst_addr
                .as_deref()
                .map(|addr| if addr.contains(':') { 6 } else { 4 })
        });

    let packets: Vec<PingPacket> = match object.get("result") {
        Some(serde_json::Value::Array(items)) => items.iter().map(packet).collect(),
        None | Some(serde_json::Value::Null) => Vec::new(),
        Some(other) => {
            return Err(format!(
                "\"result\" should be a list of packets, found {other}"
            ));
        }
    };
    let replies: Vec<f64> = packets
        .iter()
        .filter_map(|p| match p {
            PingPacket::Reply {
                rtt_ms,
                duplicate: false,
                ..
            } => Some(*rtt_ms),
            _ => None,
        })
        .collect();
    let sent = match object.get("sent") {
        Some(serde_json::Value::Null) | None => u32::try_from(packets.len()).unwrap_or(u32::MAX),
        Some(_) => wire::small(object, "sent").ok_or("\"sent\" is not a packet count")?,
    };
    let received = match object.get("rcvd") {
        Some(serde_json::Value::Null) | None => u32::try_from(replies.len()).unwrap_or(u32::MAX),
        Some(_) => wire::small(object, "rcvd").ok_or("\"rcvd\" is not a packet count")?,
    };

    let (mut rtt_min_ms, mut rtt_avg_ms, mut rtt_max_ms) = (
        wire::float(object, "min"),
        wire::float(object, "avg"),
        wire::float(object, "max"),
    );
    // Sagan: a negative average (the -1 sentinel) means no RTTs. We also trust `rcvd: 0` over stray
    // summary values, so "nothing came back" never shows a latency.
    let nothing_received = object.get("rcvd").is_some() && received == 0;
    if nothing_received
        || rtt_avg_ms.is_some_and(|avg| avg < 0.0)
        || rtt_min_ms.is_some_and(|min| min < 0.0)
    {
        (rtt_min_ms, rtt_avg_ms, rtt_max_ms) = (None, None, None);
    }
    // Results without the summary fields (some exports) still have their packets.
    if !nothing_received && rtt_min_ms.is_none() && rtt_avg_ms.is_none() && !replies.is_empty() {
        rtt_min_ms = crate::stats::min(&replies);
        rtt_max_ms = crate::stats::max(&replies);
        rtt_avg_ms = crate::stats::mean(&replies);
    }

    let mut errors: Vec<String> = packets
        .iter()
        .filter_map(|p| match p {
            PingPacket::Error(message) => Some(message.clone()),
            _ => None,
        })
        .collect();
    for key in ["error", "dnserr"] {
        if let Some(error) = object.get(key).filter(|v| !v.is_null()) {
            errors.insert(0, wire::describe(error));
        }
    }
    errors.dedup();

    let result = PingResult {
        prb_id,
        msm_id,
        timestamp,
        firmware,
        af,
        dst_addr,
        dst_name,
        src_addr: wire::text(object, "src_addr").or_else(|| wire::text(object, "srcaddr")),
        from: wire::text(object, "from"),
        sent,
        received,
        duplicates: wire::small(object, "dup").unwrap_or(0),
        rtt_median_ms: if nothing_received {
            None
        } else {
            crate::stats::median(&replies)
        },
        packets,
        rtt_min_ms,
        rtt_avg_ms,
        rtt_max_ms,
        errors: errors.clone(),
    };
    Ok((result, errors))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::atlas::{AtlasResult, DiagnosticKind, parse_results};

    fn pings(text: &str) -> Vec<PingResult> {
        parse_results(text)
            .results
            .into_iter()
            .filter_map(|r| match r {
                AtlasResult::Ping(p) => Some(p),
                _ => None,
            })
            .collect()
    }

    const SAGAN: &str = include_str!("../../tests/fixtures/atlas/ping_results_sagan.json");

    /// Expected values as stated in ripe-atlas-sagan's tests/test_ping.py for the same results.
    #[test]
    fn sagan_samples_parse_like_sagan() {
        let parsed = parse_results(SAGAN);
        assert_eq!(parsed.results.len(), 15);
        assert!(
            parsed
                .diagnostics
                .iter()
                .all(|d| d.kind != DiagnosticKind::Malformed),
            "{:?}",
            parsed.diagnostics
        );
        let all = pings(SAGAN);
        // #0: firmware 0, numbers written as strings.
        assert_eq!(all[0].firmware, 0);
        assert_eq!(all[0].rtt_avg_ms, Some(58.042));
        assert_eq!(all[0].sent, 3);
        // #1: firmware 1, target in `addr`, no packet list.
        assert_eq!(all[1].firmware, 1);
        assert!(all[1].dst_addr.is_some());
        assert!(all[1].packets.is_empty());
        assert_eq!(all[1].rtt_median_ms, None);
        // #12: duplicates are excluded from the median but counted.
        assert!(all[12].duplicates > 0);
        // #13 "buggy": avg -1 although replies arrived: sagan reports no min/avg/max.
        assert_eq!(
            (all[13].rtt_min_ms, all[13].rtt_avg_ms, all[13].rtt_max_ms),
            (None, None, None)
        );
        for ping in &all {
            if let (Some(min), Some(median), Some(max)) =
                (ping.rtt_min_ms, ping.rtt_median_ms, ping.rtt_max_ms)
            {
                assert!(min <= median + 1e-9 && median <= max + 1e-9, "{ping:?}");
            }
        }
    }

    /// Sagan's "buggy" sample (fw 4600): nothing received, `-1` summaries, yet two duplicate replies.
    #[test]
    fn all_packets_lost_means_no_rtt() {
        let all = pings(SAGAN);
        let lost = &all[13];
        assert_eq!((lost.firmware, lost.received), (4600, 0));
        assert_eq!(
            (lost.rtt_min_ms, lost.rtt_median_ms, lost.rtt_max_ms),
            (None, None, None)
        );
        assert_eq!(lost.packets[0], PingPacket::Timeout);
        assert!(matches!(
            lost.packets[1],
            PingPacket::Reply {
                duplicate: true,
                ..
            }
        ));
        // ripe-atlas-tools #1 (synthetic) says rcvd 0 with an avg of 10.002: nothing received wins.
        let tools = pings(include_str!(
            "../../tests/fixtures/atlas/ping_results_ripe-atlas-tools.json"
        ));
        assert_eq!((tools[1].received, tools[1].rtt_avg_ms), (0, None));
    }

    #[test]
    fn msm_3359986_matches_its_packets() {
        let all = pings(include_str!(
            "../../tests/fixtures/atlas/ping_latest_msm3359986.json"
        ));
        let probe = all.iter().find(|p| p.prb_id == 3183).unwrap();
        assert_eq!(probe.rtt_min_ms, Some(34.22132));
        assert_eq!(probe.rtt_median_ms, Some(34.261254));
        assert_eq!(probe.rtt_max_ms, Some(34.506247));
        assert_eq!((probe.sent, probe.received), (3, 3));
        assert_eq!(probe.af, Some(4));
        assert_eq!(probe.dst_name.as_deref(), Some("193.170.114.242"));
    }

    #[test]
    fn every_real_ping_fixture_parses_without_malformed_rows() {
        for text in [
            include_str!("../../tests/fixtures/atlas/ping_results_ripe-atlas-tools.json"),
            include_str!("../../tests/fixtures/atlas/ping_report_results_ripe-atlas-tools.json"),
            include_str!("../../tests/fixtures/atlas/ping_results_reticle.json"),
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

    /// Regression (issue 12): the median of an even number of replies was the lower middle sample;
    /// Sagan 2.0.1 (`base.py` `Result.calculate_median`) takes the mean of the two middle ones.
    /// SYNTHETIC: no public ping result with an even number of replies was found; this one has the
    /// shape the issue reports for probe 6232 (two replies and one duplicate). Sagan 2.0.1 gives
    /// 980.575 for it (`PingResult(...).rtt_median`), the duplicate left out.
    #[test]
    fn even_count_ping_median_is_the_mean_of_the_two_middle_replies() {
        let text = r#"[{"type":"ping","fw":4970,"prb_id":1,"msm_id":2,"timestamp":3,"af":4,
            "dst_addr":"192.0.2.1","sent":3,"rcvd":2,"dup":1,"min":579.03,"avg":980.575,"max":1382.12,
            "result":[{"rtt":579.03},{"rtt":1382.12},{"rtt":1390.5,"dup":1},{"x":"*"}]}]"#;
        let ping = &pings(text)[0];
        let median = ping.rtt_median_ms.unwrap();
        assert!((median - 980.575).abs() < 1e-9, "{median}");
    }

    #[test]
    fn packet_errors_are_reported_by_the_probe() {
        let text = r#"[{"type":"ping","prb_id":1,"msm_id":2,"timestamp":3,"sent":2,"rcvd":0,"avg":-1,"min":-1,"max":-1,
            "result":[{"error":"sendto failed: Network is unreachable"},{"x":"*"}]}]"#;
        let parsed = parse_results(text);
        assert_eq!(parsed.results.len(), 1);
        assert_eq!(parsed.diagnostics.len(), 1);
        assert_eq!(parsed.diagnostics[0].kind, DiagnosticKind::ProbeError);
        assert!(parsed.diagnostics[0].reason.contains("sendto failed"));
    }
}
