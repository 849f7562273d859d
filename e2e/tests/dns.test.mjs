// End-to-end tests of "DNS from everywhere": the DNS cell's DoH fan-out against the replay server
// (recorded Google, Cloudflare and RFC 8484 replies, recorded RIPEstat responses), a throttled
// resolver, cancelling half-way, sharing and reopening with the network blocked, and the answer
// matrix of an Atlas DNS measurement. Expected figures come from the fixtures (the recorded replies,
// the shipped subnet table, dnspython's decoding of the Atlas abufs), not from the app.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { dohFixturesDir, ripestatFixturesDir } from '../servers.mjs';
import {
  useServers, freshPage, offlineReader, addCell, pixelCount, hoverMarker, fragmentFor,
} from '../helpers.mjs';

const env = useServers();
const repo = path.join(dohFixturesDir, '..', '..', '..');

const readJson = (file) => JSON.parse(fs.readFileSync(file, 'utf8'));
const alicdn = readJson(path.join(dohFixturesDir, 'google-json_A_with-edns_client_subnet_img.alicdn.com.json'));
const networkInfo = readJson(path.join(ripestatFixturesDir, 'network-info.json')).data;
const prefixOverview = readJson(path.join(ripestatFixturesDir, 'prefix-overview.json')).data;
// The recorded addresses of img.alicdn.com (type 1 answers), sorted as text.
const alicdnAddresses = alicdn.Answer.filter((a) => a.type === 1).map((a) => a.data).sort();
// The scope Google echoed: the number after the slash of its edns_client_subnet.
const alicdnScope = alicdn.edns_client_subnet.split('/')[1];
// What the replay's RIPEstat says of any address: network-info's prefix and AS, prefix-overview's AS
// with its holder (the two recordings are about different networks, so both ASes appear).
const originAsns = [...networkInfo.asns.map(Number), ...prefixOverview.asns.map((a) => a.asn)].sort((a, b) => a - b);
const holder = prefixOverview.asns[0].holder;
const originText = `AS${originAsns[0]}, AS${originAsns[1]} ${holder} · ${networkInfo.prefix}`;

// The shipped client-subnet table: country → subnet.
const subnets = Object.fromEntries(
  fs.readFileSync(path.join(repo, 'src', 'dns', 'ecs_subnets.tsv'), 'utf8').split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => line.split('\t'))
    .map(([country, subnet]) => [country, subnet]),
);

// dnspython's decoding of the recorded Atlas abufs (tests/expected/), for the Atlas and wire tests.
const dnspython = readJson(path.join(repo, 'tests', 'expected', 'atlas_dns_abufs.dnspython.json'));

function dnsSettings(overrides = {}) {
  const origin = env.replay.origin;
  return {
    'atlas-base-url': origin,
    'ripestat-base-url': origin,
    'google-doh-base-url': origin,
    'cloudflare-doh-base-url': origin,
    ...overrides,
  };
}

async function newDnsCell(page) {
  await page.getByRole('button', { name: 'New', exact: true }).click();
  await addCell(page, '+ DNS from everywhere');
  return page.locator('article.cell[data-kind="DNS"]').last();
}

async function ask(cell, { name, countries = null, vantages = countries ? 'countries' : 'continents' }) {
  await cell.locator('input[name="dns-name"]').fill(name);
  await cell.locator('select[name="vantages"]').selectOption(vantages);
  if (countries) await cell.locator('input[name="countries"]').fill(countries);
  await cell.getByRole('button', { name: /^Run/ }).click();
}

async function rowTexts(scope) {
  return scope.locator('.vantage-table tbody tr').evaluateAll((rows) => rows.map((row) => row.innerText.replace(/\s+/g, ' ').trim()));
}

async function waitFor(condition, what) {
  for (let i = 0; i < 200; i += 1) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  assert.fail(`timed out waiting for ${what}`);
}

