//! A seeded, bounded fuzz harness over the code that reads what strangers send (issue 17): the share-link
//! decoder, the notebook file reader (with `Notebook::normalized`), the Markdown parser and defuser, and
//! the Markdown report writer. Inputs are a fixed corpus of pathological inputs (cmark's pathological
//! tests, 4 MB of `[` and the like, at `--max-kib`) followed by structure-aware mutations of real seeds
//! (the example notebook, a notebook holding every cell kind with recorded data, the recorded fixtures,
//! their share links) until the time is up. Each input runs under `catch_unwind` and a clock, on a thread
//! with wasm32's 1 MiB stack. A failure is a panic, a broken invariant (cell IDs unique after
//! normalisation, what was read saves and reads back the same, no adjacent text nodes in a parsed note,
//! a parsed note at most 128 levels deep, nothing active in a defused note or a report), an input whose
//! time per byte is more than 20x that of plain text of the same size (100x for Markdown, 50x for the
//! report; `--budget`;
//! re-timed before it counts, and for a pathological input, timed at a quarter of the size to say how it
//! grows), an input still running after 10 s, or a target 60 s past its time. The first failure of each
//! kind is saved to `target/fuzz-failures/<target>-<input number>.txt`; `--replay FILE` runs one again
//! and `--seeds-to DIR` writes the unmutated seeds.
//!
//! `cargo run --profile fuzz --example fuzz -- [--seconds N] [--seed S] [--target all|share|notebook|
//! markdown|report] [--max-kib K] [--budget R] [--replay FILE] [--seeds-to DIR]`. The `fuzz` profile is
//! optimised but unwinds: the release profile aborts on panic, so nothing could be caught. Exits 1 on any
//! failure, 2 on bad arguments. The same seed gives the same inputs in the same order on every machine;
//! how many run, and the timings, depend on the machine. The input being run is kept in
//! `target/fuzz-failures/<target>-in-flight.txt`, so one that kills the process (a stack overflow) is not
//! lost: the next run names it.

use std::collections::HashSet;
use std::fs::{self, File};
use std::io::{Seek, Write};
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[path = "../tests/support/every_kind.rs"]
mod every_kind;
#[path = "../tests/support/xorshift.rs"]
mod xorshift;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::Value;
use vantage::markdown::{self, Block, Inline};
use vantage::notebook::demo::demo_notebook;
use vantage::notebook::file::{from_file_text, to_compact_text};
use vantage::notebook::{Cell, CellBody, CellId, Notebook, report, template};
use vantage::share::{MAX_DECOMPRESSED_BYTES, decode_fragment, encode_fragment};
use xorshift::XorShift;

/// Seconds for all targets together by default: about 20 s in all on two cores, short enough for CI.
const DEFAULT_SECONDS: f64 = 16.0;
/// The default seed; any other gives other inputs (`--seed`).
const DEFAULT_SEED: u64 = 0x5EED_F022_1717;
/// Size of each pathological input, and the cap on mutated inputs, by default. The issue's 4 MB of `[`
/// is `--max-kib 4096`: the same corpus at that size, for runs on demand.
const DEFAULT_MAX_KIB: usize = 256;
/// An input may take this many times as long per byte as plain text of the same size (`--budget`
/// sets one figure for all). Plain text is about the cheapest input of every target, and anything
/// superlinear passes 20x soon after it starts to matter: at 256 KiB, the quadratic cases found so far
/// cost 100x to 4,000x.
const DEFAULT_BUDGET: f64 = 20.0;
/// The Markdown target's budget is wider than the others': each input is parsed for display and then
/// defused, which parses it again at least twice (a pass that edits, a pass that finds nothing left)
/// and rewrites it. Measured on the linear floods (time growing as size^1.0 to 1.2): `<` × N costs 45x
/// to 60x plain text on a loaded machine, `[` × N 36x; the quadratic cases this harness found cost
/// 800x to 4,000x at 256 KiB.
const MARKDOWN_BUDGET: f64 = 100.0;
/// The report's budget is wider: it runs the inference and analyses recorded data, which plain notes
/// do not. Measured: the example notebook's report costs 17x plain notes of its size, the notebook of
/// every cell kind 19x. The report's own superlinear cases are mostly in `markdown::defused`, which the
/// Markdown target holds to 20x.
const REPORT_BUDGET: f64 = 50.0;
/// Inputs faster than this are never called slow: below it a cache miss or a preempted thread on a
/// loaded two-core machine decides the ratio, not the code (at 1 ms, one input in a few thousand was
/// called slow in one run and not the next). The quadratic cases found so far take 100 ms and more.
const MIN_SLOW: Duration = Duration::from_millis(5);
/// An input this slow and four times over the budget counts as slow without being timed again.
const CLEARLY_SLOW: Duration = Duration::from_millis(100);
/// An input still running after this long is a hang: saved, counted, and its target abandoned.
const HANG_LIMIT: Duration = Duration::from_secs(10);
/// A target still running this long after its share of `--seconds` (its pathological corpus always
/// runs whole, and slow inputs are timed again) is abandoned, so a run stays bounded even when
/// everything in the corpus is slow.
const OVERRUN_LIMIT: Duration = Duration::from_secs(60);
/// rustc links wasm32 programs with a 1 MiB stack (`-z stack-size=1048576`); inputs run on a thread
/// with the same, so recursion the app could not survive fails here too (native frames are of a
/// similar size once optimised).
const WORKER_STACK_BYTES: usize = 1024 * 1024;
/// What the report names as its share link.
const SHARE_LINK: &str = "https://vantage.example/#report/v1/abc";
/// Failures saved per target at most (one per kind and place).
const MAX_SAVED: usize = 12;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Share,
    Notebook,
    Markdown,
    Report,
}

impl Target {
    const ALL: [Target; 4] = [
        Target::Share,
        Target::Notebook,
        Target::Markdown,
        Target::Report,
    ];

    fn name(self) -> &'static str {
        match self {
            Target::Share => "share",
            Target::Notebook => "notebook",
            Target::Markdown => "markdown",
            Target::Report => "report",
        }
    }
}

struct Options {
    seconds: f64,
    seed: u64,
    targets: Vec<Target>,
    max_bytes: usize,
    /// `--budget`, when given: one figure for every target.
    budget: Option<f64>,
    replay: Option<PathBuf>,
    /// Write the unmutated seeds here (to replay them or start a regression test from one).
    seeds_to: Option<PathBuf>,
}

const USAGE: &str = "usage: cargo run --profile fuzz --example fuzz -- [--seconds N] [--seed S] \
                     [--target all|share|notebook|markdown|report] [--max-kib K] [--budget R] [--replay FILE] [--seeds-to DIR]";

impl Options {
    fn budget(&self, target: Target) -> f64 {
        self.budget.unwrap_or(match target {
            Target::Report => REPORT_BUDGET,
            Target::Markdown => MARKDOWN_BUDGET,
            _ => DEFAULT_BUDGET,
        })
    }
}

fn parse_options() -> Result<Options, String> {
    let mut options = Options {
        seconds: DEFAULT_SECONDS,
        seed: DEFAULT_SEED,
        targets: Target::ALL.to_vec(),
        max_bytes: DEFAULT_MAX_KIB * 1024,
        budget: None,
        replay: None,
        seeds_to: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--seconds" => {
                options.seconds = value()?
                    .parse()
                    .map_err(|_| "--seconds takes a number".to_string())?
            }
            "--seed" => {
                let text = value()?;
                options.seed = match text.strip_prefix("0x") {
                    Some(hex) => u64::from_str_radix(hex, 16),
                    None => text.parse(),
                }
                .map_err(|_| "--seed takes a number (decimal or 0x hex)".to_string())?;
            }
            "--target" => {
                let text = value()?;
                options.targets = match text.as_str() {
                    "all" => Target::ALL.to_vec(),
                    name => vec![
                        Target::ALL
                            .into_iter()
                            .find(|target| target.name() == name)
                            .ok_or(format!("no target \"{name}\""))?,
                    ],
                }
            }
            "--max-kib" => {
                let kib: usize = value()?
                    .parse()
                    .map_err(|_| "--max-kib takes a whole number".to_string())?;
                options.max_bytes = kib.max(1) * 1024;
            }
            "--budget" => {
                options.budget = Some(
                    value()?
                        .parse()
                        .map_err(|_| "--budget takes a number".to_string())?,
                )
            }
            "--replay" => options.replay = Some(PathBuf::from(value()?)),
            "--seeds-to" => options.seeds_to = Some(PathBuf::from(value()?)),
            "--help" | "-h" => return Err(String::new()),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    // XorShift never leaves zero.
    if options.seed == 0 {
        options.seed = DEFAULT_SEED;
    }
    Ok(options)
}

// ---------------------------------------------------------------------------------------------------
// Panics

/// The message and place of the last panic on a fuzzing thread (the hook is process-wide).
static LAST_PANIC: Mutex<Option<String>> = Mutex::new(None);

/// Panics on fuzzing threads are recorded quietly (thousands would flood the output); any other
/// thread's panic is a bug of the harness and prints as usual.
fn install_quiet_panic_hook() {
    let default_hook = panic::take_hook();
    panic::set_hook(Box::new(move |info| {
        let fuzzing = std::thread::current()
            .name()
            .is_some_and(|name| name.starts_with("fuzz-"));
        if !fuzzing {
            default_hook(info);
            return;
        }
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "(a panic without a message)".to_string());
        let place = info
            .location()
            .map(|l| format!("{}:{}:{}", l.file(), l.line(), l.column()))
            .unwrap_or_default();
        if let Ok(mut last) = LAST_PANIC.lock() {
            *last = Some(format!("{message} at {place}"));
        }
    }));
}

