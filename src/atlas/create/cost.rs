//! What a one-off Atlas measurement should cost in credits, by the documented cost model, with the
//! arithmetic spelled out for the confirmation the author gives before anything is sent.
//!
//! This module must not do I/O, and its figure is an estimate: the charge Atlas applies is read back
//! from the measurement's metadata by `progress`.
//!
//! Source: the RIPE Atlas "Credits" page (see [`COST_SOURCE`]).

use super::plural;
use super::request::{AtlasTest, CreateRequest};
use crate::format::thousands_u64 as thousands;

/// What a measurement should cost, with the arithmetic spelled out.
#[derive(Debug, Clone, PartialEq)]
pub struct CostEstimate {
    pub credits_per_result: u32,
    /// One result per probe: a one-off runs once on each.
    pub results: u32,
    pub total_credits: u32,
    /// "50 probes × 6 credits (ping, 3 packets, one-off) = 300 credits (estimate)".
    pub explanation: String,
    /// Where the figures come from.
    pub source: &'static str,
}

/// The cost model of the Atlas "Credits" page. The page itself is a client-rendered app that could not
/// be read here; its text was read in copies: Communication-Systems-Group/chkroute `Ripe_readme.md`
/// (the page transcribed) and projects that quote it with the address
/// <https://atlas.ripe.net/docs/getting-started/credits>. The old API manual's "Base Attributes" table
/// (atlas.ripe.net/docs/api/v2/manual/measurements/types/base_attributes.html) gives `is_oneoff` a
/// "Price Modifier" of 2, confirming the doubling. Atlas also reports `credits_per_result` in each
/// measurement's metadata ([`parse_credits_per_result`]); recorded list pages of 2013 measurements show
/// values that do not fit this formula (17 for a periodic 5-packet, 100-byte IPv6 ping, msm 1026291,
/// where the formula gives 5; 5 for a periodic default ping, msm 1025696, where it gives 3), so the
/// live charge may be higher or lower and the UI calls the figure an estimate.
///
/// [`parse_credits_per_result`]: super::parse_credits_per_result
pub const COST_SOURCE: &str = "RIPE Atlas \"Credits\" page, measurement cost model \
(atlas.ripe.net/docs/getting-started/credits): ping N×(⌊S/1500⌋+1) per result, traceroute \
10×N×(⌊S/1500⌋+1), DNS 10 per result over UDP; a one-off result costs twice as much. N is packets, \
S the packet size (Atlas defaults: 3 packets, 48 bytes for ping and 40 for traceroute).";

/// Packet size Atlas uses unless told otherwise: 48 octets for ping, 40 for traceroute (Credits page).
const PING_DEFAULT_SIZE: u32 = 48;
const TRACEROUTE_DEFAULT_SIZE: u32 = 40;
/// Traceroute packets per hop when not set: 3 (Credits page; the API field description agrees).
const TRACEROUTE_DEFAULT_PACKETS: u32 = 3;
/// A DNS result over UDP, the protocol Atlas uses unless told otherwise: 10 credits (Credits page;
/// over TCP it would be 20).
const DNS_UDP_CREDITS: u32 = 10;
/// A one-off result costs double a periodic one (Credits page).
const ONE_OFF_FACTOR: u32 = 2;

/// `N × (⌊S/1500⌋ + 1)`: packets times the number of 1500-byte frames each takes (Credits page).
fn per_packet_train(packets: u32, size: u32) -> u32 {
    packets.saturating_mul(size / 1500 + 1)
}

