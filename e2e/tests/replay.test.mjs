// Self-test of the replay server's measurement-creation services (no browser): Globalping creation
// and polling, its forced failures and CORS; RIPE Atlas creation with and without the key, its
// preflight switch and the Ongoing → Stopped metadata; and the request log's secret check.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  startReplay, requestsCarrying, ATLAS_TEST_KEY, globalpingFixturesDir, fixturesDir, globalpingErrorExamples,
} from '../servers.mjs';

const PAGE = 'http://127.0.0.1:1'; // the Origin a page would send
let replay;
before(async () => { replay = await startReplay(); });
after(async () => { await replay?.close(); });

const recordedGlobalping = (file) => JSON.parse(fs.readFileSync(path.join(globalpingFixturesDir, file), 'utf8'));
const recordedAtlas = (file) => JSON.parse(fs.readFileSync(path.join(fixturesDir, file), 'utf8'));
const errors = globalpingErrorExamples();

function globalping(route, { method = 'GET', body, headers = {} } = {}) {
  return fetch(`${replay.origin}/v1${route}`, {
    method,
    headers: { Origin: PAGE, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
}

function atlasCreate(body, headers = {}) {
  return fetch(`${replay.origin}/api/v2/measurements/`, {
    method: 'POST',
    headers: { Origin: PAGE, 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

const key = (k = ATLAS_TEST_KEY) => ({ Authorization: `Key ${k}` });
const pingDefinition = { type: 'ping', af: 4, target: 'ripe.net', description: 'Vantage check' };
const probes = [{ type: 'area', value: 'WW', requested: 5 }];

test('Globalping ping: created (202, Location, rate-limit headers), in progress once, then the recording', async () => {
  const recording = recordedGlobalping('get-ping-measurement-response.json');
  const created = await globalping('/measurements', { method: 'POST', body: { type: 'ping', target: 'cdn.jsdelivr.net', measurementOptions: { packets: 2 } } });
  assert.equal(created.status, 202);
  assert.deepEqual(await created.json(), { id: recording.id, probesCount: recording.results.length });
  assert.equal(created.headers.get('location'), `${replay.origin}/v1/measurements/${recording.id}`);
  assert.equal(created.headers.get('access-control-allow-origin'), '*');
  assert.match(created.headers.get('access-control-expose-headers'), /\bLocation\b.*\bX-RateLimit-Remaining\b/);
  assert.equal(created.headers.get('x-ratelimit-limit'), '250');
  const consumed = Number(created.headers.get('x-ratelimit-consumed'));
  assert.ok(consumed >= 1);
  assert.equal(Number(created.headers.get('x-ratelimit-remaining')), 250 - consumed);
  assert.ok(Number(created.headers.get('x-ratelimit-reset')) > 0);

  const first = await globalping(`/measurements/${recording.id}`);
  assert.equal(first.status, 200);
  const running = await first.json();
  assert.equal(running.status, 'in-progress');
  assert.equal(running.id, recording.id);
  assert.deepEqual(running.results.map((r) => r.result), [{ status: 'in-progress', rawOutput: '' }]);
  assert.deepEqual(running.results[0].probe, recording.results[0].probe);

  const second = await globalping(`/measurements/${recording.id}`);
  assert.deepEqual(await second.json(), recording);

  // ETag / If-None-Match: the finished measurement does not change any more.
  const etag = second.headers.get('etag');
  assert.match(etag, /^W\/"/);
  const again = await globalping(`/measurements/${recording.id}`, { headers: { 'If-None-Match': etag } });
  assert.equal(again.status, 304);
  assert.equal(again.headers.get('etag'), etag);
  assert.equal(again.headers.get('access-control-allow-origin'), '*');
  assert.notEqual(first.headers.get('etag'), etag, 'the in-progress form has its own ETag');
});

test('Globalping http with globalpingInProgressPolls = 2: two in-progress reads, then finished', async () => {
  replay.globalpingInProgressPolls = 2;
  try {
    const recording = recordedGlobalping('get-http-measurement-response.json');
    const created = await globalping('/measurements', { method: 'POST', body: { type: 'http', target: 'cdn.jsdelivr.net', measurementOptions: { request: { method: 'GET', path: '/npm/jquery' } } } });
    assert.equal(created.status, 202);
    const { id } = await created.json();
    assert.equal(id, recording.id);
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await (await globalping(`/measurements/${id}`)).json()).status);
    assert.deepEqual(statuses, ['in-progress', 'in-progress', 'finished']);
    assert.deepEqual(await (await globalping(`/measurements/${id}`)).json(), recording);
  } finally {
    replay.globalpingInProgressPolls = 1;
  }
});

test('Globalping picks the recording by type, dns trace included', async () => {
  const cases = [
    [{ type: 'traceroute' }, 'get-traceroute-measurement-response.json'],
    [{ type: 'mtr' }, 'get-mtr-measurement-response.json'],
    [{ type: 'dns' }, 'get-simple-dns-measurement-response.json'],
    [{ type: 'dns', measurementOptions: { trace: true } }, 'get-trace-dns-measurement-response.json'],
  ];
  for (const [request, file] of cases) {
    const created = await globalping('/measurements', { method: 'POST', body: { target: 'example.com', ...request } });
    assert.equal(created.status, 202, file);
    assert.equal((await created.json()).id, recordedGlobalping(file).id, file);
  }
});

test('Globalping validation: missing target, unknown type or bad JSON → 400 with the recorded body', async () => {
  for (const body of [{ type: 'ping' }, { type: 'whois', target: 'example.com' }, '{"type": ']) {
    const answer = await globalping('/measurements', { method: 'POST', body });
    assert.equal(answer.status, 400);
    assert.deepEqual(await answer.json(), errors['400:json']);
  }
});

test('Globalping unknown id → 404 with the recorded body', async () => {
  const answer = await globalping('/measurements/doesNotExist123');
  assert.equal(answer.status, 404);
  assert.deepEqual(await answer.json(), errors['404:json']);
  assert.equal(answer.headers.get('access-control-allow-origin'), '*');
});

test('globalpingFailures: a named 429 example with Retry-After, a bare status, and clearing', async () => {
  replay.globalpingFailures.set('create', 'measurements429:rateLimitExceeded');
  const limited = await globalping('/measurements', { method: 'POST', body: { type: 'ping', target: 'example.com' } });
  assert.equal(limited.status, 429);
  assert.deepEqual(await limited.json(), errors['measurements429:rateLimitExceeded']);
  assert.match(limited.headers.get('retry-after'), /^\d+$/);
  assert.match(limited.headers.get('access-control-expose-headers'), /\bRetry-After\b/);

  replay.globalpingRetryAfter = 7;
  assert.equal((await globalping('/measurements', { method: 'POST', body: { type: 'ping', target: 'example.com' } })).headers.get('retry-after'), '7');
  replay.globalpingRetryAfter = null;
  replay.globalpingFailures.clear();

  // A bare 429 on polling answers the polling example, whose message says 4 seconds.
  replay.globalpingFailures.set('get', 429);
  const polled = await globalping('/measurements/nzGzfAGL7sZfUs3c');
  assert.equal(polled.status, 429);
  assert.deepEqual(await polled.json(), errors['measurement429:json']);
  assert.equal(polled.headers.get('retry-after'), '4');
  replay.globalpingFailures.set('limits', 503);
  const limits = await globalping('/limits');
  assert.equal(limits.status, 503);
  replay.globalpingFailures.clear();
  assert.equal((await globalping('/measurements/nzGzfAGL7sZfUs3c')).status, 200);
});

test('Globalping limits (anonymous vs Bearer), probes, and CORS preflight', async () => {
  assert.deepEqual(await (await globalping('/limits')).json(), recordedGlobalping('non-authenticated-limits.json'));
  assert.deepEqual(await (await globalping('/limits', { headers: { Authorization: 'Bearer test-token' } })).json(), recordedGlobalping('authenticated-limits.json'));
  assert.deepEqual(await (await globalping('/probes')).json(), recordedGlobalping('probes.json'));

  const preflight = await globalping('/measurements', {
    method: 'OPTIONS',
    headers: { 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,content-type' },
  });
  assert.equal(preflight.status, 204);
  assert.equal(preflight.headers.get('access-control-allow-origin'), '*');
  assert.match(preflight.headers.get('access-control-allow-headers'), /Authorization/);
  assert.match(preflight.headers.get('access-control-allow-headers'), /Content-Type/);
  const pollPreflight = await globalping('/measurements/nzGzfAGL7sZfUs3c', { method: 'OPTIONS', headers: { 'Access-Control-Request-Method': 'GET' } });
  assert.equal(pollPreflight.status, 204);
  assert.equal(pollPreflight.headers.get('access-control-allow-origin'), '*');
});

test('Atlas creation: no key → 401, wrong key → 403, right key → 201 with a recorded id', async () => {
  const body = { definitions: [pingDefinition], probes, is_oneoff: true };
  const none = await atlasCreate(body);
  assert.equal(none.status, 401);
  const noneBody = await none.json();
  assert.equal(noneBody.error.status, 401);
  assert.equal(noneBody.error.detail, 'Authentication credentials were not provided.');
  assert.deepEqual(noneBody.error.errors, []);

  const wrong = await atlasCreate(body, key('00000000-0000-4000-8000-000000000000'));
  assert.equal(wrong.status, 403);
  assert.equal((await wrong.json()).error.detail, 'The provided API key does not exist');

  const right = await atlasCreate(body, key());
  assert.equal(right.status, 201);
  assert.deepEqual(await right.json(), { measurements: [3359986] });
  assert.equal(right.headers.get('access-control-allow-origin'), PAGE);

  const two = await atlasCreate({ definitions: [{ ...pingDefinition, type: 'traceroute' }, { ...pingDefinition, type: 'dns', query_argument: 'ripe.net', query_type: 'A', query_class: 'IN' }], probes }, key());
  assert.deepEqual(await two.json(), { measurements: [1033154, 1421267] });

  // The created measurement's results come through the existing routes.
  const results = await fetch(`${replay.origin}/api/v2/measurements/3359986/results/?format=json`);
  assert.equal(results.status, 200);
  assert.deepEqual(await results.json(), recordedAtlas('ping_latest_msm3359986.json'));
});

test('Atlas creation: an invalid body → 400 in the recorded shape with JSON pointers', async () => {
  const recordedShape = recordedAtlas('error_400_docs_error-messages.json');
  const { af, ...noAf } = pingDefinition;
  const missingAf = await atlasCreate({ definitions: [noAf], probes }, key());
  assert.equal(missingAf.status, 400);
  const body = await missingAf.json();
  assert.deepEqual(body, recordedShape, 'the missing af is exactly the documented example');

  const many = await (await atlasCreate({ definitions: [{ type: 'ping', af: 4 }], probes: [] }, key())).json();
  assert.deepEqual(many.error.errors.map((e) => e.source.pointer), ['/definitions/0/target', '/definitions/0/description', '/probes']);
  const noRequested = await (await atlasCreate({ definitions: [pingDefinition], probes: [{ type: 'area', value: 'WW' }] }, key())).json();
  assert.deepEqual(noRequested.error.errors, [{ source: { pointer: '/probes/0/requested' }, detail: 'This field is required.' }]);
  const unknownType = await (await atlasCreate({ definitions: [{ ...pingDefinition, type: 'whois' }], probes }, key())).json();
  assert.deepEqual(unknownType.error.errors.map((e) => e.source.pointer), ['/definitions/0/type']);
  const notJson = await atlasCreate('{"definitions": [', key());
  assert.equal(notJson.status, 400);
  assert.equal((await notJson.json()).error.errors[0].source.pointer, '');
});

test('Atlas creation preflight: allow echoes the origin, refuse is a 403 without CORS headers', async () => {
  const preflight = () => fetch(`${replay.origin}/api/v2/measurements/`, {
    method: 'OPTIONS',
    headers: { Origin: PAGE, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,content-type' },
  });
  const allowed = await preflight();
  assert.equal(allowed.status, 204);
  assert.equal(allowed.headers.get('access-control-allow-origin'), PAGE);
  assert.match(allowed.headers.get('access-control-allow-headers'), /Authorization/);
  assert.match(allowed.headers.get('access-control-allow-headers'), /Content-Type/);
  assert.match(allowed.headers.get('access-control-allow-methods'), /POST/);

  replay.atlasCreateCors = 'refuse';
  try {
    const refused = await preflight();
    assert.equal(refused.status, 403);
    for (const name of refused.headers.keys()) assert.ok(!name.startsWith('access-control-'), name);
    const post = await atlasCreate({ definitions: [pingDefinition], probes }, key());
    assert.equal(post.headers.get('access-control-allow-origin'), null);
  } finally {
    replay.atlasCreateCors = 'allow';
  }

  // The existing GET routes keep their CORS.
  const get = await fetch(`${replay.origin}/api/v2/measurements/1033154/latest/?format=json`, { headers: { Origin: PAGE } });
  assert.equal(get.status, 200);
  assert.equal(get.headers.get('access-control-allow-origin'), '*');
  const getPreflight = await fetch(`${replay.origin}/api/v2/probes/?id__in=1`, { method: 'OPTIONS', headers: { Origin: PAGE, 'Access-Control-Request-Method': 'GET' } });
  assert.equal(getPreflight.status, 204);
  assert.equal(getPreflight.headers.get('access-control-allow-headers'), '*');
});

test('Atlas metadata of a created measurement: Ongoing for atlasCreatedOngoingPolls reads, then the recording', async () => {
  const meta = (id) => fetch(`${replay.origin}/api/v2/measurements/${id}/?format=json`);
  const recorded = recordedAtlas('measurement_meta_v1_msm1421267.json');
  replay.atlasCreatedOngoingPolls = 2;
  try {
    const created = await atlasCreate({ definitions: [{ ...pingDefinition, type: 'dns' }], probes }, key());
    assert.deepEqual(await created.json(), { measurements: [1421267] });
    const first = await (await meta(1421267)).json();
    assert.deepEqual(first, { ...recorded, status: { id: 2, name: 'Ongoing' } });
    assert.deepEqual((await (await meta(1421267)).json()).status, { id: 2, name: 'Ongoing' });
    assert.deepEqual(await (await meta(1421267)).json(), recorded);
  } finally {
    replay.atlasCreatedOngoingPolls = 1;
  }
  // Not created through POST: not served, as before.
  assert.equal((await meta(3082698)).status, 404);
});

test('the request log records URL, host, headers and bodies; requestsCarrying finds the key', async () => {
  const carriers = requestsCarrying(replay, ATLAS_TEST_KEY);
  assert.ok(carriers.length > 0);
  for (const request of carriers) {
    assert.equal(request.method, 'POST');
    assert.equal(request.path, '/api/v2/measurements/');
    assert.equal(request.service, 'atlas');
    assert.equal(request.headers.authorization, `Key ${ATLAS_TEST_KEY}`);
    assert.ok(!request.url.includes(ATLAS_TEST_KEY));
  }
  const post = carriers.at(-1);
  assert.equal(post.url, `${replay.origin}/api/v2/measurements/`);
  assert.equal(post.origin, replay.origin);
  assert.equal(post.host, new URL(replay.origin).host);
  assert.equal(post.headers.origin, PAGE);
  assert.equal(typeof post.body, 'string');
  assert.ok(JSON.parse(post.body).definitions);
  assert.ok(replay.requests.some((r) => r.service === 'globalping' && r.method === 'POST' && JSON.parse(r.body).type === 'http'));
  assert.equal(replay.requests.find((r) => r.method === 'GET').body, null);

  // A leak anywhere is found: in a URL (percent-encoded too), in another header, in a body.
  const before = replay.requests.length;
  await fetch(`${replay.origin}/data/network-info/data.json?resource=1.1.1.1&key=${encodeURIComponent(ATLAS_TEST_KEY.toUpperCase())}`);
  await fetch(`${replay.origin}/v1/limits`, { headers: { 'X-Atlas-Key': ATLAS_TEST_KEY } });
  await fetch(`${replay.origin}/v1/measurements`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ type: 'ping', target: ATLAS_TEST_KEY }) });
  const leaks = requestsCarrying(replay, ATLAS_TEST_KEY).filter((r) => replay.requests.indexOf(r) >= before);
  assert.deepEqual(leaks.map((r) => r.service), ['ripestat', 'globalping', 'globalping']);
});
