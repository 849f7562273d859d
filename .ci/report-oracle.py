#!/usr/bin/env python3
"""The report oracle: are Vantage's exported reports inert in the Markdown renderers bloggers use?

Reads what `cargo run --example hostile_reports -- OUTDIR` wrote (one Markdown report per vector of
tests/fixtures/hostile/vectors.json, every free text field of a notebook holding every cell kind
replaced by that vector, and the map SVGs), renders each report with Python-Markdown (plain, and with
the `extra` extensions MkDocs and Pelican sites enable) and markdown-it-py (its `commonmark` preset,
which passes raw HTML through, and its `default` preset, which escapes it but adds tables), and checks
the HTML as a browser would read it:

- no element that runs or loads something or changes the page: script, iframe, frame, object, embed,
  applet, style, link, meta, base, form, svg, math;
- no attribute named on*;
- every href (and form action) is an http, https or mailto address once normalised the way browsers
  read URLs: entities decoded, leading spaces and control characters stripped, tab, CR and LF removed
  anywhere, lower case;
- no src, srcset, background, poster, data or style attribute at all (each is a load without a click),
  except the `text-align` style the renderers write for aligned table columns.

Each SVG must parse as XML with no script, foreignObject, style or use element, no on* attribute and no
href or xlink:href. `e2e/report-oracle.mjs` checks the same reports rendered by marked.

A failure names the vector, the renderer, the offending HTML and where the text came from: the parts of
the report (the title, each cell alone) that fail on their own, with the fields whose text reaches that
part. Exits 1 when anything fails. Run by .ci/test with the venv .ci/setup makes
(.ci/report-oracle-venv, with the versions of .ci/report-oracle-requirements.txt):

    cargo run --example hostile_reports -- target/hostile-reports
    .ci/report-oracle-venv/bin/python .ci/report-oracle.py target/hostile-reports
"""

import json
import re
import sys
import time
import xml.etree.ElementTree as ElementTree
from html.parser import HTMLParser
from pathlib import Path

import markdown
import markdown_it

# Elements that run script, load or embed other documents or styles, redirect, submit, or carry
# markup languages with their own script and link semantics.
FORBIDDEN_ELEMENTS = {
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "style", "link", "meta",
    "base", "form", "svg", "math",
}
# Attributes that load something without a click (or style it, which can).
LOADING_ATTRIBUTES = {"src", "srcset", "background", "poster", "data", "style", "dynsrc", "lowsrc"}
# Attributes that hold a URL followed on a click or a submit.
LINK_ATTRIBUTES = {"href", "action", "formaction", "xlink:href"}
WEB_SCHEMES = ("http://", "https://", "mailto:")
# The one style the renderers write themselves: a table column's alignment (`|---:|`).
TABLE_ALIGNMENT = re.compile(r"\s*text-align:\s*(left|right|center);?\s*")
# What the WHATWG URL parser strips from the start of a URL (C0 controls and space), and removes
# everywhere (tab and line breaks).
LEADING_STRIPPED = "".join(chr(code) for code in range(0x21))
REMOVED_ANYWHERE = str.maketrans("", "", "\t\n\r")
SCHEME = re.compile(r"[a-z][a-z0-9+.-]*:")


def normalised_url(value):
    """A URL attribute as the browser resolves it (html.parser has already decoded the entities)."""
    return value.lstrip(LEADING_STRIPPED).translate(REMOVED_ANYWHERE).lower()


def url_kind(url):
    """What a URL that is not a web address is: another scheme (javascript:, data:, …), or a
    relative link (harmless to the reader, but a report should link only where it says)."""
    scheme = SCHEME.match(url)
    return f"{scheme.group(0)} URL" if scheme else "relative link, not a web address"


