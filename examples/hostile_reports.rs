//! Writes the exports of a hostile corpus for the report oracle (`.ci/report-oracle.py` and
//! `e2e/report-oracle.mjs`): a notebook holding every cell kind with recorded data (and cells that
//! have not run), every free text field of it replaced by one filter-evasion vector of
//! `tests/fixtures/hostile/vectors.json`, one notebook per vector, exported as the Markdown report
//! and as the map SVGs. `cargo run --example hostile_reports -- OUTDIR [VECTORS.json]` (another
//! corpus in the same form instead of the built-in one; add `--release` for speed).
//!
//! A field is *free* when a share link's author could put any text there and the notebook still
//! reads (`notebook::file::from_file_text`) with nothing lost from what its report derives. That
//! includes the text inside fields holding recorded API responses (Atlas results, DoH bodies,
//! RIPEstat and Globalping responses) and the cells of a latency table: those are parsed, walked and
//! written back, because the report's words (DNS names, router names, holders, Globalping targets)
//! come from them. Fields are chosen per *pattern* (the path with list positions wildcarded, e.g.
//! `notebook.cells[3].body.snapshot.results_text{json}[*].dst_name`), cell by cell on a notebook
//! holding that cell alone, with a harmless probe word: a group of patterns is kept when the report
//! is unchanged, or shows the probe more often and states no new word or figure and loses none but
//! those of the replaced texts (`no_poorer`), else it is halved. A pattern whose replacement drops
//! data (a destination address that no reply matches any more, a result type the parser skips, a
//! prefix that no longer joins its owner, an AS number written as text) is left as recorded: one
//! notebook per vector replaces every free field at once, and it must still show every section.
//!
//! Output: `OUTDIR/manifest.json` (per vector: the vector, the report and SVG files, how many fields
//! were injected, and the report of each part alone, the title and each cell, for telling where a
//! failure comes from; for the run: the free patterns, those whose text reaches the report, those
//! refused) and the files it names. Pure apart from writing OUTDIR.

// A tool, not the app: a failure stops it with its message.
#![allow(clippy::expect_used, clippy::unwrap_used)]

#[path = "../tests/support/every_kind.rs"]
mod every_kind;

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use serde_json::{Value, json};
use vantage::answers::{map_places, set_label};
use vantage::chart::map::{ANSWER_SET_TITLE, CategoryMarker, MapContent};
use vantage::globalping::http::http_rows;
use vantage::globalping::request::TestType;
use vantage::infer::{infer, infer_per_target, parse_observation_table};
use vantage::latency::analyse;
use vantage::notebook::dns::atlas_matrices;
use vantage::notebook::file::{from_file_text, to_file_text};
use vantage::notebook::hops::snapshot_paths;
use vantage::notebook::latency_map::{latency_map, table_map};
use vantage::notebook::report::markdown;
use vantage::notebook::{AtlasSnapshot, CellBody, InferenceChoices, Notebook};

const VECTORS: &str = include_str!("../tests/fixtures/hostile/vectors.json");
/// The share link every report names at its end (the report links only web addresses).
const SHARE_LINK: &str = "https://vantage.example/#report/v1/abc";
/// The harmless word that finds the free fields: no Markdown, no HTML, not a valid address or name.
const PROBE: &str = "zqxprobe";

/// One step of the path to a text field: into an object's key, a list's position, the JSON text a
/// string holds, or a cell of the tab-separated table a string holds.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Key(String),
    Index(usize),
    /// A place in a fixed-length record (see `position`).
    Field(usize),
    Json,
    TableCell {
        row: usize,
        column: usize,
    },
}

/// The step to a list's item: a pair of texts (an address and its router name) is a record whose
/// two places mean different things, so each keeps its own pattern.
fn position(items: &[Value], index: usize) -> Step {
    if items.len() == 2 && items.iter().all(Value::is_string) {
        Step::Field(index)
    } else {
        Step::Index(index)
    }
}

