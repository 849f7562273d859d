//! The one-off measurement request as the author asks for it (test and its options, target, address
//! family, description, probe selections), its checks (every reason Atlas would refuse it or run it
//! uselessly, each a sentence that says what to change) and the exact `POST /api/v2/measurements/`
//! body it becomes, plain or pretty-printed for the panel that creates it at the source.
//!
//! This module must not do I/O: the `net` shell sends the body. What the request costs is `cost`'s, its
//! command-line form `command`'s.
//!
//! Sources: the RIPE Atlas REST API manual ("Creating Measurements", "Type Specific Attributes") and
//! ripe-atlas-tools' validators; each figure below names where it came from.

use std::net::IpAddr;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::quoted;
use super::selection::{
    MAX_PROBES_PER_MEASUREMENT, ProbeRequest, ProbeSelector, canonical_area, canonical_region,
    checked_country, prefix_problem, unknown_area, unknown_region,
};
use crate::format::thousands_u64 as thousands;
use crate::model::host::host_name_problem;

/// Ping packets per probe: the Atlas API's own field description allows 1 to 16, default 3 (as
/// carried into DNS-OARC/ripeatlas `measurement.go`).
pub const PING_PACKETS: std::ops::RangeInclusive<u8> = 1..=16;

/// Paris traceroute variations: 0 to 64 (same source; ripe-atlas-tools' `--paris` validator uses the
/// same range). Zero is a classic traceroute.
pub const PARIS_VARIATIONS: std::ops::RangeInclusive<u8> = 0..=64;

/// Traceroute protocols the API and ripe-atlas-tools' `--protocol` accept.
pub const TRACEROUTE_PROTOCOLS: [&str; 3] = ["ICMP", "UDP", "TCP"];

/// DNS query types offered: exactly the choices of ripe-atlas-tools' `measure dns --query-type` (the
/// record types ripe-atlas-sagan can parse, plus ANY), so the body and the command line agree and the
/// results can be read back. The API may accept a few more; HTTPS/SVCB were still missing from its list
/// in 2026 (a ripe-atlas mailing-list request of 2026-05-06, as recorded in a public research note).
pub const DNS_QUERY_TYPES: [&str; 19] = [
    "A",
    "AAAA",
    "ANY",
    "CNAME",
    "DNSKEY",
    "DS",
    "HINFO",
    "MX",
    "NS",
    "NSEC",
    "NSEC3",
    "NSEC3PARAM",
    "PTR",
    "RRSIG",
    "SOA",
    "SRV",
    "SSHFP",
    "TLSA",
    "TXT",
];

// ---------------------------------------------------------------------------------------------------
// The request
// ---------------------------------------------------------------------------------------------------

/// What each probe does. Only the options an investigation needs are exposed; Atlas fills every other
/// field with its defaults (packet size, timeouts, hop limits, DNS protocol UDP).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum AtlasTest {
    Ping {
        packets: u8,
    },
    /// `protocol` is ICMP, UDP or TCP; `paris` the number of Paris traceroute variations (0 = classic).
    Traceroute {
        protocol: String,
        paris: u8,
    },
    /// With `use_probe_resolver` each probe asks its own resolvers (the end user's view) and the request
    /// has no target; otherwise the request's target is the resolver or name server to ask.
    Dns {
        query_type: String,
        query_argument: String,
        use_probe_resolver: bool,
    },
}