// ---------------------------------------------------------------------------------------------------
// Running one input

/// What one run of a target on one input showed (the clock covers only the target's own work).
struct Trial {
    elapsed: Duration,
    /// False when the report target got something that is not a notebook (nothing to write).
    ran: bool,
    /// A broken invariant, said as a sentence.
    problem: Option<String>,
    /// The Markdown target's time in `markdown::parse`; the rest of `elapsed` is `markdown::defused`.
    parse: Option<Duration>,
}

enum Attempt {
    Ran(Trial),
    Panicked(String),
}

fn attempt(target: Target, input: &str) -> Attempt {
    if let Ok(mut last) = LAST_PANIC.lock() {
        *last = None;
    }
    match panic::catch_unwind(AssertUnwindSafe(|| trial(target, input))) {
        Ok(trial) => Attempt::Ran(trial),
        Err(_) => Attempt::Panicked(
            LAST_PANIC
                .lock()
                .ok()
                .and_then(|mut last| last.take())
                .unwrap_or_else(|| "a panic".to_string()),
        ),
    }
}

fn trial(target: Target, input: &str) -> Trial {
    match target {
        Target::Markdown => {
            let start = Instant::now();
            let document = markdown::parse(input);
            let parse = start.elapsed();
            let defused = markdown::defused(input);
            let elapsed = start.elapsed();
            let problem = parsed_note_problem(document.blocks)
                .or_else(|| active_problem(&defused, "the defused note"));
            Trial {
                elapsed,
                ran: true,
                problem,
                parse: Some(parse),
            }
        }
        Target::Notebook => {
            let start = Instant::now();
            let read = from_file_text(input);
            let elapsed = start.elapsed();
            Trial {
                elapsed,
                ran: true,
                problem: read.ok().and_then(|notebook| notebook_problem(&notebook)),
                parse: None,
            }
        }
        Target::Share => {
            let start = Instant::now();
            let decoded = decode_fragment(input);
            let elapsed = start.elapsed();
            Trial {
                elapsed,
                ran: true,
                problem: decoded
                    .ok()
                    .and_then(|notebook| notebook_problem(&notebook)),
                parse: None,
            }
        }
        Target::Report => {
            // Reading is the notebook target's to time; only the writer is on the clock here.
            let Ok(notebook) = from_file_text(input) else {
                return Trial {
                    elapsed: Duration::ZERO,
                    ran: false,
                    problem: None,
                    parse: None,
                };
            };
            let start = Instant::now();
            let text = report::markdown(&notebook, Some(SHARE_LINK));
            let elapsed = start.elapsed();
            Trial {
                elapsed,
                ran: true,
                problem: active_problem(&text, "the report"),
                parse: None,
            }
        }
    }
}

/// Cell IDs must be unique after normalisation (deleting one cell must not delete another),
/// normalising again must change nothing, and what was read must save and read back the same.
fn notebook_problem(notebook: &Notebook) -> Option<String> {
    let mut seen = HashSet::new();
    let duplicates: Vec<u64> = notebook
        .cells
        .iter()
        .filter(|cell| !seen.insert(cell.id))
        .map(|cell| cell.id.0)
        .collect();
    if !duplicates.is_empty() {
        return Some(format!(
            "duplicate cell ids after normalisation: {:?} (of {} cells)",
            &duplicates[..duplicates.len().min(5)],
            notebook.cells.len()
        ));
    }
    if notebook.clone().normalized() != *notebook {
        return Some("normalising a normalised notebook changed it".to_string());
    }
    match from_file_text(&to_compact_text(notebook)) {
        Ok(again) if again == *notebook => None,
        Ok(_) => {
            Some("a notebook that was read, saved and read again came back different".to_string())
        }
        Err(error) => Some(format!(
            "a notebook that was read cannot be read again once saved: {error:?}"
        )),
    }
}

/// Deeper than this, a parsed note is unbounded: block containers are flattened at
/// `markdown::MAX_NESTING` (24; a list counts two levels, list and item), and real notes nest emphasis
/// and links a few levels at most. The view renders the tree recursively and dropping it recurses too,
/// a stack frame or more per level, and a wasm page has a 1 MiB stack.
const MAX_TREE_DEPTH: usize = 128;

/// What a parsed note holds that matters here.
#[derive(Default)]
struct TreeFacts {
    depth: usize,
    /// Text nodes that follow another text node: each is a DOM node of its own, so a note of a
    /// million unmatched `[` would cost a million nodes where a million letters cost one (issue 17,
    /// item 1).
    adjacent_text: usize,
    /// The first raw HTML, image or link other than http/https/mailto.
    active: Option<String>,
}

enum Node {
    Block(Block),
    Inline(Inline),
    Run(Vec<Inline>),
}

/// Walks the tree without recursion, taking it apart as it goes: a tree a million levels deep must
/// neither overflow this thread's stack nor, when dropped, the drop glue's.
fn tree_facts(blocks: Vec<Block>) -> TreeFacts {
    let mut facts = TreeFacts::default();
    let mut stack: Vec<(Node, usize)> = blocks.into_iter().map(|b| (Node::Block(b), 1)).collect();
    let active = |facts: &mut TreeFacts, what: String| {
        facts.active.get_or_insert(what);
    };
    while let Some((node, depth)) = stack.pop() {
        facts.depth = facts.depth.max(depth);
        match node {
            Node::Block(block) => match block {
                Block::Heading { content, .. } | Block::Paragraph(content) => {
                    stack.push((Node::Run(content), depth))
                }
                Block::Quote(inner) => {
                    stack.extend(inner.into_iter().map(|b| (Node::Block(b), depth + 1)))
                }
                Block::List { items, .. } => {
                    for item in items {
                        stack.extend(item.into_iter().map(|b| (Node::Block(b), depth + 2)));
                    }
                }
                Block::Table { header, rows } => {
                    for cell in header.into_iter().chain(rows.into_iter().flatten()) {
                        stack.push((Node::Run(cell), depth + 2));
                    }
                }
                Block::RawHtml(html) => active(&mut facts, format!("raw HTML {:?}", clip(&html))),
                Block::CodeBlock { .. } | Block::Rule => {}
            },
            Node::Run(content) => {
                facts.adjacent_text += content
                    .windows(2)
                    .filter(|pair| matches!(pair, [Inline::Text(_), Inline::Text(_)]))
                    .count();
                stack.extend(content.into_iter().map(|i| (Node::Inline(i), depth + 1)));
            }
            Node::Inline(inline) => match inline {
                Inline::Emphasis(inner) | Inline::Strong(inner) | Inline::Strikethrough(inner) => {
                    stack.push((Node::Run(inner), depth))
                }
                Inline::Link { content, .. } => stack.push((Node::Run(content), depth)),
                Inline::InertLink { href, content } => {
                    active(&mut facts, format!("a link to {:?}", clip(&href)));
                    stack.push((Node::Run(content), depth));
                }
                Inline::Image { src, .. } => {
                    active(&mut facts, format!("an image from {:?}", clip(&src)))
                }
                Inline::RawHtml(html) => active(&mut facts, format!("raw HTML {:?}", clip(&html))),
                Inline::Text(_) | Inline::Code(_) | Inline::LineBreak => {}
            },
        }
    }
    facts
}

/// A parsed note must be shallow and have no adjacent text nodes.
fn parsed_note_problem(blocks: Vec<Block>) -> Option<String> {
    let facts = tree_facts(blocks);
    if facts.depth > MAX_TREE_DEPTH {
        return Some(format!(
            "the parsed note nests {} levels deep (over {MAX_TREE_DEPTH}): rendering or dropping it \
             recurses once per level",
            facts.depth
        ));
    }
    (facts.adjacent_text > 0).then(|| {
        format!(
            "{} text nodes follow another text node (each is a DOM node: merge them)",
            facts.adjacent_text
        )
    })
}

/// Raw HTML, an image or a link other than http/https/mailto, as CommonMark reads `text` whole (read
/// with pulldown-cmark itself: `markdown::parse` stops at the display limit, and a report cut there
/// can leave a code span open, which no renderer of the whole report would see).
fn active_problem(text: &str, what: &str) -> Option<String> {
    use pulldown_cmark::{Event, Options, Parser, Tag};
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    Parser::new_ext(text, options).find_map(|event| {
        let found = match event {
            Event::Html(html) | Event::InlineHtml(html) => format!("raw HTML {:?}", clip(&html)),
            Event::Start(Tag::Image { dest_url, .. }) => {
                format!("an image from {:?}", clip(&dest_url))
            }
            Event::Start(Tag::Link { dest_url, .. }) if !markdown::is_safe_href(&dest_url) => {
                format!("a link to {:?}", clip(&dest_url))
            }
            _ => return None,
        };
        Some(format!("{what} holds {found}"))
    })
}

fn clip(text: &str) -> String {
    text.chars().take(60).collect()
}

// ---------------------------------------------------------------------------------------------------
// Sizes and the plain-text baseline

/// The size a target's cost should be proportional to: the bytes given, except for the share decoder,
/// whose work grows with what the link inflates to (a 5 KB link can hold 4 MB of note).
fn work_bytes(target: Target, input: &str) -> usize {
    if target != Target::Share {
        return input.len();
    }
    let payload = input
        .trim_start_matches('#')
        .split('/')
        .nth(2)
        .unwrap_or_default()
        .trim_end_matches(['.', ',', ')', ' ', '\n', '\r', '\t']);
    URL_SAFE_NO_PAD
        .decode(payload)
        .ok()
        .map(|compressed| {
            // A refused stream still cost what was inflated before it was refused.
            match miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(
                &compressed,
                MAX_DECOMPRESSED_BYTES,
            ) {
                Ok(inflated) => inflated.len(),
                Err(error) => error.output.len(),
            }
        })
        .map_or(input.len(), |inflated| inflated.max(input.len()))
}

