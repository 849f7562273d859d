// The report oracle for marked: are Vantage's exported reports inert in the Markdown renderer most
// JavaScript blogs and static-site tools use? Reads what `cargo run --example hostile_reports --
// OUTDIR` wrote (a report per filter-evasion vector of tests/fixtures/hostile/vectors.json, in every
// free text field of a notebook holding every cell kind), renders each report with marked (GitHub
// flavour, its default) and checks the HTML with the rules of .ci/report-oracle.py, which does the same
// for Python-Markdown and markdown-it-py: no element that runs, loads or submits (script, iframe,
// object, embed, style, link, meta, base, form, svg, …), no on* attribute, every href an http, https
// or mailto address after the browser's URL normalisation, no src, srcset, background, poster, data or
// style attribute (but a table column's text-align). The HTML is read with the start-tag states of the
// WHATWG tokenizer below (comments, raw-text elements, attribute quoting and character references as
// a browser reads them), so a tag the browser would see is not missed by a lenient regular expression.
//
//   node e2e/report-oracle.mjs OUTDIR
//
// A failure names the vector, the offending tag, and the parts of the report (the title, each cell
// alone) that fail on their own with the fields whose text reaches them. Exits 1 on any failure.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Marked } from 'marked';

const FORBIDDEN_ELEMENTS = new Set([
  'script', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'style', 'link', 'meta',
  'base', 'form', 'svg', 'math',
]);
const LOADING_ATTRIBUTES = new Set(['src', 'srcset', 'background', 'poster', 'data', 'style', 'dynsrc', 'lowsrc']);
const LINK_ATTRIBUTES = new Set(['href', 'action', 'formaction', 'xlink:href']);
const WEB_SCHEMES = ['http://', 'https://', 'mailto:'];
const TABLE_ALIGNMENT = /^\s*text-align:\s*(left|right|center);?\s*$/;
// Elements whose content is text up to their end tag (RAWTEXT, RCDATA, script data, PLAINTEXT).
// (noscript is left out: read as markup, as with scripting off, so nothing inside it is skipped.)
const RAW_TEXT = new Set(['script', 'style', 'xmp', 'iframe', 'noembed', 'noframes', 'textarea', 'title']);
// Named character references that decode to ASCII punctuation or white space: the ones that can
// spell a URL scheme. Any other `&name;` stays as written, which only makes a URL look less like a
// web address (the check errs on the side of failing).
const NAMED = {
  Tab: '\t', NewLine: '\n', excl: '!', quot: '"', QUOT: '"', num: '#', dollar: '$', percnt: '%',
  amp: '&', AMP: '&', apos: "'", lpar: '(', rpar: ')', ast: '*', midast: '*', plus: '+', comma: ',',
  period: '.', sol: '/', colon: ':', semi: ';', lt: '<', LT: '<', equals: '=', gt: '>', GT: '>',
  quest: '?', commat: '@', lsqb: '[', lbrack: '[', bsol: '\\', rsqb: ']', rbrack: ']', Hat: '^',
  lowbar: '_', UnderBar: '_', grave: '`', DiacriticalGrave: '`', lcub: '{', lbrace: '{', verbar: '|',
  vert: '|', VerticalLine: '|', rcub: '}', rbrace: '}', nbsp: '\u00a0', NonBreakingSpace: '\u00a0',
};

/** An attribute value with its character references decoded as the HTML tokenizer does. */
function decodeAttribute(raw) {
  return raw.replace(/&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[A-Za-z][A-Za-z0-9]*;)/g, (match, body) => {
    if (body.startsWith('#')) {
      const hex = body[1] === 'x' || body[1] === 'X';
      const code = parseInt(body.slice(hex ? 2 : 1).replace(';', ''), hex ? 16 : 10);
      if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return '\ufffd';
      return String.fromCodePoint(code);
    }
    const name = body.slice(0, -1);
    return Object.hasOwn(NAMED, name) ? NAMED[name] : match;
  });
}

