//! A notebook holding every cell kind with recorded data, and the cells that have not run, for the
//! tools that test what strangers can send: the fuzz harness (`examples/fuzz.rs`) mutates it and the
//! report oracle's generator (`examples/hostile_reports.rs`) puts hostile text in every free field.
//! Built from the recorded fixtures (origins in `tests/fixtures/SOURCES.md`) through the public API.
// Shared by example crates, each of which uses only some of it. Built from the recorded fixtures: one
// that does not read is a bug of this kit, and stopping with its message is right.
#![allow(dead_code, clippy::expect_used, clippy::unwrap_used)]

use std::rc::Rc;

use serde_json::{Value, json};
use vantage::atlas::probes::parse_probes_page;
use vantage::dns::fanout::Transport;
use vantage::globalping::measurement::parse_measurement;
use vantage::globalping::request::TestType;
use vantage::notebook::dns::{
    DnsCell, DnsRequest, DnsSnapshot, DohExchange, LookupOutcome, RipestatCall, RipestatLookup,
};
use vantage::notebook::measure::{MeasureCell, MeasureForm, MeasureRun, RunData};
use vantage::notebook::routing::{
    CommunityRemarks, RoutingCell, RoutingRequest, RoutingSnapshot, community_remarks,
};
use vantage::notebook::{
    AtlasCell, AtlasRequest, AtlasSnapshot, Cell, CellBody, CellId, InferenceChoices, Notebook,
    SnapshotSource,
};
use vantage::settings::Settings;

const ALICDN: &str =
    include_str!("../fixtures/doh/google-json_A_with-edns_client_subnet_img.alicdn.com.json");
const NETWORK_INFO: &str = include_str!("../fixtures/ripestat/network-info.json");
const PREFIX_OVERVIEW: &str = include_str!("../fixtures/ripestat/prefix-overview.json");
const REVERSE_DNS_IP: &str = include_str!("../fixtures/ripestat/reverse-dns-ip.json");
const AS_OVERVIEW: &str = include_str!("../fixtures/ripestat/as-overview.json");
const ANNOUNCED: &str = include_str!("../fixtures/ripestat/announced-prefixes.json");
const STATUS: &str = include_str!("../fixtures/ripestat/routing-status.json");
const NEIGHBOURS: &str = include_str!("../fixtures/ripestat/asn-neighbours.json");
const GLASS: &str = include_str!("../fixtures/ripestat/looking-glass.TRIMMED.json");
const WHOIS_60614: &str =
    include_str!("../fixtures/ripestat/whois-AS60614.GENERATED-FROM-REAL.json");
const GP_PING: &str = include_str!("../fixtures/globalping/get-ping-measurement-response.json");
const GP_TRACEROUTE: &str =
    include_str!("../fixtures/globalping/get-traceroute-measurement-response.json");
const GP_MTR: &str = include_str!("../fixtures/globalping/get-mtr-measurement-response.json");
const GP_DNS: &str =
    include_str!("../fixtures/globalping/get-simple-dns-measurement-response.json");
const GP_HTTP: &str = include_str!("../fixtures/globalping/get-http-measurement-response.json");
const ATLAS_DNS: &str = include_str!("../fixtures/atlas/dns_latest_msm1421267.json");
const ATLAS_DNS_PROBES: &str = include_str!("../fixtures/atlas/probes_page_msm1421267.json");
const ATLAS_PING: &str = include_str!("../fixtures/atlas/ping_latest_msm3359986.json");
const ATLAS_PING_PROBES: &str = include_str!("../fixtures/atlas/probes_page_msm3359986.json");
const HOP_NAMES: &str = include_str!("../fixtures/paths/names_msm1033154.json");

fn lookup(call: RipestatCall, resource: &str, text: &str) -> RipestatLookup {
    RipestatLookup::of(
        call,
        "https://stat.ripe.net",
        resource,
        1_700_000_000_000,
        LookupOutcome::Response {
            status: 200,
            text: text.to_string(),
        },
    )
}

fn cell(id: u64, body: CellBody) -> Cell {
    Cell {
        id: CellId(id),
        body,
    }
}

