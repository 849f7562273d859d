// End-to-end tests of the "Measure now" cell against the replay server: Globalping measurements
// created and followed (in progress, then the recorded official example responses), an HTTP check with
// its verdict, a reload mid-measurement that resumes the saved ID, a re-run on the same probes with its
// before/after comparison, a rate-limit refusal, and RIPE Atlas creation with a test key (cost preview,
// confirmation, wrong key, CORS refusal with the create-at-the-source fallback), and a traceroute
// whose hop table shows the router names the probe resolved, with location hints. Every test checks that
// the key went only to the Atlas create request and is in no link, file, export or stored notebook.
// Expected values are read from the fixtures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ATLAS_TEST_KEY, ATLAS_CREATED_IDS, requestsCarrying, globalpingFixturesDir } from '../servers.mjs';
import { useServers, freshPage, addCell, canvasColourCount } from '../helpers.mjs';

const env = useServers();
const recording = (name) => JSON.parse(fs.readFileSync(path.join(globalpingFixturesDir, name), 'utf8'));
const ping = recording('get-ping-measurement-response.json');
const httpCheck = recording('get-http-measurement-response.json');
const traceroute = recording('get-traceroute-measurement-response.json');

function settingsFor(extra = {}) {
  return {
    'atlas-base-url': env.replay.origin,
    'globalping-base-url': env.replay.origin,
    ...extra,
  };
}

async function measureCell(page) {
  await page.getByRole('button', { name: 'New', exact: true }).click();
  await addCell(page, '+ Measure now');
  return page.locator('article.cell[data-kind="Measure now"]').last();
}

const posts = (service) => env.replay.requests.filter((r) => r.service === service && r.method === 'POST');
const gets = (pathPart) => env.replay.requests.filter((r) => r.method === 'GET' && r.path.includes(pathPart));

test('Globalping ping from 5 probes per continent: created, followed while in progress, shown like an imported measurement', async () => {
  env.replay.globalpingInProgressPolls = 3;
  const { context, page, errors } = await freshPage(env, { settings: settingsFor() });
  const cell = await measureCell(page);
  await cell.locator('input[name="measure-target"]').fill(ping.target);
  assert.equal(await cell.locator('input[name="measure-locations"]').inputValue(), '5 per continent');
  const before = posts('globalping').length;
  await cell.getByRole('button', { name: 'Run', exact: true }).click();
  // In progress first (the replay answers three polls in progress), then finished.
  await cell.locator('.run-headline', { hasText: 'in progress' }).waitFor();
  await cell.locator('.run-headline', { hasText: 'finished' }).waitFor();
  const created = posts('globalping').slice(before);
  assert.equal(created.length, 1);
  const body = JSON.parse(created[0].body);
  assert.equal(body.type, 'ping');
  assert.equal(body.target, ping.target);
  assert.deepEqual(body.locations.map((l) => [l.magic, l.limit]).sort(),
    [['Africa', 5], ['Asia', 5], ['Europe', 5], ['North America', 5], ['Oceania', 5], ['South America', 5]]);
  // Polls spaced by the poll interval: no two GETs of the measurement within 500 ms.
  const polls = gets(`/v1/measurements/${ping.id}`);
  assert.ok(polls.length >= 4, `${polls.length} polls`);
  assert.match(await cell.locator('.run-headline').first().innerText(), new RegExp(`Globalping measurement ${ping.id}`));
  // The same views as an imported measurement: the headline, the continent table and the map.
  const view = cell.locator('.latency-view');
  await view.locator('canvas').waitFor();
  const result = ping.results[0];
  assert.match(await view.innerText(), new RegExp(`Ping Globalping measurement ${ping.id} to ${ping.target}: 1 results from 1 probes`));
  assert.match(await view.innerText(), new RegExp(`${result.result.stats.min.toFixed(1)}`));
  assert.ok(await canvasColourCount(cell) > 20, 'the map is drawn');
  // The measurement is kept in the notebook as received.
  const stored = await page.evaluate(() => localStorage.getItem('vantage.notebook'));
  assert.ok(stored.includes(ping.id));
  assert.deepEqual(errors, []);
  await context.close();
  env.replay.globalpingInProgressPolls = 1;
});