/// Prose of about `bytes` bytes: words, lines of about 70 characters, a blank line every six lines.
fn plain_text(bytes: usize) -> String {
    const WORDS: [&str; 16] = [
        "the",
        "probe",
        "latency",
        "from",
        "amsterdam",
        "measured",
        "route",
        "answer",
        "was",
        "slower",
        "than",
        "expected",
        "and",
        "every",
        "resolver",
        "agreed",
    ];
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    let mut out = String::with_capacity(bytes + 16);
    let (mut line, mut lines) = (0, 0);
    while out.len() < bytes {
        let word = WORDS[rng.below(WORDS.len())];
        out.push_str(word);
        line += word.len() + 1;
        if line > 70 {
            lines += 1;
            out.push_str(if lines % 6 == 0 { ".\n\n" } else { "\n" });
            line = 0;
        } else {
            out.push(' ');
        }
    }
    out.truncate(bytes);
    out
}

fn note_notebook(title: &str, source: String) -> Notebook {
    Notebook {
        title: title.to_string(),
        cells: vec![Cell {
            id: CellId(1),
            body: CellBody::Markdown { source },
        }],
    }
}

/// A notebook of plain text of about `bytes` bytes as a file: a note cell per paragraph of about
/// 400 bytes, as people write them (one huge string would be cheaper per byte than any real notebook,
/// since reading a JSON string is a scan for its closing quote).
fn plain_notebook_text(bytes: usize) -> String {
    const PARAGRAPH: usize = 400;
    let build = |text_bytes: usize| {
        let text = plain_text(text_bytes);
        let mut notebook = note_notebook("Plain text", String::new());
        notebook.cells = text
            .as_bytes()
            .chunks(PARAGRAPH)
            .zip(1..)
            .map(|(paragraph, id)| Cell {
                id: CellId(id),
                body: CellBody::Markdown {
                    source: String::from_utf8_lossy(paragraph).into_owned(),
                },
            })
            .collect();
        notebook
    };
    // The cells' JSON adds about a tenth: scale the text down so the file is about `bytes`.
    let first = to_compact_text(&build(bytes)).len().max(1);
    plain_notebook_text_exact(&build(bytes * bytes / first), bytes)
}

/// `notebook` with its last cells' text cut until its file is at most `bytes` (or one cell is left).
fn plain_notebook_text_exact(notebook: &Notebook, bytes: usize) -> String {
    let mut notebook = notebook.clone();
    loop {
        let text = to_compact_text(&notebook);
        let excess = text.len().saturating_sub(bytes);
        if excess == 0 || notebook.cells.len() <= 1 {
            return text;
        }
        let Some(Cell {
            body: CellBody::Markdown { source },
            ..
        }) = notebook.cells.last_mut()
        else {
            return text;
        };
        if source.len() > excess {
            source.truncate(source.len() - excess);
        } else {
            notebook.cells.pop();
        }
    }
}

/// Plain text as the target takes it, with about `bytes` bytes of work.
fn plain_input(target: Target, bytes: usize) -> String {
    match target {
        Target::Markdown => plain_text(bytes),
        Target::Notebook | Target::Report => plain_notebook_text(bytes),
        Target::Share => encode_text(&plain_notebook_text(bytes)),
    }
}

/// The fastest of a few runs (3, or as many as fit in 20 ms up to 50, or one if it takes a second),
/// and its time in `markdown::parse` for the Markdown target.
fn fastest(target: Target, input: &str) -> (Duration, Option<Duration>) {
    let mut best = (Duration::MAX, None);
    let mut total = Duration::ZERO;
    let mut runs = 0;
    while runs == 0
        || (runs < 3 && total < Duration::from_secs(1))
        || (total < Duration::from_millis(20) && runs < 50)
    {
        if let Attempt::Ran(trial) = attempt(target, input) {
            total += trial.elapsed;
            if trial.elapsed < best.0 {
                best = (trial.elapsed, trial.parse);
            }
        }
        runs += 1;
    }
    best
}

/// "parse 1.0 ms, defused 2.0 ms" when the run was split, else nothing.
fn breakdown(elapsed: Duration, parse: Option<Duration>) -> String {
    parse.map_or(String::new(), |parse| {
        format!(
            " (parse {:.1} ms, defused {:.1} ms)",
            parse.as_secs_f64() * 1e3,
            elapsed.saturating_sub(parse).as_secs_f64() * 1e3
        )
    })
}

/// Plain text's time per byte at a few sizes, so an input can be compared with plain text of its size.
struct Baseline {
    /// (work bytes, seconds), by increasing size.
    points: Vec<(usize, f64)>,
}

impl Baseline {
    fn measure(target: Target, max_bytes: usize) -> Baseline {
        let mut sizes: Vec<usize> = std::iter::successors(Some(256usize), |size| Some(size * 4))
            .take_while(|size| *size < max_bytes)
            .collect();
        sizes.push(max_bytes);
        let points = sizes
            .into_iter()
            .map(|size| {
                let input = plain_input(target, size);
                let work = work_bytes(target, &input);
                (work, fastest(target, &input).0.as_secs_f64())
            })
            .collect();
        Baseline { points }
    }

    /// Plain text's expected time for `work` bytes: its per-byte cost interpolated (on a log scale of
    /// size) between the measured sizes, and never less than the smallest size's time (fixed costs).
    fn expected_secs(&self, work: usize) -> f64 {
        let Some(&(first_bytes, first_secs)) = self.points.first() else {
            return f64::MIN_POSITIVE;
        };
        if work <= first_bytes {
            return first_secs.max(f64::MIN_POSITIVE);
        }
        let per_byte = |(bytes, secs): (usize, f64)| secs / bytes.max(1) as f64;
        let rate = self
            .points
            .windows(2)
            .find(|pair| work <= pair[1].0)
            .map(|pair| {
                let (low, high) = (pair[0].0 as f64, pair[1].0 as f64);
                let t = ((work as f64).ln() - low.ln()) / (high.ln() - low.ln()).max(f64::EPSILON);
                per_byte(pair[0]) * (1.0 - t) + per_byte(pair[1]) * t
            })
            .unwrap_or_else(|| self.points.last().map_or(0.0, |&point| per_byte(point)));
        (rate * work as f64).max(first_secs).max(f64::MIN_POSITIVE)
    }
}

// ---------------------------------------------------------------------------------------------------
// Seeds

/// Everything inputs are made from, shared read-only by the fuzzing threads.
struct Seeds {
    /// Notebook files (compact JSON) with a label each.
    notebooks: Vec<(String, String)>,
    /// The same, parsed, for structure-aware mutation.
    notebook_values: Vec<(String, Value)>,
    /// Markdown: the notes of the seed notebooks, the project's documents and the hostile vectors.
    notes: Vec<(String, String)>,
    /// Share links of the seed notebooks.
    fragments: Vec<(String, String)>,
    /// Recorded API responses, which snapshots store as text.
    fixtures: Vec<String>,
    /// Tokens that mean something to Markdown, HTML, JSON or a text renderer.
    tokens: Vec<String>,
}

const TOKENS: &[&str] = &[
    "[",
    "]",
    "(",
    ")",
    "<",
    ">",
    "*",
    "*a",
    "**",
    "_",
    "~~",
    "`",
    "```",
    "~~~",
    "{",
    "}",
    "\"",
    "\\",
    "\n",
    "\n\n",
    "\r\n",
    "\r",
    "\t",
    "|",
    "|---|",
    "# ",
    "> ",
    "- ",
    "1. ",
    "    ",
    "!",
    "![x](y)",
    "![t](https://evil.example/p.png)",
    "[x](javascript:alert(1))",
    "[x](java\tscript:alert(1))",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "&#",
    "&#106;",
    "&amp;",
    "&lt;",
    "&#x3C;",
    "{onclick=alert(1)}",
    "{: .x}",
    "<!--",
    "-->",
    "<![CDATA[",
    "[a]: http://x\n",
    "[a]",
    "\\<",
    "<http://x>",
    "\u{202E}",
    "\u{200B}",
    "\u{200F}",
    "\u{2066}",
    "\u{FEFF}",
    "\u{0}",
    "\u{7F}",
    "\u{85}",
    "\u{2028}",
    "\u{FFFD}",
    "é",
    "\u{301}",
    "👩\u{200D}👧",
    "18446744073709551615",
    "18446744073709551616",
    "9223372036854775807",
    "-9223372036854775809",
    "-1",
    "0",
    "1e999",
    "-0",
    "1.7976931348623157e308",
    "5e-324",
    "NaN",
    "null",
    "true",
    "[]",
    "{}",
    ",",
    ":",
    "\\u0000",
    "\\ud800",
    "\\\"",
    "\"kind\":\"markdown\"",
    "\"id\":18446744073709551615",
    "report/v1/",
    "http://",
    "https://x.example/",
    "mailto:",
    "javascript:",
    "data:text/html,",
    "%0a",
    "xn--",
    "AS",
    "::",
    "0.0.0.0/0",
];

const CELL_KINDS: [&str; 7] = [
    "markdown",
    "atlas",
    "observations",
    "dns",
    "routing",
    "measure",
    "unknown",
];

fn manifest_file(path: &str) -> String {
    fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap_or_default()
}