fn note(id: u64, source: &str) -> Cell {
    cell(
        id,
        CellBody::Markdown {
            source: source.to_string(),
        },
    )
}

fn globalping_cell(test: TestType, text: &str) -> CellBody {
    let measurement = parse_measurement(text).expect("a recorded Globalping measurement");
    CellBody::Measure(MeasureCell {
        form: MeasureForm {
            test,
            target: measurement.target.clone(),
            ..MeasureForm::default()
        },
        runs: vec![Rc::new(MeasureRun {
            started_at_unix_ms: 1_689_359_152_414,
            request_body: json!({"type": test.as_str(), "target": measurement.target}).to_string(),
            data: RunData::Globalping {
                id: measurement.id.clone(),
                measurement_text: Some(text.to_string()),
                fetched_at_unix_ms: 1_689_359_153_207,
                url: "https://api.globalping.io/v1/measurements/".to_string(),
            },
        })],
        inference: InferenceChoices::default(),
    })
}

/// A DNS snapshot as the shell makes it: Google answers every planned query with the recorded reply
/// (with the origins of its addresses looked up), Cloudflare is throttled.
fn dns_snapshot() -> DnsSnapshot {
    let request = DnsRequest {
        name: "img.alicdn.com".to_string(),
        ..DnsRequest::default()
    };
    let planned = request.plan(&Settings::default()).expect("a valid request");
    let exchanges = planned
        .iter()
        .zip(0_i64..)
        .map(|(query, index)| {
            let transport = if query.resolver.label == "Google" {
                Transport::Response {
                    status: 200,
                    body: ALICDN.as_bytes().to_vec(),
                }
            } else {
                Transport::Response {
                    status: 429,
                    body: b"Too Many Requests".to_vec(),
                }
            };
            DohExchange::of(query, 1_000 + index, Some(20.0), transport)
        })
        .collect();
    let mut snapshot = DnsSnapshot {
        name: "img.alicdn.com".into(),
        started_at_unix_ms: 1_000,
        finished_at_unix_ms: 2_000,
        planned_queries: planned.len(),
        cancelled: false,
        exchanges,
        controls: Vec::new(),
        origin_lookups: Vec::new(),
        origins_fetched_at_unix_ms: Some(3_000),
        notes: vec!["one origin lookup was skipped".to_string()],
    };
    // The recorded RIPEstat answers, attached to the addresses this reply holds (they were recorded
    // for another address: the words matter here, not the facts).
    for address in snapshot.addresses_to_enrich() {
        snapshot
            .origin_lookups
            .push(lookup(RipestatCall::NetworkInfo, &address, NETWORK_INFO));
    }
    snapshot.origin_lookups.push(lookup(
        RipestatCall::PrefixOverview,
        "140.78.0.0/16",
        PREFIX_OVERVIEW,
    ));
    snapshot
}

fn routing_cell(resource: &str, lookups: Vec<RipestatLookup>) -> CellBody {
    routing_cell_with(resource, lookups, None)
}

/// Community meanings from aut-num remarks for the recorded routes: the recorded AS60614 aut-num
/// pointed at AS34854, its `60614:100` remark at `34854:1000` (a community the routes carry), so the
/// report has a remark meaning; one AS whose remarks could not be read, and one not asked.
fn glass_remarks() -> CommunityRemarks {
    let whois = WHOIS_60614
        .replace("60614:100 ", "34854:1000 ")
        .replace("60614", "34854");
    community_remarks(
        &[
            lookup(RipestatCall::Whois, "AS34854", &whois),
            RipestatLookup::of(
                RipestatCall::Whois,
                "https://stat.ripe.net",
                "AS1120",
                1_700_000_000_000,
                LookupOutcome::Failed {
                    reason: "the network is down".to_string(),
                },
            ),
        ],
        vec![26162],
        1_700_000_000_000,
    )
}

