//! The `vantage` command line. `vantage analyze FILE [--probes PROBES.json]` reads Atlas results (a
//! JSON array or one result per line) and prints one JSON object with per-result figures and
//! diagnostics (for DNS: RCODE, answers, response time, per resolver, and an answer matrix per
//! question), plus continent summaries when probe metadata is given. `vantage locate FILE [--probes
//! PROBES.json] [--fiber-factor F]` prints what the latencies prove about where the target is (one
//! site, anycast, or inconclusive), from Atlas results or from a CSV/TSV table of probe positions and
//! minimum RTTs. `vantage paths FILE [--probes PROBES.json] [--names NAMES.json] [--origins
//! ORIGINS.json] [--neighbours ASN-NEIGHBOURS.json]` prints each traceroute's hop table with location
//! hints from router names (names come from a file: the command line makes no DNS queries), where the
//! paths converge before the target, the map polylines, and the crossings of the origin's BGP
//! neighbours. It shares the core with the browser app, so anything the notebook shows can be
//! scripted and tested on files; it only reads files and writes the two standard streams.

use std::io::Write;

use serde_json::{Value, json};

use crate::atlas::dns::{DnsResponse, observations_by_question};
use crate::atlas::probes::{ProbesPage, parse_probes_page};
use crate::atlas::{AtlasResult, DnsResult, parse_results};
use crate::dns::Question;
use crate::dns::matrix::{self, Observation};
use crate::infer::{self, Assumptions};
use crate::latency::{analyse, by_continent, per_probe};
use crate::paths::{self, HopOrigin, PathContext};

const USAGE: &str = "\
usage: vantage analyze RESULTS [--probes PROBES.json]
       vantage locate FILE [--probes PROBES.json] [--fiber-factor F]
       vantage paths RESULTS [--probes PROBES.json] [--names NAMES.json] [--origins ORIGINS.json]
                     [--neighbours ASN-NEIGHBOURS.json] [--fiber-factor F] [--window N]
       vantage report NOTEBOOK.vantage.json