impl Seeds {
    fn load() -> Seeds {
        let mut notebooks_typed = vec![
            ("the example notebook".to_string(), demo_notebook()),
            (
                "a notebook of every cell kind".to_string(),
                every_kind::every_kind_notebook(),
            ),
            ("a blank notebook".to_string(), Notebook::blank()),
        ];
        if let Ok(investigation) = template::investigation("wikipedia.org") {
            notebooks_typed.push(("an investigation not yet run".to_string(), investigation));
        }
        let mut notes: Vec<(String, String)> = Vec::new();
        for (label, notebook) in &notebooks_typed {
            for cell in &notebook.cells {
                if let CellBody::Markdown { source } = &cell.body {
                    notes.push((format!("a note of {label}"), source.clone()));
                }
            }
        }
        for document in [
            "README.md",
            "tests/fixtures/README.md",
            "tests/fixtures/SOURCES.md",
            "tests/fixtures/anycast/README.md",
        ] {
            let text = manifest_file(document);
            if !text.is_empty() {
                notes.push((document.to_string(), text));
            }
        }
        let mut tokens: Vec<String> = TOKENS.iter().map(|token| token.to_string()).collect();
        // The filter-evasion vectors of the report oracle, when present: as tokens and as notes.
        if let Ok(Value::Array(vectors)) =
            serde_json::from_str::<Value>(&manifest_file("tests/fixtures/hostile/vectors.json"))
        {
            let vectors: Vec<String> = vectors
                .iter()
                .filter_map(|entry| entry["vector"].as_str().map(str::to_string))
                .collect();
            notes.push(("the hostile vectors".to_string(), vectors.join("\n\n")));
            tokens.extend(vectors);
        }
        let mut fixtures = Vec::new();
        for folder in ["atlas", "doh", "globalping", "ripestat", "anycast", "paths"] {
            let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures")
                .join(folder);
            let mut paths: Vec<PathBuf> = fs::read_dir(dir)
                .map(|entries| entries.flatten().map(|entry| entry.path()).collect())
                .unwrap_or_default();
            paths.sort();
            // The dense anycast sets (`*-ripe.tsv`, 6,000 rows each) are data for the evaluation, in
            // the same format as the PlanetLab sets that are kept: pasted into a cell they would only
            // make the report target slow by size, not by shape.
            paths.retain(|path| !path.to_string_lossy().ends_with("-ripe.tsv"));
            for path in paths {
                if let Ok(text) = fs::read_to_string(&path)
                    && text.len() <= 256 * 1024
                {
                    fixtures.push(text);
                }
            }
        }
        let notebooks: Vec<(String, String)> = notebooks_typed
            .iter()
            .map(|(label, notebook)| (label.clone(), to_compact_text(notebook)))
            .collect();
        let notebook_values = notebooks
            .iter()
            .filter_map(|(label, text)| {
                serde_json::from_str(text)
                    .ok()
                    .map(|value| (label.clone(), value))
            })
            .collect();
        let fragments = notebooks_typed
            .iter()
            .map(|(label, notebook)| {
                (
                    format!("the share link of {label}"),
                    encode_fragment(notebook),
                )
            })
            .collect();
        Seeds {
            notebooks,
            notebook_values,
            notes,
            fragments,
            fixtures,
            tokens,
        }
    }
}

// ---------------------------------------------------------------------------------------------------
// Pathological inputs

/// Markdown that has made parsers slow or deep: cmark's pathological tests
/// (commonmark/cmark `test/pathological_tests.py`), the inputs issue 17 names (`[`, `<`, `*a`,
/// backticks, nested emphasis and links, 2,000-column tables), bidi and zero-width controls, and
/// plain text as the control. Each is about `size` bytes.
fn pathological_notes(size: usize) -> Vec<(String, String)> {
    let repeat = |unit: &str| unit.repeat((size / unit.len().max(1)).max(1));
    let half = size / 2;
    let mut table = String::with_capacity(size + 8192);
    table.push_str(&"|a".repeat(2000));
    table.push_str("|\n");
    table.push_str(&"|-".repeat(2000));
    table.push_str("|\n");
    while table.len() < size {
        table.push_str(&"|b".repeat(2000));
        table.push_str("|\n");
    }
    let mut nested_lists = String::new();
    let mut depth = 0;
    while nested_lists.len() < size {
        nested_lists.push_str(&"  ".repeat(depth % 2000));
        nested_lists.push_str("* a\n");
        depth += 1;
    }
    let mut quote_ladder = String::new();
    depth = 0;
    while quote_ladder.len() < size {
        quote_ladder.push_str(&">".repeat(depth % 300));
        quote_ladder.push_str(" a\n");
        depth += 1;
    }
    let mut backtick_ladder = String::new();
    depth = 1;
    while backtick_ladder.len() < size {
        backtick_ladder.push('e');
        backtick_ladder.push_str(&"`".repeat(depth));
        depth += 1;
    }
    let mut references = String::new();
    let mut n = 0;
    while references.len() < half {
        references.push_str(&format!("[r{n}]: https://x.example/{n}\n"));
        n += 1;
    }
    references.push('\n');
    for m in 0..n {
        if references.len() >= size {
            break;
        }
        references.push_str(&format!("[r{m}] "));
    }
    vec![
        ("`[` × N".to_string(), repeat("[")),
        ("`<` × N".to_string(), repeat("<")),
        ("`*a` × N".to_string(), repeat("*a")),
        ("one backtick run".to_string(), repeat("`")),
        ("`` `a `` × N".to_string(), repeat("`a")),
        ("backtick ladder".to_string(), backtick_ladder),
        (
            "nested emphasis".to_string(),
            format!("{}a{}", "*".repeat(half), "*".repeat(half)),
        ),
        (
            "nested strong emphasis".to_string(),
            format!(
                "{}b{}",
                "*a **a ".repeat(size / 14),
                " a** a*".repeat(size / 14)
            ),
        ),
        (
            "emphasis closers without openers".to_string(),
            repeat("a_ "),
        ),
        (
            "emphasis openers without closers".to_string(),
            repeat("_a "),
        ),
        ("mismatched openers and closers".to_string(), repeat("*a_ ")),
        (
            "openers and closers multiple of 3".to_string(),
            format!("a**b{}", repeat("c* ")),
        ),
        ("link closers without openers".to_string(), repeat("a]")),
        ("link openers without closers".to_string(), repeat("[a")),
        (
            "link openers and emphasis closers".to_string(),
            repeat("[ a_"),
        ),
        ("`[ (](` × N".to_string(), repeat("[ (](")),
        (
            "nested brackets".to_string(),
            format!("{}a{}", "[".repeat(half), "]".repeat(half)),
        ),
        (
            "nested links".to_string(),
            format!("{}a{}", "[".repeat(size / 6), "](b)".repeat(size / 6)),
        ),
        ("`[a](` × N".to_string(), repeat("[a](")),
        ("unclosed links `[a](<b`".to_string(), repeat("[a](<b")),
        ("`![` × N".to_string(), repeat("![")),
        ("`<a ` × N".to_string(), repeat("<a ")),
        ("`<a>` × N".to_string(), repeat("<a>")),
        (
            "unclosed `<!--`".to_string(),
            format!("</{}", repeat("<!--")),
        ),
        ("autolinks".to_string(), repeat("<http://a> ")),
        ("entities".to_string(), repeat("&#1;")),
        ("backslashes".to_string(), repeat("\\")),
        ("`~~a` × N".to_string(), repeat("~~a")),
        (
            "nested block quotes".to_string(),
            format!("{}a", "> ".repeat(half)),
        ),
        ("quote ladder".to_string(), quote_ladder),
        ("nested lists".to_string(), nested_lists),
        ("`- ` × N".to_string(), format!("{}a", "- ".repeat(half))),
        (
            "`1. ` × N".to_string(),
            format!("{}a", "1. ".repeat(size / 3)),
        ),
        ("2,000-column table".to_string(), table),
        ("`|` × N".to_string(), format!("a\n-\n{}", repeat("|"))),
        ("reference definitions".to_string(), references),
        ("fences".to_string(), repeat("```\n")),
        ("indented code".to_string(), repeat("    code\n")),
        ("short lines".to_string(), repeat("a\n")),
        ("blank lines".to_string(), repeat("\n")),
        ("NUL characters".to_string(), repeat("abc\u{0}de")),
        (
            "bidi and zero-width controls".to_string(),
            repeat("a\u{202E}b\u{200B}"),
        ),
        ("plain text".to_string(), plain_text(size)),
    ]
}

/// A notebook whose title, first note, DNS name, first Measure target and routing resource hold
/// `text`: the fields the report writes as Markdown, as one line or as code.
fn hostile_notebook(text: &str) -> Notebook {
    let mut notebook = template::investigation("example.org").unwrap_or_else(|_| Notebook::blank());
    notebook.title = text.to_string();
    let mut filled = HashSet::new();
    for cell in &mut notebook.cells {
        let kind = std::mem::discriminant(&cell.body);
        if !filled.insert(kind) {
            continue;
        }
        match &mut cell.body {
            CellBody::Markdown { source } => *source = text.to_string(),
            CellBody::Dns(dns) => dns.request.name = text.to_string(),
            CellBody::Measure(measure) => measure.form.target = text.to_string(),
            CellBody::Routing(routing) => routing.request.resource = text.to_string(),
            _ => {}
        }
    }
    notebook
}

