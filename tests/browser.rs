//! In-browser component tests (wasm-bindgen-test in headless Chromium): what needs a real DOM. The
//! components are mounted alone and inspected; logic is tested natively in the core.
// Test code: a failed expectation should stop the test with its message.
#![allow(clippy::expect_used, clippy::unwrap_used)]
#![cfg(target_arch = "wasm32")]

use std::rc::Rc;

use vantage::atlas::probes::parse_probes_page;
use vantage::infer::{Inference, infer, observations_from_latency};
use vantage::notebook::{AtlasSnapshot, InferenceChoices, SnapshotSource};
use vantage::ui::inference_view::{InferenceView, InferenceViewProps};
use vantage::ui::latency_view::{LatencyView, LatencyViewProps};
use vantage::ui::markdown_view::{MarkdownView, MarkdownViewProps};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const PING: &str = include_str!("fixtures/atlas/ping_latest_msm3359986.json");
const PING_PROBES: &str = include_str!("fixtures/atlas/probes_page_msm3359986.json");

fn document() -> web_sys::Document {
    web_sys::window()
        .and_then(|w| w.document())
        .expect("a document")
}

/// A fresh element to mount into.
fn mount_point() -> web_sys::Element {
    let div = document().create_element("div").expect("a div");
    document()
        .body()
        .expect("a body")
        .append_child(&div)
        .expect("appended");
    div
}

/// Lets yew's scheduler and the effects run: resolves on the next macrotask.
async fn next_tick() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = web_sys::window()
            .expect("a window")
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

async fn settle() {
    for _ in 0..5 {
        next_tick().await;
    }
}

/// Regression (issue 17): 100,000 unmatched `[` were 100,000 DOM text nodes (a 5 KB link froze
/// the page for a minute); now one. A note of more nodes than the display limit says it is truncated.
#[wasm_bindgen_test]
async fn hostile_notes_make_few_dom_nodes_and_say_when_truncated() {
    let root = mount_point();
    yew::Renderer::<MarkdownView>::with_root_and_props(
        root.clone(),
        MarkdownViewProps {
            source: "[".repeat(100_000).into(),
        },
    )
    .render();
    settle().await;
    let paragraph = root
        .query_selector("p")
        .expect("query")
        .expect("a paragraph");
    assert_eq!(paragraph.child_nodes().length(), 1);
    assert_eq!(paragraph.text_content().unwrap_or_default().len(), 100_000);
    assert!(
        root.query_selector(".note-truncated")
            .expect("query")
            .is_none()
    );

    let root = mount_point();
    yew::Renderer::<MarkdownView>::with_root_and_props(
        root.clone(),
        MarkdownViewProps {
            source: "`c` "
                .repeat(vantage::markdown::MAX_DISPLAY_NODES * 2)
                .into(),
        },
    )
    .render();
    settle().await;
    let shown = root.query_selector_all("code").expect("query").length() as usize;
    assert!(
        shown < vantage::markdown::MAX_DISPLAY_NODES,
        "{shown} code nodes"
    );
    let notice = root
        .query_selector(".note-truncated")
        .expect("query")
        .expect("the notice");
    assert!(
        notice
            .text_content()
            .unwrap_or_default()
            .contains("Note truncated for display")
    );
}

#[wasm_bindgen_test]
async fn hostile_markdown_renders_as_inert_text() {
    let root = mount_point();
    let source = "# Title\n\n<script>window.__pwned = 1</script>\n\n<img src=\"http://127.0.0.1:9/x.png\" onerror=\"window.__pwned = 2\">\n\n![pixel](http://127.0.0.1:9/p.png)\n\n[bad](javascript:window.__pwned=3) [good](https://example.org/)";
    yew::Renderer::<MarkdownView>::with_root_and_props(
        root.clone(),
        MarkdownViewProps {
            source: source.into(),
        },
    )
    .render();
    settle().await;
    assert_eq!(
        root.query_selector_all("script, img, iframe")
            .expect("query")
            .length(),
        0
    );
    let links = root.query_selector_all("a[href]").expect("query");
    assert_eq!(links.length(), 1, "only the https link is live");
    let link: web_sys::Element = links
        .get(0)
        .expect("a link")
        .dyn_into()
        .expect("an element");
    assert_eq!(
        link.get_attribute("href").as_deref(),
        Some("https://example.org/")
    );
    assert_eq!(
        link.get_attribute("rel").as_deref(),
        Some("noopener noreferrer nofollow")
    );
    let text = root.text_content().unwrap_or_default();
    assert!(
        text.contains("<script>window.__pwned = 1</script>"),
        "raw HTML is shown as text: {text}"
    );
    assert!(
        text.contains("http://127.0.0.1:9/p.png"),
        "a blocked image names its address"
    );
    let pwned =
        js_sys::Reflect::get(&web_sys::window().expect("window"), &"__pwned".into()).expect("get");
    assert!(pwned.is_undefined());
}

