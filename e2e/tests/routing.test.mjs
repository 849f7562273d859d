// End-to-end test of the routing-context cell against the replay server's recorded RIPEstat
// responses, served only for the resource each was recorded for (the /recorded/ prefix): AS3333
// (as-overview, announced-prefixes, routing-status; its asn-neighbours made to fail with a 500),
// AS12386 (asn-neighbours) and 140.78.0.0/16 (looking-glass). The prefix's communities send one batch
// of whois calls for their ASes' aut-num remarks (none recorded for those ASes: they fail, listed in one
// line, not as lookups). An invalid resource sends nothing; the shared link reopens offline with the
// same views. Expected values are read from the fixtures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ripestatFixturesDir } from '../servers.mjs';
import { useServers, freshPage, offlineReader, addCell } from '../helpers.mjs';

const env = useServers();

const fixture = (name) => JSON.parse(fs.readFileSync(path.join(ripestatFixturesDir, name), 'utf8')).data;
const asOverview = fixture('as-overview.json');
const announced = fixture('announced-prefixes.json');
const status = fixture('routing-status.json');
const neighbours = fixture('asn-neighbours.json');
const glass = fixture('looking-glass.TRIMMED.json');

// Neighbours of one side, strongest first (ties by AS number), as AS numbers.
const side = (type) => neighbours.neighbours.filter((n) => n.type === type)
  .sort((a, b) => b.power - a.power || a.asn - b.asn).map((n) => n.asn);
// Every route's communities as RIPEstat wrote them: standard, then large.
const recordedCommunities = glass.rrcs.flatMap((rrc) => rrc.peers.map((peer) => [
  ...peer.community.split(/\s+/).filter(Boolean),
  ...(peer.largeCommunity ?? '').split(/\s+/).filter(Boolean),
]));
const glassOrigin = Number(glass.rrcs[0].peers[0].as_path.trim().split(/\s+/).pop());
// The ASes whose aut-num remarks the cell reads: those of the communities, in the order the routes show
// them, that have registry entries (not private, documentation or reserved numbers), at most 10. None
// of the recorded communities is in the shipped dictionary (AS2914, AS3257, AS3356, 65535:…).
const hasRegistryEntry = (asn) => !(asn === 0 || asn === 23456 || (asn >= 64496 && asn <= 131071) || asn >= 4200000000);
const communityAses = [...new Set(recordedCommunities.flat().map((c) => Number(c.split(':')[0])))].filter(hasRegistryEntry);
const remarkAses = communityAses.slice(0, 10);

async function lookUp(page, resource) {
  await addCell(page, '+ Routing context');
  const cell = page.locator('article.cell[data-kind="Routing context"]').last();
  await cell.locator('input[name="routing-resource"]').fill(resource);
  await cell.getByRole('button', { name: /^Look up/ }).click();
  return cell;
}

const texts = (locator) => locator.evaluateAll((nodes) => nodes.map((n) => n.innerText.replace(/\s+/g, ' ').trim()));