analyze   per-result figures of RIPE Atlas results
  RESULTS   RIPE Atlas results (ping, traceroute or DNS): the JSON array from
            /api/v2/measurements/ID/results/ (or /latest/), or one JSON result per line
  --probes  probe metadata (/api/v2/probes/ page or a JSON array of probes):
            adds per-continent summaries of the per-probe minimum RTT
  Prints {\"results\": [...], \"diagnostics\": [...]} (and \"continents\": [...]); DNS
  results add \"answer_matrices\": per question, the answer sets and a verdict. Traceroutes give
  \"hops\" (the number of hop entries), \"destination_responded\", \"last_rtt_median\" and
  \"hop_list\": per hop {\"ttl\", \"from\": [addresses], \"rtt_median\"}.
  RESULTS may also be a Globalping measurement (GET /v1/measurements/ID): its results are read
  as Atlas results (probe i is probe i+1, placed at its GeoIP position, so continents need no
  --probes), \"globalping\" names the measurement, and an HTTP check adds \"http\": the verdict
  and per location the status and timings.

locate    what the latencies prove: one site, anycast (how many sites, where), or inconclusive
  FILE      Atlas ping/traceroute results (then --probes is required, for the probe positions),
            or a CSV/TSV/semicolon table whose header names an id (id, probe, #hostname), a
            latitude (lat), a longitude (lon, lng) and a minimum RTT in ms (rtt, min_rtt,
            min(rtt)[ms]); other columns are ignored
  --fiber-factor F  assumed signal speed as a fraction of c (default 0.667, kept within 0.3-1)
  Prints {\"verdict\": \"one-site\"|\"anycast\"|\"inconclusive\", \"sites\": [...],
  \"evidence\": {...}, \"presence\": [...], \"summary\": \"...\", \"diagnostics\": [...], ...}.

paths     traceroute paths: per probe the hop table with location hints, and where paths converge
  RESULTS   RIPE Atlas traceroute results (other types are skipped with a diagnostic)
  --probes  probe metadata: the probe positions the hints are checked against (without it every
            hint is \"unchecked\")
  --names   reverse-DNS names: a JSON object {\"address\": \"name\", ...} (or {\"names\": {...}})
  --origins hop owners: a JSON object {\"address\": {\"asn\": N, \"holder\": \"...\", \"prefix\": \"...\"}}
  --neighbours  a RIPEstat asn-neighbours response for the target's origin AS: adds \"crossings\"
  --fiber-factor F  assumed signal speed as a fraction of c (default 0.667)
  --window N  answering hops before the target compared across probes (default 3)
  Prints {\"probes\": [...], \"convergence\": {..., \"summary\": \"...\"}, \"map_paths\": [...],
  \"diagnostics\": [...]}.

report    a saved notebook (the app's \"Save file\") as the Markdown report its Share panel downloads:
          the notes as written and, per measurement cell, headline, provenance, tables and verdicts

Exit status 0 when the file was read, even if some entries are diagnostics; 2 on bad usage or an
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

fn fail(stderr: &mut dyn Write, message: &str) -> i32 {
    let _ = writeln!(stderr, "vantage: {message}");
    2
}

fn read_text(path: &str) -> Result<String, String> {
    std::fs::read(path)
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        .map_err(|error| format!("cannot read {path}: {error}"))
}

fn print_json(output: &Value, stdout: &mut dyn Write, stderr: &mut dyn Write) -> i32 {
    match serde_json::to_string(output) {
        Ok(text) => {
            let _ = writeln!(stdout, "{text}");
            0
        }
        Err(error) => fail(stderr, &format!("cannot write the output: {error}")),
    }
}

/// The arguments both commands share: one input file, `--probes`, and (for `locate`) options with a
/// value, returned as (flag, value) pairs for the command to interpret.
struct Arguments {
    input: String,
    probes: Option<String>,
    options: Vec<(String, String)>,
}

fn parse_arguments(command: &str, args: &[String], options: &[&str]) -> Result<Arguments, String> {
    let mut input = None;
    let mut probes = None;
    let mut values = Vec::new();
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--probes" => match rest.next() {
                Some(path) => probes = Some(path.clone()),
                None => return Err("--probes needs a file".to_string()),
            },
            flag if options.contains(&flag) => match rest.next() {
                Some(value) => values.push((flag.to_string(), value.clone())),
                None => return Err(format!("{flag} needs a value")),
            },
            flag if flag.starts_with("--") => return Err(format!("unknown option {flag}")),
            path if input.is_none() => input = Some(path.to_string()),
            extra => return Err(format!("unexpected argument \"{extra}\"")),
        }
    }
    let Some(input) = input else {
        let what = if command == "analyze" || command == "paths" {
            "a results file"
        } else {
            "a file"
        };
        return Err(format!("{command} needs {what} (try --help)"));
    };
    Ok(Arguments {
        input,
        probes,
        options: values,
    })
}

pub fn run(args: &[String], stdout: &mut dyn Write, stderr: &mut dyn Write) -> i32 {
    match args.first().map(String::as_str) {
        Some("analyze") => analyze(&args[1..], stdout, stderr),
        Some("locate") => locate(&args[1..], stdout, stderr),
        Some("paths") => paths_command(&args[1..], stdout, stderr),
        Some("report") => report_command(&args[1..], stdout, stderr),
        Some("-h" | "--help" | "help") => {
            let _ = writeln!(stdout, "{USAGE}");
            0
        }
        Some(other) => fail(stderr, &format!("unknown command \"{other}\" (try --help)")),
        None => {
            let _ = writeln!(stderr, "{USAGE}");
            2
        }
    }
}

fn report_command(args: &[String], stdout: &mut dyn Write, stderr: &mut dyn Write) -> i32 {
    let arguments = match parse_arguments("report", args, &[]) {
        Ok(arguments) => arguments,
        Err(message) => return fail(stderr, &message),
    };
    if arguments.probes.is_some() {
        return fail(
            stderr,
            "report takes no --probes: the notebook holds its own data",
        );
    }
    let text = match read_text(&arguments.input) {
        Ok(text) => text,
        Err(message) => return fail(stderr, &message),
    };
    match crate::notebook::file::from_file_text(&text) {
        Ok(notebook) => {
            let _ = write!(
                stdout,
                "{}",
                crate::notebook::report::markdown(&notebook, None)
            );
            0
        }
        Err(error) => fail(
            stderr,
            &format!("{}: {}", arguments.input, error.user_message()),
        ),
    }
}

fn analyze(args: &[String], stdout: &mut dyn Write, stderr: &mut dyn Write) -> i32 {
    let arguments = match parse_arguments("analyze", args, &[]) {
        Ok(arguments) => arguments,
        Err(message) => return fail(stderr, &message),
    };
    let text = match read_text(&arguments.input) {
        Ok(text) => text,
        Err(message) => return fail(stderr, &message),
    };
    let globalping = globalping_input(&text);
    let text = globalping
        .as_ref()
        .map_or(text, |(_, form)| form.results_text.clone());
    let parsed = parse_results(&text);
    let mut output = json!({
        "results": parsed.results.iter().map(result_json).collect::<Vec<_>>(),
        "diagnostics": parsed.diagnostics,
    });
    let page = match arguments.probes.as_deref().map(read_text) {
        None => globalping.as_ref().map(|(_, form)| ProbesPage {
            probes: form.probes.clone(),
            next: None,
            count: None,
            diagnostics: Vec::new(),
        }),
        Some(Ok(text)) => Some(parse_probes_page(&text)),
        Some(Err(message)) => return fail(stderr, &message),
    };
    if let Some((measurement, form)) = &globalping {
        output["globalping"] = json!({
            "id": measurement.id,
            "type": measurement.test.map(|t| t.as_str()),
            "status": measurement.progress_line(),
            "target": measurement.target,
            "notes": form.notes.iter().chain(&measurement.diagnostics).collect::<Vec<_>>(),
        });
        let rows = crate::globalping::http::http_rows(measurement);
        if let Some(verdict) = crate::globalping::http::http_verdict(&rows) {
            output["http"] = json!({
                "verdict": verdict.headline,
                "by_status": verdict.by_status,
                "not_counted": verdict.not_counted,
                "rows": rows.iter().map(|row| json!({
                    "probe": row.probe.label(),
                    "continent": row.continent_name,
                    "status_code": row.status_code,
                    "status_class": row.status_code.map(|code| crate::globalping::http::StatusClass::of(code).label()),
                    "counted": row.counts(),
                    "outcome": row.outcome_text(),
                    "failure": row.failure,
                    "total_ms": row.timings.total_ms,
                    "dns_ms": row.timings.dns_ms,
                    "tcp_ms": row.timings.tcp_ms,
                    "tls_ms": row.timings.tls_ms,
                    "first_byte_ms": row.timings.first_byte_ms,
                })).collect::<Vec<_>>(),
            });
        }
    }
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
    print_json(&output, stdout, stderr)
}

/// A Globalping measurement (the `GET /v1/measurements/{id}` body) in the Atlas form, so every Atlas
/// analysis applies. Only an object with a string `id` and per-probe `results` is taken for one; Atlas
/// results (an array, or objects with `prb_id`) never are.
fn globalping_input(
    text: &str,
) -> Option<(
    crate::globalping::Measurement,
    crate::globalping::adapt::AtlasForm,
)> {
    let value: Value = serde_json::from_str(text).ok()?;
    let results = value.get("results")?.as_array()?;
    if !value.get("id")?.is_string() || !results.iter().all(|r| r.get("probe").is_some()) {
        return None;
    }
    let measurement = crate::globalping::measurement::parse_measurement(text).ok()?;
    let form = crate::globalping::adapt::atlas_form(&measurement);
    Some((measurement, form))
}

/// Whether a file is Atlas JSON rather than a table: JSON starts with an array or an object.
fn looks_like_json(text: &str) -> bool {
    matches!(text.trim_start().chars().next(), Some('[' | '{'))
}

fn locate(args: &[String], stdout: &mut dyn Write, stderr: &mut dyn Write) -> i32 {
    let arguments = match parse_arguments("locate", args, &["--fiber-factor"]) {
        Ok(arguments) => arguments,
        Err(message) => return fail(stderr, &message),
    };
    let mut assumptions = Assumptions::default();
    for (_, value) in &arguments.options {
        match value.parse::<f64>() {
            Ok(factor) if factor.is_finite() && factor > 0.0 => assumptions.fiber_factor = factor,
            _ => {
                return fail(
                    stderr,
                    &format!("--fiber-factor needs a positive number, not \"{value}\""),
                );
            }
        }
    }
    let text = match read_text(&arguments.input) {
        Ok(text) => text,
        Err(message) => return fail(stderr, &message),
    };
    // Diagnostics of the input, in the JSON form of their own module, ahead of the engine's.
    let mut diagnostics: Vec<Value> = Vec::new();
    let inferences = if looks_like_json(&text) {
        let Some(probes_path) = arguments.probes else {
            return fail(
                stderr,
                "locate needs --probes PROBES.json with Atlas results (the results carry no positions)",
            );
        };
        let probes_text = match read_text(&probes_path) {
            Ok(text) => text,
            Err(message) => return fail(stderr, &message),
        };
        let page = parse_probes_page(&probes_text);
        let analysis = analyse(&text, &page.probes);
        diagnostics.extend(analysis.diagnostics.iter().map(|d| json!(d)));
        diagnostics.extend(page.diagnostics.iter().map(|d| json!(d)));
        let (_, skipped) = infer::observations_from_latency(&analysis.probes);
        diagnostics.extend(skipped.iter().map(|d| json!(d)));
        let inferences = infer::infer_per_target(&analysis, &text, &page.probes, &assumptions);
        if inferences.is_empty() {
            return fail(
                stderr,
                "these results do not measure the way to a target: only ping and traceroute RTTs do \
                 (a DNS response time is the way to the probe's resolver)",
            );
        }
        inferences
    } else {
        let (observations, problems) = infer::parse_observation_table(&text);
        diagnostics.extend(problems.iter().map(|d| json!(d)));
        vec![infer::TargetInference {
            target: String::new(),
            observations: observations.len(),
            inference: std::rc::Rc::new(infer::infer(&observations, &assumptions)),
        }]
    };
    let mut output = match inferences.as_slice() {
        [only] => {
            diagnostics.extend(only.inference.diagnostics.iter().map(|d| json!(d)));
            json!(only.inference)
        }
        // Several targets: one inference each, never one across them.
        several => {
            let targets: Vec<Value> = several
                .iter()
                .map(|each| {
                    diagnostics.extend(each.inference.diagnostics.iter().map(|d| json!(d)));
                    let mut fields = json!(each.inference);
                    fields["target"] = json!(each.target);
                    fields
                })
                .collect();
            json!({ "targets": targets })
        }
    };
    output["diagnostics"] = Value::Array(diagnostics);
    print_json(&output, stdout, stderr)
}

/// Reads a JSON file of the `paths` command's maps, with the file named in errors.
fn read_json(path: &str) -> Result<Value, String> {
    let text = read_text(path)?;
    serde_json::from_str(&text).map_err(|error| format!("{path} is not valid JSON: {error}"))
}

/// Address → name from `{"address": "name"}` (or a list of names, the first kept), optionally
/// wrapped as `{"names": {...}}`; entries of other shapes are skipped.
fn names_map(value: &Value) -> std::collections::HashMap<String, String> {
    let object = value
        .get("names")
        .and_then(Value::as_object)
        .or_else(|| value.as_object());
    object
        .into_iter()
        .flatten()
        .filter_map(|(address, name)| {
            let name = match name {
                Value::String(name) => name.clone(),
                Value::Array(names) => names.first()?.as_str()?.to_string(),
                _ => return None,
            };
            Some((address.trim().to_string(), name))
        })
        .collect()
}

/// Address → origin from `{"address": {"asn": N, "holder": "...", "prefix": "..."}}` or
/// `{"address": N}`, optionally wrapped as `{"origins": {...}}`.
fn origins_map(value: &Value) -> std::collections::HashMap<String, HopOrigin> {
    let object = value
        .get("origins")
        .and_then(Value::as_object)
        .or_else(|| value.as_object());
    object
        .into_iter()
        .flatten()
        .filter_map(|(address, origin)| {
            let origin = match origin {
                Value::Number(n) => HopOrigin {
                    asn: u32::try_from(n.as_u64()?).ok()?,
                    holder: None,
                    prefix: None,
                },
                other => serde_json::from_value(other.clone()).ok()?,
            };
            Some((address.trim().to_string(), origin))
        })
        .collect()
}

fn paths_command(args: &[String], stdout: &mut dyn Write, stderr: &mut dyn Write) -> i32 {
    let options = [
        "--names",
        "--origins",
        "--neighbours",
        "--fiber-factor",
        "--window",
    ];
    let arguments = match parse_arguments("paths", args, &options) {
        Ok(arguments) => arguments,
        Err(message) => return fail(stderr, &message),
    };
    let mut context = PathContext::default();
    let mut window = paths::converge::DEFAULT_WINDOW;
    let mut neighbours = None;
    for (flag, value) in &arguments.options {
        match flag.as_str() {
            "--names" => match read_json(value) {
                Ok(json) => context.names = names_map(&json),
                Err(message) => return fail(stderr, &message),
            },
            "--origins" => match read_json(value) {
                Ok(json) => context.origins = origins_map(&json),
                Err(message) => return fail(stderr, &message),
            },
            "--neighbours" => {
                let parsed = read_text(value).and_then(|text| {
                    crate::ripestat::asn_neighbours::parse(&text)
                        .map_err(|error| format!("{value}: {error}"))
                });
                match parsed {
                    Ok(parsed) => neighbours = Some(parsed),
                    Err(message) => return fail(stderr, &message),
                }
            }
            "--fiber-factor" => match value.parse::<f64>() {
                Ok(factor) if factor.is_finite() && factor > 0.0 => {
                    context.fiber_factor = factor.clamp(0.3, 1.0);
                }
                _ => {
                    return fail(
                        stderr,
                        &format!("--fiber-factor needs a positive number, not \"{value}\""),
                    );
                }
            },
            _ => match value.parse::<usize>() {
                Ok(n) if (1..=64).contains(&n) => window = n,
                _ => {
                    return fail(
                        stderr,
                        &format!("--window needs a whole number from 1 to 64, not \"{value}\""),
                    );
                }
            },
        }
    }
    let text = match read_text(&arguments.input) {
        Ok(text) => text,
        Err(message) => return fail(stderr, &message),
    };
    let page = match arguments.probes.as_deref().map(read_text) {
        None => None,
        Some(Ok(text)) => Some(parse_probes_page(&text)),
        Some(Err(message)) => return fail(stderr, &message),
    };
    let parsed = parse_results(&text);
    let mut diagnostics: Vec<Value> = parsed.diagnostics.iter().map(|d| json!(d)).collect();
    let mut traces = Vec::new();
    for result in &parsed.results {
        match result {
            AtlasResult::Traceroute(trace) => traces.push(trace.clone()),
            other => diagnostics.push(json!({
                "prb_id": other.prb_id(),
                "kind": "unsupported",
                "reason": format!("a {} result has no path; only traceroutes are read", other.kind()),
            })),
        }
    }
    let probes = page
        .as_ref()
        .map(|page| page.probes.as_slice())
        .unwrap_or_default();
    let probe_paths = paths::probe_paths(&traces, probes, &context);
    let convergence = paths::converge(&probe_paths, window);
    let mut output = json!({
        "assumptions": {
            "fiber_factor": context.fiber_factor,
            "hint_tolerance_km": paths::hints::HINT_TOLERANCE_KM,
            "window": window,
        },
        "probes": probe_paths,
        "convergence": convergence,
        "map_paths": paths::map_paths(&probe_paths, None),
        "diagnostics": diagnostics,
    });
    if let Some(neighbours) = neighbours {
        output["crossings"] = json!(crate::notebook::hops::crossings_at_own_origin(
            &probe_paths,
            &context.origins,
            std::slice::from_ref(&neighbours),
        ));
    }
    if let Some(page) = page {
        output["probe_diagnostics"] = json!(page.diagnostics);
    }
    print_json(&output, stdout, stderr)
}
