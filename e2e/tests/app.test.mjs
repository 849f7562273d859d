// End-to-end tests: the release build in headless Chromium, driven as a user would, against a local
// replay server of recorded RIPE Atlas responses. Expected figures come from the fixtures themselves
// (computed independently with a few lines of Python when the tests were written), not from the app.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import fs from 'node:fs';
import path from 'node:path';
import { fixturesDir } from '../servers.mjs';
import { watchErrors } from '../browser.mjs';
import {
  useServers, freshPage as freshProfile, offlineReader, fragmentFor, canvasColourCount, pixelCount, hoverMarker,
  addCell,
} from '../helpers.mjs';

const env = useServers();

// This file's tests point only the Atlas address at the replay server (or nothing, with null).
function freshPage({ replayBase = env.replay.origin } = {}) {
  return freshProfile(env, { settings: replayBase ? { 'atlas-base-url': replayBase } : null });
}

async function newNotebookWithAtlasCell(page) {
  await page.getByRole('button', { name: 'New', exact: true }).click();
  await addCell(page, '+ Atlas measurement');
  return page.locator('article.cell[data-kind="Atlas measurement"]').last();
}

async function fetchMeasurement(cell, id) {
  await cell.locator('input[name="measurement"]').fill(String(id));
  await cell.getByRole('button', { name: /^Fetch/ }).click();
}

function continentRow(scope, name) {
  return scope.locator('.continent-table tr', { has: scope.page().locator(`th:text-is("${name}")`) });
}

test('the example notebook opens offline with its map, tables and narrative', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  const errors = watchErrors(page);
  const outside = [];
  await context.route('**/*', (route) => {
    if (route.request().url().startsWith(env.web.origin)) return route.continue();
    outside.push(route.request().url());
    return route.abort();
  });
  await page.goto(`${env.web.origin}/`);
  const trace = page.locator('article.cell[data-kind="Atlas measurement"]').first();
  await trace.locator('.latency-view canvas').waitFor();
  assert.match(await trace.locator('.headline').innerText(), /Traceroute measurement 1033154 to wikipedia-lb\.esams\.wikimedia\.org: 87 results from 87 probes/);
  // 87 probes: 39 got replies from 91.198.174.225 itself; the fastest, probe 3161 in NL, at 2.399 ms.
  const all = continentRow(trace, 'All probes');
  assert.deepEqual((await all.locator('td').allInnerTexts()).slice(0, 3), ['87', '39', '2.4']);
  assert.ok(await canvasColourCount(trace) > 20, 'the map is drawn');
  assert.match(await page.locator('.markdown-body h1').first().innerText(), /Where is Wikipedia's Amsterdam site/);
  assert.deepEqual(outside, [], 'the example makes no request outside the app');
  assert.deepEqual(errors, []);
  await context.close();
});

test('hovering a map marker names the probe, its country, network and RTT', async () => {
  const { context, page } = await freshPage({ replayBase: null });
  const trace = page.locator('article.cell[data-kind="Atlas measurement"]').first();
  // The centre of a "< 10 ms" marker (#fde725) in the drawn pixels.
  const tooltip = await hoverMarker(trace, 0xfde725);
  assert.ok(tooltip, 'a fast marker is drawn');
  assert.match(tooltip, /^Probe \d+ · .+ \([A-Z]{2}\) · AS\d+ · min RTT \d+\.\d ms$/);
  await context.close();
});