fn routing_cell_with(
    resource: &str,
    lookups: Vec<RipestatLookup>,
    community_remarks: Option<CommunityRemarks>,
) -> CellBody {
    CellBody::Routing(RoutingCell {
        request: RoutingRequest {
            resource: resource.to_string(),
        },
        snapshot: Some(Rc::new(RoutingSnapshot {
            resource: resource.to_string(),
            started_at_unix_ms: 1,
            finished_at_unix_ms: 2,
            cancelled: false,
            lookups,
            notes: vec!["a note from the run".to_string()],
            community_remarks,
        })),
    })
}

/// The demo's traceroute with router names (as Globalping probes report them) and RIPEstat names
/// and owners for the hops where its paths converge, so the report's hop table has every column.
/// Only every third of its 87 results is kept: 29 probes still converge on the same hops and give
/// every section of the report, and the traceroute, read about 350 times in a run, is most of the
/// generator's time in the dev profile CI runs it in.
fn with_hop_context(snapshot: &AtlasSnapshot) -> AtlasSnapshot {
    let mut snapshot = snapshot.clone();
    if let Ok(Value::Array(results)) = serde_json::from_str::<Value>(&snapshot.results_text) {
        let kept: Vec<Value> = results.into_iter().step_by(3).collect();
        snapshot.results_text = Value::Array(kept).to_string();
    }
    let names: Value = serde_json::from_str(HOP_NAMES).expect("names JSON");
    if let Some(names) = names["names"].as_object() {
        for (address, name) in names {
            if let Some(name) = name.as_str() {
                snapshot.hop_names.push((address.clone(), name.to_string()));
            }
        }
    }
    // The recorded network-info answer is for 140.78.0.0/16 (AS1205); it is pointed at AS3333's
    // 193.0.0.0/21 here so that the recorded prefix-overview of that prefix names the owner's holder.
    let network_info = NETWORK_INFO
        .replace("\"1205\"", "\"3333\"")
        .replace("140.78.0.0/16", "193.0.0.0/21");
    for address in ["195.69.145.176", "195.69.145.145", "91.198.174.225"] {
        snapshot
            .hop_lookups
            .push(lookup(RipestatCall::ReverseDnsIp, address, REVERSE_DNS_IP));
        snapshot
            .hop_lookups
            .push(lookup(RipestatCall::NetworkInfo, address, &network_info));
    }
    snapshot.hop_lookups.push(lookup(
        RipestatCall::PrefixOverview,
        "193.0.0.0/21",
        PREFIX_OVERVIEW,
    ));
    snapshot.fetch_notes.push("probe page 2 failed".to_string());
    snapshot
}