#[wasm_bindgen_test]
async fn a_ping_snapshot_renders_map_and_tables() {
    let root = mount_point();
    let snapshot = Rc::new(AtlasSnapshot {
        source: SnapshotSource::Pasted,
        fetched_at_unix_ms: 1_453_256_545_000,
        results_text: PING.to_string(),
        probes: parse_probes_page(PING_PROBES).probes,
        fetch_notes: Vec::new(),
        hop_lookups: Vec::new(),
        hop_names: Vec::new(),
    });
    yew::Renderer::<LatencyView>::with_root_and_props(
        root.clone(),
        LatencyViewProps {
            snapshot,
            choices: Default::default(),
            on_choices: None,
            on_lookup_hops: None,
        },
    )
    .render();
    settle().await;
    let headline = root
        .query_selector(".headline")
        .expect("query")
        .expect("a headline");
    assert!(
        headline
            .text_content()
            .unwrap_or_default()
            .contains("Ping measurement 3359986"),
        "{:?}",
        headline.text_content()
    );
    // Europe: 5 probes, 5 responding, min 14.3 ms (probe 13939), median 30.3 ms.
    let europe = root
        .query_selector(".continent-table tbody tr")
        .expect("query")
        .expect("a Europe row")
        .text_content()
        .unwrap_or_default();
    assert!(europe.starts_with("Europe5514.3"), "{europe}");
    assert!(europe.contains("30.3"), "{europe}");
    assert_eq!(
        root.query_selector_all(".probe-table tbody tr")
            .expect("query")
            .length(),
        5
    );
    // The canvas was painted: land, markers and legend give many distinct colours.
    let (colours, _) = canvas_colours(&root, (0, 0, 0));
    assert!(
        colours > 10,
        "only {colours} colours: the map was not drawn"
    );
}

fn ping_inference(choices: InferenceChoices) -> Rc<Inference> {
    let analysis = vantage::latency::analyse(PING, &parse_probes_page(PING_PROBES).probes);
    let (observations, _) = observations_from_latency(&analysis.probes);
    Rc::new(infer(&observations, &choices.assumptions()))
}

#[wasm_bindgen_test]
async fn the_inference_states_its_verdict_and_sends_a_changed_fiber_factor() {
    let root = mount_point();
    let inference = ping_inference(InferenceChoices::default());
    let chosen = Rc::new(std::cell::RefCell::new(Vec::<InferenceChoices>::new()));
    let on_choices = {
        let chosen = chosen.clone();
        yew::Callback::from(move |choices| chosen.borrow_mut().push(choices))
    };
    yew::Renderer::<InferenceView>::with_root_and_props(
        root.clone(),
        InferenceViewProps {
            inference: inference.clone(),
            choices: InferenceChoices::default(),
            on_choices: Some(on_choices),
        },
    )
    .render();
    settle().await;
    let section = root
        .query_selector("section.inference")
        .expect("query")
        .expect("the inference section");
    assert_eq!(
        section.get_attribute("data-verdict").as_deref(),
        Some(inference.verdict.code())
    );
    let text = section.text_content().unwrap_or_default();
    assert!(text.contains(&inference.summary), "{text}");
    assert!(
        text.contains("Europe"),
        "the presence table names the continent: {text}"
    );

    // Moving the slider sends the new factor, clamped like any untrusted value.
    let slider: web_sys::HtmlInputElement = root
        .query_selector("input[name=\"fiber-factor\"]")
        .expect("query")
        .expect("the fiber-factor slider")
        .dyn_into()
        .expect("an input");
    assert!(!slider.disabled());
    slider.set_value("0.8");
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let input = web_sys::Event::new_with_event_init_dict("input", &init).expect("an event");
    slider.dispatch_event(&input).expect("dispatched");
    settle().await;
    assert_eq!(
        chosen.borrow().as_slice(),
        &[InferenceChoices { fiber_factor: 0.8 }]
    );
}