class Inspector(HTMLParser):
    """Collects every start tag that breaks one of the rules, with the reasons."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []

    def handle_starttag(self, tag, attrs):
        reasons = []
        if tag in FORBIDDEN_ELEMENTS:
            reasons.append(f"<{tag}> element")
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                reasons.append(f"{name} attribute")
            elif name == "style" and TABLE_ALIGNMENT.fullmatch(value):
                pass
            elif name in LOADING_ATTRIBUTES:
                reasons.append(f"{name} attribute (loads without a click)")
            elif name in LINK_ATTRIBUTES and not normalised_url(value).startswith(WEB_SCHEMES):
                reasons.append(f"{name} {url_kind(normalised_url(value))}: {normalised_url(value)[:60]!r}")
        if reasons:
            self.problems.append((self.get_starttag_text(), reasons))

    handle_startendtag = handle_starttag


def html_problems(html):
    inspector = Inspector()
    inspector.feed(html)
    inspector.close()
    return inspector.problems


def svg_problems(text):
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError as error:
        return [("(document)", [f"not well-formed XML: {error}"])]
    problems = []
    for element in root.iter():
        local = element.tag.rsplit("}", 1)[-1]
        reasons = []
        if local.lower() in {"script", "foreignobject", "style", "use", "iframe", "a"}:
            reasons.append(f"<{local}> element")
        for name in element.attrib:
            local_name = name.rsplit("}", 1)[-1].lower()
            if local_name.startswith("on"):
                reasons.append(f"{local_name} attribute")
            if local_name == "href":
                reasons.append(f"{name} attribute")
        if reasons:
            problems.append((f"<{local} …>", reasons))
    return problems


def printable(text, limit=160):
    """A snippet for the log: control characters (a vector's NUL, tab, line breaks) as escapes."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text[:limit])


def renderers():
    extra = markdown.Markdown(extensions=["extra"])
    plain = markdown.Markdown()
    commonmark = markdown_it.MarkdownIt("commonmark")
    default = markdown_it.MarkdownIt("default")

    def render_with(md):
        def render(text):
            md.reset()
            return md.convert(text)
        return render

    return {
        f"Python-Markdown {markdown.__version__}": render_with(plain),
        f"Python-Markdown {markdown.__version__} extra": render_with(extra),
        f"markdown-it-py {markdown_it.__version__} commonmark": commonmark.render,
        f"markdown-it-py {markdown_it.__version__} default": default.render,
    }


def fields_of(manifest, part):
    """The fields whose text reaches a part of the report."""
    if part["cell"] is None:
        prefix = "notebook.title"
    else:
        prefix = f"notebook.cells[{part['cell']}]."
    return [field for field in manifest["fields_shown"] if field.startswith(prefix)]


def label_of(part):
    return "title" if part["cell"] is None else f"cell {part['cell']} ({part['kind']})"


def where(manifest, vector, render):
    """The parts of a failing report that fail alone, with their fields; when none does, the two
    parts whose text acts only together (a link in one, its reference definition in another): the
    first part at which the report so far fails, and the last part from which it still fails."""
    parts = vector["parts"]
    found = []
    for part in parts:
        problems = html_problems(render(part["markdown"]))
        if problems:
            found.append((label_of(part), fields_of(manifest, part), problems))
    if found:
        return found
    joined = lambda first, last: "\n".join(p["markdown"] for p in parts[first:last + 1])
    last = next((j for j in range(len(parts)) if html_problems(render(joined(0, j)))), None)
    if last is None:
        return []
    first = next(i for i in range(last, -1, -1) if html_problems(render(joined(i, last))))
    problems = html_problems(render(joined(first, last)))
    return [
        (f"{label_of(parts[first])} together with {label_of(parts[last])}",
         fields_of(manifest, parts[first]) + fields_of(manifest, parts[last]), problems)
    ]


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: report-oracle.py OUTDIR (written by the hostile_reports example)")
    started = time.monotonic()
    out_dir = Path(sys.argv[1])
    manifest = json.loads((out_dir / "manifest.json").read_text(encoding="utf-8"))
    passed = failed = 0
    results = []
    for name, render in renderers().items():
        for vector in manifest["vectors"]:
            report = (out_dir / vector["report"]).read_text(encoding="utf-8")
            problems = html_problems(render(report))
            if not problems:
                passed += 1
                continue
            failed += 1
            parts = where(manifest, vector, render)
            results.append({
                "vector": vector["id"],
                "category": vector["category"],
                "renderer": name,
                "problems": [[snippet, reasons] for snippet, reasons in problems],
                "parts": [
                    {"part": label, "fields": fields, "problems": [[s, r] for s, r in found]}
                    for label, fields, found in parts
                ],
            })
            print(f"FAIL {vector['id']} ({vector['category']}) in {name}: "
                  f"{len(problems)} offending tags")
            print(f"  vector: {json.dumps(vector['vector'])}")
            for snippet, reasons in problems[:3]:
                print(f"  {printable(snippet)}  <- {printable('; '.join(reasons), 300)}")
            if not parts:
                print("  from: no part fails alone (the text of several cells together)")
            for label, fields, found in parts:
                print(f"  from: {label}, fields {', '.join(fields) or '(none of the data fields)'}")
                for snippet, _ in found[:2]:
                    print(f"    {printable(snippet)}")
    for svg in manifest["svg_files"]:
        problems = svg_problems((out_dir / svg).read_text(encoding="utf-8"))
        if problems:
            failed += 1
            users = [v["id"] for v in manifest["vectors"] if svg in v["svgs"]]
            results.append({"svg": svg, "problems": problems, "vectors": users})
            print(f"FAIL {svg} (maps of {len(users)} vectors): {problems[:3]}")
        else:
            passed += 1
    (out_dir / "oracle-python.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    print(f"report oracle (Python-Markdown, markdown-it-py, SVG): {passed} passed, {failed} failed "
          f"({len(manifest['vectors'])} vectors, {len(manifest['svg_files'])} SVG maps, "
          f"{time.monotonic() - started:.1f} s)")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