/// Every cell kind, with data and without: the example notebook (notes, an Atlas traceroute with
/// router names and owners, an Atlas ping, a latency table), an Atlas DNS measurement fetched from
/// the API, a DNS cell and two routing cells with their recorded responses, Measure now runs of
/// every Globalping test and one Atlas run, and the "investigate a host" cells that have not run.
pub fn every_kind_notebook() -> Notebook {
    let mut notebook = vantage::notebook::demo::demo_notebook();
    for cell in &mut notebook.cells {
        if let CellBody::Atlas(atlas) = &mut cell.body
            && let Some(snapshot) = &atlas.snapshot
            && snapshot.results_text.contains("\"traceroute\"")
        {
            atlas.snapshot = Some(Rc::new(with_hop_context(snapshot)));
        }
    }
    let mut cells = std::mem::take(&mut notebook.cells);
    let atlas_dns = Rc::new(AtlasSnapshot {
        source: SnapshotSource::Api {
            msm_id: 1_421_267,
            results_url: "https://atlas.ripe.net/api/v2/measurements/1421267/latest/".to_string(),
        },
        fetched_at_unix_ms: 1_700_000_000_000,
        results_text: ATLAS_DNS.to_string(),
        probes: parse_probes_page(ATLAS_DNS_PROBES).probes,
        fetch_notes: Vec::new(),
        hop_lookups: Vec::new(),
        hop_names: Vec::new(),
    });
    cells.push(cell(
        0,
        CellBody::Atlas(AtlasCell {
            request: AtlasRequest {
                measurement: "1421267".to_string(),
                start: "2024-01-31 12:00".to_string(),
                stop: String::new(),
            },
            snapshot: Some(atlas_dns),
            inference: InferenceChoices::default(),
        }),
    ));
    cells.push(cell(
        0,
        CellBody::Dns(DnsCell {
            request: DnsRequest {
                name: "img.alicdn.com".to_string(),
                ..DnsRequest::default()
            },
            snapshot: Some(Rc::new(dns_snapshot())),
            previous: None,
        }),
    ));
    // One resolver only: its label can then be any text without two resolvers' answers merging.
    let mut google_only = dns_snapshot();
    google_only
        .exchanges
        .retain(|exchange| exchange.resolver == "Google");
    google_only.planned_queries = google_only.exchanges.len();
    cells.push(cell(
        0,
        CellBody::Dns(DnsCell {
            request: DnsRequest::default(),
            snapshot: Some(Rc::new(google_only)),
            previous: None,
        }),
    ));
    cells.push(cell(
        0,
        routing_cell(
            "AS3333",
            vec![
                lookup(RipestatCall::AsOverview, "AS3333", AS_OVERVIEW),
                lookup(RipestatCall::AnnouncedPrefixes, "AS3333", ANNOUNCED),
                lookup(RipestatCall::RoutingStatus, "AS3333", STATUS),
                lookup(RipestatCall::AsnNeighbours, "AS3333", NEIGHBOURS),
            ],
        ),
    ));
    cells.push(cell(
        0,
        routing_cell_with(
            "193.0.0.0/21",
            vec![
                lookup(
                    RipestatCall::PrefixOverview,
                    "193.0.0.0/21",
                    PREFIX_OVERVIEW,
                ),
                lookup(RipestatCall::RoutingStatus, "193.0.0.0/21", STATUS),
                lookup(RipestatCall::LookingGlass, "193.0.0.0/21", GLASS),
                lookup(RipestatCall::AsOverview, "AS3333", AS_OVERVIEW),
                lookup(RipestatCall::AsnNeighbours, "AS3333", NEIGHBOURS),
            ],
            Some(glass_remarks()),
        ),
    ));
    // A lookup that failed: the resource is then shown as typed, whatever it holds.
    cells.push(cell(
        0,
        routing_cell(
            "192.0.2.0/24",
            vec![RipestatLookup::of(
                RipestatCall::PrefixOverview,
                "https://stat.ripe.net",
                "192.0.2.0/24",
                1_700_000_000_000,
                LookupOutcome::Failed {
                    reason: "the network is down".to_string(),
                },
            )],
        ),
    ));
    for (test, text) in [
        (TestType::Ping, GP_PING),
        (TestType::Traceroute, GP_TRACEROUTE),
        (TestType::Mtr, GP_MTR),
        (TestType::Dns, GP_DNS),
        (TestType::Http, GP_HTTP),
    ] {
        cells.push(cell(0, globalping_cell(test, text)));
    }
    let atlas_ping = Rc::new(AtlasSnapshot {
        source: SnapshotSource::Api {
            msm_id: 3_359_986,
            results_url: "https://atlas.ripe.net/api/v2/measurements/3359986/results/".to_string(),
        },
        fetched_at_unix_ms: 1_700_000_000_000,
        results_text: ATLAS_PING.to_string(),
        probes: parse_probes_page(ATLAS_PING_PROBES).probes,
        fetch_notes: Vec::new(),
        hop_lookups: Vec::new(),
        hop_names: Vec::new(),
    });
    cells.push(cell(
        0,
        CellBody::Measure(MeasureCell::again_from_atlas(&atlas_ping).expect("a repeatable ping")),
    ));
    let investigation =
        vantage::notebook::template::investigation("telegram.org").expect("a valid target");
    cells.extend(investigation.cells);
    cells.push(note(
        0,
        "A closing note with a [link](https://example.org/).",
    ));
    notebook.cells = cells
        .into_iter()
        .zip(1..)
        .map(|(cell, id)| Cell {
            id: CellId(id),
            body: cell.body,
        })
        .collect();
    notebook
}