#[wasm_bindgen_test]
async fn a_read_only_inference_cannot_be_tuned() {
    let root = mount_point();
    yew::Renderer::<InferenceView>::with_root_and_props(
        root.clone(),
        InferenceViewProps {
            inference: ping_inference(InferenceChoices { fiber_factor: 1.0 }),
            choices: InferenceChoices { fiber_factor: 1.0 },
            on_choices: None,
        },
    )
    .render();
    settle().await;
    let slider: web_sys::HtmlInputElement = root
        .query_selector("input[name=\"fiber-factor\"]")
        .expect("query")
        .expect("the slider")
        .dyn_into()
        .expect("an input");
    assert!(slider.disabled());
    assert_eq!(slider.value().parse::<f64>().ok(), Some(1.0));
}

const ALICDN: &str =
    include_str!("fixtures/doh/google-json_A_with-edns_client_subnet_img.alicdn.com.json");
const NETWORK_INFO: &str = include_str!("fixtures/ripestat/network-info.json");
const PREFIX_OVERVIEW: &str = include_str!("fixtures/ripestat/prefix-overview.json");

/// A DNS snapshot as a run would store it: Google for one country per continent answered with the
/// recorded reply, Cloudflare throttled, and the recorded RIPEstat responses for the origins.
fn dns_snapshot() -> vantage::notebook::DnsSnapshot {
    use vantage::dns::fanout::Transport;
    use vantage::notebook::dns::{DohExchange, LookupOutcome, RipestatCall, RipestatLookup};
    let request = vantage::notebook::DnsRequest {
        name: "img.alicdn.com".into(),
        ..Default::default()
    };
    let planned = request
        .plan(&vantage::settings::Settings::default())
        .expect("a valid request");
    let exchanges: Vec<DohExchange> = planned
        .iter()
        .map(|query| {
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
            DohExchange::of(query, 1_700_000_000_000, Some(25.0), transport)
        })
        .collect();
    let lookup = |call: RipestatCall, resource: &str, text: &str| {
        let outcome = LookupOutcome::Response {
            status: 200,
            text: text.into(),
        };
        RipestatLookup::of(
            call,
            "https://stat.ripe.net",
            resource,
            1_700_000_001_000,
            outcome,
        )
    };
    vantage::notebook::DnsSnapshot {
        name: "img.alicdn.com".into(),
        started_at_unix_ms: 1_700_000_000_000,
        finished_at_unix_ms: 1_700_000_001_000,
        planned_queries: planned.len(),
        cancelled: false,
        exchanges,
        controls: Vec::new(),
        origin_lookups: vec![
            lookup(RipestatCall::NetworkInfo, "111.32.130.108", NETWORK_INFO),
            lookup(RipestatCall::NetworkInfo, "111.32.130.109", NETWORK_INFO),
            lookup(
                RipestatCall::PrefixOverview,
                "140.78.0.0/16",
                PREFIX_OVERVIEW,
            ),
        ],
        origins_fetched_at_unix_ms: Some(1_700_000_001_000),
        notes: Vec::new(),
    }
}

fn text_of(root: &web_sys::Element, selector: &str) -> String {
    root.query_selector(selector)
        .expect("query")
        .expect("the selector matches a rendered element")
        .text_content()
        .unwrap_or_default()
}

/// Distinct colours in the first canvas under `root`, and the count of pixels of one colour.
fn canvas_colours(root: &web_sys::Element, rgb: (u8, u8, u8)) -> (usize, usize) {
    let canvas: web_sys::HtmlCanvasElement = root
        .query_selector("canvas")
        .expect("query")
        .expect("a canvas")
        .dyn_into()
        .expect("a canvas");
    let context: web_sys::CanvasRenderingContext2d = canvas
        .get_context("2d")
        .expect("2d")
        .expect("2d")
        .dyn_into()
        .expect("2d");
    let pixels = context
        .get_image_data(
            0.0,
            0.0,
            f64::from(canvas.width()),
            f64::from(canvas.height()),
        )
        .expect("pixels")
        .data();
    let mut colours = std::collections::HashSet::new();
    let mut matching = 0;
    for pixel in pixels.0.chunks(4) {
        colours.insert((pixel[0], pixel[1], pixel[2]));
        if (pixel[0], pixel[1], pixel[2]) == rgb {
            matching += 1;
        }
    }
    (colours.len(), matching)
}