test('an HTTP check from many places: the verdict, a map coloured by status, timings and TLS per probe', async () => {
  const { context, page, errors } = await freshPage(env, { settings: settingsFor() });
  const cell = await measureCell(page);
  await cell.locator('select[name="measure-test"]').selectOption('http');
  await cell.locator('input[name="measure-target"]').fill(httpCheck.target);
  await cell.getByRole('button', { name: 'Run', exact: true }).click();
  await cell.locator('.run-headline', { hasText: 'finished' }).waitFor();
  const verdict = cell.locator('.http-verdict');
  const codes = httpCheck.results.map((r) => r.result.statusCode);
  const locations = codes.length;
  assert.match(await verdict.innerText(), locations === 1
    ? new RegExp(`HTTP ${codes[0]} from the one location \\(${httpCheck.results[0].probe.continent === 'AS' ? 'Asia' : '.+'}\\)`)
    : new RegExp(`HTTP ${codes[0]} from all ${locations} locations`));
  const row = cell.locator('table.http-rows tbody tr').first();
  const timings = httpCheck.results[0].result.timings;
  assert.match(await row.innerText(), new RegExp(`HTTP ${codes[0]}`));
  assert.match(await row.innerText(), new RegExp(`\\b${Math.round(timings.total)}\\b`));
  const tls = httpCheck.results[0].result.tls;
  if (tls) assert.match(await row.innerText(), new RegExp(tls.protocol));
  // Every probe answered: nothing is set aside as a probe's own failure.
  assert.match(await cell.locator('table.http-continents thead').innerText(), /Not counted/);
  assert.equal(await cell.locator('.http-not-counted').count(), 0);
  assert.doesNotMatch(await verdict.innerText(), /reasons of its own|not counted/);
  await cell.locator('.http-view canvas').waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test('a reload mid-measurement resumes following the saved ID; a re-run on the same probes compares before and after', async () => {
  env.replay.globalpingInProgressPolls = 100000;
  const { context, page, errors } = await freshPage(env, { settings: settingsFor() });
  const cell = await measureCell(page);
  await cell.locator('input[name="measure-target"]').fill(ping.target);
  await cell.getByRole('button', { name: 'Run', exact: true }).click();
  await cell.locator('.run-headline', { hasText: 'in progress' }).waitFor();
  await page.reload();
  env.replay.globalpingInProgressPolls = 0;
  const resumed = page.locator('article.cell[data-kind="Measure now"]').last();
  await resumed.locator('.run-headline', { hasText: 'finished' }).waitFor();
  assert.equal(await resumed.locator('input[name="measure-target"]').inputValue(), ping.target);

  // Run again on the same probes: Globalping is asked to reuse the first measurement's probes.
  const before = posts('globalping').length;
  await resumed.getByRole('button', { name: 'Run again on the same probes' }).click();
  await resumed.locator('.comparison').waitFor();
  const body = JSON.parse(posts('globalping').slice(before)[0].body);
  assert.equal(body.locations, ping.id);
  assert.equal(await resumed.locator('.measure-run').count(), 2);
  assert.match(await resumed.locator('.comparison-summary').innerText(), /1 probe/);
  assert.deepEqual(errors, []);
  await context.close();
  env.replay.globalpingInProgressPolls = 1;
});

test('a Globalping refusal (hourly limit) is shown with what to do, and the form is kept', async () => {
  const { context, page } = await freshPage(env, { settings: settingsFor() });
  const cell = await measureCell(page);
  await cell.locator('input[name="measure-target"]').fill(ping.target);
  env.replay.globalpingFailures.set('create', 'measurements429:rateLimitExceeded');
  await cell.getByRole('button', { name: 'Run', exact: true }).click();
  const error = cell.locator('.error');
  await error.waitFor({ timeout: 30000 });
  env.replay.globalpingFailures.clear();
  assert.match(await error.innerText(), /hourly rate limit/i);
  assert.match(await error.innerText(), /token|wait|later/i);
  assert.equal(await cell.locator('input[name="measure-target"]').inputValue(), ping.target);
  assert.equal(await cell.locator('.measure-run').count(), 0);
  await context.close();
});

async function atlasCell(page) {
  const cell = await measureCell(page);
  await cell.locator('select[name="measure-platform"]').selectOption('atlas');
  await cell.locator('input[name="measure-target"]').fill('at-vie-as1853.anchors.atlas.ripe.net');
  await cell.locator('input[name="measure-locations"]').fill('WW:5');
  return cell;
}

test('RIPE Atlas with a test key: cost preview, confirmation, followed to the results; the key goes only to the Atlas create request and is in no link, file or storage item but its own', async () => {
  const { context, page, errors } = await freshPage(env, { settings: settingsFor({ 'atlas-api-key': ATLAS_TEST_KEY }) });
  const cell = await atlasCell(page);
  assert.match(await cell.locator('.atlas-cost').innerText(), /credits/);
  const before = env.replay.requests.length;
  await cell.getByRole('button', { name: 'Run', exact: true }).click();
  const confirm = cell.locator('.atlas-confirm');
  await confirm.waitFor();
  assert.match(await confirm.innerText(), /costs about \d+ credits/);
  assert.equal(env.replay.requests.length, before, 'nothing is sent before the confirmation');
  await confirm.getByRole('button', { name: 'Confirm and create' }).click();
  await cell.locator('.latency-view canvas').waitFor({ timeout: 60000 });
  assert.match(await cell.locator('.run-headline').first().innerText(), /RIPE Atlas measurement 3359986/);
  const created = posts('atlas');
  assert.equal(created.length >= 1, true);
  const definition = JSON.parse(created.at(-1).body);
  assert.equal(definition.definitions[0].type, 'ping');
  assert.equal(definition.is_oneoff, true);
  assert.deepEqual(definition.probes, [{ type: 'area', value: 'WW', requested: 5 }]);

  // The key: only in the Authorization header of the Atlas create request.
  const carrying = requestsCarrying(env.replay, ATLAS_TEST_KEY);
  assert.ok(carrying.length >= 1);
  for (const request of carrying) {
    assert.equal(request.method, 'POST');
    assert.equal(request.path, '/api/v2/measurements/');
    assert.equal(request.headers.authorization, `Key ${ATLAS_TEST_KEY}`);
    assert.ok(!request.url.includes(ATLAS_TEST_KEY));
    assert.ok(!(request.body ?? '').includes(ATLAS_TEST_KEY));
  }
  // Not in the share link, the saved file, the autosaved notebook or the settings.
  await page.getByRole('button', { name: 'Share' }).click();
  const link = await page.locator('textarea.share-link').inputValue();
  assert.ok(!link.includes(ATLAS_TEST_KEY));
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Save file' }).click(),
  ]);
  const file = fs.readFileSync(await download.path(), 'utf8');
  assert.ok(file.includes('3359986') && !file.includes(ATLAS_TEST_KEY));
  const [reportDownload] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('.share-panel').getByRole('button', { name: 'Download report (Markdown)' }).click(),
  ]);
  const report = fs.readFileSync(await reportDownload.path(), 'utf8');
  assert.ok(report.includes('3359986') && !report.includes(ATLAS_TEST_KEY), 'nor in the report');
  const storage = await page.evaluate(() => Object.fromEntries(Object.keys(localStorage).map((k) => [k, localStorage.getItem(k)])));
  for (const [key, value] of Object.entries(storage)) {
    assert.ok(!value.includes(ATLAS_TEST_KEY), `localStorage ${key} holds the key`);
  }
  const session = await page.evaluate(() => Object.keys(sessionStorage).filter((k) => sessionStorage.getItem(k).includes('8f0c2a54')));
  assert.deepEqual(session, ['vantage.secret.atlas-key'], 'the key is kept only in its own session item');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a wrong Atlas key gets the API\'s message and what to do; nothing is created', async () => {
  const wrong = '00000000-1111-4222-8333-444444444444';
  const { context, page } = await freshPage(env, { settings: settingsFor({ 'atlas-api-key': wrong }) });
  const cell = await atlasCell(page);
  await cell.getByRole('button', { name: 'Run', exact: true }).click();
  await cell.getByRole('button', { name: 'Confirm and create' }).click();
  const error = cell.locator('.error');
  await error.waitFor();
  assert.match(await error.innerText(), /The provided API key does not exist/);
  assert.match(await error.innerText(), /atlas\.ripe\.net\/keys/);
  assert.equal(await cell.locator('.measure-run').count(), 0);
  await context.close();
});

