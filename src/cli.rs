//! The `vantage` command line: `vantage analyze FILE [--probes PROBES.json]` reads Atlas results (a
//! JSON array or one result per line) and prints one JSON object with per-result figures and
//! diagnostics (for DNS: RCODE, answers, response time, per resolver), plus continent summaries when
//! probe metadata is given. It shares the core with the browser app, so anything the notebook shows
//! can be scripted and tested on files.

use std::io::Write;

use serde_json::{Value, json};

use crate::atlas::dns::{DnsResponse, observations_by_question};
use crate::atlas::probes::parse_probes_page;
use crate::atlas::{AtlasResult, DnsResult, parse_results};
use crate::dns::Question;
use crate::dns::matrix::{self, Observation};
use crate::latency::{by_continent, per_probe};

const USAGE: &str = "\
usage: vantage analyze RESULTS [--probes PROBES.json]

  RESULTS   RIPE Atlas results (ping, traceroute or DNS): the JSON array from
            /api/v2/measurements/ID/results/ (or /latest/), or one JSON result per line
  --probes  probe metadata (/api/v2/probes/ page or a JSON array of probes):
            adds per-continent summaries of the per-probe minimum RTT

Prints one JSON object: {\"results\": [...], \"diagnostics\": [...]} (and \"continents\": [...]);
DNS results add \"answer_matrices\": per question, the answer sets and a verdict.
Exit status 0 when the file was read, even if some results are diagnostics; 2 on bad usage or an
unreadable file.";

/// Runs with the real standard streams and returns the exit code.
pub fn main_with_args(args: &[String]) -> i32 {
    run(
        args,
        &mut std::io::stdout().lock(),
        &mut std::io::stderr().lock(),
    )
}

fn result_json(result: &AtlasResult) -> Value {
    match result {
        AtlasResult::Ping(ping) => json!({
            "type": "ping",
            "prb_id": ping.prb_id,
            "msm_id": ping.msm_id,
            "timestamp": ping.timestamp,
            "af": ping.af,
            "dst_addr": ping.dst_addr,
            "sent": ping.sent,
            "rcvd": ping.received,
            "dup": ping.duplicates,
            "rtt_min": ping.rtt_min_ms,
            "rtt_median": ping.rtt_median_ms,
            "rtt_avg": ping.rtt_avg_ms,
            "rtt_max": ping.rtt_max_ms,
        }),
        AtlasResult::Traceroute(trace) => json!({
            "type": "traceroute",
            "prb_id": trace.prb_id,
            "msm_id": trace.msm_id,
            "timestamp": trace.timestamp,
            "af": trace.af,
            "dst_addr": trace.dst_addr,
            "hops": trace.total_hops(),
            "destination_responded": trace.destination_responded(),
            "last_rtt_median": trace.last_rtt_median_ms(),
            "hop_list": trace.hops.iter().map(|hop| json!({
                "ttl": hop.ttl,
                "from": hop.addresses(),
                "rtt_median": hop.rtt_median_ms(),
            })).collect::<Vec<_>>(),
        }),
        AtlasResult::Dns(dns) => {
            // The top-level figures are those of the primary response (the first decoded reply);
            // `responses` has every resolver of a resultset.
            let primary = dns.primary();
            json!({
                "type": "dns",
                "prb_id": dns.prb_id,
                "msm_id": dns.msm_id,
                "timestamp": dns.timestamp,
                "dst_addr": primary.and_then(|r| r.dst_addr.clone()),
                "rcode": primary.and_then(DnsResponse::rcode),
                "answers": primary.map(DnsResponse::answers).unwrap_or_default(),
                "rt_ms": primary.and_then(|r| r.rt_ms),
                "responses": dns.responses.iter().map(|response| json!({
                    "dst_addr": response.dst_addr,
                    "af": response.af,
                    "proto": response.proto,
                    "question": response.question(),
                    "rcode": response.rcode(),
                    "answers": response.answers(),
                    "rt_ms": response.rt_ms,
                    "nsid": response.message().and_then(|m| m.edns.as_ref()).and_then(|e| e.nsid.clone()),
                    "error": response.error(),
                })).collect::<Vec<_>>(),
            })
        }
    }
}

/// One question's answer matrix without its observations (the results above hold them): answer
/// sets, failures and the verdict.
fn matrix_json(question: Option<Question>, observations: Vec<Observation>) -> Value {
    let matrix = matrix::build(observations, &Default::default());
    json!({
        "question": question,
        "verdict": matrix.verdict,
        "answer_sets": matrix.groups.iter().map(|group| json!({
            "rcode": group.rcode,
            "records": group.records,
            "vantages": group.observations.len(),
            "countries": group.countries,
            "cname_chains": group.cname_chains,
        })).collect::<Vec<_>>(),
        "failures": matrix.failures.iter().map(|failure| json!({
            "reason": failure.reason,
            "vantages": failure.observations.len(),
        })).collect::<Vec<_>>(),
    })
}

pub fn run(args: &[String], stdout: &mut dyn Write, stderr: &mut dyn Write) -> i32 {
    let fail = |stderr: &mut dyn Write, message: &str| {
        let _ = writeln!(stderr, "vantage: {message}");
        2
    };
    match args.first().map(String::as_str) {
        Some("analyze") => {}
        Some("-h" | "--help" | "help") => {
            let _ = writeln!(stdout, "{USAGE}");
            return 0;
        }
        Some(other) => return fail(stderr, &format!("unknown command \"{other}\" (try --help)")),
        None => {
            let _ = writeln!(stderr, "{USAGE}");
            return 2;
        }
    }
    let mut results_path = None;
    let mut probes_path = None;
    let mut rest = args[1..].iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--probes" => match rest.next() {
                Some(path) => probes_path = Some(path.clone()),
                None => return fail(stderr, "--probes needs a file"),
            },
            flag if flag.starts_with("--") => {
                return fail(stderr, &format!("unknown option {flag}"));
            }
            path if results_path.is_none() => results_path = Some(path.to_string()),
            extra => return fail(stderr, &format!("unexpected argument \"{extra}\"")),
        }
    }
    let Some(results_path) = results_path else {
        return fail(stderr, "analyze needs a results file (try --help)");
    };
    let text = match std::fs::read(&results_path) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(error) => return fail(stderr, &format!("cannot read {results_path}: {error}")),
    };
    let parsed = parse_results(&text);
    let mut output = json!({
        "results": parsed.results.iter().map(result_json).collect::<Vec<_>>(),
        "diagnostics": parsed.diagnostics,
    });
    let page = match probes_path.as_deref().map(std::fs::read_to_string) {
        None => None,
        Some(Ok(text)) => Some(parse_probes_page(&text)),
        Some(Err(error)) => {
            let path = probes_path.unwrap_or_default();
            return fail(stderr, &format!("cannot read {path}: {error}"));
        }
    };
    let dns: Vec<DnsResult> = parsed
        .results
        .iter()
        .filter_map(|result| match result {
            AtlasResult::Dns(dns) => Some(dns.clone()),
            _ => None,
        })
        .collect();
    if !dns.is_empty() {
        let probes = page
            .as_ref()
            .map(|page| page.probes.as_slice())
            .unwrap_or_default();
        output["answer_matrices"] = json!(
            observations_by_question(&dns, probes)
                .into_iter()
                .map(|(question, observations)| matrix_json(question, observations))
                .collect::<Vec<_>>()
        );
    }
    if let Some(page) = page {
        let samples: Vec<_> = parsed.results.iter().map(AtlasResult::latency).collect();
        let rows = per_probe(&samples, &page.probes);
        output["continents"] = json!(by_continent(&rows));
        output["probe_diagnostics"] = json!(page.diagnostics);
    }
    match serde_json::to_string(&output) {
        Ok(text) => {
            let _ = writeln!(stdout, "{text}");
            0
        }
        Err(error) => fail(stderr, &format!("cannot write the output: {error}")),
    }
}