#[wasm_bindgen_test]
async fn a_dns_snapshot_renders_its_verdict_matrix_ecs_and_map() {
    use vantage::ui::dns_view::{DnsSnapshotView, DnsSnapshotViewProps};
    let root = mount_point();
    yew::Renderer::<DnsSnapshotView>::with_root_and_props(
        root.clone(),
        DnsSnapshotViewProps {
            snapshot: Rc::new(dns_snapshot()),
        },
    )
    .render();
    settle().await;
    let section = root
        .query_selector("section.answer-matrix")
        .expect("query")
        .expect("the matrix");
    assert_eq!(
        section.get_attribute("data-verdict").as_deref(),
        Some("consistent")
    );
    // Six continents have a subnet in the shipped table; the recorded reply has two addresses.
    let verdict = text_of(&root, ".answer-matrix .verdict");
    assert!(
        verdict.starts_with("The same 2 addresses from all 6 vantages in 6 continents"),
        "{verdict}"
    );
    // The throttled Cloudflare query observed the way to Cloudflare, not the name: said apart.
    let failures = text_of(&root, ".answer-matrix .failures");
    assert!(
        failures.contains("this browser could not reach Cloudflare (1 of 1 query: HTTP 429)"),
        "{failures}"
    );
    let origins = root
        .query_selector_all(".answer-sets .origin")
        .expect("query");
    assert_eq!(origins.length(), 2);
    let origin = origins
        .get(0)
        .and_then(|node| node.text_content())
        .unwrap_or_default();
    assert!(
        origin.starts_with("AS1205, AS3333 RIPE-NCC-AS") && origin.ends_with("140.78.0.0/16"),
        "{origin}"
    );
    assert_eq!(
        root.query_selector_all(".vantage-table tbody tr")
            .expect("query")
            .length(),
        7,
        "six Google vantages and the Cloudflare query that never got through"
    );
    let throttled = text_of(&root, "tr.vantage.failed[data-resolver=\"Cloudflare\"]");
    assert!(
        throttled.contains("resolver not reached") && throttled.contains("HTTP 429"),
        "{throttled}"
    );
    let google = text_of(&root, ".ecs-table tr[data-resolver=\"Google\"]");
    assert!(
        google.contains("/24") && google.contains("honoured"),
        "{google}"
    );
    // The vantages are drawn in the first answer set's colour.
    let first = vantage::chart::scale::category_rgb(0);
    let (colours, first_pixels) = canvas_colours(&root, first);
    assert!(
        colours > 10,
        "only {colours} colours: the map was not drawn"
    );
    assert!(first_pixels > 20, "{first_pixels} pixels of the first set");
    assert!(text_of(&root, ".provenance").contains("RIPEstat"));
}

#[wasm_bindgen_test]
async fn an_atlas_dns_snapshot_shows_one_matrix_per_question() {
    use vantage::ui::dns_view::{AtlasDnsView, AtlasDnsViewProps};
    let root = mount_point();
    let snapshot = Rc::new(AtlasSnapshot {
        source: SnapshotSource::Pasted,
        fetched_at_unix_ms: 1_390_308_925_000,
        results_text: include_str!("fixtures/atlas/dns_latest_msm1421267.json").to_string(),
        probes: parse_probes_page(include_str!("fixtures/atlas/probes_page_msm1421267.json"))
            .probes,
        fetch_notes: Vec::new(),
        hop_lookups: Vec::new(),
        hop_names: Vec::new(),
    });
    yew::Renderer::<AtlasDnsView>::with_root_and_props(
        root.clone(),
        AtlasDnsViewProps { snapshot },
    )
    .render();
    settle().await;
    // dnspython: three replies for www.ripe.net. A with 193.0.6.139; probe 10024 timed out.
    assert_eq!(text_of(&root, "h4.question"), "www.ripe.net. A");
    assert_eq!(text_of(&root, ".answer-sets .record"), "193.0.6.139");
    let failed = text_of(&root, "tr.vantage.failed");
    assert!(failed.contains("probe 10024"), "{failed}");
    assert!(
        root.query_selector(".ecs-table").expect("query").is_none(),
        "no ECS table for Atlas probes"
    );
}

fn routing_lookup(
    call: vantage::notebook::dns::RipestatCall,
    resource: &str,
    status: u16,
    text: &str,
) -> vantage::notebook::dns::RipestatLookup {
    vantage::notebook::dns::RipestatLookup::of(
        call,
        "https://stat.ripe.net",
        resource,
        1_700_000_000_000,
        vantage::notebook::dns::LookupOutcome::Response {
            status,
            text: text.to_string(),
        },
    )
}

