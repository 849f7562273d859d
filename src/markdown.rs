//! Markdown → a small, safe document tree. The UI builds nodes from this tree (never HTML strings), so
//! a shared report cannot run script or make the reader's browser contact any host:
//! raw HTML becomes literal text, only `http`, `https` and `mailto` links are live, and images are
//! never loaded (they become a placeholder naming their address). Parsing uses pulldown-cmark.
//! Pure core: no browser crate.

use pulldown_cmark::{CodeBlockKind, Event, LinkType, Options, Parser, Tag, TagEnd};

/// Deeper nesting (quotes in quotes, lists in lists) is flattened into the enclosing block, so hostile
/// input like ten thousand `>` cannot overflow the stack when the tree is built or rendered.
pub const MAX_NESTING: usize = 24;

/// At most this many nodes (blocks and inline elements; adjacent text is one node) are built for one
/// note. A browser lays out tens of thousands of nodes in well under a second, while a hostile note of
/// a million unmatched `[` or `<a>` tags would otherwise become a million DOM nodes and freeze the page.
/// Real notes are far below it: the example's longest note is about 60 nodes.
pub const MAX_DISPLAY_NODES: usize = 20_000;

/// At most this many bytes of one note are parsed for display (1 MiB, about 400 pages of prose). The
/// note's text is kept whole; only what is shown stops here, so parsing time stays bounded whatever a
/// shared report holds.
pub const MAX_DISPLAY_BYTES: usize = 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Document {
    pub blocks: Vec<Block>,
    /// True when the note was longer than `MAX_DISPLAY_BYTES` or made more than `MAX_DISPLAY_NODES`
    /// nodes: only its beginning is in `blocks`, and the view says so.
    pub truncated: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Heading {
        level: u8,
        content: Vec<Inline>,
    },
    Paragraph(Vec<Inline>),
    CodeBlock {
        language: Option<String>,
        code: String,
    },
    Quote(Vec<Block>),
    List {
        start: Option<u64>,
        items: Vec<Vec<Block>>,
    },
    Rule,
    Table {
        header: Vec<Vec<Inline>>,
        rows: Vec<Vec<Vec<Inline>>>,
    },
    /// An HTML block, shown as literal text.
    RawHtml(String),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    Text(String),
    Code(String),
    Emphasis(Vec<Inline>),
    Strong(Vec<Inline>),
    Strikethrough(Vec<Inline>),
    /// A live link: `href` passed `is_safe_href`.
    Link {
        href: String,
        content: Vec<Inline>,
    },
    /// A link with any other scheme (or none): shown as text with its address, never followed.
    InertLink {
        href: String,
        content: Vec<Inline>,
    },
    /// Never loaded: rendered as a placeholder that names the address.
    Image {
        alt: String,
        src: String,
    },
    /// Inline HTML, shown as literal text.
    RawHtml(String),
    LineBreak,
}

/// True for `http:`, `https:` and `mailto:` addresses. Relative links and `#fragments` are refused too:
/// in a shared report they would resolve against the app's own address and could change the fragment
/// that carries the report.
pub fn is_safe_href(href: &str) -> bool {
    // Browsers ignore leading whitespace and control characters and strip tabs and newlines anywhere
    // in a URL, so `\tjava\nscript:` is a javascript: URL to them; normalise the same way first.
    let cleaned: String = href
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let lower = cleaned.to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://"))
        && lower.len() > "https://".len()
        || lower.starts_with("mailto:") && lower.len() > "mailto:".len()
}

/// Open containers while walking the event stream.
enum Frame {
    Root(Vec<Block>),
    Quote(Vec<Block>),
    List {
        start: Option<u64>,
        items: Vec<Vec<Block>>,
    },
    Item(Vec<Block>),
    Paragraph(Vec<Inline>),
    Heading {
        level: u8,
        content: Vec<Inline>,
    },
    Code {
        language: Option<String>,
        code: String,
    },
    HtmlBlock(String),
    Table {
        header: Vec<Vec<Inline>>,
        rows: Vec<Vec<Vec<Inline>>>,
        in_head: bool,
    },
    Row(Vec<Vec<Inline>>),
    Cell(Vec<Inline>),
    Emphasis(Vec<Inline>),
    Strong(Vec<Inline>),
    Strike(Vec<Inline>),
    Link {
        href: String,
        content: Vec<Inline>,
    },
    Image {
        src: String,
        alt: String,
    },
    /// This many containers past `MAX_NESTING` in a row: their content goes to the parent. One frame
    /// for the whole run, so adding content never walks past thousands of them (which made a note of
    /// nested emphasis quadratic, found by `examples/fuzz.rs`).
    Flattened(usize),
}

struct Builder {
    stack: Vec<Frame>,
    /// How many block containers (quotes, lists, items) are open.
    depth: usize,
    /// Nodes built so far (merged text counts once), against `MAX_DISPLAY_NODES`.
    nodes: usize,
    /// How many inline containers (emphasis, strong, strikethrough, links, images) are open.
    inline_depth: usize,
}