test('import a ping measurement by ID through the API, with map and tables', async () => {
  const { context, page, errors } = await freshPage();
  const cell = await newNotebookWithAtlasCell(page);
  await fetchMeasurement(cell, 3359986);
  await cell.locator('.latency-view').waitFor();
  assert.match(await cell.locator('.headline').innerText(), /Ping measurement 3359986 to 193\.170\.114\.242: 5 results from 5 probes/);
  // Per-probe minimum RTTs 14.3, 29.5, 30.3, 34.2, 37.0 ms (from result[].rtt), all in Europe.
  const europe = continentRow(cell, 'Europe');
  assert.deepEqual(await europe.locator('td').allInnerTexts(), ['5', '5', '14.3', '20.4', '30.3', '35.9', '0 %']);
  const probe = cell.locator('tr[data-probe="3183"] td');
  assert.deepEqual((await probe.allInnerTexts()).slice(0, 7), ['3183', 'DE', '16097', '3', '3', '0 %', '34.2']);
  // The app asked the replay server for the latest results and the five probes' metadata.
  const paths = env.replay.requests.map((r) => r.path + r.search);
  assert.ok(paths.some((p) => p.startsWith('/api/v2/measurements/3359986/latest/?format=json')), paths.join('\n'));
  assert.ok(paths.some((p) => p.startsWith('/api/v2/probes/?id__in=3183,3207,10025,11421,13939')), paths.join('\n'));
  // Sorting by probe ID, descending, puts 13939 first.
  await cell.getByRole('button', { name: /^Probe/ }).click();
  await cell.getByRole('button', { name: /^Probe/ }).click();
  assert.equal(await cell.locator('.probe-table tbody tr').first().getAttribute('data-probe'), '13939');
  assert.deepEqual(errors, []);
  await context.close();
});

test('import a results file (one result per line) and paste results', async () => {
  const { context, page, errors } = await freshPage();
  const recorded = JSON.parse(fs.readFileSync(path.join(fixturesDir, 'ping_latest_msm3359986.json'), 'utf8'));
  const lines = recorded.map((r) => JSON.stringify(r)).join('\n');
  const cell = await newNotebookWithAtlasCell(page);
  await cell.locator('input[type="file"]').setInputFiles({ name: 'msm3359986.txt', mimeType: 'text/plain', buffer: Buffer.from(lines) });
  await cell.locator('.latency-view').waitFor();
  assert.match(await cell.locator('.provenance').innerText(), /Imported .* from the file msm3359986\.txt/);
  assert.deepEqual(await continentRow(cell, 'Europe').locator('td').allInnerTexts(), ['5', '5', '14.3', '20.4', '30.3', '35.9', '0 %']);

  // Pasting the API's JSON array into a second cell gives the same figures.
  await page.locator('.add-cell').last().getByRole('button', { name: '+ Atlas measurement' }).click();
  const second = page.locator('article.cell[data-kind="Atlas measurement"]').last();
  await second.getByRole('button', { name: 'Paste results…' }).click();
  await second.locator('textarea').fill(JSON.stringify(recorded));
  await second.getByRole('button', { name: 'Use pasted results' }).click();
  await second.locator('.latency-view').waitFor();
  assert.deepEqual(await continentRow(second, 'Europe').locator('td').allInnerTexts(), ['5', '5', '14.3', '20.4', '30.3', '35.9', '0 %']);

  // A file that is not Atlas results is refused with an explanation; the cell's data is kept.
  await second.locator('input[type="file"]').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello, world') });
  await second.locator('.error[role="alert"]', { hasText: /not RIPE Atlas results/ }).waitFor();
  assert.equal(await second.locator('.latency-view').count(), 1);
  assert.deepEqual(errors, []);
  await context.close();
});

test('each failure gets a clear message in its cell, and the page keeps working', async () => {
  const { context, page, errors } = await freshPage();
  const cell = await newNotebookWithAtlasCell(page);
  const cases = [
    [12345, /not found|does not exist/i],
    [429, /too many|wait/i],
    [500, /server|try again/i],
    [777, /could not reach/i],
    ['not-a-measurement', /measurement id|number/i],
  ];
  for (const [id, expected] of cases) {
    await fetchMeasurement(cell, id);
    const alert = cell.locator('.error[role="alert"]');
    await alert.waitFor();
    assert.match(await alert.innerText(), expected, `message for ${id}`);
  }
  // Malformed JSON from the server is a message too, never a crash.
  await fetchMeasurement(cell, 666);
  await cell.locator('.error[role="alert"], .diagnostics').first().waitFor();
  // A closed port: the network is down.
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.fill('input[name="atlas-base-url"]', 'http://127.0.0.1:9');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await fetchMeasurement(cell, 3359986);
  await cell.locator('.error[role="alert"]', { hasText: /could not reach/i }).waitFor();
  assert.deepEqual(errors.filter((e) => !/Failed to load resource|ERR_/.test(e)), []);
  await context.close();
});