/// The pattern of a path: positions wildcarded, except which cell of the notebook it is in.
fn pattern(path: &[Step]) -> String {
    let mut out = String::new();
    let mut after_cells = false;
    for step in path {
        match step {
            Step::Key(key) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Step::Index(index) if after_cells => {
                let _ = write!(out, "[{index}]");
            }
            Step::Index(_) => out.push_str("[*]"),
            Step::Field(index) => {
                let _ = write!(out, "[{index}]");
            }
            Step::Json => out.push_str("{json}"),
            // The header row names the columns: its own pattern.
            Step::TableCell { row: 0, column } => {
                let _ = write!(out, "{{table}}[0][{column}]");
            }
            Step::TableCell { column, .. } => {
                let _ = write!(out, "{{table}}[*][{column}]");
            }
        }
        after_cells = matches!(step, Step::Key(key) if key == "cells");
    }
    out
}

/// A string that holds a JSON document worth walking (an object or a list).
fn as_json_text(text: &str) -> Option<Value> {
    let trimmed = text.trim_start();
    if !(trimmed.starts_with('{') || trimmed.starts_with('[')) {
        return None;
    }
    serde_json::from_str::<Value>(text)
        .ok()
        .filter(|value| value.is_object() || value.is_array())
}

/// A string that holds a tab-separated table (the latency-table cell's text).
fn is_table_text(text: &str) -> bool {
    text.lines()
        .take(3)
        .filter(|line| line.contains('\t'))
        .count()
        >= 2
}

/// Every text field under `value`, by path, with its text.
fn leaves(value: &Value, path: &mut Vec<Step>, out: &mut Vec<(Vec<Step>, String)>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                path.push(Step::Key(key.clone()));
                leaves(child, path, out);
                path.pop();
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                path.push(position(items, index));
                leaves(child, path, out);
                path.pop();
            }
        }
        Value::String(text) => {
            if let Some(inner) = as_json_text(text) {
                path.push(Step::Json);
                leaves(&inner, path, out);
                path.pop();
            } else if is_table_text(text) {
                for (row, line) in text.lines().enumerate() {
                    for (column, cell) in line.split('\t').enumerate() {
                        path.push(Step::TableCell { row, column });
                        out.push((path.clone(), cell.to_string()));
                        path.pop();
                    }
                }
            } else {
                out.push((path.clone(), text.clone()));
            }
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

/// Replaces every text field whose pattern `chosen` accepts by `text`; returns how many. JSON texts
/// and tables are rewritten only when something inside them changed.
fn inject(
    value: &mut Value,
    path: &mut Vec<Step>,
    chosen: &dyn Fn(&str) -> bool,
    text: &str,
) -> usize {
    match value {
        Value::Object(map) => {
            let mut count = 0;
            for (key, child) in map.iter_mut() {
                path.push(Step::Key(key.clone()));
                count += inject(child, path, chosen, text);
                path.pop();
            }
            count
        }
        Value::Array(items) => {
            let mut count = 0;
            let steps: Vec<Step> = (0..items.len()).map(|i| position(items, i)).collect();
            for (child, step) in items.iter_mut().zip(steps) {
                path.push(step);
                count += inject(child, path, chosen, text);
                path.pop();
            }
            count
        }
        Value::String(current) => {
            if let Some(mut inner) = as_json_text(current) {
                path.push(Step::Json);
                let count = inject(&mut inner, path, chosen, text);
                path.pop();
                if count > 0 {
                    *current = serde_json::to_string(&inner).expect("JSON writes");
                }
                count
            } else if is_table_text(current) {
                // A table cell cannot hold a tab or a line break without becoming other cells.
                let cell_text: String = text
                    .chars()
                    .map(|c| {
                        if matches!(c, '\t' | '\n' | '\r') {
                            ' '
                        } else {
                            c
                        }
                    })
                    .collect();
                let mut count = 0;
                let mut rows: Vec<Vec<String>> = current
                    .lines()
                    .map(|line| line.split('\t').map(str::to_string).collect())
                    .collect();
                for (row, cells) in rows.iter_mut().enumerate() {
                    for (column, cell) in cells.iter_mut().enumerate() {
                        path.push(Step::TableCell { row, column });
                        if chosen(&pattern(path)) {
                            *cell = cell_text.clone();
                            count += 1;
                        }
                        path.pop();
                    }
                }
                if count > 0 {
                    let mut table = rows
                        .iter()
                        .map(|cells| cells.join("\t"))
                        .collect::<Vec<_>>()
                        .join("\n");
                    table.push('\n');
                    *current = table;
                }
                count
            } else if chosen(&pattern(path)) {
                *current = text.to_string();
                1
            } else {
                0
            }
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => 0,
    }
}

fn kind(body: &CellBody) -> &'static str {
    match body {
        CellBody::Markdown { .. } => "note",
        CellBody::Atlas(_) => "atlas",
        CellBody::Observations(_) => "table",
        CellBody::Dns(_) => "dns",
        CellBody::Routing(_) => "routing",
        CellBody::Measure(_) => "measure",
    }
}

/// Reads a notebook file's JSON as the app does, or None when the app would refuse it.
fn read(envelope: &Value) -> Option<Notebook> {
    from_file_text(&serde_json::to_string(envelope).ok()?).ok()
}

/// The file envelope of a notebook holding only `cell`, under a plain title.
fn single_cell_envelope(envelope: &Value, cell: &Value) -> Value {
    let mut single = envelope.clone();
    single["notebook"]["title"] = Value::String("Cell".to_string());
    single["notebook"]["cells"] = Value::Array(vec![cell.clone()]);
    single
}

/// The words and numbers a text states (runs of letters and digits), sorted (a multiset).
fn words(text: &str) -> Vec<&str> {
    let mut found: Vec<&str> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|run| !run.is_empty())
        .collect();
    found.sort_unstable();
    found
}