impl AtlasTest {
    /// The Atlas `type`: "ping", "traceroute" or "dns".
    pub fn type_name(&self) -> &'static str {
        match self {
            AtlasTest::Ping { .. } => "ping",
            AtlasTest::Traceroute { .. } => "traceroute",
            AtlasTest::Dns { .. } => "dns",
        }
    }

    /// A sensible starting point for a measurement type named as Atlas names it (any case).
    ///
    /// Ping sends Atlas's default 3 packets. Traceroute uses ICMP, which firewalls pass more often than
    /// the API's UDP default, with Paris 16 (the value Atlas's own measurement 1033154 used, per its
    /// metadata fixture) so load-balanced paths stay stable per probe. DNS asks for A records through
    /// each probe's own resolver, the question "what do users there see?".
    pub fn default_for(kind: &str) -> Option<AtlasTest> {
        match kind.trim().to_ascii_lowercase().as_str() {
            "ping" => Some(AtlasTest::Ping { packets: 3 }),
            "traceroute" => Some(AtlasTest::Traceroute {
                protocol: "ICMP".to_string(),
                paris: 16,
            }),
            "dns" => Some(AtlasTest::Dns {
                query_type: "A".to_string(),
                query_argument: String::new(),
                use_probe_resolver: true,
            }),
            _ => None,
        }
    }
}

/// A one-off measurement as the author asks for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CreateRequest {
    pub test: AtlasTest,
    /// A host name or IP address. For DNS: the resolver or name server to ask, or empty when the probes
    /// use their own resolvers.
    pub target: String,
    /// 4 or 6.
    pub af: u8,
    pub description: String,
    pub probes: Vec<ProbeRequest>,
    /// Resolve the target on each probe rather than once on the Atlas servers: with a CDN or an anycast
    /// name, each probe then measures the address it would really use.
    pub resolve_on_probe: bool,
}

// ---------------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------------