test('an AS, its neighbours and a prefix\'s routes with decoded communities; a failing call shows in its row; the shared link reopens offline', async () => {
  const ripestat = `${env.replay.origin}/recorded`;
  const { context, page, errors } = await freshPage(env, { settings: { 'ripestat-base-url': ripestat } });
  await page.getByRole('button', { name: 'New', exact: true }).click();

  // Not a resource: the cell says what to type and sends nothing.
  const before = env.replay.requests.length;
  const invalid = await lookUp(page, 'example.com');
  assert.match(await invalid.locator('.error').innerText(), /"example\.com" is not an AS number, an IP address or a prefix.*Nothing was sent\./);
  assert.equal(env.replay.requests.length, before);
  await invalid.getByRole('button', { name: 'Delete cell' }).click();

  // AS3333 with asn-neighbours failing: the other three calls show, the failure is in its row.
  env.replay.ripestatFailures.set('asn-neighbours', 500);
  const as3333 = await lookUp(page, 'AS3333');
  const summary = as3333.locator('.routing-view .summary');
  await summary.waitFor();
  env.replay.ripestatFailures.clear();
  const v4 = status.visibility.v4;
  assert.ok((await summary.innerText()).startsWith(
    `AS3333 (${asOverview.holder}) announces ${announced.prefixes.length} prefixes; seen by ${v4.ris_peers_seeing} of ${v4.total_ris_peers} RIS peers (IPv4)`,
  ), await summary.innerText());
  assert.match(await summary.innerText(), /\(1 of 4 lookups failed\)$/);
  assert.equal(await as3333.locator('.as-context .holder').innerText(), asOverview.holder);
  assert.deepEqual(await as3333.locator('.prefixes li').allInnerTexts(), announced.prefixes.map((p) => p.prefix));
  assert.deepEqual(await texts(as3333.locator('tr.lookup')), [
    'as-overview AS3333 used', 'announced-prefixes AS3333 used', 'routing-status AS3333 used',
    'asn-neighbours AS3333 HTTP 500 from RIPEstat: the call failed; try again later',
  ]);
  assert.equal(await as3333.locator('tr.lookup.failed').getAttribute('data-call'), 'asn-neighbours');

  // AS12386: the recorded neighbours, upstreams and downstreams by power.
  const as12386 = await lookUp(page, '12386');
  await as12386.locator('table.neighbours').waitFor();
  const asns = (kind) => as12386.locator(`tr.neighbour.${kind}`).evaluateAll((rows) => rows.map((r) => Number(r.dataset.asn)));
  assert.deepEqual(await asns('upstream'), side('left'));
  assert.deepEqual(await asns('downstream'), side('right'));
  assert.match(await as12386.locator('.summary').innerText(), new RegExp(`upstreams: ${side('left').map((a) => `AS${a}`).join(', ')}; downstreams: ${side('right').map((a) => `AS${a}`).join(', ')}`));

  // 140.78.0.0/16: the recorded routes per collector, every community decoded by the dictionary.
  const prefix = await lookUp(page, '140.78.0.0/16');
  await prefix.locator('table.looking-glass').first().waitFor();
  assert.match(await prefix.locator('.summary').innerText(), new RegExp(`^140\\.78\\.0\\.0/16 is originated by AS${glassOrigin}; `));
  assert.deepEqual(await prefix.locator('table.looking-glass').evaluateAll((t) => t.map((x) => x.dataset.rrc)), glass.rrcs.map((r) => r.rrc));
  assert.deepEqual(await prefix.locator('td.as-path').allInnerTexts(), glass.rrcs.flatMap((r) => r.peers.map((p) => p.as_path)));
  const shown = await prefix.locator('tr.route').evaluateAll((rows) => rows.map((row) => [...row.querySelectorAll('li.community code')].map((c) => c.innerText)));
  assert.deepEqual(shown, recordedCommunities);
  for (const meaning of await prefix.locator('li.community:not(.known) .meaning').allInnerTexts()) {
    assert.match(meaning, /meaning not in the dictionary|private-use AS number/);
  }
  // Their ASes' aut-num remarks were asked, none recorded: one line says so, and no meaning changed.
  assert.equal(await prefix.locator('.remarks-note').innerText(),
    `Aut-num remarks not read for ${remarkAses.map((a) => `AS${a}`).join(', ')} (HTTP 404 from RIPEstat: the call failed; try again later); `
    + `not asked for ${communityAses.slice(10).map((a) => `AS${a}`).join(', ')} (at most 10 ASes per look-up).`);
  assert.equal(await prefix.locator('code.remark').count(), 0);
  // Its origin's holder and neighbours were asked (and are not recorded), each in its row.
  assert.deepEqual(await prefix.locator('tr.lookup').evaluateAll((rows) => rows.map((r) => `${r.dataset.call} ${r.cells[1].innerText}`)), [
    'prefix-overview 140.78.0.0/16', 'routing-status 140.78.0.0/16', 'looking-glass 140.78.0.0/16',
    `as-overview AS${glassOrigin}`, `asn-neighbours AS${glassOrigin}`,
  ]);

  // Only GETs to the configured RIPEstat, with the resources as the core wrote them.
  const asked = env.replay.requests.slice(before);
  assert.ok(asked.every((r) => r.method === 'GET' && r.path.startsWith('/recorded/data/')), asked.map((r) => r.path).join('\n'));
  assert.equal(asked.length, 4 + 4 + 5 + remarkAses.length);
  assert.deepEqual(asked.filter((r) => r.path === '/recorded/data/whois/data.json').map((r) => new URLSearchParams(r.search).get('resource')),
    remarkAses.map((a) => `AS${a}`));
  assert.ok(asked.every((r) => new URLSearchParams(r.search).get('sourceapp') === 'vantage'));

  // Share, and reopen with every request blocked: the same three views.
  const summaries = await texts(page.locator('.routing-view .summary'));
  const lookups = await texts(page.locator('tr.lookup'));
  const routes = await texts(page.locator('tr.route'));
  const remarksNote = await texts(page.locator('.remarks-note'));
  await page.getByRole('button', { name: 'Share' }).click();
  const link = await page.locator('textarea.share-link').inputValue();
  // Chromium logs each HTTP error it loads: the 500 asked for and the unrecorded 404s.
  assert.deepEqual(errors.filter((e) => !/status of (404|500)/.test(e)), []);
  await context.close();

  const requestsBefore = env.replay.requests.length;
  const reader = await offlineReader(env);
  await reader.page.goto(link);
  await reader.page.locator('.routing-view .summary').nth(2).waitFor();
  assert.deepEqual(await texts(reader.page.locator('.routing-view .summary')), summaries);
  assert.deepEqual(await texts(reader.page.locator('tr.lookup')), lookups);
  assert.deepEqual(await texts(reader.page.locator('tr.route')), routes);
  assert.deepEqual(await texts(reader.page.locator('.remarks-note')), remarksNote);
  assert.deepEqual(reader.outside, []);
  assert.equal(env.replay.requests.length, requestsBefore, 'opening the link asked RIPEstat nothing');
  assert.deepEqual(reader.errors, []);
  await reader.context.close();
});
