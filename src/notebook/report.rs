//! The words the cells use about their data (headlines, where the data came from), and the whole
//! notebook as a Markdown report: the author's notes as written and, for every measurement cell, its
//! headline, provenance, summary tables and verdicts, derived from the stored snapshots exactly as the
//! cells derive them. A report is for pasting into a blog or a ticket; the evidence itself travels in
//! the share link or the notebook file. Pure: no I/O, and never a key (the notebook holds none).

use super::dns::{DnsSnapshot, atlas_matrices};
use super::measure::MeasureCell;
use super::{AtlasSnapshot, CellBody, InferenceChoices, Notebook, SnapshotSource, TableSnapshot};
use crate::format;
use crate::globalping::http::{http_rows, http_verdict};
use crate::globalping::request::TestType;
use crate::infer::{Inference, infer, infer_per_target, parse_observation_table};
use crate::latency::{LatencyAnalysis, analyse};
use crate::notebook::hops::snapshot_paths_data;
use crate::notebook::routing::RoutingContext;
use crate::paths::trace::HopOrigin;

/// "Traceroute measurement 1033154 to wikipedia-lb.esams.wikimedia.org: 87 results from 87 probes,
/// 2013-10-15 08:16 UTC – 2013-10-17 09:32 UTC".
pub fn latency_headline(analysis: &LatencyAnalysis, source: &SnapshotSource) -> String {
    let kind = match analysis.kinds.as_slice() {
        ["ping"] => "Ping",
        ["traceroute"] => "Traceroute",
        [] => "No latency data",
        _ => "Mixed",
    };
    // Globalping measurements have string IDs; their adapted results carry no Atlas ID.
    let msm = match (source, analysis.msm_ids.as_slice()) {
        (SnapshotSource::Globalping { id, .. }, _) => format!(" Globalping measurement {id}"),
        (_, [one]) => format!(" measurement {one}"),
        (_, []) => String::new(),
        (_, many) => format!(
            " measurements {}",
            many.iter()
                .map(u64::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let target = if analysis.targets.is_empty() {
        String::new()
    } else {
        format!(" to {}", analysis.targets.join(", "))
    };
    let when = match (analysis.first_timestamp, analysis.last_timestamp) {
        (Some(first), Some(last)) if last - first >= 60 => {
            format!(
                ", {} – {}",
                format::utc_minutes(first),
                format::utc_minutes(last)
            )
        }
        (Some(first), _) => format!(", {}", format::utc_minutes(first)),
        _ => String::new(),
    };
    format!(
        "{kind}{msm}{target}: {} results from {} probes{when}",
        analysis.result_count,
        analysis.probes.len()
    )
}

/// Where an Atlas-form snapshot came from and when: "Fetched … from <url>", "Recorded data (…): …".
pub fn atlas_provenance(snapshot: &AtlasSnapshot) -> String {
    let when = format::utc_minutes(snapshot.fetched_at_unix_ms.div_euclid(1000));
    match &snapshot.source {
        SnapshotSource::Api { results_url, .. } => format!("Fetched {when} from {results_url}"),
        SnapshotSource::File { name } => format!("Imported {when} from the file {name}"),
        SnapshotSource::Pasted => format!("Pasted {when}"),
        SnapshotSource::Recording { citation } => format!("Recorded data ({when}): {citation}"),
        SnapshotSource::Globalping { id, url } => {
            format!("Globalping measurement {id}, fetched {when} from {url}")
        }
    }
}

/// Where a latency table came from. A recorded table's time is when the app was built, not when
/// the data was measured, so it is left out.
pub fn table_provenance(snapshot: &TableSnapshot) -> String {
    let when = format::utc_minutes(snapshot.fetched_at_unix_ms.div_euclid(1000));
    match &snapshot.source {
        SnapshotSource::File { name } => format!("Imported {when} from the file {name}"),
        SnapshotSource::Pasted => format!("Pasted {when}"),
        SnapshotSource::Recording { citation } => format!("Recorded data: {citation}"),
        SnapshotSource::Globalping { id, .. } => format!("Globalping measurement {id}"),
        SnapshotSource::Api { results_url, .. } => format!("Fetched {when} from {results_url}"),
    }
}

/// "DNS for img.alicdn.com: 6 queries to Google, Cloudflare; 5 answered, 1 failed".
pub fn dns_headline(snapshot: &DnsSnapshot) -> String {
    let mut resolvers: Vec<&str> = Vec::new();
    for exchange in &snapshot.exchanges {
        if !resolvers.contains(&exchange.resolver.as_str()) {
            resolvers.push(&exchange.resolver);
        }
    }
    format!(
        "DNS for {}: {} queries to {}; {} answered, {} failed",
        snapshot.name,
        snapshot.exchanges.len(),
        resolvers.join(", "),
        snapshot.answered(),
        snapshot.failed()
    )
}

/// The notebook as Markdown: its title, every note as written, and a section per measurement cell.
/// Cells without data yet say so, so a report never silently drops a step of the investigation.
/// `share_link`, when given, is the link that opens the notebook with its data, named at the end.
pub fn markdown(notebook: &Notebook, share_link: Option<&str>) -> String {
    let mut out = format!("# {}\n", one_line(&notebook.title));
    for cell in &notebook.cells {
        out.push('\n');
        match &cell.body {
            CellBody::Markdown { source } => {
                out.push_str(crate::markdown::defused(source).trim_end());
                out.push('\n');
            }
            CellBody::Atlas(atlas) => match &atlas.snapshot {
                Some(snapshot) => atlas_section(&mut out, snapshot, atlas.inference),
                None => out.push_str("*An Atlas measurement cell with no results yet.*\n"),
            },
            CellBody::Observations(table) => match &table.snapshot {
                Some(snapshot) => table_section(&mut out, snapshot, table.inference),
                None => out.push_str("*A latency table cell with no table yet.*\n"),
            },
            CellBody::Dns(dns) => match &dns.snapshot {
                Some(snapshot) => dns_section(&mut out, snapshot),
                None => out.push_str(&format!(
                    "*A DNS cell for {} that has not run yet.*\n",
                    code(&dns.request.name)
                )),
            },
            CellBody::Routing(routing) => match &routing.snapshot {
                Some(snapshot) => {
                    let context = snapshot.context();
                    out.push_str(&format!(
                        "### Routing context: {}\n\n",
                        one_line(&context.resource)
                    ));
                    out.push_str(&one_line(&context.summary));
                    out.push('\n');
                    remarks_paragraph(&mut out, &context);
                }
                None => {
                    out.push_str("*A routing context cell that has not looked anything up yet.*\n")
                }
            },
            CellBody::Measure(measure) => measure_section(&mut out, measure),
        }
    }
    match share_link {
        // Only a web address is linked; anything else would be an odd link target in a report.
        Some(link) if link.starts_with("https://") || link.starts_with("http://") => {
            out.push_str(&format!(
                "\n---\n*Made with Vantage. [Open this notebook with all its measurements]({}).*\n",
                link.replace(' ', "%20").replace(')', "%29")
            ));
        }
        _ => out.push_str(
            "\n---\n*Made with Vantage. The measurements behind this report are in the notebook's \
             share link and file.*\n",
        ),
    }
    out
}

/// "wikipedia-amsterdam.report.md": the notebook file's name with the report's extension.
pub fn report_file_name(notebook: &Notebook) -> String {
    let name = super::file::suggested_file_name(notebook);
    format!(
        "{}.report.md",
        name.strip_suffix(".vantage.json").unwrap_or(&name)
    )
}

fn atlas_section(out: &mut String, snapshot: &AtlasSnapshot, choices: InferenceChoices) {
    let matrices = atlas_matrices(snapshot);
    if !matrices.is_empty() {
        out.push_str(&format!(
            "### DNS results: {}\n\n*{}*\n\n",
            matrices.len(),
            one_line(&atlas_provenance(snapshot))
        ));
        for (question, matrix) in &matrices {
            out.push_str(&format!(
                "- **{}**: {}\n",
                one_line(question),
                one_line(&matrix.verdict.headline)
            ));
        }
        return;
    }
    let analysis = analyse(&snapshot.results_text, &snapshot.probes);
    out.push_str(&format!(
        "### {}\n\n*{}*\n\n",
        one_line(&latency_headline(&analysis, &snapshot.source)),
        one_line(&atlas_provenance(snapshot))
    ));
    continent_table(out, &analysis);
    let inferences = infer_per_target(
        &analysis,
        &snapshot.results_text,
        &snapshot.probes,
        &choices.assumptions(),
    );
    let several = inferences.len() > 1;
    for each in inferences.iter().filter(|each| each.observations > 0) {
        if several {
            out.push_str(&format!("\n**Target {}.**\n", code(&each.target)));
        }
        inference_paragraph(out, &each.inference);
    }
    paths_paragraph(out, snapshot, choices);
}

/// Where traceroute paths meet before the target, with the names, owners and places of those hops:
/// the evidence router names give ("ams", "Amsterdam1").
fn paths_paragraph(out: &mut String, snapshot: &AtlasSnapshot, choices: InferenceChoices) {
    let Some(data) = snapshot_paths_data(snapshot, choices.assumptions().fiber_factor) else {
        return;
    };
    let convergence = &data.convergence;
    out.push_str(&format!(
        "\n**Paths.** {}\n",
        one_line(&convergence.summary)
    ));
    for (note, probes) in data.crossing_notes() {
        out.push_str(&format!(
            "\n- {} ({})\n",
            one_line(&note),
            format::counted(probes, "probe")
        ));
    }
    if convergence.points.is_empty() {
        return;
    }
    out.push_str(&format!(
        "\nHops shared in the last {} hops before the target:\n\n\
         | Hop | Probes | Names | Owner | Where |\n|---|---:|---|---|---|\n",
        convergence.window
    ));
    for point in convergence.points.iter().take(8) {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} |\n",
            one_line(&point.value),
            point.probes.len(),
            one_line(&point.names.join(", ")),
            one_line(
                &point
                    .owners
                    .iter()
                    .map(HopOrigin::label)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            one_line(&point.cities.join(", "))
        ));
    }
}

/// The community meanings a routing cell read in the ASes' own aut-num remarks, each with the
/// remark line it came from, and the one line on remarks not read.
fn remarks_paragraph(out: &mut String, context: &RoutingContext) {
    let meanings = context.remark_meanings();
    if !meanings.is_empty() {
        out.push_str("\nCommunity meanings read in the ASes' own aut-num remarks:\n\n");
        for decoded in meanings {
            let (Some(meaning), Some(evidence)) = (&decoded.meaning, &decoded.remark) else {
                continue;
            };
            out.push_str(&format!(
                "- {}: {} ({}: {})\n",
                code(&decoded.community),
                one_line(meaning),
                one_line(&evidence.origin()),
                code(&evidence.line)
            ));
        }
    }
    if let Some(note) = &context.remarks_note {
        out.push_str(&format!("\n*{}*\n", one_line(note)));
    }
}

fn table_section(out: &mut String, snapshot: &TableSnapshot, choices: InferenceChoices) {
    let (observations, _) = parse_observation_table(&snapshot.text);
    out.push_str(&format!(
        "### {}\n\n*{}*\n\n",
        format::counted(observations.len(), "vantage point"),
        one_line(&table_provenance(snapshot))
    ));
    inference_paragraph(out, &infer(&observations, &choices.assumptions()));
}

fn dns_section(out: &mut String, snapshot: &DnsSnapshot) {
    out.push_str(&format!("### {}\n\n", one_line(&dns_headline(snapshot))));
    for type_matrix in snapshot.matrices() {
        let verdict = &type_matrix.matrix.verdict;
        out.push_str(&format!(
            "- **{} {}**: {}",
            one_line(&snapshot.name),
            type_matrix.rtype,
            one_line(&verdict.headline)
        ));
        if let Some(failures) = &verdict.failures {
            out.push_str(&format!(" ({})", one_line(failures)));
        }
        out.push('\n');
    }
}

fn measure_section(out: &mut String, measure: &MeasureCell) {
    let Some(run) = measure.current() else {
        out.push_str(&format!(
            "*A Measure now cell ({} to {}) that has not run yet.*\n",
            measure.form.test.as_str(),
            code(&measure.form.target)
        ));
        return;
    };
    if measure.form.test == TestType::Http
        && let Some(measurement) = run.globalping()
    {
        let rows = http_rows(&measurement);
        out.push_str(&format!(
            "### HTTP check of {} (Globalping measurement {})\n\n",
            one_line(&measurement.target),
            one_line(&measurement.id)
        ));
        match http_verdict(&rows) {
            Some(verdict) => {
                out.push_str(&format!("**{}**\n\n", one_line(&verdict.headline)));
                for (status, count) in &verdict.by_status {
                    out.push_str(&format!(
                        "- {}: {}\n",
                        one_line(status),
                        format::counted(*count, "location")
                    ));
                }
                // What observed the probes rather than the target, apart, as the cell shows it.
                for (why, count) in &verdict.not_counted {
                    out.push_str(&format!(
                        "- not counted, {}: {}\n",
                        one_line(why),
                        format::counted(*count, "location")
                    ));
                }
            }
            None => out.push_str("No probe has reported yet.\n"),
        }
        return;
    }
    match run.atlas_view() {
        Some(snapshot) => atlas_section(out, &snapshot, measure.inference),
        None => out.push_str("*A Measure now run whose results have not arrived.*\n"),
    }
}

fn continent_table(out: &mut String, analysis: &LatencyAnalysis) {
    if analysis.groups.is_empty() {
        return;
    }
    out.push_str(
        "Minimum RTT per probe, by continent (ms):\n\n\
         | Continent | Probes | Responding | Min | p10 | Median | p90 | Loss |\n\
         |---|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    for group in &analysis.groups {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} | {} |\n",
            group.group.label(),
            group.probes,
            group.responding,
            format::ms(group.rtt_min_ms),
            format::ms(group.rtt_p10_ms),
            format::ms(group.rtt_median_ms),
            format::ms(group.rtt_p90_ms),
            format::percent(group.loss)
        ));
    }
    out.push('\n');
}