impl CreateRequest {
    /// Every reason Atlas would refuse this request (or run it uselessly), each a sentence that says
    /// what to change. Empty when the request is good to send.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if self.af != 4 && self.af != 6 {
            problems.push(format!(
                "The address family must be 4 (IPv4) or 6 (IPv6), not {}.",
                self.af
            ));
        }
        if self.description.trim().is_empty() {
            problems.push(
                "Give the measurement a description: it is how you will find it in your Atlas list."
                    .to_string(),
            );
        }
        let target = self.target.trim();
        match &self.test {
            AtlasTest::Ping { packets } => {
                if !PING_PACKETS.contains(packets) {
                    problems.push(format!(
                        "A ping sends 1 to 16 packets per probe, not {packets}."
                    ));
                }
                self.check_target(target, "target", &mut problems);
            }
            AtlasTest::Traceroute { protocol, paris } => {
                let upper = protocol.trim().to_ascii_uppercase();
                if !TRACEROUTE_PROTOCOLS.contains(&upper.as_str()) {
                    problems.push(format!(
                        "A traceroute uses ICMP, UDP or TCP, not {}.",
                        quoted(protocol)
                    ));
                }
                if !PARIS_VARIATIONS.contains(paris) {
                    problems.push(format!(
                        "Paris traceroute takes 0 (off) to 64 variations, not {paris}."
                    ));
                }
                self.check_target(target, "target", &mut problems);
            }
            AtlasTest::Dns {
                query_type,
                query_argument,
                use_probe_resolver,
            } => {
                let upper = query_type.trim().to_ascii_uppercase();
                if !DNS_QUERY_TYPES.contains(&upper.as_str()) {
                    problems.push(format!(
                        "Atlas cannot ask for {} records here; choose one of {}.",
                        quoted(query_type),
                        DNS_QUERY_TYPES.join(", ")
                    ));
                }
                let argument = query_argument.trim();
                if argument.is_empty() {
                    problems.push(
                        "Say which name to look up (the query argument), e.g. example.com."
                            .to_string(),
                    );
                } else if upper == "PTR" && argument.parse::<IpAddr>().is_ok() {
                    problems.push(format!(
                        "For a PTR lookup give the reverse name, not the address {}: e.g. \
                         4.4.8.8.in-addr.arpa for 8.8.4.4.",
                        quoted(argument)
                    ));
                } else if let Some(problem) = host_name_problem(argument, true) {
                    problems.push(format!(
                        "The name to look up {} {problem}.",
                        quoted(argument)
                    ));
                }
                if *use_probe_resolver {
                    if !target.is_empty() {
                        problems.push(
                            "With the probes' own resolvers there is no target: clear the target, \
                             or untick \"use the probes' resolvers\" to ask that server instead."
                                .to_string(),
                        );
                    }
                } else if target.is_empty() {
                    problems.push(
                        "Say which resolver or name server the probes should ask (e.g. 8.8.8.8), \
                         or let them use their own resolvers."
                            .to_string(),
                    );
                } else {
                    self.check_target(target, "resolver", &mut problems);
                }
            }
        }
        self.check_probes(&mut problems);
        problems
    }

    /// `Ok` when [`problems`](Self::problems) finds none; otherwise all of them, one per line.
    pub fn validate(&self) -> Result<(), String> {
        let problems = self.problems();
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems.join("\n"))
        }
    }

    fn check_target(&self, target: &str, role: &str, problems: &mut Vec<String>) {
        if target.is_empty() {
            problems.push(format!(
                "Say what to measure: the {role} is a host name or an IP address."
            ));
            return;
        }
        match target.parse::<IpAddr>() {
            Ok(IpAddr::V4(_)) if self.af == 6 => problems.push(format!(
                "The {role} {} is an IPv4 address but the measurement is IPv6: choose IPv4 or give \
                 an IPv6 address.",
                quoted(target)
            )),
            Ok(IpAddr::V6(_)) if self.af == 4 => problems.push(format!(
                "The {role} {} is an IPv6 address but the measurement is IPv4: choose IPv6 or give \
                 an IPv4 address.",
                quoted(target)
            )),
            Ok(_) => {}
            Err(_) => {
                if let Some(problem) = host_name_problem(target, false) {
                    problems.push(format!("The {role} {} {problem}.", quoted(target)));
                }
            }
        }
    }

    fn check_probes(&self, problems: &mut Vec<String>) {
        if self.probes.is_empty() {
            problems
                .push("Say which probes to use, e.g. WW:50 for 50 probes worldwide.".to_string());
            return;
        }
        let mut total: u64 = 0;
        for (index, probe) in self.probes.iter().enumerate() {
            let which = format!(
                "Probe selection {} ({})",
                index + 1,
                probe.selector.describe()
            );
            total += u64::from(probe.requested);
            if probe.requested == 0 || probe.requested > MAX_PROBES_PER_MEASUREMENT {
                problems.push(format!(
                    "{which}: ask for 1 to {MAX_PROBES_PER_MEASUREMENT} probes, not {}.",
                    probe.requested
                ));
            }
            let problem = match &probe.selector {
                ProbeSelector::Area(area) => {
                    canonical_area(area).is_none().then(|| unknown_area(area))
                }
                ProbeSelector::Region(region) => canonical_region(region)
                    .is_none()
                    .then(|| unknown_region(region)),
                ProbeSelector::Country(code) => checked_country(code).err(),
                ProbeSelector::Asn(asn) => (*asn == 0 || *asn == u32::MAX)
                    .then(|| "AS numbers run from 1 to 4294967294".to_string()),
                ProbeSelector::Prefix(prefix) => prefix_problem(prefix),
                ProbeSelector::Probes(ids) => {
                    if ids.is_empty() {
                        Some("list at least one probe ID".to_string())
                    } else if ids.contains(&0) {
                        Some("probe IDs start at 1".to_string())
                    } else if probe.requested as usize > ids.len() {
                        Some(format!(
                            "{} probes asked for but only {} listed",
                            probe.requested,
                            ids.len()
                        ))
                    } else {
                        None
                    }
                }
                ProbeSelector::Msm(id) => {
                    (*id == 0).then(|| "measurement IDs start at 1".to_string())
                }
            };
            if let Some(problem) = problem {
                problems.push(format!("{which}: {problem}."));
            }
        }
        if total > u64::from(MAX_PROBES_PER_MEASUREMENT) {
            problems.push(format!(
                "The selections ask for {} probes in all; one measurement may use at most {}. Ask for \
                 fewer, or split the work into several measurements.",
                thousands(total),
                thousands(u64::from(MAX_PROBES_PER_MEASUREMENT))
            ));
        }
    }
}

// ---------------------------------------------------------------------------------------------------
// The body
// ---------------------------------------------------------------------------------------------------