// Runs the Atlas cell with the browser's cross-origin request refused, and returns the fallback panel
// with the definition it shows, parsed, and the ripe-atlas-tools command(s).
async function refusedCreate(cell) {
  env.replay.atlasCreateCors = 'refuse';
  await cell.getByRole('button', { name: 'Run', exact: true }).click();
  await cell.getByRole('button', { name: 'Confirm and create' }).click();
  const fallback = cell.locator('.atlas-fallback');
  await fallback.waitFor();
  env.replay.atlasCreateCors = 'allow';
  const definition = JSON.parse(await fallback.locator('pre.atlas-definition').innerText());
  const command = await fallback.locator('pre.atlas-command').innerText();
  return { fallback, definition, command };
}

test('when Atlas refuses the cross-origin request, the cell shows the definition and the ripe-atlas-tools command, then follows the pasted ID', async () => {
  const { context, page, errors } = await freshPage(env, { settings: settingsFor({ 'atlas-api-key': ATLAS_TEST_KEY }) });
  const cell = await atlasCell(page);
  const { fallback, definition, command } = await refusedCreate(cell);
  assert.equal(definition.definitions[0].target, 'at-vie-as1853.anchors.atlas.ripe.net');
  assert.ok(!JSON.stringify(definition).includes(ATLAS_TEST_KEY));
  assert.match(command, /^ripe-atlas measure ping /);
  assert.match(command, /--from-area WW/);
  assert.ok(!command.includes(ATLAS_TEST_KEY));
  // The author creates it at the source and pastes the ID it got.
  env.replay.createdAtSource(ATLAS_CREATED_IDS.ping);
  await fallback.locator('input[name="measure-pasted-id"]').fill(String(ATLAS_CREATED_IDS.ping));
  await fallback.getByRole('button', { name: 'Follow it' }).click();
  await cell.locator('.latency-view canvas').waitFor({ timeout: 60000 });
  assert.deepEqual(errors.filter((e) => !/Failed to fetch|CORS|net::ERR_FAILED|Access-Control/.test(e)), []);
  await context.close();
});