/// Appends `inline` to `content`, merging text into the text before it: pulldown-cmark emits one text
/// event per unmatched `[`, `<` or `*`, and one node each would make rendering cost grow with the count
/// of such characters instead of the note's length.
fn append_inline(content: &mut Vec<Inline>, inline: Inline) -> bool {
    if let (Some(Inline::Text(last)), Inline::Text(text)) = (content.last_mut(), &inline) {
        last.push_str(text);
        return false;
    }
    content.push(inline);
    true
}

impl Builder {
    fn push_inline(&mut self, inline: Inline) {
        let added = self.place_inline(inline);
        if added {
            self.nodes += 1;
        }
    }

    /// Puts `inline` into the innermost frame that holds inline content; true when it became a node
    /// of its own (not merged into text before it).
    fn place_inline(&mut self, inline: Inline) -> bool {
        for frame in self.stack.iter_mut().rev() {
            match frame {
                Frame::Paragraph(v)
                | Frame::Heading { content: v, .. }
                | Frame::Cell(v)
                | Frame::Emphasis(v)
                | Frame::Strong(v)
                | Frame::Strike(v)
                | Frame::Link { content: v, .. } => return append_inline(v, inline),
                Frame::Image { alt, .. } => {
                    alt.push_str(&plain_inline(&inline));
                    return false;
                }
                Frame::Code { code, .. } => {
                    code.push_str(&plain_inline(&inline));
                    return false;
                }
                Frame::HtmlBlock(text) => {
                    text.push_str(&plain_inline(&inline));
                    return false;
                }
                Frame::Flattened(_) => continue,
                // Inline content directly in a block container (a "tight" list item): wrap it.
                Frame::Root(blocks) | Frame::Quote(blocks) | Frame::Item(blocks) => {
                    if let Some(Block::Paragraph(last)) = blocks.last_mut() {
                        return append_inline(last, inline);
                    }
                    blocks.push(Block::Paragraph(vec![inline]));
                    return true;
                }
                Frame::List { .. } | Frame::Table { .. } | Frame::Row(_) => return false,
            }
        }
        false
    }

    fn push_block(&mut self, block: Block) {
        self.nodes += 1;
        for frame in self.stack.iter_mut().rev() {
            match frame {
                Frame::Root(b) | Frame::Quote(b) | Frame::Item(b) => {
                    b.push(block);
                    return;
                }
                Frame::List { items, .. } => {
                    items.push(vec![block]);
                    return;
                }
                Frame::Flattened(_) => continue,
                _ => {
                    // A block inside an inline container cannot happen in CommonMark; keep its text.
                    let text = plain_blocks(std::slice::from_ref(&block));
                    self.push_inline(Inline::Text(text));
                    return;
                }
            }
        }
    }

    fn open_container(&mut self, frame: Frame) {
        if self.depth >= MAX_NESTING {
            self.push_flattened();
        } else {
            self.depth += 1;
            self.stack.push(frame);
        }
    }

    /// Opens an inline container, or past `MAX_NESTING` a flattened frame whose content goes to the
    /// enclosing one: `*` × 10,000, `a`, `*` × 10,000 would otherwise nest 5,000 emphases, and
    /// building, cloning, dropping or rendering that tree overflows the stack (found by the fuzz
    /// harness, `examples/fuzz.rs`).
    fn open_inline(&mut self, frame: Frame) {
        if self.inline_depth >= MAX_NESTING {
            self.push_flattened();
        } else {
            self.inline_depth += 1;
            self.stack.push(frame);
        }
    }

    fn push_flattened(&mut self) {
        if let Some(Frame::Flattened(count)) = self.stack.last_mut() {
            *count += 1;
        } else {
            self.stack.push(Frame::Flattened(1));
        }
    }

    fn close(&mut self) {
        let Some(frame) = self.stack.pop() else {
            return;
        };
        if matches!(
            frame,
            Frame::Emphasis(_)
                | Frame::Strong(_)
                | Frame::Strike(_)
                | Frame::Link { .. }
                | Frame::Image { .. }
        ) {
            self.inline_depth = self.inline_depth.saturating_sub(1);
        }
        match frame {
            Frame::Root(blocks) => self.stack.push(Frame::Root(blocks)),
            Frame::Flattened(count) => {
                if count > 1 {
                    self.stack.push(Frame::Flattened(count - 1));
                }
            }
            Frame::Quote(blocks) => {
                self.depth = self.depth.saturating_sub(1);
                self.push_block(Block::Quote(blocks));
            }
            Frame::List { start, items } => {
                self.depth = self.depth.saturating_sub(1);
                self.push_block(Block::List { start, items });
            }
            Frame::Item(blocks) => {
                self.depth = self.depth.saturating_sub(1);
                match self.stack.last_mut() {
                    Some(Frame::List { items, .. }) => items.push(blocks),
                    _ => {
                        for block in blocks {
                            self.push_block(block);
                        }
                    }
                }
            }
            Frame::Paragraph(content) => self.push_block(Block::Paragraph(content)),
            Frame::Heading { level, content } => self.push_block(Block::Heading { level, content }),
            Frame::Code { language, code } => self.push_block(Block::CodeBlock { language, code }),
            Frame::HtmlBlock(text) => self.push_block(Block::RawHtml(text)),
            Frame::Table { header, rows, .. } => self.push_block(Block::Table { header, rows }),
            Frame::Row(cells) => {
                if let Some(Frame::Table {
                    header,
                    rows,
                    in_head,
                }) = self.stack.last_mut()
                {
                    if *in_head {
                        *header = cells;
                    } else {
                        rows.push(cells);
                    }
                }
            }
            Frame::Cell(content) => {
                if let Some(Frame::Row(cells)) = self.stack.last_mut() {
                    cells.push(content);
                } else if let Some(Frame::Table { header, .. }) = self.stack.last_mut() {
                    // pulldown-cmark puts header cells directly in the head.
                    header.push(content);
                }
            }
            Frame::Emphasis(content) => self.push_inline(Inline::Emphasis(content)),
            Frame::Strong(content) => self.push_inline(Inline::Strong(content)),
            Frame::Strike(content) => self.push_inline(Inline::Strikethrough(content)),
            Frame::Link { href, content } => {
                if is_safe_href(&href) {
                    self.push_inline(Inline::Link { href, content });
                } else {
                    self.push_inline(Inline::InertLink { href, content });
                }
            }
            Frame::Image { src, alt } => self.push_inline(Inline::Image { alt, src }),
        }
    }
}