/// What is in `a` and not in `b`, as multisets (both sorted).
fn minus<'a>(a: &[&'a str], b: &[&str]) -> Vec<&'a str> {
    let mut rest = b.to_vec();
    a.iter()
        .filter(|word| match rest.binary_search(word) {
            Ok(at) => {
                rest.remove(at);
                false
            }
            Err(_) => true,
        })
        .copied()
        .collect()
}

/// Whether replacing fields whose texts were `originals` by the probe took nothing from a report.
/// The report must show the probe at least as often and state no word or figure it did not state
/// before (but the probe). It may lose only the figures written in the replaced texts themselves
/// (the digits of an ID, an address, a URL), and words likewise, unless it now shows the probe more
/// often: a renamed router loses the city its old name hinted at, and that is still a field whose
/// text reaches the report. A changed count, RTT or loss, or a holder gone with nothing shown in its
/// place, means the replacement changed what the cell derives (a destination address no reply
/// matches any more, a result type the parser skips, a prefix that no longer joins its owner), and
/// such a field is left as it is.
fn no_poorer(before: &str, after: &str, originals: &[&str]) -> bool {
    let shown = |report: &str| report.matches(PROBE).count();
    if after == before {
        return true;
    }
    if shown(after) < shown(before) {
        return false;
    }
    let (was, now) = (words(before), words(after));
    if minus(&now, &was).iter().any(|word| *word != PROBE) {
        return false;
    }
    let is_figure = |word: &&str| word.chars().all(|c| c.is_ascii_digit());
    let allowed: BTreeSet<&str> = originals.iter().flat_map(|text| words(text)).collect();
    let renamed = shown(after) > shown(before);
    minus(&was, &now)
        .iter()
        .all(|word| allowed.contains(word) || (renamed && !is_figure(word)))
}

/// One pattern and the texts its fields hold in the base notebook.
struct Candidate {
    pattern: String,
    originals: Vec<String>,
}

fn candidates(found: &[(Vec<Step>, String)], keep: &dyn Fn(&str) -> bool) -> Vec<Candidate> {
    let mut out: Vec<Candidate> = Vec::new();
    for (path, text) in found {
        let name = pattern(path);
        if !keep(&name) {
            continue;
        }
        match out.iter_mut().find(|c| c.pattern == name) {
            Some(candidate) => {
                if !candidate.originals.contains(text) {
                    candidate.originals.push(text.clone());
                }
            }
            None => out.push(Candidate {
                pattern: name,
                originals: vec![text.clone()],
            }),
        }
    }
    out
}