#[wasm_bindgen_test]
async fn a_routing_snapshot_shows_its_routes_communities_and_failed_call_inertly() {
    use vantage::notebook::RoutingSnapshot;
    use vantage::notebook::dns::RipestatCall;
    use vantage::notebook::routing::{AsRemarks, CommunityRemarks, RemarksOutcome};
    use vantage::paths::remarks::{AutNumMeanings, RemarkMeaning};
    use vantage::ripestat::whois::ProseKey;
    use vantage::ui::routing_view::{RoutingSnapshotView, RoutingSnapshotViewProps};
    let root = mount_point();
    // A hostile prefix-overview (markup in the holder) must render as text.
    let hostile = r#"{"status":"ok","data_call_name":"prefix-overview","data":{"resource":"140.78.0.0/16","announced":true,
        "asns":[{"asn":1205,"holder":"<img src=x onerror=\"window.__pwned=1\">ACOnet"}]}}"#;
    let snapshot = RoutingSnapshot {
        resource: "140.78.0.0/16".into(),
        started_at_unix_ms: 1_700_000_000_000,
        finished_at_unix_ms: 1_700_000_001_000,
        cancelled: false,
        lookups: vec![
            routing_lookup(RipestatCall::PrefixOverview, "140.78.0.0/16", 200, hostile),
            routing_lookup(
                RipestatCall::LookingGlass,
                "140.78.0.0/16",
                200,
                include_str!("fixtures/ripestat/looking-glass.TRIMMED.json"),
            ),
            routing_lookup(RipestatCall::RoutingStatus, "140.78.0.0/16", 500, "oops"),
        ],
        notes: Vec::new(),
        // SYNTHETIC: a shared report's stored remark meaning with markup in it, and one AS whose
        // remarks could not be read.
        community_remarks: Some(CommunityRemarks {
            fetched_at_unix_ms: 1_700_000_001_000,
            ases: vec![
                AsRemarks {
                    asn: 59919,
                    url: "https://stat.ripe.net/data/whois/data.json?resource=AS59919".into(),
                    outcome: RemarksOutcome::Read {
                        aut_nums: vec![AutNumMeanings {
                            asn: 59919,
                            source: "RIPE".into(),
                            lines_read: 1,
                            meanings: vec![RemarkMeaning {
                                key: "59919:65002".into(),
                                meaning: "<b>bold</b> route".into(),
                                line: "59919:65002 <b>bold</b> route <img src=x onerror=\"window.__pwned=1\">".into(),
                                attribute: ProseKey::Remarks,
                            }],
                        }],
                    },
                },
                AsRemarks {
                    asn: 1120,
                    url: "https://stat.ripe.net/data/whois/data.json?resource=AS1120".into(),
                    outcome: RemarksOutcome::Failed {
                        reason: "HTTP 404 from RIPEstat".into(),
                    },
                },
            ],
            not_asked: Vec::new(),
        }),
    };
    yew::Renderer::<RoutingSnapshotView>::with_root_and_props(
        root.clone(),
        RoutingSnapshotViewProps {
            snapshot: Rc::new(snapshot),
        },
    )
    .render();
    settle().await;
    let summary = text_of(&root, ".routing-view .summary");
    assert!(
        summary.starts_with("140.78.0.0/16 is originated by AS1205 (<img"),
        "{summary}"
    );
    assert!(root.query_selector("img").expect("query").is_none());
    assert_eq!(
        root.query_selector_all("table.looking-glass")
            .expect("query")
            .length(),
        3
    );
    assert_eq!(
        root.query_selector_all("tr.route").expect("query").length(),
        9
    );
    let first = text_of(&root, "tr.route li.community");
    assert!(
        first.starts_with("34854:1000") && first.contains("meaning not in the dictionary"),
        "{first}"
    );
    let failed = text_of(&root, "tr.lookup.failed");
    assert!(
        failed.contains("routing-status") && failed.contains("HTTP 500"),
        "{failed}"
    );
    // The remark is the evidence, shown as text; its failure is one line, not a lookup row.
    assert_eq!(
        text_of(&root, "li.community.known code.remark"),
        "59919:65002 <b>bold</b> route <img src=x onerror=\"window.__pwned=1\">"
    );
    let known = text_of(&root, "li.community.known");
    assert!(
        known.contains("<b>bold</b> route (from the aut-num remarks of AS59919 (source: RIPE via RIPEstat whois): "),
        "{known}"
    );
    assert!(root.query_selector("b").expect("query").is_none());
    assert_eq!(
        text_of(&root, ".remarks-note"),
        "Aut-num remarks not read for AS1120 (HTTP 404 from RIPEstat)."
    );
    assert_eq!(
        root.query_selector_all("tr.lookup")
            .expect("query")
            .length(),
        3
    );
    let pwned = js_sys::Reflect::get(&web_sys::window().expect("a window"), &"__pwned".into())
        .expect("readable");
    assert!(pwned.is_undefined());
}