fn plain_inline(inline: &Inline) -> String {
    match inline {
        Inline::Text(t) | Inline::Code(t) | Inline::RawHtml(t) => t.clone(),
        Inline::Emphasis(v) | Inline::Strong(v) | Inline::Strikethrough(v) => plain_inlines(v),
        Inline::Link { content, .. } | Inline::InertLink { content, .. } => plain_inlines(content),
        Inline::Image { alt, .. } => alt.clone(),
        Inline::LineBreak => "\n".to_string(),
    }
}

fn plain_inlines(inlines: &[Inline]) -> String {
    inlines.iter().map(plain_inline).collect()
}

fn plain_blocks(blocks: &[Block]) -> String {
    let parts: Vec<String> = blocks
        .iter()
        .map(|block| match block {
            Block::Heading { content, .. } | Block::Paragraph(content) => plain_inlines(content),
            Block::CodeBlock { code, .. } => code.clone(),
            Block::Quote(blocks) => plain_blocks(blocks),
            Block::List { items, .. } => items
                .iter()
                .map(|item| plain_blocks(item))
                .collect::<Vec<_>>()
                .join("\n"),
            Block::Rule => String::new(),
            Block::Table { header, rows } => std::iter::once(header)
                .chain(rows.iter())
                .map(|row| {
                    row.iter()
                        .map(|cell| plain_inlines(cell))
                        .collect::<Vec<_>>()
                        .join("\t")
                })
                .collect::<Vec<_>>()
                .join("\n"),
            Block::RawHtml(text) => text.clone(),
        })
        .collect();
    parts.join("\n")
}

/// The document as plain text (for titles, exports and search).
pub fn plain_text(document: &Document) -> String {
    plain_blocks(&document.blocks)
}

/// The Markdown options the app reads notes with: CommonMark plus tables and strikethrough.
const OPTIONS: Options = Options::ENABLE_TABLES.union(Options::ENABLE_STRIKETHROUGH);

/// The note's Markdown as written, with what the app would not let happen made inert for any other
/// renderer (a report pasted into a blog): raw HTML is escaped so it shows as text, a link to
/// anything but `http`, `https` or `mailto` keeps only its text, and an image becomes a link to its
/// address, so it is never loaded by opening the page. Everything else is kept byte for byte.
///
/// An edit can change how the text around it parses (removing a link's brackets can make a new
/// link of its neighbours), so the passes repeat until nothing changes; text that still holds
/// something active after a few passes is escaped whole, character by character.
pub fn defused(source: &str) -> String {
    let mut text = source.to_string();
    for _ in 0..8 {
        let (next, changed) = defuse_pass(&text);
        if !changed {
            return text;
        }
        text = next;
    }
    if is_inert(&text) {
        text
    } else {
        literal(&text)
    }
}

/// Whether a renderer of `text` would meet no raw HTML, no image and no unsafe link.
fn is_inert(text: &str) -> bool {
    Parser::new_ext(text, OPTIONS).all(|event| match event {
        Event::Html(_) | Event::InlineHtml(_) | Event::Start(Tag::Image { .. }) => false,
        Event::Start(Tag::Link { dest_url, .. }) => is_safe_href(&dest_url),
        _ => true,
    })
}