/// Greedy choice of the free patterns among `candidates` of one part of the notebook: `report`
/// renders the part with the chosen patterns replaced by the probe (`None` when the notebook no
/// longer reads). Patterns refused alone are tried again together with the refused patterns that
/// share a text with them (a routing resource and the resource of its lookups must agree).
fn choose_free(
    candidates: &[Candidate],
    report: &dyn Fn(&BTreeSet<String>) -> Option<String>,
) -> (BTreeSet<String>, Vec<String>) {
    let Some(current) = report(&BTreeSet::new()) else {
        return (
            BTreeSet::new(),
            candidates.iter().map(|c| c.pattern.clone()).collect(),
        );
    };
    let mut state = Choice {
        chosen: BTreeSet::new(),
        current,
        refused: Vec::new(),
    };
    // Numbers written as text (AS numbers in RIPEstat answers) never reach a report as text: the
    // reader refuses anything else there, which only drops the owner or route they belong to.
    let (numeric, textual): (Vec<&Candidate>, Vec<&Candidate>) =
        candidates.iter().partition(|candidate| {
            candidate
                .originals
                .iter()
                .all(|text| !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()))
        });
    state.refused.extend(numeric);
    state.settle(&textual, report);
    let refused = std::mem::take(&mut state.refused);
    for candidate in &refused {
        if state.chosen.contains(&candidate.pattern) {
            continue;
        }
        let group: Vec<&Candidate> = refused
            .iter()
            .filter(|other| {
                !state.chosen.contains(&other.pattern)
                    && (other.pattern == candidate.pattern
                        || other
                            .originals
                            .iter()
                            .any(|text| text.len() > 2 && candidate.originals.contains(text)))
            })
            .copied()
            .collect();
        if group.len() > 1 {
            state.try_group(&group, report);
        }
    }
    let refused = refused
        .iter()
        .filter(|c| !state.chosen.contains(&c.pattern))
        .map(|c| c.pattern.clone())
        .collect();
    (state.chosen, refused)
}

/// The choice so far: the patterns kept, the report they give, the patterns refused alone.
struct Choice<'a> {
    chosen: BTreeSet<String>,
    current: String,
    refused: Vec<&'a Candidate>,
}