/// Notebook files that have broken readers: the pathological notes in every free text field, cell IDs
/// at u64::MAX, many cells, deep JSON, numbers beyond u64.
fn pathological_notebooks(size: usize, seeds: &Seeds) -> Vec<(String, String)> {
    // A quarter of the size in each of the fields that hold it, so the file is about `size`.
    let mut out: Vec<(String, String)> = pathological_notes(size / 4)
        .into_iter()
        .map(|(label, text)| {
            (
                format!("a notebook of {label}"),
                to_compact_text(&hostile_notebook(&text)),
            )
        })
        .collect();
    let header = "{\"format\":\"vantage-notebook\",\"version\":1,\"notebook\":";
    let with_ids = |ids: &[&str]| {
        let cells: Vec<String> = ids
            .iter()
            .map(|id| {
                format!("{{\"id\":{id},\"body\":{{\"kind\":\"markdown\",\"source\":\"x\"}}}}")
            })
            .collect();
        format!(
            "{header}{{\"title\":\"ids\",\"cells\":[{}]}}}}",
            cells.join(",")
        )
    };
    let max = u64::MAX.to_string();
    out.push((
        "cell ids all u64::MAX".to_string(),
        with_ids(&[&max, &max, &max]),
    ));
    out.push((
        "cell ids 1 and u64::MAX twice".to_string(),
        with_ids(&["1", &max, &max]),
    ));
    out.push((
        "cell id beyond u64".to_string(),
        with_ids(&["18446744073709551616"]),
    ));
    out.push(("cell id negative".to_string(), with_ids(&["-1"])));
    out.push(("cell id fractional".to_string(), with_ids(&["1.5"])));
    let many: Vec<String> = (0..(size / 60).max(1))
        .map(|n| (n % 7).to_string())
        .collect();
    let many: Vec<&str> = many.iter().map(String::as_str).collect();
    out.push(("many cells with repeated ids".to_string(), with_ids(&many)));
    out.push((
        "deep JSON".to_string(),
        format!("{header}{}", "[".repeat(size.min(100_000))),
    ));
    out.push((
        "deep JSON in a note's place".to_string(),
        format!(
            "{header}{{\"title\":\"t\",\"cells\":[{{\"id\":1,\"body\":{{\"kind\":\"markdown\",\"source\":{}1{}}}}}]}}}}",
            "[".repeat(size.min(100_000) / 2),
            "]".repeat(size.min(100_000) / 2)
        ),
    ));
    out.push((
        "a number beyond f64".to_string(),
        format!("{header}1e999}}"),
    ));
    // Every cell of the richest seed at u64::MAX.
    if let Some((_, value)) = seeds.notebook_values.get(1) {
        let mut value = value.clone();
        if let Some(cells) = value
            .pointer_mut("/notebook/cells")
            .and_then(Value::as_array_mut)
        {
            for cell in cells.iter_mut() {
                if let Some(cell) = cell.as_object_mut() {
                    cell.insert("id".to_string(), Value::from(u64::MAX));
                }
            }
        }
        out.push((
            "every cell kind, all ids u64::MAX".to_string(),
            value.to_string(),
        ));
    }
    out
}

fn encode_text(json: &str) -> String {
    // Level 1: the decoder does not care, and the fuzzer makes many links.
    let compressed = miniz_oxide::deflate::compress_to_vec_zlib(json.as_bytes(), 1);
    format!("report/v1/{}", URL_SAFE_NO_PAD.encode(compressed))
}

/// Share links that have broken decoders: the pathological notebooks as links, zip bombs at and over
/// the limit, broken layouts.
fn pathological_fragments(size: usize, seeds: &Seeds) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = pathological_notebooks(size, seeds)
        .into_iter()
        .map(|(label, json)| (format!("a link to {label}"), encode_text(&json)))
        .collect();
    // 4 MB of `[` compresses to a few KB: issue 17's freezing link, whatever `size` is.
    out.push((
        "a link to 4 MiB of `[`".to_string(),
        encode_fragment(&note_notebook("t", "[".repeat(4 * 1024 * 1024))),
    ));
    out.push((
        "a zip bomb just over the limit".to_string(),
        encode_text(&"a".repeat(MAX_DECOMPRESSED_BYTES + 1)),
    ));
    let mut under =
        "{\"format\":\"vantage-notebook\",\"version\":1,\"notebook\":{\"title\":\"".to_string();
    under.push_str(&"a".repeat(MAX_DECOMPRESSED_BYTES - under.len() - 1));
    out.push((
        "a notebook title of 64 MiB, cut off just under the limit".to_string(),
        encode_text(&under),
    ));
    for (label, fragment) in [
        ("no payload", "report/v1/"),
        ("a huge version", "report/v18446744073709551616/AAAA"),
        ("version 0", "report/v0/AAAA"),
        ("a negative version", "report/v-1/AAAA"),
        ("not base64", "report/v1/!!!!"),
        ("one base64 character", "report/v1/A"),
        (
            "a hash and trailing punctuation",
            "#report/v1/eJwDAAAAAAE.),",
        ),
        ("an empty zlib stream", "report/v1/eJwDAAAAAAE"),
    ] {
        out.push((label.to_string(), fragment.to_string()));
    }
    out
}

// ---------------------------------------------------------------------------------------------------
// Mutations

/// The largest byte index at or before `index` that is a char boundary.
fn floor_boundary(text: &str, mut index: usize) -> usize {
    index = index.min(text.len());
    while !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

fn random_boundary(rng: &mut XorShift, text: &str) -> usize {
    floor_boundary(text, rng.below(text.len() + 1))
}

/// A length with a heavy tail: mostly small, sometimes up to `max`.
fn heavy_tailed(rng: &mut XorShift, max: usize) -> usize {
    let cap = max.max(1);
    let bits = rng
        .below(usize::BITS as usize - cap.leading_zeros() as usize + 1)
        .min(62);
    let base = 1usize << bits;
    (base + rng.below(base)).min(cap)
}

fn truncate_to(mut text: String, max_bytes: usize) -> String {
    if text.len() > max_bytes {
        let end = floor_boundary(&text, max_bytes);
        text.truncate(end);
    }
    text
}

/// A few text-level mutations: tokens and runs of tokens inserted, ranges deleted, copied or spliced
/// from another seed, bytes flipped.
fn mutate_text(rng: &mut XorShift, text: &str, seeds: &Seeds, max_bytes: usize) -> String {
    let mut out = text.to_string();
    for _ in 0..1 + rng.below(4) {
        let at = random_boundary(rng, &out);
        match rng.below(10) {
            0..=2 => {
                let token = &seeds.tokens[rng.below(seeds.tokens.len())];
                out.insert_str(at, token);
            }
            3 => {
                let token = &seeds.tokens[rng.below(seeds.tokens.len())];
                let count = heavy_tailed(rng, max_bytes / token.len().max(1));
                out.insert_str(at, &token.repeat(count));
            }
            4 => {
                let end = floor_boundary(&out, at + heavy_tailed(rng, 4096));
                let token = &seeds.tokens[rng.below(seeds.tokens.len())];
                out.replace_range(at..end, token);
            }
            5 => {
                let end = floor_boundary(&out, at + heavy_tailed(rng, 4096));
                out.replace_range(at..end, "");
            }
            6 => {
                let end = floor_boundary(&out, at + heavy_tailed(rng, 4096));
                let copy = out[at..end].to_string();
                let to = random_boundary(rng, &out);
                out.insert_str(to, &copy.repeat(1 + rng.below(4)));
            }
            7 => {
                let (_, other) = &seeds.notes[rng.below(seeds.notes.len())];
                let start = random_boundary(rng, other);
                let end = floor_boundary(other, start + heavy_tailed(rng, 8192));
                out.insert_str(at, &other[start..end]);
            }
            8 => {
                if !out.is_empty() {
                    let mut bytes = std::mem::take(&mut out).into_bytes();
                    let index = rng.below(bytes.len());
                    bytes[index] ^= 1 << rng.below(8);
                    out = String::from_utf8_lossy(&bytes).into_owned();
                }
            }
            _ => out.truncate(at),
        }
    }
    truncate_to(out, max_bytes)
}

/// One step of the path from a JSON root to a node.
enum Step {
    Key(String),
    Index(usize),
}

/// A random node: descend from the root, stopping with probability 1/5 at each container.
fn random_path(rng: &mut XorShift, root: &Value) -> Vec<Step> {
    let mut path = Vec::new();
    let mut node = root;
    loop {
        match node {
            Value::Array(items) if !items.is_empty() && rng.below(5) != 0 => {
                let index = rng.below(items.len());
                path.push(Step::Index(index));
                node = &items[index];
            }
            Value::Object(map) if !map.is_empty() && rng.below(5) != 0 => {
                let Some((key, value)) = map.iter().nth(rng.below(map.len())) else {
                    return path;
                };
                path.push(Step::Key(key.clone()));
                node = value;
            }
            _ => return path,
        }
    }
}

fn node_at<'a>(root: &'a mut Value, path: &[Step]) -> Option<&'a mut Value> {
    path.iter().try_fold(root, |node, step| match step {
        Step::Key(key) => node.get_mut(key.as_str()),
        Step::Index(index) => node.get_mut(*index),
    })
}

fn interesting_number(rng: &mut XorShift) -> Value {
    match rng.below(12) {
        0 | 1 => Value::from(u64::MAX),
        2 => Value::from(u64::MAX - 1),
        3 => Value::from(i64::MAX),
        4 => Value::from(i64::MIN),
        5 => Value::from(-1),
        6 => Value::from(0),
        7 => Value::from(1u64 << 53 | 1),
        8 => Value::from(f64::MAX),
        9 => Value::from(-f64::MAX),
        10 => Value::from(5e-324),
        _ => Value::from(-0.0),
    }
}

fn interesting_value(rng: &mut XorShift, seeds: &Seeds) -> Value {
    match rng.below(8) {
        0 => Value::Null,
        1 => Value::Bool(rng.below(2) == 0),
        2 => interesting_number(rng),
        3 => Value::String(String::new()),
        4 => Value::String(seeds.tokens[rng.below(seeds.tokens.len())].clone()),
        5 => Value::Array(Vec::new()),
        6 => Value::Object(serde_json::Map::new()),
        _ => {
            let depth = heavy_tailed(rng, 300);
            (0..depth).fold(Value::from(1), |inner, _| Value::Array(vec![inner]))
        }
    }
}