fn inference_paragraph(out: &mut String, inference: &Inference) {
    out.push_str(&format!(
        "**What the latencies prove: {}.** {}\n",
        inference.verdict.label(),
        one_line(&inference.summary)
    ));
    if let Some(suggestion) = &inference.suggestion {
        out.push_str(&format!("\n{}\n", one_line(suggestion)));
    }
}

/// Text from data (the title, names, answers, targets, verdicts quoting them) as Markdown that every
/// common renderer shows literally on one line: CommonMark and GFM (pulldown-cmark, markdown-it,
/// marked) and Python-Markdown with or without `extra` (MkDocs, Pelican). Whitespace runs, newlines
/// included, become one space, so nothing can start a block; hidden controls are shown as `[U+202E]`;
/// and every character that can open markup in one of them is written as a character reference. A
/// reference is never markup in any of them (CommonMark §6.2; Python-Markdown passes it through), where
/// a backslash escape is not: Python-Markdown does not escape `<`, `|` or `~`, and prints the
/// backslash. So no link, image, raw HTML, attribute list (`{onclick=…}`), table cell or code span can
/// come from data.
fn one_line(text: &str) -> String {
    let visible = crate::format::visible_controls(text);
    let mut out = String::with_capacity(text.len());
    for (index, word) in visible.split_whitespace().enumerate() {
        if index > 0 {
            out.push(' ');
        }
        for c in word.chars() {
            match c {
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                // Links, images and reference definitions need `[`, attribute lists `{`; the rest
                // (code spans, emphasis, table cells, escapes) would only reshape the text.
                '[' | ']' | '{' | '}' | '`' | '|' | '\\' | '*' | '_' | '~' => {
                    out.push_str(&format!("&#{};", c as u32))
                }
                c => out.push(c),
            }
        }
    }
    out
}