impl<'a> Choice<'a> {
    /// Keeps `group` whole when it takes nothing from the report, else halves it (most patterns
    /// are free, so this costs far fewer reports than one per pattern).
    fn settle(
        &mut self,
        group: &[&'a Candidate],
        report: &dyn Fn(&BTreeSet<String>) -> Option<String>,
    ) {
        if group.is_empty() || self.try_group(group, report) {
            return;
        }
        if let [one] = group {
            self.refused.push(one);
            return;
        }
        let (left, right) = group.split_at(group.len() / 2);
        self.settle(left, report);
        self.settle(right, report);
    }

    fn try_group(
        &mut self,
        group: &[&Candidate],
        report: &dyn Fn(&BTreeSet<String>) -> Option<String>,
    ) -> bool {
        let mut trial = self.chosen.clone();
        trial.extend(group.iter().map(|c| c.pattern.clone()));
        let originals: Vec<&str> = group
            .iter()
            .flat_map(|c| c.originals.iter().map(String::as_str))
            .collect();
        match report(&trial) {
            Some(text) if no_poorer(&self.current, &text, &originals) => {
                self.chosen = trial;
                self.current = text;
                true
            }
            _ => false,
        }
    }
}

/// The latency map of an Atlas-form snapshot as the latency view draws it, or its answer maps when
/// it holds DNS results.
fn snapshot_maps(snapshot: &AtlasSnapshot, choices: InferenceChoices) -> Vec<MapContent> {
    let matrices = atlas_matrices(snapshot);
    if !matrices.is_empty() {
        return matrices
            .iter()
            .map(|(_, matrix)| answer_map(matrix))
            .collect();
    }
    let analysis = analyse(&snapshot.results_text, &snapshot.probes);
    let assumptions = choices.assumptions();
    let inferences = infer_per_target(
        &analysis,
        &snapshot.results_text,
        &snapshot.probes,
        &assumptions,
    );
    let paths = snapshot_paths(snapshot, assumptions.fiber_factor).map(|(_, paths)| paths);
    vec![latency_map(&analysis, &inferences, paths.as_deref())]
}

fn answer_map(matrix: &vantage::dns::matrix::AnswerMatrix) -> MapContent {
    let markers: Vec<CategoryMarker> = map_places(matrix)
        .0
        .iter()
        .map(|place| CategoryMarker {
            longitude: place.longitude,
            latitude: place.latitude,
            category: place.set,
        })
        .collect();
    let legend: Vec<String> = matrix
        .groups
        .iter()
        .enumerate()
        .map(|(index, group)| format!("{} ({})", set_label(index), group.observations.len()))
        .collect();
    MapContent::Answers {
        markers,
        legend,
        title: ANSWER_SET_TITLE.to_string(),
    }
}

/// The maps a cell offers for download as SVG, made as its view makes them.
fn cell_maps(body: &CellBody) -> Vec<MapContent> {
    match body {
        CellBody::Markdown { .. } | CellBody::Routing(_) => Vec::new(),
        CellBody::Atlas(atlas) => atlas
            .snapshot
            .as_ref()
            .map(|s| snapshot_maps(s, atlas.inference))
            .unwrap_or_default(),
        CellBody::Observations(table) => table
            .snapshot
            .as_ref()
            .map(|snapshot| {
                let (observations, _) = parse_observation_table(&snapshot.text);
                let inference = infer(&observations, &table.inference.assumptions());
                vec![table_map(&observations, &inference)]
            })
            .unwrap_or_default(),
        CellBody::Dns(dns) => dns
            .snapshot
            .as_ref()
            .map(|s| s.matrices().iter().map(|m| answer_map(&m.matrix)).collect())
            .unwrap_or_default(),
        CellBody::Measure(measure) => {
            let Some(run) = measure.current() else {
                return Vec::new();
            };
            if measure.form.test == TestType::Http
                && let Some(measurement) = run.globalping()
            {
                return vec![http_map(&measurement)];
            }
            run.atlas_view()
                .map(|s| snapshot_maps(&s, measure.inference))
                .unwrap_or_default()
        }
    }
}

/// The HTTP view's map: one colour per status, the most common first.
fn http_map(measurement: &vantage::globalping::measurement::Measurement) -> MapContent {
    let rows = http_rows(measurement);
    let mut statuses: Vec<(String, usize)> = Vec::new();
    for row in &rows {
        let status = row.legend_label();
        match statuses.iter_mut().find(|(known, _)| *known == status) {
            Some((_, count)) => *count += 1,
            None => statuses.push((status, 1)),
        }
    }
    statuses.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let markers: Vec<CategoryMarker> = rows
        .iter()
        .filter_map(|row| {
            let status = row.legend_label();
            Some(CategoryMarker {
                longitude: row.probe.longitude?,
                latitude: row.probe.latitude?,
                category: statuses.iter().position(|(known, _)| *known == status),
            })
        })
        .collect();
    let legend: Vec<String> = statuses
        .iter()
        .map(|(label, count)| format!("{label} ({count})"))
        .collect();
    MapContent::Answers {
        markers,
        legend,
        title: "HTTP status:".to_string(),
    }
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|error| format!("cannot write {}: {error}", path.display()))
}

/// `work` over `items` on every core, results in order. Each call builds its own notebooks (they
/// share snapshots through `Rc`, so they stay on one thread).
fn parallel<T: Sync, R: Send>(items: &[T], work: impl Fn(usize, &T) -> R + Sync) -> Vec<R> {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<R>>> = Mutex::new(items.iter().map(|_| None).collect());
    let threads = std::thread::available_parallelism().map_or(2, usize::from);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    let Some(item) = items.get(index) else {
                        break;
                    };
                    let result = work(index, item);
                    results.lock().expect("no thread panicked")[index] = Some(result);
                }
            });
        }
    });
    results
        .into_inner()
        .expect("no thread panicked")
        .into_iter()
        .map(|result| result.expect("every item done"))
        .collect()
}