/// Sets a few cell IDs to u64::MAX, near it, 0, or another cell's ID.
fn mutate_cell_ids(rng: &mut XorShift, root: &mut Value) {
    let Some(cells) = root
        .pointer_mut("/notebook/cells")
        .and_then(Value::as_array_mut)
    else {
        return;
    };
    if cells.is_empty() {
        return;
    }
    for _ in 0..1 + rng.below(cells.len().min(4)) {
        let other = cells[rng.below(cells.len())]["id"].as_u64().unwrap_or(1);
        let id = match rng.below(5) {
            0 | 1 => u64::MAX,
            2 => u64::MAX - rng.below(3) as u64,
            3 => 0,
            _ => other,
        };
        let index = rng.below(cells.len());
        if let Some(cell) = cells[index].as_object_mut() {
            cell.insert("id".to_string(), Value::from(id));
        }
    }
}

/// A few structure-aware mutations of a JSON document: a random node replaced by a value of another
/// kind, an extreme number or a deep nest; a string mutated as text, replaced by a fixture or, when it
/// holds JSON itself (recorded responses do), mutated as JSON; lists with items repeated or dropped;
/// objects with keys dropped or added, and cell kinds swapped; cell IDs set to u64::MAX and duplicates.
fn mutate_json(
    rng: &mut XorShift,
    root: &mut Value,
    seeds: &Seeds,
    max_bytes: usize,
    depth: usize,
) {
    for _ in 0..1 + rng.below(3) {
        if depth == 0 && rng.below(6) == 0 {
            mutate_cell_ids(rng, root);
            continue;
        }
        let path = random_path(rng, root);
        let Some(node) = node_at(root, &path) else {
            continue;
        };
        if rng.below(10) == 0 {
            *node = interesting_value(rng, seeds);
            continue;
        }
        match node {
            Value::String(text) => match rng.below(6) {
                0..=2 => *text = mutate_text(rng, text, seeds, max_bytes),
                3 => {
                    let fixture = &seeds.fixtures[rng.below(seeds.fixtures.len())];
                    *text = fixture.clone();
                }
                _ => {
                    let inner = (depth < 2 && (text.starts_with('[') || text.starts_with('{')))
                        .then(|| serde_json::from_str::<Value>(text).ok())
                        .flatten();
                    match inner {
                        Some(mut inner) => {
                            mutate_json(rng, &mut inner, seeds, max_bytes, depth + 1);
                            *text = inner.to_string();
                        }
                        None => *text = mutate_text(rng, text, seeds, max_bytes),
                    }
                }
            },
            Value::Number(_) => *node = interesting_number(rng),
            Value::Array(items) if !items.is_empty() => {
                let index = rng.below(items.len());
                match rng.below(4) {
                    0 => {
                        let copy = items[index].clone();
                        let count = heavy_tailed(rng, 64);
                        items.splice(index..index, std::iter::repeat_n(copy, count));
                    }
                    1 => {
                        items.remove(index);
                    }
                    2 => {
                        let other = rng.below(items.len());
                        items.swap(index, other);
                    }
                    _ => items.truncate(index),
                }
            }
            Value::Object(map) if !map.is_empty() => match rng.below(3) {
                0 => {
                    let key = map.keys().nth(rng.below(map.len())).cloned();
                    if let Some(key) = key {
                        map.remove(&key);
                    }
                }
                1 if map.contains_key("kind") => {
                    map.insert(
                        "kind".to_string(),
                        Value::from(CELL_KINDS[rng.below(CELL_KINDS.len())]),
                    );
                }
                _ => {
                    map.insert("unknown_field".to_string(), interesting_value(rng, seeds));
                }
            },
            _ => *node = interesting_value(rng, seeds),
        }
    }
}

/// A notebook file made from a seed: mostly structure-aware, sometimes as text (which rarely stays
/// a notebook, so not when `readable` asks for notebooks that read).
fn notebook_input(
    rng: &mut XorShift,
    seeds: &Seeds,
    max_bytes: usize,
    readable: bool,
) -> (String, String) {
    let (label, value) = &seeds.notebook_values[rng.below(seeds.notebook_values.len())];
    let choice = match rng.below(10) {
        7 | 8 if readable => rng.below(7),
        choice => choice,
    };
    match choice {
        0..=6 => {
            let mut value = value.clone();
            mutate_json(rng, &mut value, seeds, max_bytes, 0);
            (format!("{label}, mutated as JSON"), value.to_string())
        }
        7 | 8 => {
            let (label, text) = &seeds.notebooks[rng.below(seeds.notebooks.len())];
            (
                format!("{label}, mutated as text"),
                mutate_text(rng, text, seeds, max_bytes.max(text.len())),
            )
        }
        _ => {
            let (note_label, note) = &seeds.notes[rng.below(seeds.notes.len())];
            let text = mutate_text(rng, note, seeds, max_bytes);
            (
                format!("every text field holds {note_label}, mutated"),
                to_compact_text(&hostile_notebook(&text)),
            )
        }
    }
}

fn random_input(
    target: Target,
    rng: &mut XorShift,
    seeds: &Seeds,
    max_bytes: usize,
) -> (String, String) {
    match target {
        Target::Markdown => match rng.below(10) {
            0..=6 => {
                let (label, note) = &seeds.notes[rng.below(seeds.notes.len())];
                (
                    format!("{label}, mutated"),
                    mutate_text(rng, note, seeds, max_bytes),
                )
            }
            7 | 8 => {
                let size = heavy_tailed(rng, max_bytes);
                let mut soup = String::new();
                while soup.len() < size {
                    if rng.below(3) == 0 {
                        soup.push_str(&seeds.tokens[rng.below(seeds.tokens.len())]);
                    } else {
                        soup.push_str(&plain_text(1 + rng.below(12)));
                    }
                }
                ("a soup of tokens".to_string(), soup)
            }
            _ => {
                let token = &seeds.tokens[rng.below(seeds.tokens.len())];
                let count = heavy_tailed(rng, max_bytes / token.len().max(1));
                (format!("{:?} × {count}", clip(token)), token.repeat(count))
            }
        },
        Target::Notebook => notebook_input(rng, seeds, max_bytes, false),
        Target::Report => notebook_input(rng, seeds, max_bytes, true),
        Target::Share => match rng.below(10) {
            0..=5 => {
                let (label, json) = notebook_input(rng, seeds, max_bytes, false);
                (format!("a link to {label}"), encode_text(&json))
            }
            6..=8 => {
                let (label, fragment) = &seeds.fragments[rng.below(seeds.fragments.len())];
                (
                    format!("{label}, mutated as text"),
                    mutate_text(rng, fragment, seeds, max_bytes.max(fragment.len())),
                )
            }
            _ => {
                let (label, note) = &seeds.notes[rng.below(seeds.notes.len())];
                (
                    format!("a link to {label}, not a notebook"),
                    encode_text(note),
                )
            }
        },
    }
}

// ---------------------------------------------------------------------------------------------------
// Tallies and failures

#[derive(Default)]
struct Tally {
    inputs: usize,
    pathological: usize,
    not_run: usize,
    panics: usize,
    broken: usize,
    slow: usize,
    hung: usize,
    /// Failure lines to print, each naming its saved input.
    lines: Vec<String>,
    /// Signatures of saved failures (kind and place), so each is saved once.
    saved: HashSet<String>,
    /// How many failures of each kind (the failure said without its numbers).
    kinds: std::collections::BTreeMap<String, usize>,
    /// (bytes, time, label) of the slowest input.
    slowest: Option<(usize, Duration, String)>,
    /// (ratio to plain text, work bytes, time, label) of the input furthest over plain text, among
    /// inputs slower than `MIN_SLOW`.
    worst: Option<(f64, usize, Duration, String)>,
    passed: usize,
    failed: usize,
    baseline: String,
}

/// A failure said without its numbers and quoted text, so failures of one kind count together.
fn kind_of(detail: &str) -> String {
    if let Some((kind, _)) = detail.split_once(": ")
        && kind.starts_with("over the slow-input budget")
    {
        return kind.to_string();
    }
    let mut kind = String::new();
    for c in detail.split(" (").next().unwrap_or(detail).chars().take(90) {
        if c.is_ascii_digit() {
            if !kind.ends_with('#') {
                kind.push('#');
            }
        } else if c == '"' {
            break;
        } else {
            kind.push(c);
        }
    }
    kind.trim_end_matches([':', ' ']).to_string()
}

fn failures_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"))
        .join("fuzz-failures")
}

impl Tally {
    /// Counts the failure's kind; saves the input the first time a failure of this signature is seen.
    fn record(
        &mut self,
        target: Target,
        index: usize,
        label: &str,
        input: &str,
        signature: String,
        detail: String,
    ) {
        *self.kinds.entry(kind_of(&detail)).or_default() += 1;
        if self.saved.len() >= MAX_SAVED || !self.saved.insert(signature) {
            return;
        }
        let path = failures_dir().join(format!("{}-{index}.txt", target.name()));
        let saved = fs::create_dir_all(failures_dir())
            .and_then(|_| fs::write(&path, input))
            .map_or_else(
                |error| format!("not saved: {error}"),
                |_| format!("saved to {}", path.display()),
            );
        self.lines.push(format!(
            "  input #{index} ({label}, {} bytes): {detail}\n    {saved}",
            input.len()
        ));
    }
}

/// The input being run, kept in a file so that one which kills the process is not lost.
struct InFlight {
    path: PathBuf,
    file: Option<File>,
}