test('a fan-out shows the matrix, verdict, ECS and origins; a throttled resolver fails in its row; the shared link reopens offline', async () => {
  const { context, page, errors } = await freshPage(env, {
    settings: dnsSettings({ 'cloudflare-doh-base-url': `${env.replay.origin}/status/429` }),
  });
  const outside = [];
  page.on('request', (request) => {
    if (!request.url().startsWith(env.web.origin)) outside.push(request.url());
  });
  const before = env.replay.requests.length;
  const cell = await newDnsCell(page);
  await ask(cell, { name: 'img.alicdn.com', countries: 'DE, JP, US, AU' });
  const matrix = cell.locator('section.answer-matrix');
  await matrix.waitFor();

  // Four Google vantages in four continents got the recorded two addresses; Cloudflare's 429 is
  // counted apart.
  assert.equal(await matrix.getAttribute('data-verdict'), 'consistent');
  const verdict = await matrix.locator('.verdict').innerText();
  assert.match(verdict, new RegExp(`^The same ${alicdnAddresses.length} addresses from all 4 vantages in 4 continents \\(origin ASes: AS${originAsns[0]}, AS${originAsns[1]} `));
  // The 429 observed the way to Cloudflare, not the name: said apart, and in no answer set or map.
  assert.match(await matrix.locator('.failures').innerText(), /left out, as they say nothing about the name: this browser could not reach Cloudflare \(1 of 1 query: HTTP 429; a control query for example\.com failed too: the resolver is unreachable from here\)/);
  assert.match(await cell.locator('.dns-view .headline').innerText(), /img\.alicdn\.com: 5 queries to Google, Cloudflare; 4 answered, 1 failed/);

  const set = matrix.locator('.answer-sets tbody tr');
  assert.equal(await set.count(), 1);
  assert.deepEqual(await set.locator('.record').allInnerTexts(), alicdnAddresses);
  assert.deepEqual(await set.locator('.origin').allInnerTexts(), alicdnAddresses.map(() => originText));
  assert.match(await set.innerText(), /via img\.alicdn\.com\. → img\.alicdn\.com\.danuoyi\.alicdn\.com\./);

  const rows = await rowTexts(matrix);
  assert.equal(rows.length, 5);
  for (const country of ['DE', 'JP', 'US', 'AU']) {
    const row = matrix.locator(`tr.vantage[data-resolver="Google"][data-country="${country}"]`);
    const cells = await row.locator('td').allInnerTexts();
    assert.equal(cells[3], subnets[country], `the ${country} subnet comes from the table`);
    assert.equal(cells[4], 'NOERROR');
    assert.equal(cells[5].trim(), '#1');
    assert.equal(cells[6], `scope /${alicdnScope}`);
  }
  const cloudflare = matrix.locator('tr.vantage.failed[data-resolver="Cloudflare"]');
  assert.match(await cloudflare.locator('td.outcome').innerText(), /HTTP 429 \(too many requests/);

  // ECS: Google honoured every subnet with the recorded scope; Cloudflare, never reached, says nothing.
  const google = await matrix.locator('.ecs-table tr[data-resolver="Google"] td').allInnerTexts();
  assert.deepEqual(google.slice(0, 3), ['4', '4', `/${alicdnScope}`]);
  assert.equal(await matrix.locator('.ecs-table tr[data-resolver="Cloudflare"]').count(), 0);
  // The map shows the vantages in the first answer set's colour (#0072b2), each client-subnet vantage
  // at the largest city of its country, as its tooltip says.
  assert.ok(await pixelCount(matrix, 0x0072b2) > 20, 'answer-set markers are drawn');
  const tooltip = await hoverMarker(matrix, 0x0072b2);
  assert.match(tooltip, /^Google for [A-Z]{2} \(\d+\.\d+\.\d+\.0\/24\) · shown at .+, the largest city of .+ · #1: 111\.32\.130\.108, 111\.32\.130\.109$/);

  // Every request went to the configured services, as the core planned them: 4 Google JSON queries
  // with the table's subnets, 1 Cloudflare JSON query and its control, RIPEstat for each address and
  // the prefix.
  assert.ok(outside.every((url) => url.startsWith(env.replay.origin)), outside.join('\n'));
  const asked = env.replay.requests.slice(before);
  const google4 = asked.filter((r) => r.path === '/resolve');
  assert.deepEqual(
    google4.map((r) => new URLSearchParams(r.search).get('edns_client_subnet')).sort(),
    ['DE', 'JP', 'US', 'AU'].map((c) => subnets[c]).sort(),
  );
  assert.ok(google4.every((r) => r.headers.accept === 'application/json' && /name=img\.alicdn\.com&type=A/.test(r.search)));
  // Cloudflare's one query, throttled, then the control query for example.com through it (throttled too).
  const throttled = asked.filter((r) => r.path === '/status/429/dns-query');
  assert.equal(throttled.length, 2);
  assert.ok(throttled.every((r) => r.headers.accept === 'application/dns-json'));
  assert.match(throttled[0].search, /name=img\.alicdn\.com&type=A/);
  assert.match(throttled[1].search, /name=example\.com&type=A/);
  assert.deepEqual(
    asked.filter((r) => r.path === '/data/network-info/data.json').map((r) => new URLSearchParams(r.search).get('resource')).sort(),
    alicdnAddresses,
  );
  assert.deepEqual(
    asked.filter((r) => r.path === '/data/prefix-overview/data.json').map((r) => new URLSearchParams(r.search).get('resource')),
    [networkInfo.prefix],
  );
  assert.equal(asked.length, 4 + 2 + alicdnAddresses.length + 1, asked.map((r) => r.path + r.search).join('\n'));
  assert.ok(asked.every((r) => r.method === 'GET'), 'GETs only: no preflight');

  // Share, and reopen with every request blocked: the same answers and verdict, nothing asked.
  await page.getByRole('button', { name: 'Share' }).click();
  const link = await page.locator('textarea.share-link').inputValue();
  assert.ok(link.length < 8000, `a small DNS notebook fits in a chat message (${link.length})`);
  // Chromium logs every HTTP error it loads; the 429 is the one the test asked for.
  assert.deepEqual(errors.filter((e) => !/status of 429/.test(e)), []);
  await context.close();

  const requestsBefore = env.replay.requests.length;
  const reader = await offlineReader(env);
  await reader.page.goto(link);
  const shared = reader.page.locator('article.cell[data-kind="DNS"] section.answer-matrix');
  await shared.waitFor();
  assert.equal(await shared.locator('.verdict').innerText(), verdict);
  assert.deepEqual(await rowTexts(shared), rows);
  assert.deepEqual(await shared.locator('.answer-sets .origin').allInnerTexts(), alicdnAddresses.map(() => originText));
  assert.ok(await pixelCount(shared, 0x0072b2) > 20, 'the map is drawn from the link data');
  assert.deepEqual(reader.outside, []);
  assert.equal(env.replay.requests.length, requestsBefore, 'opening the link contacted no resolver and no RIPEstat');
  assert.deepEqual(reader.errors, []);
  await reader.context.close();
});

test('a new routing cell offers the addresses the DNS cells found: one click fills it and asks RIPEstat about that address', async () => {
  const { context, page, errors } = await freshPage(env, { settings: dnsSettings() });
  const cell = await newDnsCell(page);
  await ask(cell, { name: 'img.alicdn.com' });
  await cell.locator('section.answer-matrix').waitFor();
  await addCell(page, '+ Routing context');
  const routing = page.locator('article.cell[data-kind="Routing context"]').last();
  const offered = await routing.locator('.found-addresses button').allInnerTexts();
  assert.deepEqual(offered, alicdnAddresses.map((address) => `Look up ${address}`));
  const before = env.replay.requests.length;
  await routing.getByRole('button', { name: `Look up ${alicdnAddresses[0]}` }).click();
  await routing.locator('.routing-view, .error').first().waitFor();
  assert.equal(await routing.locator('input[name="routing-resource"]').inputValue(), alicdnAddresses[0]);
  const asked = env.replay.requests.slice(before).filter((r) => r.service === 'ripestat');
  assert.ok(asked.length > 0);
  assert.ok(asked.every((r) => r.path.includes(`resource=${alicdnAddresses[0]}`) || !r.path.includes('resource=')
    || /resource=AS\d+/.test(r.path)), JSON.stringify(asked.map((r) => r.path)));
  // Once the cell has its resource, the offer is gone.
  assert.equal(await routing.locator('.found-addresses').count(), 0);
  // RIPEstat's recordings are of other resources, so the replay answers this address "not recorded".
  assert.deepEqual(errors.filter((e) => !/status of 404/.test(e)), []);
  await context.close();
});

test('cancel stops the fan-out and keeps what arrived', async () => {
  const { context, page, errors } = await freshPage(env, {
    settings: dnsSettings({ 'google-doh-base-url': `${env.replay.origin}/held` }),
  });
  const cell = await newDnsCell(page);
  await cell.getByLabel('Cloudflare (JSON API; does not forward client subnets)').uncheck();
  const before = env.replay.requests.length;
  const countries = Object.keys(subnets).length;
  await ask(cell, { name: 'img.alicdn.com', vantages: 'all' });
  // The first requests are held by the replay server; let two of them through.
  await waitFor(() => env.replay.heldCount() >= 2, 'the first held requests');
  env.replay.release(2);
  await cell.locator('.progress', { hasText: `2 / ${countries} queries` }).waitFor();
  await cell.getByRole('button', { name: 'Cancel' }).click();
  const cancelled = cell.locator('.dns-view .cancelled');
  await cancelled.waitFor();
  assert.match(await cancelled.innerText(), new RegExp(`^Cancelled after 2 of ${countries} queries`));
  assert.equal((await rowTexts(cell)).length, 2);
  assert.match(await cell.locator('.answer-matrix .verdict').innerText(), /^The same 2 addresses from both vantages/);
  const sent = env.replay.requests.slice(before);
  assert.ok(sent.length < countries, `the rest was never sent (${sent.length} of ${countries})`);
  assert.ok(sent.every((r) => r.path === '/held/resolve'), 'no origin lookups after a cancel');
  // Nothing more goes out once cancelled, and the click did not start a new run (a regression: the
  // Cancel button turned into the form's submit button within its own click). A short wait on the
  // local replay server, not on a live service.
  const afterCancel = env.replay.requests.length;
  await page.waitForTimeout(600);
  assert.equal(env.replay.requests.length, afterCancel);
  const urls = sent.map((r) => r.search);
  assert.equal(new Set(urls).size, urls.length, 'no query was sent twice');
  env.replay.release();
  assert.deepEqual(errors, []);
  await context.close();
});

test('an invalid name is explained in the cell and nothing is sent', async () => {
  const { context, page, errors } = await freshPage(env, { settings: dnsSettings() });
  const cell = await newDnsCell(page);
  const before = env.replay.requests.length;
  await ask(cell, { name: 'a..b' });
  const alert = cell.locator('.error[role="alert"]');
  await alert.waitFor();
  assert.match(await alert.innerText(), /"a\.\.b" is not a valid domain name.*Nothing was sent\./);
  await ask(cell, { name: 'example.com', countries: 'DE, XX' });
  await cell.locator('.error[role="alert"]', { hasText: /No client subnet is known for XX/ }).waitFor();
  assert.equal(env.replay.requests.length, before);
  assert.equal(await cell.locator('.dns-view').count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test('an RFC 8484 resolver from the settings is asked in wire format and its binary reply decoded', async () => {
  // The replay answers the wire query for www.ripe.net A with the abuf Google Public DNS (8.8.8.8)
  // gave RIPE Atlas probe 10080; dnspython decoded it independently.
  const expected = dnspython.find((d) => d.file === 'dns_latest_msm1421267.json' && d.index === 0);
  const address = expected.answers.find((a) => a.type === 'A').data;
  const { context, page, errors } = await freshPage(env, {
    settings: dnsSettings({ 'doh-endpoints': `Recorded 8.8.8.8 ${env.replay.origin}/dns-query` }),
  });
  const cell = await newDnsCell(page);
  await cell.getByLabel('Google (JSON API, with client subnet)').uncheck();
  await cell.getByLabel('Cloudflare (JSON API; does not forward client subnets)').uncheck();
  await cell.getByLabel('Recorded 8.8.8.8 (RFC 8484)').check();
  const before = env.replay.requests.length;
  await ask(cell, { name: 'www.ripe.net', vantages: 'none' });
  const matrix = cell.locator('section.answer-matrix');
  await matrix.waitFor();
  assert.deepEqual(await matrix.locator('.answer-sets .record').allInnerTexts(), [address]);
  assert.match(await matrix.locator('.verdict').innerText(), new RegExp(`^Only 1 vantage answered: 1 address \\(${address.replace(/\./g, '\\.')}\\)`));
  const wire = env.replay.requests.slice(before).filter((r) => r.path === '/dns-query');
  assert.equal(wire.length, 1);
  assert.equal(wire[0].headers.accept, 'application/dns-message');
  assert.match(wire[0].search, /^\?dns=[A-Za-z0-9_-]+$/, 'base64url without padding');
  await cell.locator('details.exchanges summary').click();
  assert.match(await cell.locator('details.exchanges').innerText(), /Recorded 8\.8\.8\.8\tA\t—\tHTTP 200, \d+ B binary/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('an Atlas DNS measurement shows the answer matrix per question, timeouts in their rows', async () => {
  const { context, page, errors } = await freshPage(env, { settings: dnsSettings() });
  await page.getByRole('button', { name: 'New', exact: true }).click();
  await addCell(page, '+ Atlas measurement');
  const cell = page.locator('article.cell[data-kind="Atlas measurement"]').last();
  await cell.locator('input[name="measurement"]').fill('1421267');
  await cell.getByRole('button', { name: /^Fetch/ }).click();
  const matrix = cell.locator('section.answer-matrix');
  await matrix.waitFor();
  // dnspython: three replies for www.ripe.net. A, each with the same address; the fixture's fourth
  // result is probe 10024's {"timeout": 5000}.
  const replies = dnspython.filter((d) => d.file === 'dns_latest_msm1421267.json');
  const { name, type } = replies[0].questions[0];
  const addresses = [...new Set(replies.flatMap((d) => d.answers.filter((a) => a.type === 'A').map((a) => a.data)))];
  assert.equal(await matrix.locator('h4.question').innerText(), `${name} ${type}`);
  assert.deepEqual(await matrix.locator('.answer-sets .record').allInnerTexts(), addresses);
  assert.equal(await matrix.locator('.answer-sets tbody td.num').first().innerText(), String(replies.length));
  const timeout = matrix.locator('tr.vantage.failed');
  assert.equal(await timeout.count(), 1);
  assert.match(await timeout.innerText(), /probe 10024 .*5000 ms/);
  assert.ok(await pixelCount(matrix, 0x0072b2) > 20, 'the probes are on the map in the answer set colour');
  // The response-time view stays below, for what it is.
  await cell.locator('.latency-view').waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test('with the browser offline, a DNS cell says what this browser could not reach, and nothing about the name', async () => {
  // Issue 12: this reported "No vantage got an answer (6 vantages asked)" with a world map of
  // failures, a false story about telegram.org.
  const { context, page, errors } = await freshPage(env, { settings: dnsSettings() });
  const cell = await newDnsCell(page);
  await context.setOffline(true);
  await ask(cell, { name: 'telegram.org' });
  const matrix = cell.locator('section.answer-matrix');
  await matrix.waitFor();
  assert.equal(await matrix.getAttribute('data-verdict'), 'unreachable');
  const verdict = await matrix.locator('.verdict').innerText();
  assert.match(verdict, /^Nothing learnt about telegram\.org: this browser could not reach Cloudflare \(1 of 1 query: no response .*\) or Google \(6 of 6 queries: no response .*\)\.$/);
  // The control query (example.com through the same resolver) failed too: the resolver is unreachable.
  assert.match(verdict, /Google \(6 of 6 queries: no response \([^)]*\); a control query for example\.com failed too: the resolver is unreachable from here\)/);
  assert.doesNotMatch(verdict, /No vantage got an answer/);
  assert.equal(await matrix.locator('.answer-sets tbody tr').count(), 0);
  assert.equal(await matrix.locator('.failures').count(), 0);
  // Every query is still listed, with what went wrong on the way.
  const rows = await rowTexts(cell);
  assert.ok(rows.length > 0);
  assert.ok(rows.every((row) => /resolver not reached/.test(row)), rows.join('\n'));
  await context.setOffline(false);
  assert.deepEqual(errors.filter((e) => !/ERR_INTERNET_DISCONNECTED|Failed to fetch/.test(e)), []);
  await context.close();
});

test('a hostile DNS snapshot in a link is inert and explained, never a crash', async () => {
  const hostile = '<img src=x onerror="window.__pwned=1">';
  const exchange = (outcome, extra = {}) => ({
    resolver: `<script>window.__pwned=2</script>`, protocol: 'google_json', rtype: 'A',
    url: 'javascript:window.__pwned=3', sent_at_unix_ms: 0, rt_ms: 1, outcome, ...extra,
  });
  const notebook = {
    title: 'hostile DNS',
    cells: [{ id: 1, body: { kind: 'dns', request: { name: hostile }, snapshot: {
      name: hostile, started_at_unix_ms: 0, planned_queries: 9, cancelled: true, exchanges: [
        exchange({ kind: 'response', status: 200, body: { encoding: 'text', text: JSON.stringify({ Status: 0, Answer: [{ name: 'x.', type: 1, TTL: 1, data: hostile }] }) } }),
        exchange({ kind: 'response', status: 200, body: { encoding: 'base64', base64: '***' } }),
        exchange({ kind: 'response', status: 200, body: { encoding: 'text', text: '<html>' } }),
        exchange({ kind: 'timed_out' }, { protocol: 'wire', subnet: { country: 'DE', subnet: '178.202.0.0/24', prb_id: 1, prefix_v4: 'x' } }),
        exchange({ kind: 'failed', reason: hostile }),
      ],
      origin_lookups: [{ call: 'network-info', resource: hostile, url: 'javascript:x', fetched_at_unix_ms: 0, outcome: { kind: 'response', status: 200, text: '{' } }],
    } } }],
  };
  const reader = await offlineReader(env);
  await reader.page.goto(`${env.web.origin}/#${fragmentFor(notebook)}`);
  const cell = reader.page.locator('article.cell[data-kind="DNS"]');
  await cell.locator('section.answer-matrix').waitFor();
  assert.equal(await reader.page.evaluate(() => window.__pwned), undefined);
  assert.equal(await reader.page.locator('main img, main script, main iframe').count(), 0);
  assert.equal(await cell.locator('a[href]').count(), 0);
  assert.equal(await cell.locator('.vantage-table tbody tr').count(), 5);
  assert.match(await cell.locator('.answer-matrix').innerText(), /damaged/);
  assert.match(await cell.locator('.dns-view .cancelled').innerText(), /Cancelled after 5 of 9 queries/);
  assert.match(await cell.locator('.origin-problems summary').innerText(), /1 RIPEstat lookups could not be used/);
  assert.deepEqual(reader.outside, []);
  assert.deepEqual(reader.errors, []);
  await reader.context.close();
});

test('running a fan-out again shows before and after per vantage: a resolver that was throttled and now answers', async () => {
  const cloudflare = readJson(path.join(dohFixturesDir, 'cloudflare-json_AAAA_example.com.json'));
  const { context, page, errors } = await freshPage(env, {
    settings: dnsSettings({ 'cloudflare-doh-base-url': `${env.replay.origin}/status/429` }),
  });
  const cell = await newDnsCell(page);
  // Cloudflare alone, for the name and type it was recorded for.
  await cell.locator('input[name="rtype"][value="A"]').uncheck();
  await cell.locator('input[name="rtype"][value="AAAA"]').check();
  await cell.locator('input[name="resolver"][value="Google"]').uncheck();
  await ask(cell, { name: 'example.com' });
  await cell.locator('section.answer-matrix').waitFor();
  assert.equal(await cell.locator('.comparison').count(), 0, 'one run: nothing to compare');
  // Not throttled any more: the replay serves the recording.
  const { saveSettings } = await import('../helpers.mjs');
  await saveSettings(page, { 'cloudflare-doh-base-url': env.replay.origin });
  await cell.getByRole('button', { name: /^Run/ }).click();
  const comparison = cell.locator('.comparison');
  await comparison.waitFor();
  const rows = await comparison.locator('tbody tr').allInnerTexts();
  assert.ok(rows.length >= 1);
  assert.equal(await comparison.locator('tbody tr.changed').count(), rows.length, rows.join('\n'));
  const address = cloudflare.Answer.find((a) => a.type === 28).data;
  for (const row of rows) {
    assert.match(row, /AAAA · Cloudflare/);
    assert.ok(row.includes(address), row);
  }
  assert.deepEqual(errors.filter((e) => !/status of 429/.test(e)), []);
  await context.close();
});