impl CreateRequest {
    /// The credits this one-off should cost by the documented model if every requested probe delivers
    /// its result. It is an estimate: Atlas bills per delivered result (fewer probes allocated or
    /// answering cost less), and its own per-result figures have not always matched the model (see
    /// [`COST_SOURCE`]); after creation, [`parse_credits_per_result`] reads the figure Atlas applies.
    ///
    /// [`parse_credits_per_result`]: super::parse_credits_per_result
    pub fn cost(&self) -> CostEstimate {
        let (periodic, detail) = match &self.test {
            AtlasTest::Ping { packets } => (
                per_packet_train(u32::from(*packets), PING_DEFAULT_SIZE),
                format!("ping, {packets} packet{}", plural(u64::from(*packets))),
            ),
            AtlasTest::Traceroute { .. } => (
                10 * per_packet_train(TRACEROUTE_DEFAULT_PACKETS, TRACEROUTE_DEFAULT_SIZE),
                "traceroute, 3 packets per hop".to_string(),
            ),
            AtlasTest::Dns { .. } => (DNS_UDP_CREDITS, "DNS over UDP".to_string()),
        };
        let credits_per_result = periodic.saturating_mul(ONE_OFF_FACTOR);
        let results = self
            .probes
            .iter()
            .fold(0u32, |sum, probe| sum.saturating_add(probe.requested));
        let total_credits = credits_per_result.saturating_mul(results);
        let explanation = format!(
            "{} probe{} × {} credit{} ({detail}, one-off) = {} credit{} (estimate)",
            thousands(u64::from(results)),
            plural(u64::from(results)),
            thousands(u64::from(credits_per_result)),
            plural(u64::from(credits_per_result)),
            thousands(u64::from(total_credits)),
            plural(u64::from(total_credits)),
        );
        CostEstimate {
            credits_per_result,
            results,
            total_credits,
            explanation,
            source: COST_SOURCE,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::selection::{ProbeSelector, request};
    use super::super::test_support::{dns, ping, with};
    use super::*;

    #[test]
    fn credit_costs_follow_the_documented_model() {
        // Ping: N × (⌊48/1500⌋ + 1) = 3 per result, doubled for a one-off.
        let cost = ping("ripe.net", "WW:50").cost();
        assert_eq!(
            (cost.credits_per_result, cost.results, cost.total_credits),
            (6, 50, 300)
        );
        assert_eq!(
            cost.explanation,
            "50 probes × 6 credits (ping, 3 packets, one-off) = 300 credits (estimate)"
        );
        assert!(
            cost.source
                .contains("atlas.ripe.net/docs/getting-started/credits")
        );
        let one = with(AtlasTest::Ping { packets: 1 }, "ripe.net", "probes 6001").cost();
        assert_eq!(
            one.explanation,
            "1 probe × 2 credits (ping, 1 packet, one-off) = 2 credits (estimate)"
        );
        let sixteen = with(AtlasTest::Ping { packets: 16 }, "ripe.net", "WW:1000").cost();
        assert_eq!(sixteen.total_credits, 32_000);
        assert!(sixteen.explanation.ends_with("= 32,000 credits (estimate)"));

        // Traceroute: 10 × 3 × (⌊40/1500⌋ + 1) = 30, doubled: 60.
        let trace = with(
            AtlasTest::default_for("traceroute").unwrap(),
            "ripe.net",
            "WW:25, NL:25",
        )
        .cost();
        assert_eq!(
            (trace.credits_per_result, trace.results, trace.total_credits),
            (60, 50, 3_000)
        );
        assert_eq!(
            trace.explanation,
            "50 probes × 60 credits (traceroute, 3 packets per hop, one-off) = 3,000 credits (estimate)"
        );

        // DNS over UDP: 10 per result, doubled: 20.
        let lookup = dns("example.com", "", true).cost();
        assert_eq!(
            (
                lookup.credits_per_result,
                lookup.results,
                lookup.total_credits
            ),
            (20, 20, 400)
        );

        // Absurd counts saturate instead of overflowing.
        let mut huge = ping("ripe.net", "WW:5");
        huge.probes = vec![request(ProbeSelector::Area("WW".into()), u32::MAX); 3];
        assert_eq!(huge.cost().total_credits, u32::MAX);
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }
}
