//! Regression tests for what the fuzz harness (`examples/fuzz.rs`) found, each named after its bug and
//! built from the input the harness saved, made again here at a size a debug build handles quickly.
//! Slowness that only shows at large sizes stays with the harness's slow-input budget, which runs
//! optimised in CI; the tests here are the ones a debug build can decide.
// Test code: a failed expectation should stop the test with its message.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::collections::HashSet;

use vantage::markdown::{self, Block, Inline};
use vantage::notebook::file::from_file_text;

fn notebook_with_ids(ids: &[u64]) -> String {
    let cells: Vec<String> = ids
        .iter()
        .map(|id| format!(r#"{{"id":{id},"body":{{"kind":"markdown","source":"x"}}}}"#))
        .collect();
    format!(
        r#"{{"format":"vantage-notebook","version":1,"notebook":{{"title":"ids","cells":[{}]}}}}"#,
        cells.join(",")
    )
}

/// Issue 17, item 6: `saturating_add` repeated u64::MAX, so two cells kept one ID and deleting one
/// deleted both. The harness's inputs "cell ids all u64::MAX" and "cell ids 1 and u64::MAX twice".
#[test]
fn cell_ids_stay_unique_when_several_cells_hold_u64_max() {
    let max = u64::MAX;
    for ids in [
        vec![max, max, max],
        vec![1, max, max],
        vec![max - 1, max, max, max - 1],
        vec![0, 0, max, max],
    ] {
        let notebook = from_file_text(&notebook_with_ids(&ids)).expect("a notebook that reads");
        let unique: HashSet<u64> = notebook.cells.iter().map(|cell| cell.id.0).collect();
        assert_eq!(
            unique.len(),
            ids.len(),
            "ids {ids:?} became {:?}",
            notebook
                .cells
                .iter()
                .map(|cell| cell.id.0)
                .collect::<Vec<_>>()
        );
    }
}

/// What a parsed note holds, found without recursion and taking the tree apart as it goes, so that a
/// tree thousands of levels deep can be measured (and dropped) on a test thread's stack.
struct Shape {
    depth: usize,
    adjacent_text: usize,
}

fn shape(blocks: Vec<Block>) -> Shape {
    enum Node {
        Block(Block),
        Run(Vec<Inline>),
    }
    let mut shape = Shape {
        depth: 0,
        adjacent_text: 0,
    };
    let mut stack: Vec<(Node, usize)> = blocks.into_iter().map(|b| (Node::Block(b), 1)).collect();
    while let Some((node, depth)) = stack.pop() {
        shape.depth = shape.depth.max(depth);
        match node {
            Node::Block(Block::Heading { content, .. } | Block::Paragraph(content)) => {
                stack.push((Node::Run(content), depth))
            }
            Node::Block(Block::Quote(inner)) => {
                stack.extend(inner.into_iter().map(|b| (Node::Block(b), depth + 1)))
            }
            Node::Block(Block::List { items, .. }) => {
                for item in items {
                    stack.extend(item.into_iter().map(|b| (Node::Block(b), depth + 2)));
                }
            }
            Node::Block(Block::Table { header, rows }) => {
                for cell in header.into_iter().chain(rows.into_iter().flatten()) {
                    stack.push((Node::Run(cell), depth + 2));
                }
            }
            Node::Block(_) => {}
            Node::Run(content) => {
                shape.adjacent_text += content
                    .windows(2)
                    .filter(|pair| matches!(pair, [Inline::Text(_), Inline::Text(_)]))
                    .count();
                for inline in content {
                    match inline {
                        Inline::Emphasis(inner)
                        | Inline::Strong(inner)
                        | Inline::Strikethrough(inner)
                        | Inline::Link { content: inner, .. }
                        | Inline::InertLink { content: inner, .. } => {
                            stack.push((Node::Run(inner), depth + 1))
                        }
                        _ => shape.depth = shape.depth.max(depth + 1),
                    }
                }
            }
        }
    }
    shape
}

/// Issue 17, item 1: one `Inline::Text` per unmatched `[` (likewise `<` and `*a`), so a note of
/// 100,000 `[` became 100,000 DOM nodes. The harness's pathological notes "`[` × N" and the like.
#[test]
fn floods_of_unmatched_markup_parse_into_merged_text() {
    for unit in [
        "[",
        "<",
        "*a",
        "a]",
        "[a",
        "[ (](",
        "a\u{202E}b\u{200B}",
        "a\n",
    ] {
        let shape = shape(markdown::parse(&unit.repeat(20_000)).blocks);
        assert_eq!(
            shape.adjacent_text, 0,
            "{unit:?} × 20,000 left text nodes side by side"
        );
    }
}

/// Found by the harness ("nested emphasis", "nested strong emphasis"): `markdown::MAX_NESTING`
/// flattens quotes and lists, but emphasis, strong emphasis and links nest as deep as the note says,
/// so `*` × 20,000, `a`, `*` × 20,000 (40 KB, a link of a few hundred bytes) parses into a tree 10,000
/// levels deep, which the view renders recursively and Rust drops recursively: far past a wasm
/// page's 1 MiB stack.
#[test]
fn nested_emphasis_is_flattened_like_nested_blocks() {
    for note in [
        format!("{}a{}", "*".repeat(20_000), "*".repeat(20_000)),
        format!("{}b{}", "*a **a ".repeat(3_000), " a** a*".repeat(3_000)),
        format!(
            "{}a{}",
            "[".repeat(5_000),
            "](https://x.example/)".repeat(5_000)
        ),
    ] {
        let depth = shape(markdown::parse(&note).blocks).depth;
        assert!(
            depth <= 4 * markdown::MAX_NESTING,
            "a note of {} bytes parses {depth} levels deep",
            note.len()
        );
    }
}

/// Found by the harness ("backslashes": 256 KiB of `\` took over 10 s in `markdown::defused`, so a
/// report download of a hostile shared notebook froze the tab): `text_edit` counted the backslashes
/// before every text event, and in a run of backslashes every escaped one is its own event. Its time
/// is the harness's slow-input budget's to judge (a timed test would be flaky); this pins that the
/// constant-time rule that replaced the count still reads escapes right.
#[test]
fn defusing_runs_of_backslashes_keeps_what_they_escape() {
    for (note, expected) in [
        ("\\".repeat(4 * 1024), "\\".repeat(4 * 1024)),
        ("\\[x".to_string(), "\\[x".to_string()),
        ("\\\\[x".to_string(), "\\\\\\[x".to_string()),
        ("\\\\\\[x".to_string(), "\\\\\\[x".to_string()),
        ("\\<b>".to_string(), "&lt;b>".to_string()),
        ("\\\\<b>".to_string(), "\\\\&lt;b&gt;".to_string()),
    ] {
        let defused = markdown::defused(&note);
        assert_eq!(defused, expected, "{note:?}");
        assert_eq!(
            markdown::plain_text(&markdown::parse(&defused)),
            markdown::plain_text(&markdown::parse(&note)),
            "{note:?} reads the same after defusing"
        );
    }
}
