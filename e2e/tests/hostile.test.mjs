// End-to-end: the hostile corpus in the app itself. `.ci/report-oracle` (run by .ci/test before these
// tests) writes, per vector of tests/fixtures/hostile/vectors.json, a notebook holding every cell kind
// with the vector in every free text field (examples/hostile_reports.rs); here each is opened as a
// shared link, as a stranger would send it, with every outside request blocked. Nothing may run,
// load, pop up, link anywhere but the web, or break the page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { useServers, offlineReader } from '../helpers.mjs';

const env = useServers();
const corpus = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'target', 'hostile-reports');

function fragmentOf(fileText) {
  return `report/v1/${zlib.deflateSync(Buffer.from(fileText), { level: 9 }).toString('base64url')}`;
}

test('every hostile notebook of the corpus opens inert: no script, dialog, remote load, non-web link or crash', async () => {
  const manifestPath = path.join(corpus, 'manifest.json');
  assert.ok(fs.existsSync(manifestPath), `${manifestPath} is missing: run .ci/report-oracle first (.ci/test does)`);
  const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
  const vectors = manifest.vectors ?? manifest;
  assert.ok(vectors.length >= 90, `${vectors.length} vectors`);
  const { context, page, errors, outside } = await offlineReader(env);
  const dialogs = [];
  page.on('dialog', async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.dismiss();
  });
  const problems = [];
  for (const entry of vectors) {
    const fileText = fs.readFileSync(path.join(corpus, entry.notebook), 'utf8');
    // A new document per vector: a hash change alone would keep the previous one's state.
    await page.goto(`${env.web.origin}/?vector=${encodeURIComponent(entry.id)}#${fragmentOf(fileText)}`);
    await page.locator('article.cell').first().waitFor();
    const found = await page.evaluate(() => {
      const main = document.querySelector('main') ?? document.body;
      // Elements that run or load something (the app's own forms and canvases are neither).
      const active = main.querySelectorAll('script, img, iframe, frame, object, embed, video, audio, source, svg, link, meta, base');
      const attributes = [];
      for (const element of document.querySelectorAll('*')) {
        for (const attribute of element.attributes) {
          if (/^on/i.test(attribute.name)) attributes.push(`${element.tagName} ${attribute.name}`);
        }
      }
      const hrefs = [...main.querySelectorAll('a[href]')].map((a) => a.getAttribute('href'))
        .filter((href) => !/^(https?:|mailto:)/i.test(href.replace(/[\u0000-\u0020]/g, '')));
      return { active: active.length, attributes, hrefs, pwned: window.__pwned };
    });
    if (found.active || found.attributes.length || found.hrefs.length || found.pwned !== undefined) {
      problems.push(`${entry.id}: ${JSON.stringify(found)}`);
    }
  }
  assert.deepEqual(problems, []);
  assert.deepEqual(dialogs, []);
  assert.deepEqual(outside, []);
  assert.deepEqual(errors, []);
  await context.close();
});