/** Every start tag of `html` as {name, attributes: [[name, value]], text}, read as a browser reads it. */
export function startTags(input) {
  const html = input.replace(/\r\n?/g, '\n');
  const tags = [];
  const isSpace = (c) => c === ' ' || c === '\t' || c === '\n' || c === '\f';
  const isAlpha = (c) => /[A-Za-z]/.test(c);
  let i = 0;
  while (i < html.length) {
    const open = html.indexOf('<', i);
    if (open < 0) break;
    i = open + 1;
    const c = html[i];
    if (c === '!') {
      if (html.startsWith('--', i + 1)) {
        // A comment: `<!-->` and `<!--->` end at once, else at the first `-->` or `--!>`.
        let j = i + 3;
        if (html[j] === '>') { i = j + 1; continue; }
        if (html[j] === '-' && html[j + 1] === '>') { i = j + 2; continue; }
        const ends = ['-->', '--!>'].map((end) => [html.indexOf(end, j), end.length]).filter(([at]) => at >= 0);
        if (ends.length === 0) break;
        const [at, length] = ends.reduce((a, b) => (a[0] <= b[0] ? a : b));
        i = at + length;
        continue;
      }
      // DOCTYPE, CDATA (a bogus comment outside foreign content) and other declarations end at `>`.
      const end = html.indexOf('>', i);
      if (end < 0) break;
      i = end + 1;
      continue;
    }
    if (c === '?') {
      const end = html.indexOf('>', i);
      if (end < 0) break;
      i = end + 1;
      continue;
    }
    let endTag = false;
    if (c === '/') {
      if (html[i + 1] === '>') { i += 2; continue; }
      if (!isAlpha(html[i + 1] ?? '')) {
        const end = html.indexOf('>', i);
        if (end < 0) break;
        i = end + 1;
        continue;
      }
      endTag = true;
      i += 1;
    } else if (!isAlpha(c ?? '')) {
      continue;
    }
    // Tag name.
    const start = open;
    let name = '';
    while (i < html.length && !isSpace(html[i]) && html[i] !== '/' && html[i] !== '>') {
      name += html[i] === '\0' ? '\ufffd' : html[i].toLowerCase();
      i += 1;
    }
    const attributes = [];
    let done = false;
    while (i < html.length && !done) {
      const ch = html[i];
      if (isSpace(ch) || ch === '/') { i += 1; continue; }
      if (ch === '>') { i += 1; done = true; break; }
      // Attribute name (a leading `=` is part of it).
      let attrName = ch === '=' ? '=' : '';
      if (ch === '=') i += 1;
      while (i < html.length && !isSpace(html[i]) && html[i] !== '/' && html[i] !== '>' && html[i] !== '=') {
        attrName += html[i] === '\0' ? '\ufffd' : html[i].toLowerCase();
        i += 1;
      }
      while (i < html.length && isSpace(html[i])) i += 1;
      let raw = '';
      if (html[i] === '=') {
        i += 1;
        while (i < html.length && isSpace(html[i])) i += 1;
        const quote = html[i];
        if (quote === '"' || quote === "'") {
          const close = html.indexOf(quote, i + 1);
          raw = html.slice(i + 1, close < 0 ? html.length : close);
          i = close < 0 ? html.length : close + 1;
        } else {
          while (i < html.length && !isSpace(html[i]) && html[i] !== '>') {
            raw += html[i];
            i += 1;
          }
        }
      }
      attributes.push([attrName, decodeAttribute(raw).replace(/\0/g, '\ufffd')]);
    }
    if (!done) break;
    const text = html.slice(start, i);
    if (endTag) continue;
    tags.push({ name, attributes, text });
    if (name === 'plaintext') break;
    if (RAW_TEXT.has(name)) {
      // The content is text up to `</name` followed by a space, `/` or `>`.
      const closing = new RegExp(`</${name}[\\t\\n\\f />]`, 'i');
      const found = closing.exec(html.slice(i));
      if (!found) break;
      i += found.index;
    }
  }
  return tags;
}

function normalisedUrl(value) {
  return value.replace(/^[\u0000-\u0020]+/, '').replace(/[\t\n\r]/g, '').toLowerCase();
}