impl CreateRequest {
    /// The exact body of `POST /api/v2/measurements/` (API-NOTES §1.7; the docs' "Creating
    /// Measurements" example): one definition, the probe selections and `"is_oneoff": true`.
    ///
    /// This encodes the request as it is; call [`validate`](Self::validate) first. A DNS definition
    /// sends `set_rd_bit: true`: its target is a resolver, which only recurses when asked to, and with
    /// the probes' resolvers Atlas forces the bit on anyway ("Type Specific Attributes", Atlas docs).
    pub fn to_body(&self) -> Value {
        let mut definition = Map::new();
        definition.insert("type".into(), json!(self.test.type_name()));
        definition.insert("af".into(), json!(self.af));
        let target = self.target.trim();
        let has_target = match &self.test {
            AtlasTest::Dns {
                use_probe_resolver, ..
            } => !use_probe_resolver && !target.is_empty(),
            _ => true,
        };
        if has_target {
            definition.insert("target".into(), json!(target));
        }
        definition.insert("description".into(), json!(self.description.trim()));
        definition.insert("resolve_on_probe".into(), json!(self.resolve_on_probe));
        match &self.test {
            AtlasTest::Ping { packets } => {
                definition.insert("packets".into(), json!(packets));
            }
            AtlasTest::Traceroute { protocol, paris } => {
                definition.insert(
                    "protocol".into(),
                    json!(protocol.trim().to_ascii_uppercase()),
                );
                definition.insert("paris".into(), json!(paris));
            }
            AtlasTest::Dns {
                query_type,
                query_argument,
                use_probe_resolver,
            } => {
                definition.insert("query_class".into(), json!("IN"));
                definition.insert(
                    "query_type".into(),
                    json!(query_type.trim().to_ascii_uppercase()),
                );
                definition.insert("query_argument".into(), json!(query_argument.trim()));
                definition.insert("use_probe_resolver".into(), json!(use_probe_resolver));
                definition.insert("set_rd_bit".into(), json!(true));
            }
        }
        let probes: Vec<Value> = self
            .probes
            .iter()
            .map(|probe| {
                json!({
                    "type": probe.selector.api_type(),
                    "value": probe.selector.api_value(),
                    "requested": probe.requested,
                })
            })
            .collect();
        json!({
            "definitions": [Value::Object(definition)],
            "probes": probes,
            "is_oneoff": true,
        })
    }
}