test('a note, shared as a link, reopens with the same data and no network', async () => {
  const { context, page } = await freshPage();
  const cell = await newNotebookWithAtlasCell(page);
  await fetchMeasurement(cell, 3359986);
  await cell.locator('.latency-view').waitFor();
  await page.locator('.add-cell').last().getByRole('button', { name: '+ Note' }).click();
  await page.locator('textarea.markdown-source').last().fill('## Finding\n\nAll five probes are in **Europe**; the fastest saw 14.3 ms.');
  await page.getByRole('button', { name: 'Done' }).last().click();
  await page.fill('.app-header .title', 'Vienna anchor check');
  await page.getByRole('button', { name: 'Share' }).click();
  const link = await page.locator('textarea.share-link').inputValue();
  assert.ok(link.startsWith(`${env.web.origin}/#report/v1/`));
  assert.ok(link.length < 8000, `a small notebook fits in a chat message (${link.length})`);
  assert.match(await page.locator('.share-length').innerText(), new RegExp(`^${link.length} characters$`));
  await context.close();

  const requestsBefore = env.replay.requests.length;
  const { context: reader, page: view, errors, outside } = await offlineReader(env);
  await view.goto(link);
  const shared = view.locator('article.cell[data-kind="Atlas measurement"]');
  await shared.locator('.latency-view canvas').waitFor();
  assert.equal(await view.locator('.app-header .title').inputValue(), 'Vienna anchor check');
  assert.deepEqual(await continentRow(shared, 'Europe').locator('td').allInnerTexts(), ['5', '5', '14.3', '20.4', '30.3', '35.9', '0 %']);
  assert.match(await view.locator('.markdown-body h2').innerText(), /Finding/);
  assert.match(await view.locator('.notice').innerText(), /shared report/);
  assert.ok(await canvasColourCount(shared) > 20, 'the map is drawn from the link data');
  assert.deepEqual(outside, []);
  assert.equal(env.replay.requests.length, requestsBefore, 'opening the link contacted no API');
  assert.deepEqual(errors, []);
  await reader.close();
});

test('the example is too long for chat: the app says so and offers the file', async () => {
  const { context, page } = await freshPage({ replayBase: null });
  await page.getByRole('button', { name: 'Share' }).click();
  const link = await page.locator('textarea.share-link').inputValue();
  assert.ok(link.length > 8000);
  assert.match(await page.locator('.share-panel .warning').innerText(), /longer than 8000 characters/);
  await page.locator('.share-panel').getByRole('button', { name: 'Save notebook file' }).waitFor();
  await context.close();
});