test('Atlas "5 per continent" asks six regions for five probes each; the fallback marks what ripe-atlas-tools cannot express', async () => {
  const { context, page, errors } = await freshPage(env, { settings: settingsFor({ 'atlas-api-key': ATLAS_TEST_KEY }) });
  const cell = await atlasCell(page);
  await cell.getByRole('button', { name: '5 per continent', exact: true }).click();
  assert.equal(await cell.locator('input[name="measure-locations"]').inputValue(), '5 per continent');
  const { definition, command } = await refusedCreate(cell);
  assert.deepEqual(definition.probes.map((p) => [p.type, p.value, p.requested]), [
    ['region', 'africa', 5], ['region', 'asia', 5], ['region', 'europe', 5],
    ['region', 'northern_america', 5], ['region', 'latin_america_and_caribbean', 5], ['region', 'oceania', 5],
  ]);
  const lines = command.split('\n');
  assert.equal(lines.length, 6);
  assert.ok(lines.every((line) => line.startsWith('# 5 probes in ') && line.includes('no region option')), command);
  assert.deepEqual(errors.filter((e) => !/Failed to fetch|CORS|net::ERR_FAILED|Access-Control/.test(e)), []);
  await context.close();
});

test('Investigate a host: one form builds the whole investigation, filled in for the host; nothing is sent until Run; the old notebook is kept aside', async () => {
  const { context, page, errors } = await freshPage(env, { settings: settingsFor() });
  await page.getByRole('button', { name: 'Investigate…' }).click();
  const panel = page.locator('.investigate-panel');
  await panel.locator('input[name="investigate-target"]').fill('https://telegram.org/');
  await panel.getByRole('button', { name: 'Create the notebook' }).click();
  assert.match(await panel.locator('.error').innerText(), /host name such as telegram\.org/);
  // The example is still open: a refused target replaces nothing.
  assert.ok(await page.locator('article.cell[data-kind="Atlas measurement"]').count() > 0);
  const before = env.replay.requests.length;
  await panel.locator('input[name="investigate-target"]').fill('telegram.org');
  await panel.getByRole('button', { name: 'Create the notebook' }).click();
  await panel.waitFor({ state: 'detached' });
  assert.equal(await page.locator('input.title').inputValue(), 'Investigating telegram.org');
  const kinds = await page.locator('article.cell').evaluateAll((cells) => cells.map((c) => c.dataset.kind));
  assert.deepEqual(kinds.filter((k) => k !== 'Note'), ['DNS', 'Measure now', 'Measure now', 'Routing context', 'Measure now']);
  assert.equal(await page.locator('input[name="dns-name"]').inputValue(), 'telegram.org');
  const measures = page.locator('article.cell[data-kind="Measure now"]');
  const tests = [];
  for (let i = 0; i < 3; i += 1) {
    assert.equal(await measures.nth(i).locator('input[name="measure-target"]').inputValue(), 'telegram.org');
    tests.push(await measures.nth(i).locator('select[name="measure-test"]').inputValue());
  }
  assert.deepEqual(tests, ['ping', 'traceroute', 'http']);
  assert.equal(env.replay.requests.length, before, 'building the notebook sends nothing');
  await page.getByRole('button', { name: 'Restore my previous notebook' }).waitFor();
  // One click runs a step: the HTTP check goes out for the host as filled in.
  const posted = posts('globalping').length;
  await measures.nth(2).getByRole('button', { name: 'Run', exact: true }).click();
  await measures.nth(2).locator('.run-headline', { hasText: 'finished' }).waitFor();
  const body = JSON.parse(posts('globalping').slice(posted)[0].body);
  assert.equal(body.type, 'http');
  assert.equal(body.target, 'telegram.org');
  assert.equal(body.locations.length, 6);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a shared report holding a run still in progress contacts nobody: the reader sees what arrived and a Follow button', async () => {
  const { offlineReader, fragmentFor } = await import('../helpers.mjs');
  const { globalpingInProgress } = await import('../servers.mjs');
  const pending = globalpingInProgress(ping);
  const notebook = {
    title: 'Pending run',
    cells: [{ id: 1, body: { kind: 'measure', form: { platform: 'globalping', test: 'ping', target: ping.target, locations: '5 per continent' },
      runs: [{ started_at_unix_ms: 1689359152414, request_body: '{}',
        data: { platform: 'globalping', id: ping.id, measurement_text: JSON.stringify(pending), fetched_at_unix_ms: 1689359152414, url: 'https://api.globalping.io/v1/measurements/' } }] } }],
  };
  const { context, page, errors, outside } = await offlineReader(env);
  const before = env.replay.requests.length;
  await page.goto(`${env.web.origin}/#${fragmentFor(notebook)}`);
  const cell = page.locator('article.cell[data-kind="Measure now"]');
  await cell.locator('.run-headline', { hasText: 'in progress' }).waitFor();
  await cell.getByRole('button', { name: 'Follow' }).waitFor();
  await page.waitForTimeout(1500); // long enough for a resumed poll (0.7 s) to have been sent
  assert.deepEqual(outside, []);
  assert.equal(env.replay.requests.length, before);
  assert.match(await cell.locator('.pending-elsewhere').innerText(), /Pending at the author's side/);
  // Issue 17: a reload used to follow the link author's run on its own. It is still a shared report,
  // and still waits for the reader; so does an edit that makes the notebook the reader's own.
  await page.reload();
  await cell.getByRole('button', { name: 'Follow' }).waitFor();
  await page.locator('.notice', { hasText: 'shared report' }).waitFor();
  await page.locator('input.title').fill('Pending run, my copy');
  await page.reload();
  await cell.getByRole('button', { name: 'Follow' }).waitFor();
  await page.waitForTimeout(1500);
  assert.deepEqual(outside, []);
  assert.equal(env.replay.requests.length, before);
  assert.deepEqual(errors, []);
  await context.close();
});

test('an imported Atlas measurement is measured again now on the same probes, and before and after are compared', async () => {
  const { context, page, errors } = await freshPage(env, { settings: settingsFor({ 'atlas-api-key': ATLAS_TEST_KEY }) });
  await page.getByRole('button', { name: 'New', exact: true }).click();
  await addCell(page, '+ Atlas measurement');
  const atlas = page.locator('article.cell[data-kind="Atlas measurement"]').last();
  await atlas.locator('input[name="measurement"]').fill('3359986');
  await atlas.getByRole('button', { name: /^Fetch/ }).click();
  await atlas.locator('.latency-view canvas').waitFor();
  await atlas.getByRole('button', { name: /Measure again now on the same probes/ }).click();
  const cell = page.locator('article.cell[data-kind="Measure now"]').last();
  await cell.locator('.measure-run').first().waitFor();
  assert.equal(await cell.locator('select[name="measure-platform"]').inputValue(), 'atlas');
  const locations = await cell.locator('input[name="measure-locations"]').inputValue();
  assert.match(locations, /^probes [\d,]+$/);
  // The imported results are the first run, so the button starts a new one.
  await cell.getByRole('button', { name: 'Run new', exact: true }).click();
  await cell.getByRole('button', { name: 'Confirm and create' }).click();
  await cell.locator('.comparison').waitFor({ timeout: 60000 });
  const definition = JSON.parse(posts('atlas').at(-1).body);
  assert.equal(definition.probes[0].type, 'probes');
  assert.equal(definition.probes[0].value, locations.replace(/^probes /, ''));
  // The replay returns the same recorded measurement, so every probe is in both runs, unchanged.
  const probes = locations.replace(/^probes /, '').split(',').length;
  assert.equal(await cell.locator('.comparison tbody tr').count(), probes);
  assert.equal(await cell.locator('.comparison tbody tr.changed').count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a Globalping DNS query from many places feeds the same answer matrix as Atlas DNS results', async () => {
  const dns = recording('get-simple-dns-measurement-response.json');
  const { context, page, errors } = await freshPage(env, { settings: settingsFor() });
  const cell = await measureCell(page);
  await cell.locator('select[name="measure-test"]').selectOption('dns');
  await cell.locator('input[name="measure-target"]').fill(dns.target);
  await cell.getByRole('button', { name: 'Run', exact: true }).click();
  await cell.locator('.run-headline', { hasText: 'finished' }).waitFor();
  const body = JSON.parse(posts('globalping').at(-1).body);
  assert.equal(body.type, 'dns');
  assert.equal(body.measurementOptions.query.type, 'A');
  const matrix = cell.locator('.answer-matrix').first();
  await matrix.waitFor();
  assert.match(await matrix.locator('.question').innerText(), new RegExp(`${dns.target.replace(/\./g, '\\.')}\\.? A`));
  const records = await matrix.locator('.answer-sets .record').allInnerTexts();
  const expected = dns.results[0].result.answers.filter((a) => a.type === 'A').map((a) => a.value);
  for (const address of expected) assert.ok(records.some((r) => r.includes(address)), `${address} in ${records}`);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a Globalping traceroute: the whole path from the probe\'s output, the router names it resolved, a hint accepted by the RTT, and the map', async () => {
  const { context, page, errors } = await freshPage(env, { settings: settingsFor() });
  const cell = await measureCell(page);
  await cell.locator('select[name="measure-test"]').selectOption('traceroute');
  await cell.locator('input[name="measure-target"]').fill(traceroute.target);
  const before = posts('globalping').length;
  await cell.getByRole('button', { name: 'Run', exact: true }).click();
  await cell.locator('.run-headline', { hasText: 'finished' }).waitFor();
  assert.equal(JSON.parse(posts('globalping').slice(before)[0].body).type, 'traceroute');
  // The recording's `hops` list was cut to 2 by its authors; its rawOutput has every TTL line, and
  // the names it prints are the ones expected in the table.
  const output = traceroute.results[0].result.rawOutput;
  const hopLines = output.split('\n').filter((line) => /^\s*\d+\s/.test(line));
  assert.equal(traceroute.results[0].result.hops.length, 2);
  const named = hopLines.find((line) => line.includes('syd-sy2-bb1-a9.au.asia'));
  const [, ttl, address] = named.match(/^\s*(\d+)\s+\S+\s+\(([^)]+)\)/);
  const table = cell.locator('table.hop-table');
  await table.waitFor();
  assert.equal(await table.locator('tbody tr').count(), hopLines.length);
  const row = table.locator('tbody tr').nth(Number(ttl) - 1);
  assert.equal(await row.locator('td').first().innerText(), ttl);
  assert.match(await row.innerText(), new RegExp(address.replaceAll('.', '\\.')));
  assert.match(await row.innerText(), /syd-sy2-bb1-a9\.au\.asia/);
  const accepted = row.locator('.hint-badge.accepted');
  assert.equal(await accepted.count(), 1);
  assert.equal(await accepted.innerText(), 'Sydney (AU)');
  assert.match(await accepted.getAttribute('title'), /"syd"/);
  assert.match(await table.innerText(), /as13335\.nsw\.ix\.asn\.au/);
  // The map is drawn.
  await cell.locator('.latency-view canvas').waitFor();
  assert.ok(await canvasColourCount(cell.locator('.latency-view')) > 20, 'the map is drawn');
  assert.deepEqual(errors, []);
  // Shared as a link, the names and the hint come back offline: they are in the stored measurement.
  await page.getByRole('button', { name: 'Share' }).click();
  const link = await page.locator('textarea.share-link').inputValue();
  await context.close();
  const { offlineReader } = await import('../helpers.mjs');
  const requestsBefore = env.replay.requests.length;
  const reader = await offlineReader(env);
  await reader.page.goto(link);
  const shared = reader.page.locator('article.cell[data-kind="Measure now"]');
  const sharedRow = shared.locator('table.hop-table tbody tr').nth(Number(ttl) - 1);
  await sharedRow.waitFor();
  assert.match(await sharedRow.innerText(), /syd-sy2-bb1-a9\.au\.asia/);
  assert.equal(await sharedRow.locator('.hint-badge.accepted').innerText(), 'Sydney (AU)');
  await shared.locator('.latency-view canvas').waitFor();
  assert.deepEqual(reader.outside, []);
  assert.equal(env.replay.requests.length, requestsBefore, 'the reader contacted no API');
  assert.deepEqual(reader.errors, []);
  await reader.context.close();
});

test('a Globalping token goes only to Globalping, as its Authorization header, and raises the stated limits', async () => {
  const token = 'gp-test-token-5b1d0c7e9a';
  const { context, page, errors } = await freshPage(env, { settings: settingsFor({ 'globalping-token': token }) });
  const cell = await measureCell(page);
  assert.match(await cell.locator('.measure-limits').innerText(), /up to 500 probes/);
  await cell.locator('input[name="measure-target"]').fill(ping.target);
  await cell.getByRole('button', { name: 'Run', exact: true }).click();
  await cell.locator('.run-headline', { hasText: 'finished' }).waitFor();
  const carrying = requestsCarrying(env.replay, token);
  assert.ok(carrying.length >= 1);
  for (const request of carrying) {
    assert.equal(request.service, 'globalping');
    assert.equal(request.method, 'POST');
    assert.equal(request.headers.authorization, `Bearer ${token}`);
    assert.ok(!request.url.includes(token));
  }
  await page.getByRole('button', { name: 'Share' }).click();
  assert.ok(!(await page.locator('textarea.share-link').inputValue()).includes(token));
  assert.deepEqual(errors, []);
  await context.close();
});

test('a running Atlas measurement shows its results so far, survives a reload, and ends with the final results', async () => {
  env.replay.atlasCreatedOngoingPolls = 100000;
  const { context, page, errors } = await freshPage(env, { settings: settingsFor({ 'atlas-api-key': ATLAS_TEST_KEY }) });
  const cell = await atlasCell(page);
  await cell.getByRole('button', { name: 'Run', exact: true }).click();
  await cell.getByRole('button', { name: 'Confirm and create' }).click();
  await cell.locator('.run-headline', { hasText: /Ongoing: \d+ results so far/ }).waitFor({ timeout: 60000 });
  await cell.locator('.latency-view canvas').waitFor();
  const creates = posts('atlas').length;
  await page.reload();
  const resumed = page.locator('article.cell[data-kind="Measure now"]').last();
  await resumed.locator('.run-headline', { hasText: 'Ongoing' }).waitFor();
  env.replay.atlasCreatedOngoingPolls = 0;
  await resumed.locator('.run-headline', { hasText: 'Stopped: results received' }).waitFor({ timeout: 60000 });
  assert.equal(posts('atlas').length, creates, 'the reload followed the saved ID; nothing was created again');
  assert.deepEqual(errors, []);
  await context.close();
  env.replay.atlasCreatedOngoingPolls = 1;
});

test('the hourly allowance Globalping reports is shown, and a run that would exceed it is not sent', async () => {
  const { context, page, errors } = await freshPage(env, { settings: settingsFor() });
  // This address has used 240 of its 250 tests this hour (the replay counts like Globalping).
  env.replay.globalpingRate.ip = { windowStart: Date.now(), consumed: 240 };
  const cell = await measureCell(page);
  await cell.locator('input[name="measure-target"]').fill(ping.target);
  await cell.getByRole('button', { name: 'Run', exact: true }).click();
  await cell.locator('.run-headline', { hasText: 'finished' }).waitFor();
  const left = 250 - 240 - ping.results.length;
  assert.equal(await cell.locator('.rate-limit').innerText(), `Globalping: ${left} of 250 tests left this hour from this address.`);
  const before = posts('globalping').length;
  await cell.getByRole('button', { name: 'Run new', exact: true }).click();
  const error = cell.locator('.error');
  await error.waitFor();
  assert.match(await error.innerText(), new RegExp(`allows ${left} more tests this hour .* asks for 30: .*Nothing was sent\\.`));
  assert.equal(posts('globalping').length, before, 'nothing was sent');
  env.replay.globalpingRate.ip = { windowStart: null, consumed: 0 };
  assert.deepEqual(errors, []);
  await context.close();
});