/// The body pretty-printed, for the panel that offers to create the measurement at the source (on the
/// Atlas website or with curl) when the browser may not send it (API-NOTES §1.8).
pub fn definition_json_pretty(request: &CreateRequest) -> String {
    serde_json::to_string_pretty(&request.to_body()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::super::selection::request;
    use super::super::test_support::{dns, ping, with};
    use super::*;

    const DOCS_REQUEST: &str =
        include_str!("../../../tests/fixtures/atlas/create_measurement_request_docs_simple.json");

    #[test]
    fn the_body_matches_the_docs_example_where_comparable() {
        let docs: Value = serde_json::from_str(DOCS_REQUEST).unwrap();
        let mut request = ping("ripe.net", "WW:5");
        request.description = "My First Measurement".to_string();
        let body = request.to_body();
        // Every field of the docs' definition is in ours with the same value.
        let ours = body["definitions"][0].as_object().unwrap();
        for (key, value) in docs["definitions"][0].as_object().unwrap() {
            assert_eq!(ours.get(key), Some(value), "definition field {key}");
        }
        // The docs select by region (a selector this app does not offer); the entry has the same keys
        // and the same requested count.
        let docs_probe = docs["probes"][0].as_object().unwrap();
        let our_probe = body["probes"][0].as_object().unwrap();
        let keys = |map: &Map<String, Value>| {
            let mut keys: Vec<String> = map.keys().cloned().collect();
            keys.sort();
            keys
        };
        assert_eq!(keys(docs_probe), keys(our_probe));
        assert_eq!(our_probe["requested"], docs_probe["requested"]);
        assert_eq!(body["probes"][0]["type"], "area");
        assert_eq!(body["probes"][0]["value"], "WW");
        assert_eq!(body["is_oneoff"], true);
        assert_eq!(body["definitions"][0]["packets"], 3);
        assert!(definition_json_pretty(&request).contains("\n  \"definitions\": ["));
    }

    #[test]
    fn every_selector_value_is_a_string_as_in_the_api_notes_example() {
        let request = ping(
            "ripe.net",
            "WW:50, country NL:10, AS3333:5, 193.0.0.0/21:3, probes 6001,6002, msm 1033154:20",
        );
        let probes = request.to_body()["probes"].clone();
        assert_eq!(
            probes,
            json!([
                {"type": "area", "value": "WW", "requested": 50},
                {"type": "country", "value": "NL", "requested": 10},
                {"type": "asn", "value": "3333", "requested": 5},
                {"type": "prefix", "value": "193.0.0.0/21", "requested": 3},
                {"type": "probes", "value": "6001,6002", "requested": 2},
                {"type": "msm", "value": "1033154", "requested": 20},
            ])
        );
    }

    #[test]
    fn traceroute_and_dns_bodies() {
        let mut trace = with(
            AtlasTest::default_for("Traceroute").unwrap(),
            " example.com ",
            "WW:10",
        );
        trace.resolve_on_probe = true;
        let definition = trace.to_body()["definitions"][0].clone();
        assert_eq!(definition["type"], "traceroute");
        assert_eq!(definition["protocol"], "ICMP");
        assert_eq!(definition["paris"], 16);
        assert_eq!(definition["target"], "example.com");
        assert_eq!(definition["resolve_on_probe"], true);
        assert!(definition.get("packets").is_none());

        let own = dns("example.com", "", true).to_body()["definitions"][0].clone();
        assert!(own.get("target").is_none(), "{own}");
        assert_eq!(own["query_class"], "IN");
        assert_eq!(own["query_type"], "AAAA");
        assert_eq!(own["query_argument"], "example.com");
        assert_eq!(own["use_probe_resolver"], true);
        assert_eq!(own["set_rd_bit"], true);

        let asked = dns("example.com", "8.8.8.8", false).to_body()["definitions"][0].clone();
        assert_eq!(asked["target"], "8.8.8.8");
        assert_eq!(asked["use_probe_resolver"], false);
    }

    #[test]
    fn default_tests_and_type_names() {
        for kind in ["ping", "traceroute", "dns"] {
            let test = AtlasTest::default_for(kind).unwrap();
            assert_eq!(test.type_name(), kind);
        }
        assert_eq!(
            AtlasTest::default_for(" PING "),
            Some(AtlasTest::Ping { packets: 3 })
        );
        assert_eq!(AtlasTest::default_for("http"), None);
    }

    #[test]
    fn good_requests_validate() {
        for request in [
            ping("ripe.net", "WW:50, NL:10"),
            ping("193.0.0.1", "AS3333:5"),
            with(
                AtlasTest::default_for("traceroute").unwrap(),
                "k.root-servers.net.",
                "WW:1000",
            ),
            dns("example.com", "", true),
            dns(".", "", true),
            dns("_sip._tcp.example.com", "2001:4860:4860::8888", false),
        ] {
            let mut request = request;
            if request.target.contains(':') {
                request.af = 6;
            }
            assert_eq!(request.validate(), Ok(()), "{request:?}");
        }
    }

    #[test]
    fn bad_requests_say_what_to_change() {
        let cases: Vec<(CreateRequest, &str)> = vec![
            (
                {
                    let mut r = ping("ripe.net", "WW:5");
                    r.af = 5;
                    r
                },
                "4 (IPv4) or 6",
            ),
            (
                {
                    let mut r = ping("ripe.net", "WW:5");
                    r.description = "  ".into();
                    r
                },
                "description",
            ),
            (ping("", "WW:5"), "host name or an IP address"),
            (ping("https://ripe.net/", "WW:5"), "host name only"),
            (ping("ripe.net:443", "WW:5"), "port"),
            (ping("ripe .net", "WW:5"), "spaces"),
            (ping("ripe..net", "WW:5"), "empty label"),
            (ping("-ripe.net", "WW:5"), "hyphen"),
            (ping("1.2.3.999", "WW:5"), "neither a valid IPv4"),
            (ping("bücher.de", "WW:5"), "xn--"),
            (
                ping("2001:db8::1", "WW:5"),
                "IPv6 address but the measurement is IPv4",
            ),
            (
                {
                    let mut r = ping("193.0.0.1", "WW:5");
                    r.af = 6;
                    r
                },
                "IPv4 address but the measurement is IPv6",
            ),
            (
                with(AtlasTest::Ping { packets: 0 }, "ripe.net", "WW:5"),
                "1 to 16 packets",
            ),
            (
                with(AtlasTest::Ping { packets: 17 }, "ripe.net", "WW:5"),
                "1 to 16 packets",
            ),
            (
                with(
                    AtlasTest::Traceroute {
                        protocol: "SCTP".into(),
                        paris: 16,
                    },
                    "ripe.net",
                    "WW:5",
                ),
                "ICMP, UDP or TCP",
            ),
            (
                with(
                    AtlasTest::Traceroute {
                        protocol: "udp".into(),
                        paris: 65,
                    },
                    "ripe.net",
                    "WW:5",
                ),
                "0 (off) to 64",
            ),
            (ping("ripe.net", "WW:600, NL:401"), "1,001 probes in all"),
            (
                CreateRequest {
                    probes: vec![],
                    ..ping("ripe.net", "WW:5")
                },
                "which probes",
            ),
            (
                CreateRequest {
                    probes: vec![request(ProbeSelector::Area("Middle".into()), 5)],
                    ..ping("ripe.net", "WW:5")
                },
                "not an Atlas area",
            ),
            (
                CreateRequest {
                    probes: vec![request(ProbeSelector::Country("ZZ".into()), 5)],
                    ..ping("ripe.net", "WW:5")
                },
                "ISO 3166",
            ),
            (
                CreateRequest {
                    probes: vec![request(ProbeSelector::Prefix("10.0.0.0/40".into()), 5)],
                    ..ping("ripe.net", "WW:5")
                },
                "0–32",
            ),
            (
                CreateRequest {
                    probes: vec![request(ProbeSelector::Probes(vec![1, 2]), 3)],
                    ..ping("ripe.net", "WW:5")
                },
                "only 2 listed",
            ),
            (
                CreateRequest {
                    probes: vec![request(ProbeSelector::Asn(0), 0)],
                    ..ping("ripe.net", "WW:5")
                },
                "ask for 1 to 1000 probes",
            ),
            (
                {
                    let mut r = dns("example.com", "", true);
                    r.test = AtlasTest::Dns {
                        query_type: "HTTPS".into(),
                        query_argument: "example.com".into(),
                        use_probe_resolver: true,
                    };
                    r
                },
                "cannot ask for \"HTTPS\" records",
            ),
            (dns("", "", true), "which name to look up"),
            (dns("exa mple.com", "", true), "spaces"),
            (dns("example.com", "8.8.8.8", true), "clear the target"),
            (dns("example.com", "", false), "which resolver"),
            (
                {
                    let mut r = dns("8.8.4.4", "", true);
                    r.test = AtlasTest::Dns {
                        query_type: "PTR".into(),
                        query_argument: "8.8.4.4".into(),
                        use_probe_resolver: true,
                    };
                    r
                },
                "in-addr.arpa",
            ),
        ];
        for (request, hint) in cases {
            let message = request.validate().unwrap_err();
            assert!(message.contains(hint), "{hint:?} not in: {message}");
        }
        // Several problems are all reported, one per line.
        let mut several = with(AtlasTest::Ping { packets: 0 }, "", "WW:5");
        several.af = 0;
        assert_eq!(several.validate().unwrap_err().lines().count(), 3);
    }
}