test('the Share panel downloads a Markdown report: notes, headlines, continent tables and verdicts as the cells show them, ending with the link', async () => {
  const { context, page, errors } = await freshPage({ replayBase: null });
  const headline = await page.locator('article.cell[data-kind="Atlas measurement"] .latency-view h3.headline').first().innerText();
  const europe = await continentRow(page.locator('article.cell[data-kind="Atlas measurement"]').first(), 'Europe')
    .locator('td').allInnerTexts();
  const verdict = await page.locator('.inference .verdict-label').first().innerText();
  await page.getByRole('button', { name: 'Share' }).click();
  const link = await page.locator('textarea.share-link').inputValue();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('.share-panel').getByRole('button', { name: 'Download report (Markdown)' }).click(),
  ]);
  assert.match(download.suggestedFilename(), /\.report\.md$/);
  const report = fs.readFileSync(await download.path(), 'utf8');
  assert.ok(report.startsWith(`# ${await page.locator('input.title').inputValue()}\n`));
  assert.ok(report.includes(`### ${headline}\n`), 'the cell\'s headline');
  assert.ok(report.includes(`| Europe | ${europe.slice(0, 4).join(' | ')} |`), `the continent row ${europe}`);
  assert.ok(report.includes(`**What the latencies prove: ${verdict}.**`));
  assert.ok(report.trimEnd().endsWith(`(${link}).*`), 'ends with the share link');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a malicious shared report is inert: no script, no remote load, no live javascript: link', async () => {
  const trap = `${env.replay.origin}/tracker`;
  const notebook = {
    title: '<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>',
    cells: [
      { id: 1, body: { kind: 'markdown', source: [
        '# Report',
        '<script>window.__pwned = 2</script>',
        `<img src="${trap}.png" onerror="window.__pwned = 3">`,
        `![pixel](${trap}-markdown.png)`,
        '[click me](javascript:window.__pwned=4)',
        '[entity](jav&#x61;script:window.__pwned=5)',
        '<a href="javascript:window.__pwned=6">raw link</a>',
        `<iframe src="${trap}-frame"></iframe>`,
        '[fine](https://example.org/)',
      ].join('\n\n') } },
      { id: 1, body: { kind: 'atlas', request: { measurement: '<script>x</script>' }, snapshot: {
        source: { kind: 'api', msm_id: 1, results_url: 'javascript:window.__pwned=7' },
        fetched_at_unix_ms: 0,
        results_text: '[{"type":"ping","prb_id":"<img src=x onerror=window.__pwned=8>","result":"<script>"}]',
        probes: [],
      } } },
    ],
  };
  const context = await env.browser.newContext();
  const page = await context.newPage();
  const errors = watchErrors(page);
  const requestsBefore = env.replay.requests.length;
  await page.goto(`${env.web.origin}/#${fragmentFor(notebook)}`);
  await page.locator('.markdown-body h1').waitFor();
  for (const text of ['click me', 'entity', 'raw link']) {
    const element = page.locator('main').getByText(text, { exact: false }).first();
    await element.click();
  }
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.equal(await page.locator('main img, main iframe, main script, main object, main embed').count(), 0);
  const hrefs = await page.locator('main a[href]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.ok(hrefs.every((h) => /^(https?:|mailto:)/i.test(h)), hrefs.join(' '));
  assert.ok(hrefs.includes('https://example.org/'));
  assert.equal(env.replay.requests.length, requestsBefore, 'nothing was loaded from the trap host');
  // The provenance shows the bogus URL as text, and the bad result is a diagnostic row.
  assert.match(await page.locator('.provenance').innerText(), /javascript:window.__pwned=7/);
  assert.equal(await page.locator('.provenance a').count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a chat-sized link holding 4 MB of [ opens at once as one text node; a start that never finished comes back in safe mode', async () => {
  // Issue 17: this 5 KB link froze the app for 68 s, and the autosave then froze every later start.
  const notebook = { title: 'Brackets', cells: [
    { id: 1, body: { kind: 'markdown', source: '['.repeat(4 * 1024 * 1024) } },
    { id: 2, body: { kind: 'markdown', source: '`c` '.repeat(30000) } },
  ] };
  const fragment = fragmentFor(notebook);
  assert.ok(fragment.length < 8000, `a chat-sized link (${fragment.length} characters)`);
  const { context, page, errors, outside } = await offlineReader(env);
  await page.goto(`${env.web.origin}/#${fragment}`);
  const notes = page.locator('.markdown-body');
  await notes.nth(1).locator('.note-truncated').waitFor();
  // The 4 MB note: shown up to the display limit, as one text node; the 30,000 code spans: cut off.
  assert.equal(await notes.first().locator('p').first().evaluate((p) => p.childNodes.length), 1);
  assert.match(await notes.first().locator('.note-truncated').innerText(), /Note truncated for display/);
  assert.ok(await notes.nth(1).locator('code').count() <= 20000);

  // A start that never finished (its marker is still there) opens nothing and keeps the autosave.
  await page.evaluate(() => localStorage.setItem('vantage.starting', '1'));
  await page.reload();
  const notice = page.locator('.notice');
  await notice.filter({ hasText: 'safe mode' }).waitFor();
  assert.equal(await page.locator('article.cell').count(), 1);
  assert.equal(await page.locator('input.title').inputValue(), 'Untitled investigation');
  await page.getByRole('button', { name: 'Restore my previous notebook' }).click();
  await page.locator('.note-truncated').first().waitFor();
  assert.equal(await page.locator('input.title').inputValue(), 'Brackets');
  // Asked for in the address.
  await page.goto(`${env.web.origin}/?safe`);
  await notice.filter({ hasText: 'Safe mode (?safe' }).waitFor();
  assert.equal(await page.locator('input.title').inputValue(), 'Untitled investigation');
  assert.deepEqual(outside, []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('broken links are explained, never a crash', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  const errors = watchErrors(page);
  const valid = fragmentFor({ title: 't', cells: [{ id: 1, body: { kind: 'markdown', source: 'x'.repeat(5000) } }] });
  const bomb = `report/v1/${zlib.deflateSync(Buffer.alloc(80 * 1024 * 1024, 0x20), { level: 9 }).toString('base64url')}`;
  const cases = [
    [valid.slice(0, Math.floor(valid.length / 2)), /incomplete|cut off/i],
    ['report/v9/AAAA', /newer version/i],
    ['report/v1/!!!!', /damaged/i],
    [bomb, /too large/i],
  ];
  for (const [fragment, expected] of cases) {
    await page.goto(`${env.web.origin}/?case=${cases.findIndex((c) => c[0] === fragment)}#${fragment}`);
    const notice = page.locator('.notice.error');
    await notice.waitFor();
    assert.match(await notice.innerText(), expected);
    // The page still works: the example (or the autosave) is open underneath.
    await page.locator('article.cell').first().waitFor();
  }
  assert.deepEqual(errors, []);
  await context.close();
});

test('the notebook is autosaved: a reload loses nothing', async () => {
  const { context, page } = await freshPage({ replayBase: null });
  await page.getByRole('button', { name: 'New', exact: true }).click();
  await page.locator('textarea.markdown-source').first().fill('Draft: *do not lose me*');
  await page.reload();
  await page.locator('.markdown-body em').waitFor();
  assert.equal(await page.locator('.markdown-body em').innerText(), 'do not lose me');
  // The example was kept aside when "New" replaced it, and can be restored.
  assert.equal(await page.locator('article.cell').count(), 1);
  await context.close();
});

// Pixels of exactly the overlay's site colour (#d62728): the map shows where the inference put a site.
function sitePixelCount(cell) {
  return pixelCount(cell, 0xd62728);
}

test('the example says where the site is, sets the misplaced probe aside, and marks it on the map', async () => {
  // The example needs no network: every request but the app's own is refused.
  const { context, page, errors } = await offlineReader(env);
  await page.goto(`${env.web.origin}/`);
  const trace = page.locator('article.cell[data-kind="Atlas measurement"]').first();
  const inference = trace.locator('section.inference');
  await inference.waitFor();
  assert.equal(await inference.getAttribute('data-verdict'), 'one-site');
  assert.match(await inference.locator('.verdict').innerText(), /single .*Amsterdam/);
  // Probe 4484 claims Ethiopia yet answers in 24.7 ms from Amsterdam: a contradiction resting on one
  // probe is set aside with its reason, not counted as a second site.
  assert.match(await inference.locator('.set-aside').innerText(), /4484/);
  assert.match(await inference.locator('.sites-table').innerText(), /Amsterdam/);
  assert.ok(await sitePixelCount(trace) > 20, 'the site and its region are drawn on the map');
  // The K-root example: a table of PlanetLab latencies whose discs cannot all overlap.
  const kroot = page.locator('article.cell[data-kind="Latency table"]').first().locator('section.inference');
  assert.equal(await kroot.getAttribute('data-verdict'), 'anycast');
  assert.match(await kroot.locator('.verdict').innerText(), /^At least \d+ sites/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('tuning the fiber factor changes the verdict, and the choice travels with the shared link', async () => {
  const { context, page, errors } = await freshPage();
  const cell = await newNotebookWithAtlasCell(page);
  await fetchMeasurement(cell, 3359986);
  const inference = cell.locator('section.inference');
  await inference.waitFor();
  // Five European probes, the fastest 14.3 ms: consistent with one place, but only within a region far
  // too wide to name, so the app says what to add rather than guessing.
  assert.equal(await inference.getAttribute('data-verdict'), 'inconclusive');
  assert.match(await inference.locator('.suggestion').innerText(), /Add probes within/);
  const before = await inference.locator('.verdict').innerText();
  await inference.locator('summary', { hasText: 'Assumptions' }).click();
  await inference.locator('input[name="fiber-factor"]').fill('1');
  await inference.locator('output', { hasText: '1.00' }).waitFor();
  const after = await inference.locator('.verdict').innerText();
  assert.notEqual(after, before, 'faster signals allow a wider region');

  await page.getByRole('button', { name: 'Share' }).click();
  const link = await page.locator('textarea.share-link').inputValue();
  await context.close();
  const { context: reader, page: view, errors: readerErrors } = await offlineReader(env);
  await view.goto(link);
  const shared = view.locator('article.cell[data-kind="Atlas measurement"] section.inference');
  await shared.waitFor();
  assert.equal(await shared.locator('.verdict').innerText(), after);
  assert.equal(await shared.locator('input[name="fiber-factor"]').inputValue(), '1');
  assert.deepEqual(errors, []);
  assert.deepEqual(readerErrors, []);
  await reader.close();
});

test('a pasted table of latencies is mapped and proves anycast; a table without positions is refused', async () => {
  const { context, page, errors } = await freshPage({ replayBase: null });
  // Cloudflare's anycast address measured from PlanetLab (iGreedy data set, tests/fixtures/anycast/).
  const table = fs.readFileSync(path.join(fixturesDir, '..', 'anycast', 'cloudflare-planetlab.tsv'), 'utf8');
  const rows = table.trim().split('\n').slice(1).map((line) => line.split('\t'));
  const trueSites = new Set(rows.map((row) => row[3])).size;
  await page.getByRole('button', { name: 'New', exact: true }).click();
  await addCell(page, '+ Latency table');
  const cell = page.locator('article.cell[data-kind="Latency table"]').last();
  await cell.getByRole('button', { name: 'Paste table…' }).click();
  await cell.locator('textarea').fill(table);
  await cell.getByRole('button', { name: 'Use pasted table' }).click();
  const inference = cell.locator('section.inference');
  await inference.waitFor();
  assert.equal(await cell.locator('.headline').innerText(), `${rows.length} vantage points`);
  assert.equal(await inference.getAttribute('data-verdict'), 'anycast');
  const sites = await inference.locator('.sites-table tbody tr').count();
  assert.ok(sites >= 2 && sites <= trueSites, `${sites} sites proven, ${trueSites} in the ground truth`);
  assert.match(await inference.locator('.verdict').innerText(), new RegExp(`^At least ${sites} sites`));
  assert.ok(await sitePixelCount(cell) > 20, 'the sites are drawn on the map');

  // A second table with no latitude column explains itself and keeps the first one's data.
  await cell.getByRole('button', { name: 'Paste table…' }).click();
  await cell.locator('textarea').fill('host,rtt\na,1.0\n');
  await cell.getByRole('button', { name: 'Use pasted table' }).click();
  await cell.locator('.error[role="alert"]', { hasText: /No usable observation/ }).waitFor();
  assert.equal(await inference.getAttribute('data-verdict'), 'anycast');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the example traceroute shows where the paths converge and each probe\'s hops', async () => {
  // The example needs no network: every request but the app's own is refused.
  const { context, page, errors } = await offlineReader(env);
  await page.goto(`${env.web.origin}/`);
  const trace = page.locator('article.cell[data-kind="Atlas measurement"]').first();
  const paths = trace.locator('section.paths-view');
  await paths.waitFor();
  // The recorded results: the address most probes pass just before Wikipedia's, and probe 3161's hops.
  const recorded = JSON.parse(fs.readFileSync(path.join(fixturesDir, 'traceroute_latest_msm1033154.json'), 'utf8'));
  const reached = recorded.filter((r) => (r.result ?? []).at(-1)?.result?.some((reply) => reply.from === r.dst_addr)).length;
  assert.match(await paths.locator('.paths-summary').innerText(), new RegExp(`${reached} of ${recorded.length} probes reached the target`));
  assert.match(await paths.locator('.convergence-table').innerText(), /195\.69\.145\.176/);
  const probe3161 = recorded.find((r) => r.prb_id === 3161);
  await paths.locator('select[name="path-probe"]').selectOption('3161');
  const table = paths.locator('table.hop-table[data-probe="3161"]');
  await table.waitFor();
  assert.equal(await table.locator('tbody tr').count(), probe3161.result.length);
  assert.match(await table.locator('tbody tr').last().innerText(), new RegExp(probe3161.dst_addr.replaceAll('.', '\\.')));
  assert.deepEqual(errors, []);
  await context.close();
});

test('router names and owners of the hops are looked up at RIPEstat, kept, and shown offline', async () => {
  const { context, page, errors } = await freshProfile(env, {
    settings: { 'atlas-base-url': env.replay.origin, 'ripestat-base-url': env.replay.origin },
  });
  const cell = await newNotebookWithAtlasCell(page);
  await fetchMeasurement(cell, 3082698);
  const paths = cell.locator('section.paths-view');
  await paths.waitFor();
  const before = env.replay.requests.length;
  await paths.getByRole('button', { name: 'Look up router names and owners' }).click();
  await paths.locator('.hint', { hasText: /RIPEstat lookups are stored with this snapshot/ }).waitFor({ timeout: 60_000 });
  const asked = env.replay.requests.slice(before).filter((r) => r.path.startsWith('/data/'));
  // Every address asked about is one the recorded traceroutes report, and none is private.
  const recorded = JSON.parse(fs.readFileSync(path.join(fixturesDir, 'traceroute_latest_msm3082698.json'), 'utf8'));
  const hopAddresses = new Set(recorded.flatMap((r) => (r.result ?? []).flatMap((h) => (h.result ?? []).map((x) => x.from))).filter(Boolean));
  const reverse = asked.filter((r) => r.path === '/data/reverse-dns-ip/data.json').map((r) => new URLSearchParams(r.search).get('resource'));
  assert.ok(reverse.length > 0);
  assert.ok(reverse.every((address) => hopAddresses.has(address)), 'only hop addresses are looked up');
  assert.ok(reverse.every((address) => !/^(10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.)/.test(address)), 'no private address leaves the browser');
  assert.equal(new Set(reverse).size, reverse.length, 'no address is asked twice');
  // The replay answers network-info with its one recording (AS1205), so owners show that AS.
  const networkInfo = JSON.parse(fs.readFileSync(path.join(fixturesDir, '..', 'ripestat', 'network-info.json'), 'utf8')).data;
  const owners = await paths.locator('table.hop-table tbody td:nth-child(6)').allInnerTexts();
  assert.ok(owners.some((text) => text.startsWith(`AS${networkInfo.asns[0]}`)), owners.join('|'));

  await page.getByRole('button', { name: 'Share' }).click();
  const link = await page.locator('textarea.share-link').inputValue();
  await context.close();
  const { context: reader, page: view, errors: readerErrors, outside } = await offlineReader(env);
  await view.goto(link);
  const shared = view.locator('section.paths-view');
  await shared.waitFor();
  const sharedOwners = await shared.locator('table.hop-table tbody td:nth-child(6)').allInnerTexts();
  assert.deepEqual(sharedOwners, owners);
  assert.deepEqual(outside, []);
  // Addresses with no recorded name get a 404 from the replay, which Chromium itself logs; anything
  // else on the console would be the app's.
  assert.deepEqual(errors.filter((e) => !e.includes('Failed to load resource: the server responded with a status of 404')), []);
  assert.deepEqual(readerErrors, []);
  await reader.close();
});