impl InFlight {
    fn new(target: Target) -> InFlight {
        let path = failures_dir().join(format!("{}-in-flight.txt", target.name()));
        let file = fs::create_dir_all(failures_dir())
            .and_then(|_| File::create(&path))
            .ok();
        InFlight { path, file }
    }

    fn hold(&mut self, input: &str) {
        if let Some(file) = &mut self.file {
            // A failed write only loses the breadcrumb, not the run.
            let _ = file
                .set_len(0)
                .and_then(|_| file.rewind())
                .and_then(|_| file.write_all(input.as_bytes()));
        }
    }

    fn finish(self) {
        let path = self.path.clone();
        // Closed before it is removed.
        drop(self);
        let _ = fs::remove_file(path);
    }
}

/// What a fuzzing thread shares with the main thread, which watches for hangs.
struct Shared {
    tally: Mutex<Tally>,
    /// Milliseconds since `epoch` when the current input started, or 0 between inputs.
    input_started_ms: AtomicU64,
    /// Set by the main thread when it gives up on the target: the thread runs nothing more.
    abandoned: AtomicBool,
    epoch: Instant,
}

struct Fuzzer<'a> {
    target: Target,
    options: &'a Options,
    baseline: Baseline,
    in_flight: InFlight,
    shared: &'a Shared,
}

impl Fuzzer<'_> {
    /// Runs one input and tallies it; for an input over the slow-input budget, its best time and
    /// work bytes.
    fn run_one(
        &mut self,
        index: usize,
        label: &str,
        input: &str,
        pathological: bool,
    ) -> Option<(Duration, usize)> {
        self.in_flight.hold(input);
        let started = self.shared.epoch.elapsed().as_millis() as u64;
        self.shared
            .input_started_ms
            .store(started.max(1), Ordering::SeqCst);
        let outcome = attempt(self.target, input);
        self.shared.input_started_ms.store(0, Ordering::SeqCst);
        // Confirming a slow input re-times it, outside the tally's lock.
        let judged = match outcome {
            Attempt::Panicked(message) => {
                Err(("panic", kind_of(&message), format!("panicked: {message}")))
            }
            Attempt::Ran(trial) if !trial.ran => Ok(None),
            Attempt::Ran(trial) => match trial.problem {
                Some(problem) => Err(("invariant", kind_of(&problem), problem)),
                None => {
                    let worst_so_far = self
                        .shared
                        .tally
                        .lock()
                        .ok()
                        .and_then(|tally| tally.worst.as_ref().map(|worst| worst.0))
                        .unwrap_or(0.0);
                    Ok(Some(self.judge_time(
                        input,
                        trial.elapsed,
                        trial.parse,
                        worst_so_far,
                    )))
                }
            },
        };
        let Ok(mut tally) = self.shared.tally.lock() else {
            return None;
        };
        tally.inputs += 1;
        tally.pathological += usize::from(pathological);
        match judged {
            Ok(None) => tally.not_run += 1,
            Ok(Some(timing)) => {
                if tally
                    .slowest
                    .as_ref()
                    .is_none_or(|(_, time, _)| timing.elapsed > *time)
                {
                    tally.slowest = Some((input.len(), timing.elapsed, label.to_string()));
                }
                if timing.elapsed >= MIN_SLOW
                    && tally
                        .worst
                        .as_ref()
                        .is_none_or(|(ratio, ..)| timing.ratio > *ratio)
                {
                    tally.worst =
                        Some((timing.ratio, timing.work, timing.elapsed, label.to_string()));
                }
                if timing.confirmed_slow {
                    tally.slow += 1;
                    tally.failed += 1;
                    let detail = format!(
                        "over the slow-input budget: {:.1} ms{} for {} bytes of work, {:.0}x plain text of that size (budget {}x)",
                        timing.elapsed.as_secs_f64() * 1e3,
                        timing.split,
                        timing.work,
                        timing.ratio,
                        self.options.budget(self.target)
                    );
                    // Each pathological input once; mutations once per seed.
                    let signature = format!("slow {}", label.split(',').next().unwrap_or(label));
                    tally.record(self.target, index, label, input, signature, detail);
                    return Some((timing.best, timing.work));
                } else {
                    tally.passed += 1;
                }
            }
            Err((kind, signature, detail)) => {
                if kind == "panic" {
                    tally.panics += 1;
                } else {
                    tally.broken += 1;
                }
                tally.failed += 1;
                tally.record(
                    self.target,
                    index,
                    label,
                    input,
                    format!("{kind} {signature}"),
                    detail,
                );
            }
        }
        None
    }

    /// How the input's time compares with plain text's; an input over the budget is timed again, with
    /// plain text of exactly its size, before it counts as slow.
    ///
    /// An input that would become the worst so far (and is over a quarter of the budget) is timed
    /// again too, so the worst figure printed is never one preempted run.
    fn judge_time(
        &self,
        input: &str,
        elapsed: Duration,
        parse: Option<Duration>,
        worst_so_far: f64,
    ) -> Timing {
        // Only inputs that could count as slow are worth inflating a link for.
        let work = if elapsed >= MIN_SLOW {
            work_bytes(self.target, input)
        } else {
            input.len()
        };
        let mut ratio = elapsed.as_secs_f64() / self.baseline.expected_secs(work);
        let mut confirmed_slow = false;
        let mut split = String::new();
        let mut best = elapsed;
        if ratio > 4.0 * self.options.budget(self.target) && elapsed >= CLEARLY_SLOW {
            // No preempted thread or cold cache makes four times the budget at this length.
            confirmed_slow = true;
            split = breakdown(elapsed, parse);
        } else if elapsed >= MIN_SLOW
            && (ratio > self.options.budget(self.target)
                || (ratio > worst_so_far && ratio > self.options.budget(self.target) / 4.0))
        {
            let (again, parse) = fastest(self.target, input);
            let (plain, _) = fastest(self.target, &plain_input(self.target, work));
            ratio = again.as_secs_f64() / plain.as_secs_f64().max(1e-9);
            confirmed_slow = ratio > self.options.budget(self.target) && again >= MIN_SLOW;
            split = breakdown(again, parse);
            best = again;
        }
        Timing {
            elapsed,
            best,
            work,
            ratio,
            confirmed_slow,
            split,
        }
    }

    /// For each slow pathological input, the same input at a quarter of the size, timed: whether the
    /// time grows faster than the size (superlinear) or is a large constant factor.
    fn measure_growth(&self, seeds: &Seeds, slow: &[(usize, usize, (Duration, usize))]) {
        let smaller = self.corpus(seeds, self.options.max_bytes / 4);
        for &(position, index, (time, work)) in slow {
            let Some((_, small)) = smaller.get(position) else {
                continue;
            };
            let small_work = work_bytes(self.target, small);
            let (small_time, _) = fastest(self.target, small);
            let exponent = growth_exponent(time, work, small_time, small_work);
            let Ok(mut tally) = self.shared.tally.lock() else {
                return;
            };
            let start = format!("  input #{index} (");
            if let Some(line) = tally.lines.iter_mut().find(|line| line.starts_with(&start))
                && let Some(at) = line.find("\n    ")
            {
                line.insert_str(
                    at,
                    &format!(
                        "; time grows as size^{exponent:.1} ({:.1} ms for {} bytes of the same)",
                        small_time.as_secs_f64() * 1e3,
                        small_work
                    ),
                );
            }
        }
    }

    fn abandoned(&self) -> bool {
        self.shared.abandoned.load(Ordering::SeqCst)
    }

    fn corpus(&self, seeds: &Seeds, size: usize) -> Vec<(String, String)> {
        match self.target {
            Target::Markdown => pathological_notes(size),
            Target::Notebook | Target::Report => pathological_notebooks(size, seeds),
            Target::Share => pathological_fragments(size, seeds),
        }
    }

    fn run(&mut self, seeds: &Seeds, deadline: Instant) {
        let size = self.options.max_bytes;
        let corpus = self.corpus(seeds, size);
        let mut index = 0;
        let mut slow = Vec::new();
        for (position, (label, input)) in corpus.iter().enumerate() {
            if self.abandoned() {
                return;
            }
            index += 1;
            if let Some(timing) = self.run_one(index, label, input, true) {
                slow.push((position, index, timing));
            }
        }
        if !slow.is_empty() && !self.abandoned() {
            self.measure_growth(seeds, &slow);
        }
        // Then the real seeds unchanged, then mutations until the deadline.
        let seeds_as_given: Vec<(String, String)> = match self.target {
            Target::Markdown => seeds.notes.clone(),
            Target::Notebook | Target::Report => seeds.notebooks.clone(),
            Target::Share => seeds.fragments.clone(),
        };
        for (label, input) in &seeds_as_given {
            if self.abandoned() {
                return;
            }
            index += 1;
            self.run_one(index, label, input, false);
        }
        let mut rng =
            XorShift(self.options.seed ^ (self.target as u64 + 1).wrapping_mul(0x9E37_79B9));
        while Instant::now() < deadline && !self.abandoned() {
            index += 1;
            let (label, input) = random_input(self.target, &mut rng, seeds, size);
            self.run_one(index, &label, &input, false);
        }
    }
}

/// How fast a time grows with size, from two sizes: 1 when linear, 2 when quadratic.
fn growth_exponent(
    time: Duration,
    work: usize,
    smaller_time: Duration,
    smaller_work: usize,
) -> f64 {
    (time.as_secs_f64() / smaller_time.as_secs_f64().max(1e-9)).ln()
        / (work as f64 / smaller_work.max(1) as f64)
            .ln()
            .max(f64::EPSILON)
}