/// `text` as an inline code span on one line, or "(none)" when empty. Inside a code span nothing is
/// markup in any renderer, provided the span cannot end early or spill onto another line: whitespace
/// runs (newlines included, which would let a blank line close the paragraph and start raw HTML) become
/// one space, and the fence is one backtick longer than the longest run of backticks in the text.
fn code(text: &str) -> String {
    let visible = crate::format::visible_controls(text);
    let text = visible.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        return "(none)".to_string();
    }
    crate::markdown::code_span(&text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notebook::demo::demo_notebook;

    #[test]
    fn the_example_reads_as_a_report_with_its_figures_and_verdicts() {
        let notebook = demo_notebook();
        let report = markdown(&notebook, None);
        assert!(report.starts_with(&format!("# {}\n", notebook.title)));
        // Every note is there as written (the example's notes hold nothing to defuse).
        for cell in &notebook.cells {
            if let CellBody::Markdown { source } = &cell.body {
                assert!(report.contains(source.trim_end()));
            }
        }
        // The traceroute cell: its headline, its continent table and its verdict, as the cell shows them.
        let CellBody::Atlas(atlas) = &notebook.cells[1].body else {
            panic!("the traceroute cell");
        };
        let snapshot = atlas.snapshot.as_ref().unwrap();
        let analysis = analyse(&snapshot.results_text, &snapshot.probes);
        assert!(report.contains(&format!(
            "### {}\n",
            latency_headline(&analysis, &snapshot.source)
        )));
        let europe = analysis
            .groups
            .iter()
            .find(|group| group.group.label() == "Europe")
            .unwrap();
        assert!(report.contains(&format!(
            "| Europe | {} | {} | {} |",
            europe.probes,
            europe.responding,
            format::ms(europe.rtt_min_ms)
        )));
        assert!(report.contains("**What the latencies prove: One site.**"));
        assert!(report.contains("most likely near Amsterdam"));
        // Where its paths meet, as the paths view says it.
        assert!(report.contains("**Paths.** 36 of 70 probes pass 195.69.145.176"));
        assert!(report.contains("| 195.69.145.0/24 | 38 |"));
        // The K-root table: anycast, with its lower bound.
        assert!(report.contains("### 338 vantage points"));
        assert!(report.contains("**What the latencies prove: Anycast: at least 9 sites.**"));
        assert!(!report.contains("<script"));
    }

    #[test]
    fn cells_without_data_say_so_and_hostile_names_stay_inert() {
        let mut notebook = crate::notebook::template::investigation("telegram.org").unwrap();
        notebook.title = "Outage | <img src=x onerror=alert(1)>\n# injected".to_string();
        let report = markdown(&notebook, Some("https://vantage.example/#report/v1/abc"));
        assert!(report.ends_with(
            "[Open this notebook with all its measurements](https://vantage.example/#report/v1/abc).*\n"
        ));
        assert!(!markdown(&notebook, Some("javascript:alert(1)")).contains("javascript:"));
        assert_eq!(
            report_file_name(&notebook),
            "outage-img-src-x-onerror-alert-1-injected.report.md"
        );
        let first = report.lines().next().unwrap();
        assert_eq!(
            first,
            "# Outage &#124; &lt;img src=x onerror=alert(1)&gt; # injected"
        );
        assert!(report.contains("*A DNS cell for `telegram.org` that has not run yet.*"));
        assert!(
            report.contains("*A Measure now cell (ping to `telegram.org`) that has not run yet.*")
        );
        assert!(
            report.contains("*A Measure now cell (http to `telegram.org`) that has not run yet.*")
        );
        assert!(report.contains("*A routing context cell that has not looked anything up yet.*"));
        // A note from an untrusted shared report cannot act in whatever renders the report.
        notebook.cells[0].body = CellBody::Markdown {
            source: "Look <script>alert(1)</script> [here](javascript:alert(1))".to_string(),
        };
        let report = markdown(&notebook, None);
        assert!(report.contains("Look &lt;script&gt;alert(1)&lt;/script&gt; here\n"));
    }

    /// A notebook of one HTTP Measure now cell whose run received `text`.
    fn http_notebook(text: &str) -> Notebook {
        use crate::globalping::measurement::parse_measurement;
        use crate::notebook::measure::{MeasureForm, MeasureRun, RunData};
        use crate::notebook::{Cell, CellId};
        let measurement = parse_measurement(text).unwrap();
        let cell = MeasureCell {
            form: MeasureForm {
                test: TestType::Http,
                target: measurement.target.clone(),
                ..MeasureForm::default()
            },
            runs: vec![std::rc::Rc::new(MeasureRun {
                started_at_unix_ms: 1_689_359_152_414,
                request_body: "{}".to_string(),
                data: RunData::Globalping {
                    id: measurement.id.clone(),
                    measurement_text: Some(text.to_string()),
                    fetched_at_unix_ms: 1_689_359_153_207,
                    url: "https://api.globalping.io/v1/measurements/".to_string(),
                },
            })],
            ..MeasureCell::default()
        };
        Notebook {
            title: "HTTP".to_string(),
            cells: vec![Cell {
                id: CellId(1),
                body: CellBody::Measure(cell),
            }],
        }
    }

    #[test]
    fn an_http_check_reports_its_verdict_and_counts_per_status() {
        use crate::globalping::http::{http_rows, http_verdict};
        use crate::globalping::measurement::parse_measurement;
        let text =
            include_str!("../../tests/fixtures/globalping/get-http-measurement-response.json");
        let measurement = parse_measurement(text).unwrap();
        let verdict = http_verdict(&http_rows(&measurement)).unwrap();
        let report = markdown(&http_notebook(text), None);
        assert!(report.contains(&format!(
            "### HTTP check of {} (Globalping measurement {})",
            measurement.target, measurement.id
        )));
        assert!(report.contains(&format!("**{}**", verdict.headline)));
        let (status, count) = &verdict.by_status[0];
        assert!(report.contains(&format!(
            "- {status}: {}",
            format::counted(*count, "location")
        )));
        assert!(!report.contains("not counted"));
    }

    #[test]
    fn an_http_report_keeps_a_probes_own_failure_out_of_the_target_counts() {
        // Results recorded from the probe's tests (tests/fixtures/SOURCES.md) on synthetic probes.
        let fixture: serde_json::Value = serde_json::from_str(include_str!(
            "../../tests/fixtures/globalping/http-results-from-probe-and-api-tests.json"
        ))
        .unwrap();
        let result = |name: &str| {
            fixture["entries"]
                .as_array()
                .unwrap()
                .iter()
                .find(|entry| entry["name"] == name)
                .unwrap()["result"]
                .clone()
        };
        let mut results: Vec<serde_json::Value> = (0..9)
            .map(|_| serde_json::json!({"probe": {"continent": "EU"}, "result": result("server-error")}))
            .collect();
        results.push(
            serde_json::json!({"probe": {"continent": "AS"}, "result": result("resolver-timeout")}),
        );
        let text = serde_json::json!({"id": "synthetic", "type": "http", "status": "finished",
            "target": "example.com", "results": results})
        .to_string();
        let report = markdown(&http_notebook(&text), None);
        assert!(report.contains("- HTTP 500: 9 locations\n"), "{report}");
        assert!(
            report
                .contains("- not counted, resolver failed (the probe's own failure): 1 location\n"),
            "{report}"
        );
        assert!(report.contains(
            "9 of 10 locations got HTTP 500 from the target; 1 probe could not reach it"
        ));
        assert!(!report.contains("HTTP 500: 10"));
    }

    #[test]
    fn a_dns_cell_reports_its_headline_and_a_verdict_per_type() {
        use crate::notebook::dns::DnsCell;
        use crate::notebook::{Cell, CellId};
        let snapshot = std::rc::Rc::new(crate::notebook::dns::tests::snapshot_with(Vec::new()));
        let notebook = Notebook {
            title: "DNS".to_string(),
            cells: vec![Cell {
                id: CellId(1),
                body: CellBody::Dns(DnsCell {
                    snapshot: Some(snapshot.clone()),
                    ..DnsCell::default()
                }),
            }],
        };
        let report = markdown(&notebook, None);
        assert!(report.contains(&format!("### {}\n", dns_headline(&snapshot))));
        let matrices = snapshot.matrices();
        assert_eq!(matrices.len(), 1);
        let verdict = &matrices[0].matrix.verdict;
        assert!(report.contains(&format!("- **img.alicdn.com A**: {}", verdict.headline)));
        // The throttled Cloudflare query is counted apart, as in the cell.
        assert!(report.contains(verdict.failures.as_deref().unwrap()));
    }

    #[test]
    fn a_routing_report_gives_remark_meanings_with_their_lines_and_the_unread_ones_in_one_line() {
        use crate::notebook::dns::{LookupOutcome, RipestatCall, RipestatLookup};
        use crate::notebook::routing::{
            RemarksOutcome, RoutingCell, RoutingRequest, RoutingSnapshot, community_remarks,
        };
        use crate::notebook::{Cell, CellId};
        let record = |call, resource: &str, status, text: &str| {
            RipestatLookup::of(
                call,
                "https://stat.ripe.net",
                resource,
                1,
                LookupOutcome::Response {
                    status,
                    text: text.to_string(),
                },
            )
        };
        // SYNTHETIC edit of the recorded routes: 34854:1000 becomes 60614:200, a community of the
        // recorded AS60614 aut-num.
        let glass = include_str!("../../tests/fixtures/ripestat/looking-glass.TRIMMED.json")
            .replace("34854:1000", "60614:200");
        let whois =
            include_str!("../../tests/fixtures/ripestat/whois-AS60614.GENERATED-FROM-REAL.json");
        let mut snapshot = RoutingSnapshot {
            resource: "140.78.0.0/16".to_string(),
            started_at_unix_ms: 1,
            finished_at_unix_ms: 2,
            cancelled: false,
            lookups: vec![record(
                RipestatCall::LookingGlass,
                "140.78.0.0/16",
                200,
                &glass,
            )],
            notes: Vec::new(),
            community_remarks: Some(community_remarks(
                &[
                    record(RipestatCall::Whois, "AS60614", 200, whois),
                    record(RipestatCall::Whois, "AS1120", 404, "not recorded"),
                ],
                vec![26162],
                2,
            )),
        };
        let notebook = |snapshot: &RoutingSnapshot| Notebook {
            title: "Routes".to_string(),
            cells: vec![Cell {
                id: CellId(1),
                body: CellBody::Routing(RoutingCell {
                    request: RoutingRequest {
                        resource: "140.78.0.0/16".to_string(),
                    },
                    snapshot: Some(std::rc::Rc::new(snapshot.clone())),
                }),
            }],
        };
        let report = markdown(&notebook(&snapshot), None);
        assert!(
            report.contains(
                "Community meanings read in the ASes' own aut-num remarks:\n\n- `60614:200`: Learned \
                 from Upstream (from the aut-num remarks of AS60614 (source: RIPE via RIPEstat whois): \
                 `60614:200 Learned from Upstream`)\n"
            ),
            "{report}"
        );
        assert!(report.contains(
            "\n*Aut-num remarks not read for AS1120 (HTTP 404 from RIPEstat: the call failed; try \
             again later); not asked for AS26162 (at most 10 ASes per look-up).*\n"
        ));
        // A shared notebook's stored meaning and line are text in the report, whatever they hold.
        if let Some(remarks) = snapshot.community_remarks.as_mut()
            && let RemarksOutcome::Read { aut_nums } = &mut remarks.ases[0].outcome
        {
            let meaning = &mut aut_nums[0].meanings[6];
            assert_eq!(meaning.key, "60614:200");
            meaning.meaning = "Up <img src=x onerror=alert(1)> [a](javascript:1)".to_string();
            meaning.line = "60614:200 `` ` <b>\n\n<script>".to_string();
        }
        let report = markdown(&notebook(&snapshot), None);
        assert!(report.contains(
            "- `60614:200`: Up &lt;img src=x onerror=alert(1)&gt; &#91;a&#93;(javascript:1) (from \
             the aut-num remarks of AS60614 (source: RIPE via RIPEstat whois): ```60614:200 `` ` \
             <b> <script>```)\n"
        ), "{report}");
    }
}