/// `text` with every ASCII punctuation character backslash-escaped (CommonMark §2.4) and `<`, `>`
/// and `&` as entities: Markdown shows it exactly as written, and nothing in it is markup.
fn literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            c if c.is_ascii_punctuation() => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// One pass of [`defused`]: the edited text and whether anything was edited.
///
/// Besides what CommonMark itself would act on, it removes what other renderers read differently
/// (checked against Python-Markdown, with and without `extra`, markdown-it and marked by
/// `.ci/report-oracle.py`): brackets and braces in text (Python-Markdown links whose address
/// CommonMark refuses, such as one with a tab in `java\tscript:`, and `{onclick=…}` attribute
/// lists), `\<` (not an escape in Python-Markdown), code spans over several lines and fenced code
/// holding `<` (Python-Markdown takes a line that starts with a tag as raw HTML, even inside code it
/// does not recognise: plain Python-Markdown has no fenced code), and fence info strings other than a
/// language name (`{ onclick=… }` under `extra`).
fn defuse_pass(source: &str) -> (String, bool) {
    let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    let mut unsafe_link: Option<(std::ops::Range<usize>, String)> = None;
    // Open block quotes, lists and items: fenced code inside one cannot simply be re-indented.
    let mut containers = 0usize;
    let mut in_code_block = false;
    let mut in_autolink = false;
    // Where the last leaf event (text, code, HTML, a break) ended.
    let mut leaf_end = 0usize;
    for (event, range) in Parser::new_ext(source, OPTIONS).into_offset_iter() {
        let leaf = matches!(
            event,
            Event::Text(_)
                | Event::Code(_)
                | Event::Html(_)
                | Event::InlineHtml(_)
                | Event::SoftBreak
                | Event::HardBreak
        );
        let end = range.end;
        match &event {
            Event::Start(Tag::BlockQuote(_) | Tag::List(_) | Tag::Item) => containers += 1,
            Event::End(TagEnd::BlockQuote(_) | TagEnd::List(_) | TagEnd::Item) => {
                containers = containers.saturating_sub(1)
            }
            Event::Start(Tag::Link {
                link_type: LinkType::Autolink | LinkType::Email,
                ..
            }) => in_autolink = true,
            Event::End(TagEnd::Link) => in_autolink = false,
            Event::Start(Tag::CodeBlock(kind)) => {
                in_code_block = true;
                if unsafe_link.is_none()
                    && let CodeBlockKind::Fenced(info) = kind
                {
                    match fenced_code_edit(source, range.clone(), info.as_ref(), containers) {
                        Some(FenceEdit::Replace(edit)) => edits.push(edit),
                        Some(FenceEdit::Unfixable) => return (literal(source), true),
                        None => {}
                    }
                }
            }
            Event::End(TagEnd::CodeBlock) => in_code_block = false,
            _ => {}
        }
        match event {
            Event::Html(html) | Event::InlineHtml(html) if unsafe_link.is_none() => {
                edits.push((range, html.replace('<', "&lt;").replace('>', "&gt;")));
            }
            Event::Start(Tag::Link { dest_url, .. })
                if unsafe_link.is_none() && !is_safe_href(&dest_url) =>
            {
                unsafe_link = Some((range, String::new()));
            }
            Event::Text(text) | Event::Code(text) if unsafe_link.is_some() => {
                if let Some((_, kept)) = unsafe_link.as_mut() {
                    kept.push_str(&text);
                }
            }
            Event::Code(code) if source[range.clone()].contains(['\n', '\r']) => {
                edits.push((range, code_span(&code)));
            }
            Event::Text(_) if !in_code_block && !in_autolink => {
                // A backslash just before the text, outside the event before it, was an escape
                // (an escaped backslash is text of its own event). Known in constant time: counting
                // the run of backslashes each time would be quadratic in a run of them.
                let escaped = range.start > 0
                    && source.as_bytes()[range.start - 1] == b'\\'
                    && leaf_end < range.start
                    && source[range.start..].starts_with(|c: char| c.is_ascii_punctuation());
                if let Some(edit) = text_edit(source, range.clone(), escaped) {
                    edits.push(edit);
                }
            }
            Event::End(TagEnd::Link) => {
                if let Some((range, kept)) = unsafe_link.take() {
                    edits.push((range, literal(&kept)));
                }
            }
            // `![alt](src)` → `[alt](src)`: the `!` is the image's first byte.
            Event::Start(Tag::Image { .. })
                if unsafe_link.is_none() && source[range.clone()].starts_with('!') =>
            {
                edits.push((range.start..range.start + 1, String::new()));
            }
            _ => {}
        }
        if leaf {
            leaf_end = end;
        }
    }
    // In order of position; an edit inside an earlier one is dropped.
    edits.sort_by_key(|(range, _)| (range.start, std::cmp::Reverse(range.end)));
    let mut kept_edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    for edit in edits {
        if kept_edits
            .last()
            .is_none_or(|(last, _)| edit.0.start >= last.end)
        {
            kept_edits.push(edit);
        }
    }
    let changed = !kept_edits.is_empty();
    // One pass over the source: replacing in place, edit by edit, would copy the rest of the text for
    // every edit, quadratic in a note of thousands of brackets (found by `examples/fuzz.rs`).
    let mut out = String::with_capacity(source.len() + source.len() / 8);
    let mut copied = 0;
    for (range, replacement) in kept_edits {
        out.push_str(&source[copied..range.start]);
        out.push_str(&replacement);
        copied = range.end;
    }
    out.push_str(&source[copied..]);
    (out, changed)
}

/// What [`fenced_code_edit`] decided about one fenced code block.
enum FenceEdit {
    Replace((std::ops::Range<usize>, String)),
    /// Code holding `<` inside a quote or list: re-indenting it would need the container's own
    /// indentation, so the whole note is written as literal text instead.
    Unfixable,
}

