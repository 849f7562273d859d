//! Renders the core's safe Markdown tree (`crate::markdown`) as yew nodes. No HTML string is ever
//! injected: text is text, only links the core marked safe become anchors, and images become a
//! placeholder naming their address, so a shared report never loads anything.

use yew::prelude::*;

use crate::markdown::{Block, Inline, parse};

#[derive(Properties, PartialEq)]
pub struct MarkdownViewProps {
    pub source: AttrValue,
}

#[component]
pub fn MarkdownView(props: &MarkdownViewProps) -> Html {
    let document = use_memo(props.source.clone(), |source| parse(source));
    html! {
        <div class="markdown-body">
            { for document.blocks.iter().map(block) }
            if document.truncated {
                <p class="note-truncated" role="note">{ format!(
                    "Note truncated for display: it is too long or too intricate to show whole here ({}). \
                     Its full text is kept; Edit shows it.",
                    crate::format::bytes(props.source.len())) }</p>
            }
        </div>
    }
}

fn inlines(content: &[Inline]) -> Html {
    html! { { for content.iter().map(inline) } }
}

fn inline(node: &Inline) -> Html {
    match node {
        Inline::Text(text) => html! { { text.clone() } },
        Inline::Code(code) => html! { <code>{ code.clone() }</code> },
        Inline::Emphasis(content) => html! { <em>{ inlines(content) }</em> },
        Inline::Strong(content) => html! { <strong>{ inlines(content) }</strong> },
        Inline::Strikethrough(content) => html! { <del>{ inlines(content) }</del> },
        Inline::Link { href, content } => html! {
            <a href={href.clone()} target="_blank" rel="noopener noreferrer nofollow">{ inlines(content) }</a>
        },
        Inline::InertLink { href, content } => html! {
            <span class="inert-link" title="Link not followed: only http, https and mailto links are live">
                { inlines(content) }{ format!(" ({href})") }
            </span>
        },
        Inline::Image { alt, src } => html! {
            <span class="blocked-image" title="Images in notebooks are never loaded">
                { format!("[image not loaded: {alt} ({src})]") }
            </span>
        },
        Inline::RawHtml(html) => html! { <code class="raw-html">{ html.clone() }</code> },
        Inline::LineBreak => html! { <br /> },
    }
}

fn block(node: &Block) -> Html {
    match node {
        Block::Heading { level, content } => {
            let content = inlines(content);
            match level {
                1 => html! { <h1>{ content }</h1> },
                2 => html! { <h2>{ content }</h2> },
                3 => html! { <h3>{ content }</h3> },
                4 => html! { <h4>{ content }</h4> },
                5 => html! { <h5>{ content }</h5> },
                _ => html! { <h6>{ content }</h6> },
            }
        }
        Block::Paragraph(content) => html! { <p>{ inlines(content) }</p> },
        Block::CodeBlock { language, code } => html! {
            <pre data-language={language.clone()}><code>{ code.clone() }</code></pre>
        },
        Block::Quote(blocks) => html! { <blockquote>{ for blocks.iter().map(block) }</blockquote> },
        Block::List {
            start: Some(start),
            items,
        } => html! {
            <ol start={start.to_string()}>{ for items.iter().map(|item| html! { <li>{ for item.iter().map(block) }</li> }) }</ol>
        },
        Block::List { start: None, items } => html! {
            <ul>{ for items.iter().map(|item| html! { <li>{ for item.iter().map(block) }</li> }) }</ul>
        },
        Block::Rule => html! { <hr /> },
        Block::Table { header, rows } => html! {
            <table>
                <thead><tr>{ for header.iter().map(|cell| html! { <th>{ inlines(cell) }</th> }) }</tr></thead>
                <tbody>{ for rows.iter().map(|row| html! {
                    <tr>{ for row.iter().map(|cell| html! { <td>{ inlines(cell) }</td> }) }</tr>
                }) }</tbody>
            </table>
        },
        Block::RawHtml(html) => html! { <pre class="raw-html">{ html.clone() }</pre> },
    }
}