/** The start tags of `html` that break a rule, with the reasons. */
export function htmlProblems(html) {
  const problems = [];
  for (const tag of startTags(html)) {
    const reasons = [];
    if (FORBIDDEN_ELEMENTS.has(tag.name)) reasons.push(`<${tag.name}> element`);
    for (const [name, value] of tag.attributes) {
      if (name.startsWith('on')) reasons.push(`${name} attribute`);
      else if (name === 'style' && TABLE_ALIGNMENT.test(value)) continue;
      else if (LOADING_ATTRIBUTES.has(name)) reasons.push(`${name} attribute (loads without a click)`);
      else if (LINK_ATTRIBUTES.has(name) && !WEB_SCHEMES.some((s) => normalisedUrl(value).startsWith(s))) {
        const url = normalisedUrl(value);
        const scheme = /^[a-z][a-z0-9+.-]*:/.exec(url);
        const kind = scheme ? `${scheme[0]} URL` : 'relative link, not a web address';
        reasons.push(`${name} ${kind}: ${JSON.stringify(url.slice(0, 60))}`);
      }
    }
    if (reasons.length) problems.push([tag.text, reasons]);
  }
  return problems;
}

// A snippet for the log: control characters (a vector's NUL, tab, line breaks) as escapes.
const printable = (text, limit = 160) =>
  text.slice(0, limit).replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);

const labelOf = (part) => (part.cell === null ? 'title' : `cell ${part.cell} (${part.kind})`);

function fieldsOf(manifest, part) {
  const prefix = part.cell === null ? 'notebook.title' : `notebook.cells[${part.cell}].`;
  return manifest.fields_shown.filter((field) => field.startsWith(prefix));
}

// The parts of a failing report that fail alone, with their fields; when none does, the two parts
// whose text acts only together (a link in one, its reference definition in another): the first part
// at which the report so far fails, and the last part from which it still fails.
function where(manifest, vector, render) {
  const parts = vector.parts;
  const found = [];
  for (const part of parts) {
    const problems = htmlProblems(render(part.markdown));
    if (problems.length) found.push({ part: labelOf(part), fields: fieldsOf(manifest, part), problems });
  }
  if (found.length) return found;
  const joined = (first, last) => parts.slice(first, last + 1).map((p) => p.markdown).join('\n');
  const last = parts.findIndex((_, j) => htmlProblems(render(joined(0, j))).length > 0);
  if (last < 0) return [];
  let first = last;
  while (first > 0 && htmlProblems(render(joined(first, last))).length === 0) first -= 1;
  return [{
    part: `${labelOf(parts[first])} together with ${labelOf(parts[last])}`,
    fields: [...fieldsOf(manifest, parts[first]), ...fieldsOf(manifest, parts[last])],
    problems: htmlProblems(render(joined(first, last))),
  }];
}

function main() {
  const outDir = process.argv[2];
  if (!outDir) {
    console.error('usage: node e2e/report-oracle.mjs OUTDIR (written by the hostile_reports example)');
    process.exit(2);
  }
  const started = Date.now();
  const manifest = JSON.parse(fs.readFileSync(path.join(outDir, 'manifest.json'), 'utf8'));
  const version = createRequire(import.meta.url)('marked/package.json').version;
  const marked = new Marked();
  const render = (text) => marked.parse(text, { async: false });
  const renderer = `marked ${version}`;
  let passed = 0;
  let failed = 0;
  const results = [];
  for (const vector of manifest.vectors) {
    const report = fs.readFileSync(path.join(outDir, vector.report), 'utf8');
    const problems = htmlProblems(render(report));
    if (problems.length === 0) {
      passed += 1;
      continue;
    }
    failed += 1;
    const parts = where(manifest, vector, render);
    results.push({ vector: vector.id, category: vector.category, renderer, problems, parts });
    console.log(`FAIL ${vector.id} (${vector.category}) in ${renderer}: ${problems.length} offending tags`);
    console.log(`  vector: ${JSON.stringify(vector.vector)}`);
    for (const [snippet, reasons] of problems.slice(0, 3)) {
      console.log(`  ${printable(snippet)}  <- ${printable(reasons.join('; '), 300)}`);
    }
    if (parts.length === 0) console.log('  from: no part fails alone (the text of several cells together)');
    for (const part of parts) {
      console.log(`  from: ${part.part}, fields ${part.fields.join(', ') || '(none of the data fields)'}`);
      for (const [snippet] of part.problems.slice(0, 2)) console.log(`    ${printable(snippet)}`);
    }
  }
  fs.writeFileSync(path.join(outDir, 'oracle-marked.json'), JSON.stringify(results, null, 1));
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`report oracle (${renderer}): ${passed} passed, ${failed} failed (${manifest.vectors.length} vectors, ${seconds} s)`);
  process.exit(failed ? 1 : 0);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) main();