/// A fenced code block as every renderer reads it. Code holding `<` becomes an indented code block
/// (the one code block form all of them know, so its text stays code, byte for byte); otherwise only
/// an info string that is not a plain language name is dropped.
fn fenced_code_edit(
    source: &str,
    range: std::ops::Range<usize>,
    info: &str,
    containers: usize,
) -> Option<FenceEdit> {
    let block = &source[range.clone()];
    let first_line_end = block.find('\n').map_or(block.len(), |at| at + 1);
    let (fence_line, rest) = block.split_at(first_line_end);
    if rest.contains('<') {
        if containers > 0 {
            return Some(FenceEdit::Unfixable);
        }
        let fence = fence_line.trim();
        let fence_char = fence.chars().next().unwrap_or('`');
        let fence_len = fence.chars().take_while(|c| *c == fence_char).count();
        // The closing fence (when there is one) is the last line made of the fence character only.
        let mut lines: Vec<&str> = rest.lines().collect();
        if lines.last().is_some_and(|line| {
            let line = line.trim();
            line.len() >= fence_len && line.chars().all(|c| c == fence_char)
        }) {
            lines.pop();
        }
        // The fence's own indentation (up to three spaces) is removed from each content line.
        let indent = fence_line.len() - fence_line.trim_start_matches(' ').len();
        let mut out = String::new();
        // An indented code block cannot interrupt a paragraph: make sure a blank line comes first.
        if range.start > 0 && !source[..range.start].ends_with("\n\n") {
            out.push('\n');
        }
        for line in lines {
            let strip = line.len() - line.trim_start_matches(' ').len();
            out.push_str("    ");
            out.push_str(&line[strip.min(indent)..]);
            out.push('\n');
        }
        out.push('\n');
        return Some(FenceEdit::Replace((range, out)));
    }
    let language_only = info
        .trim()
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '+' | '.' | '#'));
    if language_only {
        return None;
    }
    let fence_start = fence_line.len() - fence_line.trim_start().len();
    let fence: String = fence_line[fence_start..]
        .chars()
        .take_while(|c| *c == '`' || *c == '~')
        .collect();
    let line_end = range.start + fence_line.trim_end_matches(['\n', '\r']).len();
    Some(FenceEdit::Replace((
        range.start + fence_start..line_end,
        fence,
    )))
}

/// `code` (one line) as an inline code span, its fence one backtick longer than any run inside so the
/// span cannot end early; a space between fence and text when the text starts or ends with a backtick
/// or starts with a space, which CommonMark strips again (§6.1). Nothing inside is markup in any
/// renderer.
pub fn code_span(code: &str) -> String {
    let longest_run = code.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest_run + 1);
    let pad = if code.starts_with('`') || code.ends_with('`') || code.starts_with(' ') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{code}{pad}{fence}")
}

/// The edit that writes the text at `range` so that no renderer finds markup in it, or None when it
/// holds nothing to change: `<` becomes `&lt;` (also when written `\<`, which only CommonMark reads as
/// an escape), and `[`, `]`, `{` and `}` are backslash-escaped (an escape in CommonMark and in
/// Python-Markdown alike). CommonMark shows the result exactly as before.
fn text_edit(
    source: &str,
    range: std::ops::Range<usize>,
    escaped: bool,
) -> Option<(std::ops::Range<usize>, String)> {
    // pulldown-cmark starts an escaped character's text after its backslash: take the backslash in.
    let start = if escaped {
        range.start - 1
    } else {
        range.start
    };
    let text = &source[start..range.end];
    if !text.contains(['<', '[', ']', '{', '}']) {
        return None;
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('<') => out.push_str("&lt;"),
                Some(next) => {
                    out.push('\\');
                    out.push(next);
                }
                None => out.push('\\'),
            },
            '<' => out.push_str("&lt;"),
            '[' | ']' | '{' | '}' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    (out != text).then_some((start..range.end, out))
}