/// The free patterns of one cell, chosen on a notebook holding that cell alone (at position 0), so
/// the choice costs one cell's report per trial.
fn free_in_cell(envelope: &Value, index: usize, cell: &Value) -> (BTreeSet<String>, Vec<String>) {
    let single = single_cell_envelope(envelope, cell);
    let mut found = Vec::new();
    let mut path = vec![
        Step::Key("notebook".into()),
        Step::Key("cells".into()),
        Step::Index(index),
    ];
    leaves(cell, &mut path, &mut found);
    let own = format!("notebook.cells[{index}].");
    choose_free(&candidates(&found, &|_| true), &|chosen| {
        let renamed: BTreeSet<String> = chosen
            .iter()
            .map(|p| p.replacen(&own, "notebook.cells[0].", 1))
            .collect();
        let mut trial = single.clone();
        inject(&mut trial, &mut Vec::new(), &|p| renamed.contains(p), PROBE);
        read(&trial).map(|n| markdown(&n, Some(SHARE_LINK)))
    })
}

/// What one vector's exports are, for the manifest.
struct Exported {
    line: String,
    entry: Value,
}

/// One vector in every free field: the notebook read back as the app reads a file, its report,
/// each part of it alone (the title, each cell) for telling where a failure comes from, and its
/// maps (each distinct map drawn once across all vectors).
fn export_vector(
    out_dir: &Path,
    envelope: &Value,
    free: &BTreeSet<String>,
    number: usize,
    entry: &Value,
    drawn: &Mutex<Vec<(MapContent, String)>>,
) -> Result<Exported, String> {
    let id = entry["id"].as_str().unwrap_or("vector");
    let vector = entry["vector"].as_str().unwrap_or_default();
    let mut hostile = envelope.clone();
    let injected = inject(&mut hostile, &mut Vec::new(), &|p| free.contains(p), vector);
    let notebook = read(&hostile).ok_or(format!("vector {id}: the notebook does not read"))?;
    let stem = format!("{number:03}-{id}");
    let report = markdown(&notebook, Some(SHARE_LINK));
    write(&out_dir.join(format!("{stem}.report.md")), &report)?;
    // The hostile notebook file itself, as its author would send it: the end-to-end test opens each
    // in the app as a shared link (e2e/tests/hostile.test.mjs).
    write(
        &out_dir.join(format!("{stem}.vantage.json")),
        &hostile.to_string(),
    )?;
    let title_only = Notebook {
        title: notebook.title.clone(),
        cells: Vec::new(),
    };
    let mut parts = vec![json!({
        "cell": null,
        "kind": "title",
        "markdown": markdown(&title_only, Some(SHARE_LINK)),
    })];
    let mut svgs = Vec::new();
    for (index, cell) in notebook.cells.iter().enumerate() {
        let alone = Notebook {
            title: "Cell".to_string(),
            cells: vec![cell.clone()],
        };
        parts.push(json!({
            "cell": index,
            "kind": kind(&cell.body),
            "markdown": markdown(&alone, Some(SHARE_LINK)),
        }));
        for (map, content) in cell_maps(&cell.body).into_iter().enumerate() {
            // Drawing is the costly part, and most vectors move no marker. The lock is held while
            // drawing so two threads never draw the same map.
            let mut drawn = drawn.lock().expect("no thread panicked");
            let name = match drawn.iter().find(|(known, _)| *known == content) {
                Some((_, name)) => name.clone(),
                None => {
                    let name = format!("{stem}-cell{index:02}-map{map}.svg");
                    write(&out_dir.join(&name), &content.svg(960, 520))?;
                    drawn.push((content, name.clone()));
                    name
                }
            };
            svgs.push(name);
        }
    }
    Ok(Exported {
        line: format!(
            "{stem}: {injected} fields injected, {} SVG maps",
            svgs.len()
        ),
        entry: json!({
            "id": id,
            "category": entry["category"],
            "vector": vector,
            "report": format!("{stem}.report.md"),
            "notebook": format!("{stem}.vantage.json"),
            "injected": injected,
            "svgs": svgs,
            "parts": parts,
        }),
    })
}