struct Timing {
    elapsed: Duration,
    /// The fastest time seen: `elapsed`, or the best of the runs that timed it again.
    best: Duration,
    work: usize,
    ratio: f64,
    confirmed_slow: bool,
    /// Where the time went, when the target says (re-timed inputs only).
    split: String,
}

// ---------------------------------------------------------------------------------------------------
// Main

fn kib(bytes: usize) -> String {
    if bytes >= 10 * 1024 {
        format!("{} KiB", bytes / 1024)
    } else {
        format!("{bytes} B")
    }
}

fn print_tally(target: Target, tally: &Tally) {
    println!(
        "{}: {} inputs ({} pathological{}), {} panics, {} broken invariants, {} over the slow-input budget{}",
        target.name(),
        tally.inputs,
        tally.pathological,
        if tally.not_run > 0 {
            format!(", {} not notebooks", tally.not_run)
        } else {
            String::new()
        },
        tally.panics,
        tally.broken,
        tally.slow,
        if tally.hung > 0 { ", HUNG" } else { "" },
    );
    if let Some((bytes, time, label)) = &tally.slowest {
        let rate = *bytes as f64 / time.as_secs_f64().max(1e-9) / 1e6;
        println!(
            "  slowest: {} in {:.1} ms ({rate:.1} MB/s): {label}",
            kib(*bytes),
            time.as_secs_f64() * 1e3
        );
    }
    match &tally.worst {
        Some((ratio, work, time, label)) => println!(
            "  worst against plain text: {ratio:.1}x ({} of work in {:.1} ms): {label}",
            kib(*work),
            time.as_secs_f64() * 1e3
        ),
        None => println!(
            "  worst against plain text: no input took {} ms",
            MIN_SLOW.as_millis()
        ),
    }
    println!("  plain text: {}", tally.baseline);
    for (kind, count) in &tally.kinds {
        println!("  {count} × {kind}");
    }
    for line in &tally.lines {
        println!("{line}");
    }
}

fn replay(options: &Options, path: &Path) -> ExitCode {
    let Ok(bytes) = fs::read(path) else {
        eprintln!("cannot read {}", path.display());
        return ExitCode::from(2);
    };
    let input = String::from_utf8_lossy(&bytes).into_owned();
    let mut failed = false;
    for &target in &options.targets {
        let outcome = match attempt(target, &input) {
            Attempt::Panicked(message) => {
                failed = true;
                format!("panicked: {message}")
            }
            Attempt::Ran(trial) if !trial.ran => "not a notebook".to_string(),
            Attempt::Ran(trial) => {
                let work = work_bytes(target, &input);
                let (again, parse) = fastest(target, &input);
                let (plain, _) = fastest(target, &plain_input(target, work));
                let ratio = again.as_secs_f64() / plain.as_secs_f64().max(1e-9);
                let slow = ratio > options.budget(target) && again >= MIN_SLOW;
                failed |= slow || trial.problem.is_some();
                format!(
                    "{:.2} ms{} for {} bytes of work, {ratio:.1}x plain text{}{}",
                    again.as_secs_f64() * 1e3,
                    breakdown(again, parse),
                    work,
                    if slow { " (over the budget)" } else { "" },
                    trial
                        .problem
                        .map(|problem| format!("; {problem}"))
                        .unwrap_or_default()
                )
            }
        };
        println!("{}: {outcome}", target.name());
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn main() -> ExitCode {
    let options = match parse_options() {
        Ok(options) => options,
        Err(message) => {
            if !message.is_empty() {
                eprintln!("{message}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    if cfg!(panic = "abort") {
        eprintln!(
            "fuzz: this build aborts on panic, so no panic could be caught and reported; run it with \
             the fuzz profile: cargo run --profile fuzz --example fuzz"
        );
        return ExitCode::from(2);
    }
    install_quiet_panic_hook();
    if let Some(dir) = &options.seeds_to {
        let seeds = Seeds::load();
        let all = seeds
            .notebooks
            .iter()
            .map(|(label, text)| (label, "vantage.json", text))
            .chain(seeds.notes.iter().map(|(label, text)| (label, "md", text)))
            .chain(
                seeds
                    .fragments
                    .iter()
                    .map(|(label, text)| (label, "fragment.txt", text)),
            );
        for (index, (label, extension, text)) in all.enumerate() {
            let path = dir.join(format!("seed-{index}.{extension}"));
            if let Err(error) = fs::create_dir_all(dir).and_then(|_| fs::write(&path, text)) {
                eprintln!("cannot write {}: {error}", path.display());
                return ExitCode::from(2);
            }
            println!("{}: {label}", path.display());
        }
        return ExitCode::SUCCESS;
    }
    if let Some(path) = options.replay.clone() {
        // On the same small stack as the fuzzing threads, so a replay fails where the run did.
        let replaying = std::thread::Builder::new()
            .name("fuzz-replay".to_string())
            .stack_size(WORKER_STACK_BYTES)
            .spawn(move || replay(&options, &path));
        return match replaying.map(|thread| thread.join()) {
            Ok(Ok(code)) => code,
            _ => ExitCode::from(2),
        };
    }
    for target in &options.targets {
        let in_flight = failures_dir().join(format!("{}-in-flight.txt", target.name()));
        let crashed = failures_dir().join(format!("{}-crashed.txt", target.name()));
        if in_flight.exists() && fs::rename(&in_flight, &crashed).is_ok() {
            println!(
                "note: an earlier run stopped during a {} input (a crash?); it is saved as {}",
                target.name(),
                crashed.display()
            );
        }
    }
    let loading = Instant::now();
    let seeds = Arc::new(Seeds::load());
    println!(
        "fuzz: seed {:#x}, {} s over {} target(s), inputs up to {}, slow-input budget {} \
         (seeds loaded in {:.1} s)",
        options.seed,
        options.seconds,
        options.targets.len(),
        kib(options.max_bytes),
        match options.budget {
            Some(budget) => format!("{budget}x plain text"),
            None => format!(
                "{DEFAULT_BUDGET}x plain text, {MARKDOWN_BUDGET}x for Markdown, {REPORT_BUDGET}x for the report"
            ),
        },
        loading.elapsed().as_secs_f64()
    );
    let options = Arc::new(options);
    let share = Duration::from_secs_f64(options.seconds.max(0.0) / options.targets.len() as f64);
    let (mut passed, mut failed) = (0, 0);
    for &target in options.targets.iter() {
        let shared = Arc::new(Shared {
            tally: Mutex::new(Tally::default()),
            input_started_ms: AtomicU64::new(0),
            abandoned: AtomicBool::new(false),
            epoch: Instant::now(),
        });
        let (done_tx, done_rx) = mpsc::channel();
        let worker = {
            let (shared, seeds, options) = (
                Arc::clone(&shared),
                Arc::clone(&seeds),
                Arc::clone(&options),
            );
            std::thread::Builder::new()
                .name(format!("fuzz-{}", target.name()))
                .stack_size(WORKER_STACK_BYTES)
                .spawn(move || {
                    let deadline = Instant::now() + share;
                    let baseline = Baseline::measure(target, options.max_bytes);
                    let description = baseline
                        .points
                        .iter()
                        .map(|(bytes, secs)| format!("{} in {:.3} ms", kib(*bytes), secs * 1e3))
                        .collect::<Vec<_>>()
                        .join(", ");
                    if let Ok(mut tally) = shared.tally.lock() {
                        tally.baseline = description;
                    }
                    let mut fuzzer = Fuzzer {
                        target,
                        options: &options,
                        baseline,
                        in_flight: InFlight::new(target),
                        shared: &shared,
                    };
                    fuzzer.run(&seeds, deadline);
                    fuzzer.in_flight.finish();
                    let _ = done_tx.send(());
                })
        };
        if let Err(error) = worker {
            eprintln!("fuzz: cannot start a thread: {error}");
            return ExitCode::from(2);
        }
        loop {
            match done_rx.recv_timeout(Duration::from_millis(100)) {
                Ok(()) | Err(mpsc::RecvTimeoutError::Disconnected) => break,
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    let started = shared.input_started_ms.load(Ordering::SeqCst);
                    let now = shared.epoch.elapsed().as_millis() as u64;
                    let hung =
                        started > 0 && now.saturating_sub(started) > HANG_LIMIT.as_millis() as u64;
                    let overran = shared.epoch.elapsed() > share + OVERRUN_LIMIT;
                    if hung || overran {
                        // The thread cannot be stopped; it is left behind and ends with the process.
                        if let Ok(mut tally) = shared.tally.lock() {
                            tally.hung += 1;
                            tally.failed += 1;
                            let dir = failures_dir();
                            let in_flight = dir.join(format!("{}-in-flight.txt", target.name()));
                            let kept = dir.join(format!("{}-hung.txt", target.name()));
                            let saved = fs::copy(&in_flight, &kept).map_or_else(
                                |error| format!("not saved: {error}"),
                                |_| format!("saved to {}", kept.display()),
                            );
                            // Not a crash for the next run to report: the thread writes no more.
                            shared.abandoned.store(true, Ordering::SeqCst);
                            let _ = fs::remove_file(&in_flight);
                            let why = if hung {
                                format!("an input ran for more than {} s", HANG_LIMIT.as_secs())
                            } else {
                                format!(
                                    "the target ran {} s past its time (its inputs are that slow)",
                                    OVERRUN_LIMIT.as_secs()
                                )
                            };
                            tally.lines.push(format!(
                                "  {why}; the rest of this target was abandoned; the input it was running is\n    {saved}"
                            ));
                        }
                        break;
                    }
                }
            }
        }
        if let Ok(tally) = shared.tally.lock() {
            print_tally(target, &tally);
            passed += tally.passed;
            failed += tally.failed;
        }
    }
    println!("fuzz: {passed} passed, {failed} failed");
    if failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