/// Parses Markdown (CommonMark plus tables and strikethrough) into the safe tree. Never fails.
/// Only the first `MAX_DISPLAY_BYTES` are read and at most `MAX_DISPLAY_NODES` nodes built; past
/// either, `truncated` is set and the rest is left out.
pub fn parse(source: &str) -> Document {
    let options = OPTIONS;
    let mut builder = Builder {
        stack: vec![Frame::Root(Vec::new())],
        depth: 0,
        nodes: 0,
        inline_depth: 0,
    };
    let mut truncated = source.len() > MAX_DISPLAY_BYTES;
    let source = if truncated {
        &source[..source.floor_char_boundary(MAX_DISPLAY_BYTES)]
    } else {
        source
    };
    for event in Parser::new_ext(source, options) {
        if builder.nodes >= MAX_DISPLAY_NODES {
            truncated = true;
            break;
        }
        match event {
            Event::Start(tag) => match tag {
                Tag::Paragraph => builder.stack.push(Frame::Paragraph(Vec::new())),
                Tag::Heading { level, .. } => builder.stack.push(Frame::Heading {
                    level: level as u8,
                    content: Vec::new(),
                }),
                Tag::BlockQuote(_) => builder.open_container(Frame::Quote(Vec::new())),
                Tag::CodeBlock(kind) => {
                    let language = match kind {
                        pulldown_cmark::CodeBlockKind::Fenced(info) => info
                            .split_whitespace()
                            .next()
                            .map(str::to_string)
                            .filter(|l| !l.is_empty()),
                        pulldown_cmark::CodeBlockKind::Indented => None,
                    };
                    builder.stack.push(Frame::Code {
                        language,
                        code: String::new(),
                    });
                }
                Tag::HtmlBlock => builder.stack.push(Frame::HtmlBlock(String::new())),
                Tag::List(start) => builder.open_container(Frame::List {
                    start,
                    items: Vec::new(),
                }),
                Tag::Item => builder.open_container(Frame::Item(Vec::new())),
                Tag::Table(_) => builder.stack.push(Frame::Table {
                    header: Vec::new(),
                    rows: Vec::new(),
                    in_head: false,
                }),
                Tag::TableHead => {
                    if let Some(Frame::Table { in_head, .. }) = builder.stack.last_mut() {
                        *in_head = true;
                    }
                    builder.stack.push(Frame::Row(Vec::new()));
                }
                Tag::TableRow => builder.stack.push(Frame::Row(Vec::new())),
                Tag::TableCell => builder.stack.push(Frame::Cell(Vec::new())),
                Tag::Emphasis => builder.open_inline(Frame::Emphasis(Vec::new())),
                Tag::Strong => builder.open_inline(Frame::Strong(Vec::new())),
                Tag::Strikethrough => builder.open_inline(Frame::Strike(Vec::new())),
                Tag::Link { dest_url, .. } => builder.open_inline(Frame::Link {
                    href: dest_url.to_string(),
                    content: Vec::new(),
                }),
                Tag::Image { dest_url, .. } => builder.open_inline(Frame::Image {
                    src: dest_url.to_string(),
                    alt: String::new(),
                }),
                // Footnotes, definition lists, metadata blocks and the like are not enabled; anything
                // else still opens a frame so its end tag stays balanced.
                _ => builder.push_flattened(),
            },
            Event::End(tag) => {
                if matches!(tag, TagEnd::TableHead) {
                    builder.close();
                    if let Some(Frame::Table { in_head, .. }) = builder.stack.last_mut() {
                        *in_head = false;
                    }
                } else {
                    builder.close();
                }
            }
            Event::Text(text) => builder.push_inline(Inline::Text(text.to_string())),
            Event::Code(code) => builder.push_inline(Inline::Code(code.to_string())),
            Event::Html(html) => {
                if let Some(Frame::HtmlBlock(text)) = builder.stack.last_mut() {
                    text.push_str(&html);
                } else {
                    builder.push_block(Block::RawHtml(html.to_string()));
                }
            }
            Event::InlineHtml(html) => builder.push_inline(Inline::RawHtml(html.to_string())),
            Event::SoftBreak => builder.push_inline(Inline::Text(" ".to_string())),
            Event::HardBreak => builder.push_inline(Inline::LineBreak),
            Event::Rule => builder.push_block(Block::Rule),
            other => builder.push_inline(Inline::Text(format!("{other:?}"))),
        }
    }
    // Close anything left open (cannot happen with a balanced stream, but costs nothing).
    while builder.stack.len() > 1 {
        builder.close();
    }
    match builder.stack.pop() {
        Some(Frame::Root(blocks)) => Document { blocks, truncated },
        _ => Document {
            blocks: Vec::new(),
            truncated,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_kit::XorShift;

    fn inlines(document: &Document) -> Vec<Inline> {
        fn walk_blocks(blocks: &[Block], out: &mut Vec<Inline>) {
            for block in blocks {
                match block {
                    Block::Heading { content, .. } | Block::Paragraph(content) => {
                        walk_inlines(content, out)
                    }
                    Block::Quote(blocks) => walk_blocks(blocks, out),
                    Block::List { items, .. } => {
                        items.iter().for_each(|item| walk_blocks(item, out))
                    }
                    Block::Table { header, rows } => {
                        header.iter().for_each(|cell| walk_inlines(cell, out));
                        rows.iter()
                            .flatten()
                            .for_each(|cell| walk_inlines(cell, out));
                    }
                    _ => {}
                }
            }
        }
        fn walk_inlines(inlines: &[Inline], out: &mut Vec<Inline>) {
            for inline in inlines {
                out.push(inline.clone());
                match inline {
                    Inline::Emphasis(v) | Inline::Strong(v) | Inline::Strikethrough(v) => {
                        walk_inlines(v, out)
                    }
                    Inline::Link { content, .. } | Inline::InertLink { content, .. } => {
                        walk_inlines(content, out)
                    }
                    _ => {}
                }
            }
        }
        let mut out = Vec::new();
        walk_blocks(&document.blocks, &mut out);
        out
    }

    fn live_links(source: &str) -> Vec<String> {
        inlines(&parse(source))
            .into_iter()
            .filter_map(|inline| match inline {
                Inline::Link { href, .. } => Some(href),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn defused_notes_keep_their_markdown_and_lose_what_could_act() {
        let plain = "# Title\n\nRTT **24 ms**, see [the map](https://example.org/m) and `a<b`.\n";
        assert_eq!(defused(plain), plain);
        assert_eq!(
            defused("Hi <img src=x onerror=alert(1)> there"),
            "Hi &lt;img src=x onerror=alert(1)&gt; there"
        );
        assert_eq!(
            defused("<script>alert(1)</script>\n\ntext"),
            "&lt;script&gt;alert(1)&lt;/script&gt;\n\ntext"
        );
        assert_eq!(defused("[click](javascript:alert(1)) now"), "click now");
        assert_eq!(defused("[**bold**](#report/v1/x)"), "bold");
        assert_eq!(
            defused("![tracker](https://evil.example/p.gif)"),
            "[tracker](https://evil.example/p.gif)"
        );
        // Hostile input never panics, whatever its shape.
        for text in [
            "<",
            "[",
            "![",
            "[x](<javascript:1>)",
            "<a href=x>[y](javascript:z)</a>",
            "é<b>ü",
        ] {
            let _ = defused(text);
        }
    }

    /// Regression (issue 17): five forms were inert to pulldown-cmark but active in Python-Markdown
    /// (MkDocs, Pelican). The oracle `.ci/report-oracle.py` renders them; these pin the rewriting.
    #[test]
    fn defused_notes_are_inert_for_python_markdown_too() {
        for (note, expected) in [
            // Plain Python-Markdown has no fenced code: a line starting with a tag is raw HTML.
            (
                "```\n<script>x</script>\n```\n",
                "    <script>x</script>\n\n\n",
            ),
            // `\<` is no escape there.
            ("a \\<script>b", "a &lt;script>b"),
            // A link CommonMark refuses (tab in the address) that browsers would follow.
            (
                "[x](java\tscript:alert(1))",
                "\\[x\\](java\tscript:alert(1))",
            ),
            // Attribute lists under `extra`, after a heading or in a fence's info string.
            ("# T {onclick=alert(1)}", "# T \\{onclick=alert(1)\\}"),
            ("```js {onclick=alert(1)}\ncode\n```\n", "```\ncode\n```\n"),
            // A code span over two lines whose second starts with a tag.
            ("`a\n<b>c` d", "`a <b>c` d"),
            // Fenced code with a tag inside a list cannot be re-indented: the note becomes literal.
            (
                "- i\n\n  ```\n  <b>\n  ```\n",
                "\\- i\n\n  \\`\\`\\`\n  &lt;b&gt;\n  \\`\\`\\`\n",
            ),
        ] {
            assert_eq!(defused(note), expected, "{note:?}");
        }
        // What needs no change keeps its bytes, and CommonMark shows the rewritten text as before.
        for kept in [
            "see [the map](https://e.org) and `a<b`",
            "```rust\nfn x() {}\n```\n",
        ] {
            assert_eq!(defused(kept), kept);
        }
        let note = "see [1] and \\[2\\] {x}";
        assert_eq!(plain_text(&parse(&defused(note))), plain_text(&parse(note)));
    }

    #[test]
    fn nothing_defused_holds_raw_html_an_unsafe_link_or_an_image() {
        // Seeded strings over Markdown's active characters (a linear congruential generator, Knuth's
        // MMIX constants), checked by parsing the result again.
        const ALPHABET: [&str; 18] = [
            "<",
            ">",
            "[",
            "]",
            "(",
            ")",
            "!",
            "*",
            "`",
            "\n",
            "a",
            "é",
            " ",
            "javascript:",
            "x",
            "<b>",
            "](",
            "https://e.org",
        ];
        let mut state: u64 = 42;
        for _ in 0..3000 {
            let mut text = String::new();
            for _ in 0..24 {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                text.push_str(ALPHABET[(state >> 33) as usize % ALPHABET.len()]);
            }
            let safe = defused(&text);
            for event in Parser::new_ext(&safe, OPTIONS) {
                let bad = match &event {
                    Event::Html(_) | Event::InlineHtml(_) => true,
                    Event::Start(Tag::Image { .. }) => true,
                    Event::Start(Tag::Link { dest_url, .. }) => !is_safe_href(dest_url),
                    _ => false,
                };
                assert!(!bad, "{text:?} → {safe:?} still has {event:?}");
            }
        }
    }

    #[test]
    fn ordinary_markdown_keeps_its_structure() {
        let doc = parse(
            "# Title\n\nSome *em* and **strong** and `code`.\n\n- a\n- b\n\n1. one\n\n> quote\n\n```rust\nfn x() {}\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n---\n",
        );
        assert!(matches!(&doc.blocks[0], Block::Heading { level: 1, .. }));
        assert!(matches!(&doc.blocks[1], Block::Paragraph(_)));
        assert!(matches!(&doc.blocks[2], Block::List { start: None, items } if items.len() == 2));
        assert!(matches!(&doc.blocks[3], Block::List { start: Some(1), .. }));
        assert!(matches!(&doc.blocks[4], Block::Quote(_)));
        assert!(
            matches!(&doc.blocks[5], Block::CodeBlock { language: Some(l), code } if l == "rust" && code == "fn x() {}\n")
        );
        assert!(
            matches!(&doc.blocks[6], Block::Table { header, rows } if header.len() == 2 && rows.len() == 1 && rows[0].len() == 2)
        );
        assert_eq!(doc.blocks[7], Block::Rule);
        assert!(plain_text(&doc).contains("Some em and strong and code."));
    }

    #[test]
    fn only_http_https_and_mailto_links_are_live() {
        assert_eq!(
            live_links("[a](https://example.org/) [b](http://x.example/) [c](mailto:a@b.example)"),
            vec![
                "https://example.org/",
                "http://x.example/",
                "mailto:a@b.example"
            ]
        );
        for hostile in [
            "[x](javascript:alert(1))",
            "[x](JAVASCRIPT:alert(1))",
            "[x](jav&#x61;script:alert(1))",
            "[x](&#106;avascript:alert(1))",
            "[x](<\tjavascript:alert(1)>)",
            "[x](data:text/html,<script>alert(1)</script>)",
            "[x](vbscript:msgbox)",
            "[x](file:///etc/passwd)",
            "[x](//evil.example/)",
            "[x](/relative)",
            "[x](#report/v1/abc)",
            "<javascript:alert(1)>",
            "[x][r]\n\n[r]: javascript:alert(1)",
            "[x](https://)",
        ] {
            assert_eq!(live_links(hostile), Vec::<String>::new(), "{hostile}");
        }
        assert!(!is_safe_href("\u{1}javascript:alert(1)"));
        assert!(!is_safe_href(" java\nscript:alert(1)"));
        assert!(is_safe_href("  https://example.org"));
    }

    #[test]
    fn raw_html_and_images_are_text_and_placeholders() {
        let doc = parse(
            "<script>alert(1)</script>\n\ntext <img src=x onerror=alert(1)> <a href=\"javascript:x\">y</a>\n\n![alt *text*](https://tracker.example/p.png)\n\n<iframe src=\"https://e.example\"></iframe>",
        );
        assert!(matches!(&doc.blocks[0], Block::RawHtml(html) if html.contains("<script>")));
        let all = inlines(&doc);
        assert!(
            all.iter()
                .any(|i| matches!(i, Inline::RawHtml(h) if h.contains("onerror")))
        );
        assert!(all.contains(&Inline::Image {
            alt: "alt text".into(),
            src: "https://tracker.example/p.png".into()
        }));
        assert!(!all.iter().any(|i| matches!(i, Inline::Link { .. })));
        assert!(plain_text(&doc).contains("<iframe"));
    }

    #[test]
    fn hostile_nesting_is_flattened_not_overflowed() {
        for source in [
            ">".repeat(50_000) + " deep",
            "- ".repeat(20_000) + "x",
            "*".repeat(30_000) + "x",
        ] {
            let doc = parse(&source);
            fn depth(blocks: &[Block]) -> usize {
                blocks
                    .iter()
                    .map(|b| match b {
                        Block::Quote(inner) => 1 + depth(inner),
                        Block::List { items, .. } => {
                            1 + items.iter().map(|i| depth(i)).max().unwrap_or(0)
                        }
                        _ => 0,
                    })
                    .max()
                    .unwrap_or(0)
            }
            assert!(
                depth(&doc.blocks) <= MAX_NESTING * 2,
                "depth {}",
                depth(&doc.blocks)
            );
        }
        assert!(plain_text(&parse(&(">".repeat(100) + " deep"))).contains("deep"));
    }

    /// Regression (issue 17): 100,000 unmatched `[` made 100,000 text nodes, where 100,000 `x` made
    /// one, so a 5 KB share link froze the page.
    #[test]
    fn unmatched_brackets_make_one_text_node_not_one_per_character() {
        for unit in ["[", "<", "]", "_b", "![", "x~", "<a"] {
            let source = unit.repeat(50_000);
            let document = parse(&source);
            assert!(!document.truncated, "{unit}");
            let nodes = inlines(&document).len();
            assert!(nodes <= 3, "{unit}: {nodes} nodes");
            assert_eq!(plain_text(&document).len(), source.len(), "{unit}");
        }
    }

    #[test]
    fn huge_or_intricate_notes_are_shown_truncated() {
        // Over the byte limit: only the beginning is read, cut at a character boundary.
        let long = "é".repeat(MAX_DISPLAY_BYTES);
        let document = parse(&long);
        assert!(document.truncated);
        assert!(plain_text(&document).len() <= MAX_DISPLAY_BYTES);
        // Over the node limit: a node each (links and code spans cannot merge).
        let intricate = "[a](https://e.org) `c` ".repeat(MAX_DISPLAY_NODES);
        let document = parse(&intricate);
        assert!(document.truncated);
        assert!(inlines(&document).len() <= MAX_DISPLAY_NODES * 2);
        // Emphasis that does pair up is a node each, up to the limit.
        let document = parse(&"*a".repeat(50_000));
        assert!(document.truncated);
        assert!(inlines(&document).len() <= MAX_DISPLAY_NODES * 2);
        // An ordinary note is whole.
        assert!(!parse("# t\n\nsome *text*").truncated);
    }

    /// Deterministic garbage: no input may panic, and no link in the result may be unsafe.
    #[test]
    fn random_input_never_panics_nor_yields_unsafe_links() {
        let alphabet: Vec<char> = "[]()<>!*_`#>-|:/\\&;\n \tajvscrptJAVhtps:x1é€\u{0}"
            .chars()
            .collect();
        let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
        for _ in 0..2_000 {
            let mut text = String::new();
            // The length is read from the state before it moves on, as it always was.
            for _ in 0..(rng.0 % 200) {
                let state = rng.next_u64();
                text.push(alphabet[(state % alphabet.len() as u64) as usize]);
            }
            for href in live_links(&text) {
                assert!(is_safe_href(&href), "{text:?} gave {href}");
            }
        }
    }
}