fn main() -> Result<(), String> {
    let started = Instant::now();
    let usage = "usage: hostile_reports OUTDIR [VECTORS.json]";
    let out_dir = PathBuf::from(std::env::args().nth(1).ok_or(usage)?);
    std::fs::create_dir_all(&out_dir)
        .map_err(|error| format!("cannot create {}: {error}", out_dir.display()))?;
    // Another corpus in the same form can be tried without rebuilding.
    let corpus = match std::env::args().nth(2) {
        Some(path) => std::fs::read_to_string(&path)
            .map_err(|error| format!("cannot read {path}: {error}"))?,
        None => VECTORS.to_string(),
    };
    let vectors: Vec<Value> = serde_json::from_str(&corpus).map_err(|e| e.to_string())?;

    let base = every_kind::every_kind_notebook();
    let envelope: Value = serde_json::from_str(&to_file_text(&base)).map_err(|e| e.to_string())?;
    let cells: Vec<Value> = envelope["notebook"]["cells"]
        .as_array()
        .cloned()
        .unwrap_or_default();

    // The free patterns: the notebook's own fields (the title) on a notebook without cells, then
    // each cell's.
    let mut all_leaves = Vec::new();
    leaves(&envelope, &mut Vec::new(), &mut all_leaves);
    let outer = candidates(&all_leaves, &|name| !name.starts_with("notebook.cells"));
    let mut without_cells = envelope.clone();
    without_cells["notebook"]["cells"] = Value::Array(Vec::new());
    let (mut free, mut refused) = choose_free(&outer, &|chosen| {
        let mut trial = without_cells.clone();
        inject(&mut trial, &mut Vec::new(), &|p| chosen.contains(p), PROBE);
        read(&trial).map(|n| markdown(&n, Some(SHARE_LINK)))
    });
    for (chosen, refused_here) in
        parallel(&cells, |index, cell| free_in_cell(&envelope, index, cell))
    {
        free.extend(chosen);
        refused.extend(refused_here);
    }

    // Which free patterns reach the report: one distinct word per pattern, all at once.
    let patterns: Vec<&String> = free.iter().collect();
    let mut marked = envelope.clone();
    for (number, name) in patterns.iter().enumerate() {
        let word = format!("zqxf{number}x");
        inject(&mut marked, &mut Vec::new(), &|p| p == name.as_str(), &word);
    }
    let marked = read(&marked).ok_or("the marked notebook does not read")?;
    let marked_report = markdown(&marked, Some(SHARE_LINK));
    let shown: Vec<&String> = patterns
        .iter()
        .enumerate()
        .filter(|(number, _)| marked_report.contains(&format!("zqxf{number}x")))
        .map(|(_, name)| *name)
        .collect();
    println!(
        "hostile reports: {} cells, {} text fields in {} patterns; {} patterns free ({} reach the \
         report), {} refused; chosen in {:.1} s",
        base.cells.len(),
        all_leaves.len(),
        free.len() + refused.len(),
        free.len(),
        shown.len(),
        refused.len(),
        started.elapsed().as_secs_f64()
    );

    let drawn: Mutex<Vec<(MapContent, String)>> = Mutex::new(Vec::new());
    let exported = parallel(&vectors, |number, entry| {
        export_vector(&out_dir, &envelope, &free, number, entry, &drawn)
    });
    let mut entries = Vec::new();
    for result in exported {
        let exported = result?;
        println!("{}", exported.line);
        entries.push(exported.entry);
    }
    let drawn = drawn.into_inner().expect("no thread panicked");
    let manifest = json!({
        "share_link": SHARE_LINK,
        "cells": base.cells.iter().map(|c| kind(&c.body)).collect::<Vec<_>>(),
        "fields_shown": shown,
        "fields_free": free,
        "fields_refused": refused,
        "svg_files": drawn.iter().map(|(_, name)| name).collect::<Vec<_>>(),
        "vectors": entries,
    });
    write(
        &out_dir.join("manifest.json"),
        &serde_json::to_string_pretty(&manifest).map_err(|e| e.to_string())?,
    )?;
    println!(
        "hostile reports: {} vectors, {} distinct maps, written to {} in {:.1} s",
        vectors.len(),
        drawn.len(),
        out_dir.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
