// Budget figure, not a test: how long the release build takes, in headless Chromium, to open a shared
// link whose one note is 4 MB of a pathological Markdown pattern (issue 17: 4 MB of `[` took 68 s and
// froze the page), against a note of 4 MB of plain text opened the same way. Printed per pattern: the
// time from navigation until the note is on screen, its ratio to plain text (aim: at most 2x), and the
// longest main-thread task Chromium reported.
import zlib from 'node:zlib';
import { startStatic } from './servers.mjs';
import { launch } from './browser.mjs';

const SIZE = 4 * 1024 * 1024;

function repeatTo(unit, size = SIZE) {
  return unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
}

function table(columns) {
  const header = `${'| a '.repeat(columns)}|\n${'|---'.repeat(columns)}|\n`;
  const row = `${'| 1 '.repeat(columns)}|\n`;
  return header + row.repeat(Math.ceil((SIZE - header.length) / row.length));
}

const PATTERNS = [
  ['plain text (x)', repeatTo('x')],
  ['[', repeatTo('[')],
  ['<', repeatTo('<')],
  ['*a', repeatTo('*a')],
  ['backtick runs', repeatTo('`a``b```c')],
  ['nested emphasis', repeatTo('*a **b _c ~~d')],
  ['links', repeatTo('[a](https://e.org) ')],
  ['nested links', repeatTo('[[[a](https://e.org)](b)')],
  ['<a> tags', repeatTo('<a>')],
  ['2,000-column table', table(2000)],
];

function fragmentFor(source) {
  const notebook = { title: 'Pathological note', cells: [{ id: 1, body: { kind: 'markdown', source } }] };
  const json = JSON.stringify({ format: 'vantage-notebook', version: 1, notebook });
  return `report/v1/${zlib.deflateSync(Buffer.from(json), { level: 9 }).toString('base64url')}`;
}

const web = await startStatic();
const browser = await launch();
let plainMs = null;
for (const [name, source] of PATTERNS) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.addInitScript(() => {
    window.__longestTask = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) window.__longestTask = Math.max(window.__longestTask, entry.duration);
    }).observe({ type: 'longtask', buffered: true });
  });
  const fragment = fragmentFor(source);
  // Generous time limits: a loaded machine should print a slow figure, not fail the run.
  await page.goto(`${web.origin}/#${fragment}`, { timeout: 300000 });
  await page.locator('.markdown-body').first().waitFor({ timeout: 300000 });
  const { elapsed, longest } = await page.evaluate(() => ({ elapsed: performance.now(), longest: window.__longestTask }));
  if (plainMs === null) plainMs = elapsed;
  const ratio = elapsed / plainMs;
  console.log(`hostile note: 4 MB of ${name} (a ${fragment.length}-character link) opens in ${elapsed.toFixed(0)} ms, `
    + `${ratio.toFixed(2)}x plain text (aim 2x: ${ratio <= 2 ? 'within' : 'OVER'}); longest task ${longest.toFixed(0)} ms`);
  await context.close();
}
await browser.close();
await web.close();
