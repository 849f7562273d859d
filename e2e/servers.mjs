// Local servers for the end-to-end tests, on 127.0.0.1 only:
// - a static server for the release build in ../dist (correct MIME types, application/wasm included);
// - a replay server that answers with the recorded real responses in ../tests/fixtures/ (origins in
//   tests/fixtures/SOURCES.md) and logs every request, so tests can check what the app asked for and
//   that a shared report asks for nothing. It stands in for five services at once:
//   - the RIPE Atlas API (/api/v2/…), from fixtures/atlas/: results (/measurements/<id>/results/ and
//     /latest/) and probe pages (/probes/?id__in=) for the recorded measurements, and measurement
//     creation (POST /api/v2/measurements/, see "RIPE Atlas measurement creation" below): a test key
//     (`ATLAS_TEST_KEY`, or startReplay({ atlasKey })) sent as `Authorization: Key <uuid>` creates
//     one of the recorded measurements, whose metadata (/measurements/<id>/) is then Ongoing for
//     `atlasCreatedOngoingPolls` reads and Stopped after; `atlasCreateCors` ('allow' | 'refuse')
//     decides whether the browser's preflight for that POST succeeds;
//   - the Google and Cloudflare DoH JSON APIs (/resolve, /dns-query?name=), from fixtures/doh/: the
//     recorded response for the asked name and type, exactly as recorded, whatever client subnet was
//     sent (so an edns_client_subnet echo appears only where the recording has one);
//   - an RFC 8484 resolver (/dns-query?dns=): for the question in the wire query, a recorded Atlas
//     `abuf` (the binary reply a probe's resolver gave, fixtures/atlas/dns_latest_*.json);
//   - the RIPEstat Data API (/data/<call>/data.json), from fixtures/ripestat/: for the DNS cell's
//     origins (network-info, prefix-overview) the one recorded response of each call, whatever the
//     resource (so origins in the tests are the fixtures', not those of the real addresses); for the
//     routing calls (as-overview, announced-prefixes, routing-status, asn-neighbours, looking-glass)
//     and reverse DNS (reverse-dns-ip: a name is a claim about one address) the recording only for
//     the resource it was recorded for, "not recorded" (404) otherwise; whois about AS60614 or AS8283
//     answers the reply built around their real aut-num text (GENERATED-FROM-REAL), about any other
//     AS "not recorded".
//     `ripestatFailures` (call → HTTP status) makes one call fail on purpose;
//   - the Globalping API (/v1/measurements, /v1/measurements/<id>, /v1/limits, /v1/probes), from
//     fixtures/globalping/ (the API's own OpenAPI examples): a POST answers 202 with the id of the
//     recorded measurement of the asked type, whose GET is in progress for
//     `globalpingInProgressPolls` reads and finished after; `globalpingFailures` (route → status or
//     named error example) makes a route fail on purpose. See "Globalping" below.
//   Every request is logged in `requests` with method, full URL, host, service, all headers
//   (Authorization included) and body, and `requestsCarrying(server, secret)` lists the requests that
//   carry a secret anywhere, so a test can check where the app sent the user's Atlas key.
//   Two path prefixes change the behaviour of whatever follows them: /status/<code>/… answers every
//   request with that HTTP status (a throttled or broken resolver), and /held/… keeps requests
//   waiting until the test releases them (to cancel a run half-way, deterministically), and
//   /recorded/… answers every RIPEstat call only for the resource its recording was made for.
import http from 'node:http';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const distDir = path.join(here, '..', 'dist');
export const fixturesDir = path.join(here, '..', 'tests', 'fixtures', 'atlas');
export const dohFixturesDir = path.join(here, '..', 'tests', 'fixtures', 'doh');
export const ripestatFixturesDir = path.join(here, '..', 'tests', 'fixtures', 'ripestat');
export const globalpingFixturesDir = path.join(here, '..', 'tests', 'fixtures', 'globalping');

const mime = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm',
  '.css': 'text/css', '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png',
};

function listen(server) {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

export async function startStatic(root = distDir) {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    let file = path.normalize(path.join(root, decodeURIComponent(url.pathname)));
    if (!file.startsWith(root)) { res.writeHead(403).end(); return; }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    if (!fs.existsSync(file)) { res.writeHead(404).end('not found'); return; }
    res.writeHead(200, { 'Content-Type': mime[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  await listen(server);
  const origin = `http://127.0.0.1:${server.address().port}`;
  return { origin, close: () => new Promise((r) => server.close(r)) };
}

// Recorded results per measurement (the /latest/ downloads, which is also what /results/ returns for
// these one-off measurements), and the recorded probe pages for each measurement's probes.
const measurements = {
  3359986: { results: 'ping_latest_msm3359986.json', probes: 'probes_page_msm3359986.json' },
  1033154: { results: 'traceroute_latest_msm1033154.json', probes: 'probes_page_msm1033154.json' },
  3082698: { results: 'traceroute_latest_msm3082698.json', probes: 'probes_page_msm3082698.json' },
  1421267: { results: 'dns_latest_msm1421267.json', probes: 'probes_page_msm1421267.json' },
  1071935: { results: 'dns_latest_msm1071935.json', probes: 'probes_page_msm1071935.json' },
};

// The DNS type mnemonics the app sends (IANA registry numbers), for matching recorded questions.
const RECORD_TYPES = { A: 1, NS: 2, CNAME: 5, SOA: 6, PTR: 12, MX: 15, TXT: 16, AAAA: 28, SRV: 33, DS: 43, DNSKEY: 48, HTTPS: 65, ANY: 255, CAA: 257 };

function dnsKey(name, type) {
  const number = /^\d+$/.test(String(type)) ? Number(type) : RECORD_TYPES[String(type).toUpperCase()];
  return `${String(name).toLowerCase().replace(/\.$/, '')}|${number}`;
}

// The recorded DoH responses by service ("google-json", "cloudflare-json", the file-name prefix) and
// question (the recording's own Question section).
export function dohRecordings() {
  const index = {};
  for (const file of fs.readdirSync(dohFixturesDir).filter((f) => f.endsWith('.json'))) {
    const service = file.split('_')[0];
    const text = fs.readFileSync(path.join(dohFixturesDir, file), 'utf8');
    const { name, type } = JSON.parse(text).Question[0];
    (index[service] ??= {})[dnsKey(name, type)] = { file, text };
  }
  return index;
}

// The resource a RIPEstat recording answers ("AS3333" for the calls on an AS), or null when the
// recording does not say what was asked (network-info names none; a prefix-overview aligned to a
// less specific prefix was asked about another one).
const AS_CALLS = new Set(['as-overview', 'announced-prefixes', 'asn-neighbours']);
// Calls answered only for the resource they were recorded for.
const ROUTING_CALLS = new Set([...AS_CALLS, 'routing-status', 'looking-glass', 'reverse-dns-ip']);
export function ripestatRecording(call) {
  const file = path.join(ripestatFixturesDir, call === 'looking-glass' ? 'looking-glass.TRIMMED.json' : `${call}.json`);
  if (!fs.existsSync(file)) return null;
  const text = fs.readFileSync(file, 'utf8');
  const { data } = JSON.parse(text);
  if (data.is_less_specific) return { text, resource: null };
  const resource = data.resource ?? data.parameters?.resource ?? null;
  // routing-status names an AS resource as a bare number too; the only one recorded is AS3333's.
  const onAs = AS_CALLS.has(call) || (call === 'routing-status' && /^\d+$/.test(String(resource)));
  return { text, resource: resource === null ? null : onAs ? `AS${resource}` : String(resource) };
}

// The RIPEstat answer to one request: `strict` (the /recorded/ prefix, and always for the routing
// calls) serves a recording only for its own resource.
function ripestatAnswer(call, asked, strict, failures, send) {
  if (failures.has(call)) return send(failures.get(call), http.STATUS_CODES[failures.get(call)] ?? 'error', 'text/plain');
  // whois about an AS: the reply built around that AS's real aut-num text, when there is one
  // (whois-AS<n>.GENERATED-FROM-REAL.json); "not recorded" for the other ASes, below.
  if (call === 'whois' && /^AS\d+$/i.test(asked)) {
    const file = path.join(ripestatFixturesDir, `whois-AS${asked.slice(2)}.GENERATED-FROM-REAL.json`);
    if (fs.existsSync(file)) return send(200, fs.readFileSync(file, 'utf8'));
  }
  const recording = ripestatRecording(call);
  if (!recording) return send(404, 'not recorded', 'text/plain');
  const wanted = AS_CALLS.has(call) || /^as\d+$/i.test(asked) ? `AS${asked.replace(/^as/i, '')}` : asked;
  if ((strict || ROUTING_CALLS.has(call)) && recording.resource !== wanted) return send(404, 'not recorded', 'text/plain');
  return send(200, recording.text);
}

function readFixture(name) {
  return fs.readFileSync(path.join(fixturesDir, name), 'utf8');
}

// The recorded probe page whose probes are exactly the requested IDs: each page was recorded as the
// answer to `id__in=` with those IDs.
function probePageFor(ids) {
  const wanted = [...new Set(ids)].sort((a, b) => a - b).join(',');
  for (const { probes } of Object.values(measurements)) {
    const page = JSON.parse(readFixture(probes));
    const have = page.results.map((p) => p.id).sort((a, b) => a - b).join(',');
    if (have === wanted) return JSON.stringify(page);
  }
  return null;
}

// Error bodies in the documented Atlas error shape (API-NOTES §1.3). The 400 body is the recorded
// documentation example; 404/429/500 use the same documented shape with the matching status.
function atlasError(status, title, detail) {
  return JSON.stringify({ error: { status, code: 0, title, detail, errors: [] } });
}

// The question (name without the final dot, lower-case, and type number) of a DNS message in wire
// format (RFC 1035 §4.1): the 12-byte header, then QNAME as length-prefixed labels, then QTYPE.
// Questions are never compressed, so no pointers are followed; null for anything else.
function wireQuestion(message) {
  if (message.length < 12 || message.readUInt16BE(4) < 1) return null;
  const labels = [];
  let at = 12;
  while (at < message.length && message[at] !== 0) {
    const length = message[at];
    if (length > 63 || at + 1 + length > message.length) return null;
    labels.push(message.subarray(at + 1, at + 1 + length).toString('latin1'));
    at += 1 + length;
  }
  if (at + 3 > message.length) return null;
  return dnsKey(labels.join('.'), message.readUInt16BE(at + 1));
}

// Recorded wire-format replies: the `abuf` of every Atlas DNS result in fixtures/atlas/dns_latest_*,
// by question, with the resolver the probe asked (the first recording of each question wins).
export function wireRecordings() {
  const index = {};
  for (const file of fs.readdirSync(fixturesDir).filter((f) => /^dns_latest_.*\.json$/.test(f))) {
    for (const result of JSON.parse(readFixture(file))) {
      const responses = result.resultset ?? [{ ...result }];
      for (const response of responses) {
        const abuf = response.result?.abuf;
        if (!abuf) continue;
        const reply = Buffer.from(abuf, 'base64');
        const key = wireQuestion(reply);
        if (key && !index[key]) index[key] = { file, prb_id: result.prb_id, resolver: response.dst_addr ?? result.dst_addr, reply };
      }
    }
  }
  return index;
}

// ---------------------------------------------------------------------------------------------
// RIPE Atlas measurement creation (API-NOTES §1.2, §1.3, §1.7, §1.8).
//
// No creation was ever captured, so apart from the 400 shape every body here is CONSTRUCTED in the
// documented error shape of §1.3:
// - 401 (no credentials; §1.2: since 2023-10 "no credentials → 401") detail "Authentication
//   credentials were not provided." — constructed;
// - 403 (a key the server does not know) detail "The provided API key does not exist" — constructed,
//   with the wording the project's issue reports the API answering (not a capture);
// - 400 (invalid body): shaped exactly like the RECORDED documentation example
//   fixtures/atlas/error_400_docs_error-messages.json (status, errors[] with source.pointer into the
//   POST body, code 102, detail "There were problems with your request", title), with the pointers
//   and details of this request — constructed in that shape;
// - 201 `{"measurements": [<id>, …]}` (one id per definition, §1.7) — constructed in the documented
//   shape; the ids are recorded measurements this server already serves (results, probes), chosen by
//   definition type, so the app can fetch what it "created".
// Only the header counts: a `?key=` in the URL (old style, being retired, §1.2) is not accepted here,
// deliberately, so an app that sends the key in a URL fails visibly (and requestsCarrying shows it).

// A fixed UUID the replay server accepts as an Atlas API key (startReplay({ atlasKey }) or the
// returned object's `atlasKey` changes it).
export const ATLAS_TEST_KEY = '8f0c2a54-3b1e-4c2d-9a77-0e5d1b6f4c21';

// The recorded measurement a created definition becomes, by type.
export const ATLAS_CREATED_IDS = { ping: 3359986, traceroute: 1033154, dns: 1421267 };
// Definition types the real API knows but this server has no recording to stand in for.
const ATLAS_UNRECORDED_TYPES = new Set(['http', 'sslcert', 'ntp']);

// The problems of one creation request, as `errors[]` items ({source: {pointer}, detail}).
function atlasCreateProblems(request) {
  const problems = [];
  const problem = (pointer, detail) => problems.push({ source: { pointer }, detail });
  const missing = (value) => value === undefined || value === null || value === '';
  if (request === null || typeof request !== 'object' || Array.isArray(request)) {
    problem('', 'Invalid data. Expected a dictionary.');
    return problems;
  }
  const { definitions, probes } = request;
  if (!Array.isArray(definitions) || definitions.length === 0) problem('/definitions', 'This field is required.');
  else {
    definitions.forEach((definition, i) => {
      if (definition === null || typeof definition !== 'object') { problem(`/definitions/${i}`, 'Invalid data. Expected a dictionary.'); return; }
      for (const field of ['type', 'af', 'target', 'description']) {
        if (missing(definition[field])) problem(`/definitions/${i}/${field}`, 'This field is required.');
      }
      const { type, af } = definition;
      if (!missing(type) && !Object.hasOwn(ATLAS_CREATED_IDS, type)) {
        problem(`/definitions/${i}/type`, ATLAS_UNRECORDED_TYPES.has(type)
          ? `The replay server has no recorded "${type}" measurement to create.`
          : `"${type}" is not a valid choice.`);
      }
      if (!missing(af) && af !== 4 && af !== 6) problem(`/definitions/${i}/af`, `"${af}" is not a valid choice.`);
    });
  }
  if (!Array.isArray(probes) || probes.length === 0) problem('/probes', 'This field is required.');
  else {
    probes.forEach((selector, j) => {
      if (selector === null || typeof selector !== 'object') { problem(`/probes/${j}`, 'Invalid data. Expected a dictionary.'); return; }
      for (const field of ['type', 'value', 'requested']) {
        if (missing(selector[field])) problem(`/probes/${j}/${field}`, 'This field is required.');
      }
      if (!missing(selector.requested) && !(Number.isInteger(selector.requested) && selector.requested > 0)) {
        problem(`/probes/${j}/requested`, 'A valid integer is required.');
      }
    });
  }
  return problems;
}

// A 400 body in the shape of the recorded fixtures/atlas/error_400_docs_error-messages.json.
function atlasBadRequest(errors) {
  return JSON.stringify({ error: { status: 400, errors, code: 102, detail: 'There were problems with your request', title: 'Bad Request' } });
}

// CORS headers of the creation route's answers under the `atlasCreateCors` switch: 'allow' echoes
// the page's origin; 'refuse' sends none, as a server that does not serve other origins would.
function atlasCreateCorsHeaders(req, switches) {
  if (switches.atlasCreateCors !== 'allow') return {};
  return { 'Access-Control-Allow-Origin': req.headers.origin ?? '*', Vary: 'Origin' };
}

// The preflight of POST /api/v2/measurements/. 'allow': 204 allowing Authorization and
// Content-Type on POST from the asking origin. Max-Age 0 so the browser does not cache it, and
// switching to 'refuse' takes effect on the next request. 'refuse': 403 without any CORS header,
// so the browser's fetch fails (a TypeError, the response unreadable) as a real refusal would.
function atlasCreatePreflight(req, switches, reply) {
  if (switches.atlasCreateCors === 'allow') {
    return reply(204, {
      ...atlasCreateCorsHeaders(req, switches),
      'Access-Control-Allow-Headers': 'Authorization, Content-Type',
      'Access-Control-Allow-Methods': 'POST',
      'Access-Control-Max-Age': '0',
    });
  }
  return reply(403, { 'Content-Type': 'text/plain' }, 'Forbidden');
}

function atlasCreate(req, body, state, reply) {
  const switches = state.switches;
  const answer = (status, json) => reply(status, { 'Content-Type': 'application/json', ...atlasCreateCorsHeaders(req, switches) }, json);
  // Authentication comes before validation (an unauthenticated request learns nothing about its body).
  const key = String(req.headers.authorization ?? '').match(/^Key\s+(\S+)\s*$/i)?.[1];
  if (!key) return answer(401, atlasError(401, 'Unauthorized', 'Authentication credentials were not provided.'));
  if (key !== switches.atlasKey) return answer(403, atlasError(403, 'Forbidden', 'The provided API key does not exist'));
  let request;
  try {
    request = JSON.parse(body);
  } catch (error) {
    return answer(400, atlasBadRequest([{ source: { pointer: '' }, detail: `JSON parse error - ${error.message}` }]));
  }
  const problems = atlasCreateProblems(request);
  if (problems.length) return answer(400, atlasBadRequest(problems));
  const ids = request.definitions.map((definition) => ATLAS_CREATED_IDS[definition.type]);
  // Each creation starts the id's progress afresh (GETs of its metadata counted from 0).
  for (const id of ids) state.atlasCreated.set(id, 0);
  return answer(201, JSON.stringify({ measurements: ids }));
}

// Metadata of a measurement created through POST: the RECORDED meta
// (fixtures/atlas/measurement_meta_v1_msm<id>.json, as recorded: note it is the retired v1 shape,
// `msm_id` and a `type` object, see SOURCES.md), except that for the first
// `atlasCreatedOngoingPolls` GETs its status is rewritten to {"id": 2, "name": "Ongoing"} — that
// Ongoing form is DERIVED from the finished recording (no running measurement was ever recorded),
// nothing else in it is changed (stop_time stays). Ids not created through POST are not served
// here (as before: 404 "not recorded").
function atlasCreatedMeta(id, state, send) {
  const polls = state.atlasCreated.get(id);
  state.atlasCreated.set(id, polls + 1);
  const text = readFixture(`measurement_meta_v1_msm${id}.json`);
  if (polls >= state.switches.atlasCreatedOngoingPolls) return send(200, text);
  return send(200, JSON.stringify({ ...JSON.parse(text), status: { id: 2, name: 'Ongoing' } }));
}

// ---------------------------------------------------------------------------------------------
// Globalping (API-NOTES §6). Recorded: the measurement, limits and probe bodies and the error
// bodies, all the API's own OpenAPI examples (fixtures/globalping/, SOURCES.md), served as they are.
// Constructed: the 202 creation answer `{"id", "probesCount"}` (the documented shape, with the id
// and result count of the recording chosen), its Location and X-RateLimit-* headers, ETags, and the
// in-progress form of a measurement (see globalpingInProgress).

// The recorded measurement a creation request is answered with, by `type` (and for dns,
// `measurementOptions.trace`).
const GLOBALPING_RECORDINGS = {
  ping: 'get-ping-measurement-response.json',
  traceroute: 'get-traceroute-measurement-response.json',
  mtr: 'get-mtr-measurement-response.json',
  dns: 'get-simple-dns-measurement-response.json',
  http: 'get-http-measurement-response.json',
};
const GLOBALPING_TRACE_DNS = 'get-trace-dns-measurement-response.json';

function readGlobalping(name) {
  return fs.readFileSync(path.join(globalpingFixturesDir, name), 'utf8');
}

export function globalpingRecordingFile({ type, measurementOptions } = {}) {
  if (type === 'dns' && measurementOptions?.trace === true) return GLOBALPING_TRACE_DNS;
  return Object.hasOwn(GLOBALPING_RECORDINGS, type) ? GLOBALPING_RECORDINGS[type] : null;
}

// The recorded measurements by id: { file, text, json }.
export function globalpingRecordings() {
  const index = {};
  for (const file of [...Object.values(GLOBALPING_RECORDINGS), GLOBALPING_TRACE_DNS]) {
    const text = readGlobalping(file);
    const json = JSON.parse(text);
    index[json.id] = { file, text, json };
  }
  return index;
}

// The recorded error examples, keyed `<response>:<example>` ('400:json', '404:json',
// 'measurements422:json', 'measurements429:rateLimitExceeded', 'measurements429:insufficientCredits',
// 'measurement429:json').
export function globalpingErrorExamples() {
  return JSON.parse(readGlobalping('error-responses.json'));
}

// The in-progress form of a finished recording, DERIVED from it: the fixtures hold no captured
// in-progress response, so this is the recording with top-level `status: "in-progress"` and every
// result's `result` reduced to {"status": "in-progress", "rawOutput": ""} (the fields the spec
// gives a test still running); probes, ids, options and timestamps are left as recorded.
export function globalpingInProgress(recording) {
  return {
    ...recording,
    status: 'in-progress',
    results: recording.results.map((result) => ({ ...result, result: { status: 'in-progress', rawOutput: '' } })),
  };
}

// CORS as the API sets it (§6): on everything `*` for origin, request headers and exposed headers;
// on the routes that take credentials (create, get, limits) request headers narrowed to
// Authorization and Content-Type, and the headers a client needs exposed by name.
const GLOBALPING_CORS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Headers': '*',
  'Access-Control-Expose-Headers': '*',
  'Access-Control-Max-Age': '600',
};
const GLOBALPING_AUTH_CORS = {
  ...GLOBALPING_CORS,
  'Access-Control-Allow-Headers': 'Authorization, Content-Type',
  'Access-Control-Expose-Headers': 'ETag, Location, Retry-After, X-RateLimit-Limit, X-RateLimit-Consumed, X-RateLimit-Remaining, X-RateLimit-Reset',
};
const GLOBALPING_JSON = 'application/json; charset=utf-8';

// Rate limit of creation (§6): 250 tests an hour anonymously, 500 with a token, one test per probe;
// counted per server instance from the first creation of each kind, for an hour.
const GLOBALPING_LIMITS = { ip: 250, user: 500 };
const HOUR = 3600;

function globalpingRate(state, kind) {
  const rate = state.globalpingRate[kind];
  const now = Date.now() / 1000;
  if (rate.windowStart === null || now - rate.windowStart >= HOUR) Object.assign(rate, { windowStart: now, consumed: 0 });
  const limit = GLOBALPING_LIMITS[kind];
  const headers = () => ({
    'X-RateLimit-Limit': String(limit),
    'X-RateLimit-Consumed': String(rate.consumed),
    'X-RateLimit-Remaining': String(Math.max(0, limit - rate.consumed)),
    'X-RateLimit-Reset': String(Math.max(1, Math.ceil(rate.windowStart + HOUR - now))),
  });
  return { rate, limit, headers };
}

function globalpingRetryAfter(state, example) {
  if (state.switches.globalpingRetryAfter !== null) return String(state.switches.globalpingRetryAfter);
  const said = example?.error?.message?.match(/retry in (\d+) seconds?/i);
  if (said) return said[1];
  const rate = state.globalpingRate.ip;
  return String(rate.windowStart === null ? HOUR : Math.max(1, Math.ceil(rate.windowStart + HOUR - Date.now() / 1000)));
}

// The recorded error example each route answers a bare status with, where one exists.
const GLOBALPING_DEFAULT_EXAMPLES = {
  create: { 400: '400:json', 422: 'measurements422:json', 429: 'measurements429:rateLimitExceeded' },
  get: { 404: '404:json', 429: 'measurement429:json' },
};

// A failure forced through `globalpingFailures`: a status (answered with the route's recorded example
// for it, or its status text) or the name of a recorded example (answered with its status).
function globalpingFailure(route, value, state, reply, cors) {
  const examples = state.globalpingErrors;
  const named = typeof value === 'string' && !/^\d{3}$/.test(value);
  const name = named ? value : GLOBALPING_DEFAULT_EXAMPLES[route]?.[Number(value)];
  const status = named ? Number(value.match(/(\d{3}):/)?.[1]) : Number(value);
  if (named && !Object.hasOwn(examples, value)) {
    return reply(500, { ...cors, 'Content-Type': 'text/plain' }, `replay server: no recorded Globalping error example "${value}"`);
  }
  const headers = { ...cors, 'Content-Type': name ? GLOBALPING_JSON : 'text/plain' };
  if (status === 429) headers['Retry-After'] = globalpingRetryAfter(state, examples[name]);
  return reply(status, headers, name ? JSON.stringify(examples[name]) : (http.STATUS_CODES[status] ?? 'error'));
}

// A weak ETag of a body, in the API's style (W/"<length hex>-<hash>").
function etagOf(text) {
  const hash = crypto.createHash('sha1').update(text).digest('hex').slice(0, 26);
  return `W/"${Buffer.byteLength(text).toString(16)}-${hash}"`;
}

function bearerToken(req) {
  return /^Bearer\s+\S+/i.test(String(req.headers.authorization ?? ''));
}

// The Globalping answer to one request under /v1/ (its path without /v1).
function globalpingAnswer(req, route, body, state, reply) {
  const failures = state.globalpingFailures;
  const json = (status, text, extra = {}, cors = GLOBALPING_AUTH_CORS) => reply(status, { ...cors, 'Content-Type': GLOBALPING_JSON, ...extra }, text);
  const error = (status, name, extra) => json(status, JSON.stringify(state.globalpingErrors[name]), extra);

  if (route === '/measurements' && req.method === 'POST') {
    if (failures.has('create')) return globalpingFailure('create', failures.get('create'), state, reply, GLOBALPING_AUTH_CORS);
    let request;
    try {
      request = JSON.parse(body);
    } catch {
      return error(400, '400:json');
    }
    const file = request && typeof request === 'object' ? globalpingRecordingFile(request) : null;
    const target = request?.target;
    if (!file || typeof target !== 'string' || target === '') return error(400, '400:json');
    const recording = JSON.parse(readGlobalping(file));
    const probesCount = recording.results.length;
    const { rate, limit, headers } = globalpingRate(state, bearerToken(req) ? 'user' : 'ip');
    if (rate.consumed + probesCount > limit) {
      const name = 'measurements429:rateLimitExceeded';
      return error(429, name, { ...headers(), 'Retry-After': globalpingRetryAfter(state, state.globalpingErrors[name]) });
    }
    rate.consumed += probesCount;
    state.globalpingPolls.set(recording.id, 0);
    return json(202, JSON.stringify({ id: recording.id, probesCount }), {
      Location: `http://${req.headers.host}/v1/measurements/${recording.id}`,
      ...headers(),
    });
  }

  const get = route.match(/^\/measurements\/([a-zA-Z0-9]+)$/);
  if (get && (req.method === 'GET' || req.method === 'HEAD')) {
    if (failures.has('get')) return globalpingFailure('get', failures.get('get'), state, reply, GLOBALPING_AUTH_CORS);
    const recorded = state.globalpingRecordings[get[1]];
    if (!recorded) return error(404, '404:json');
    // Measurements created through POST are in progress for their first N reads; others (a
    // recording's id the app already knows) are finished.
    const polls = state.globalpingPolls.get(get[1]);
    let text = recorded.text;
    if (polls !== undefined) {
      state.globalpingPolls.set(get[1], polls + 1);
      if (polls < state.switches.globalpingInProgressPolls) text = JSON.stringify(globalpingInProgress(recorded.json));
    }
    const etag = etagOf(text);
    const asked = String(req.headers['if-none-match'] ?? '').split(',').map((tag) => tag.trim());
    if (asked.includes(etag) || asked.includes('*')) return reply(304, { ...GLOBALPING_AUTH_CORS, ETag: etag });
    return json(200, text, { ETag: etag });
  }

  if (route === '/limits' && req.method === 'GET') {
    if (failures.has('limits')) return globalpingFailure('limits', failures.get('limits'), state, reply, GLOBALPING_AUTH_CORS);
    return json(200, readGlobalping(bearerToken(req) ? 'authenticated-limits.json' : 'non-authenticated-limits.json'));
  }

  if (route === '/probes' && req.method === 'GET') {
    if (failures.has('probes')) return globalpingFailure('probes', failures.get('probes'), state, reply, GLOBALPING_CORS);
    return json(200, readGlobalping('probes.json'), {}, GLOBALPING_CORS);
  }

  return reply(404, { ...GLOBALPING_CORS, 'Content-Type': 'text/plain' }, 'not recorded');
}

// The preflight of a Globalping route: 204; the creation route allows Authorization and
// Content-Type (the API's authenticated-route CORS), the others `*` (which a browser does not
// take to cover Authorization).
function globalpingPreflight(route, reply) {
  return reply(204, route === '/measurements' ? GLOBALPING_AUTH_CORS : GLOBALPING_CORS);
}

// ---------------------------------------------------------------------------------------------
// The request log and the secret-leak check.

// The path a request would have without the behaviour prefixes (/held/, /status/<code>/,
// /recorded/), to tell which service it was meant for.
function servicePath(pathname) {
  return pathname.replace(/^\/held(?=\/)/, '').replace(/^\/status\/\d{3}(?=\/)/, '').replace(/^\/recorded(?=\/)/, '');
}

// Which service a path belongs to: 'globalping', 'atlas', 'ripestat', 'doh' or 'other'.
export function serviceOf(pathname) {
  const p = servicePath(pathname);
  if (p.startsWith('/v1/')) return 'globalping';
  if (p.startsWith('/api/v2/')) return 'atlas';
  if (p.startsWith('/data/')) return 'ripestat';
  if (p === '/resolve' || p === '/dns-query') return 'doh';
  return 'other';
}

// The logged requests in which `secret` appears anywhere: the URL (as sent or percent-decoded), a
// header name or value, or the body. Case-insensitive.
export function requestsCarrying(server, secret) {
  const needle = String(secret).toLowerCase();
  if (!needle) throw new Error('requestsCarrying: empty secret');
  const has = (value) => value !== null && value !== undefined && String(value).toLowerCase().includes(needle);
  const decoded = (url) => { try { return decodeURIComponent(url.replace(/\+/g, ' ')); } catch { return url; } };
  return server.requests.filter((request) => has(request.url) || has(decoded(request.url))
    || Object.entries(request.headers).some(([name, value]) => has(name) || has(value))
    || has(request.body));
}

// The recorded answer to one request; `send(status, body, type)` writes it (with
// `Access-Control-Allow-Origin: *`), `options.reply(status, headers, body)` writes any answer.
function replayAnswer(req, url, pathname, doh, send, options) {
  const { state, reply, body } = options;
  if (pathname.startsWith('/v1/')) return globalpingAnswer(req, pathname.slice('/v1'.length), body, state, reply);
  if (pathname === '/api/v2/measurements/' && req.method === 'POST') return atlasCreate(req, body, state, reply);
  const meta = pathname.match(/^\/api\/v2\/measurements\/(\d+)\/$/);
  if (meta && state.atlasCreated.has(Number(meta[1]))) return atlasCreatedMeta(Number(meta[1]), state, send);
  if (pathname === '/dns-query' && url.searchParams.has('dns')) {
    const query = Buffer.from(url.searchParams.get('dns'), 'base64url');
    const recorded = doh.wire[wireQuestion(query)];
    return recorded ? send(200, recorded.reply, 'application/dns-message') : send(404, 'not recorded', 'text/plain');
  }
  const question = dnsKey(url.searchParams.get('name') ?? '', url.searchParams.get('type') ?? 'A');
  if (pathname === '/resolve') {
    const recorded = doh['google-json']?.[question];
    return recorded ? send(200, recorded.text, 'application/x-javascript; charset=UTF-8') : send(404, 'not recorded', 'text/plain');
  }
  if (pathname === '/dns-query' && url.searchParams.has('name')) {
    const recorded = doh['cloudflare-json']?.[question];
    return recorded ? send(200, recorded.text, 'application/dns-json') : send(404, 'not recorded', 'text/plain');
  }
  const ripestat = pathname.match(/^(\/recorded)?\/data\/([a-z-]+)\/data\.json$/);
  if (ripestat) {
    return ripestatAnswer(ripestat[2], url.searchParams.get('resource') ?? '', Boolean(ripestat[1]), options.ripestatFailures, send);
  }
  const msm = pathname.match(/^\/api\/v2\/measurements\/(\d+)\/(results|latest)\/$/);
  if (msm) {
    const id = Number(msm[1]);
    if (id === 429) return send(429, atlasError(429, 'Too Many Requests', 'Request was throttled.'));
    if (id === 500) return send(500, atlasError(500, 'Internal Server Error', 'A server error occurred.'));
    if (id === 400) return send(400, readFixture('error_400_docs_error-messages.json'));
    if (id === 666) return send(200, '{"this is": not json', 'application/json');
    if (id === 777) { req.socket.destroy(); return; } // the connection drops: "network down"
    const recorded = measurements[id];
    if (!recorded) return send(404, atlasError(404, 'Not Found', 'Not found.'));
    return send(200, readFixture(recorded.results));
  }
  if (pathname === '/api/v2/probes/') {
    const ids = (url.searchParams.get('id__in') ?? '').split(',').filter(Boolean).map(Number);
    const page = probePageFor(ids);
    return page ? send(200, page) : send(404, atlasError(404, 'Not Found', 'No recorded page for these probes.'));
  }
  return send(404, 'not recorded', 'text/plain');
}

// The replay server. Switches, read at request time (set them on the returned object):
// - ripestatFailures: Map call → HTTP status (the RIPEstat call fails on purpose);
// - globalpingFailures: Map 'create' | 'get' | 'limits' | 'probes' → an HTTP status, or the name of a
//   recorded error example ('measurements429:rateLimitExceeded', '404:json', …), answered with
//   that example's body and status (and Retry-After for 429);
// - globalpingInProgressPolls (default 1): how many GETs of a measurement created through POST
//   answer its in-progress form before the finished recording;
// - globalpingRetryAfter (default null): the Retry-After of forced 429s, in seconds; null takes
//   the example's "retry in N seconds", else the seconds left in the rate-limit hour;
// - atlasKey (default ATLAS_TEST_KEY): the one Atlas API key POST /api/v2/measurements/ accepts;
// - atlasCreateCors (default 'allow'): 'allow' or 'refuse' the preflight of that POST;
// - atlasCreatedOngoingPolls (default 1): how many GETs of a created measurement's metadata answer
//   status Ongoing before the recorded Stopped;
// - globalpingRate: the hourly test counts behind the rate-limit headers, { ip, user } each
//   { windowStart, consumed } (set `consumed` to start a test near the limit).
// `requests` is the log: one entry per request, in arrival order, { method, url (full, as served),
// host, origin (the replay origin it was served under), service ('atlas' | 'globalping' |
// 'ripestat' | 'doh' | 'other'), path, search, headers (all, Authorization included, lower-case
// names as Node gives them), body (the request body as text, '' for an empty POST, null when a
// non-POST request had none; filled in once the body has arrived, before the answer) }.
export async function startReplay({ atlasKey = ATLAS_TEST_KEY } = {}) {
  const requests = [];
  const held = [];
  const ripestatFailures = new Map();
  const globalpingFailures = new Map();
  const doh = { ...dohRecordings(), wire: wireRecordings() };
  const switches = {
    requests, ripestatFailures, globalpingFailures,
    globalpingInProgressPolls: 1, globalpingRetryAfter: null,
    atlasKey, atlasCreateCors: 'allow', atlasCreatedOngoingPolls: 1,
  };
  const state = {
    switches, globalpingFailures,
    globalpingRecordings: globalpingRecordings(),
    globalpingErrors: globalpingErrorExamples(),
    globalpingPolls: new Map(), // created id → GETs so far
    globalpingRate: { ip: { windowStart: null, consumed: 0 }, user: { windowStart: null, consumed: 0 } },
    atlasCreated: new Map(), // created Atlas id → metadata GETs so far
  };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    const host = req.headers.host ?? `127.0.0.1:${server.address().port}`;
    const entry = {
      method: req.method, url: `http://${host}${req.url}`, host, origin: `http://${host}`,
      service: serviceOf(url.pathname), path: url.pathname, search: url.search, headers: req.headers, body: null,
    };
    requests.push(entry);
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const bytes = Buffer.concat(chunks);
      if (bytes.length > 0 || req.method === 'POST') entry.body = bytes.toString('utf8');
      answer(req, res, url, entry.body ?? '');
    });
  });
  const answer = (req, res, url, body) => {
    const reply = (status, headers, text) => {
      if (res.destroyed) return; // the app aborted the request (cancel or time limit)
      res.writeHead(status, headers);
      res.end(text);
    };
    const send = (status, text, type = 'application/json') => reply(status, { 'Content-Type': type, 'Access-Control-Allow-Origin': '*' }, text);
    if (req.method === 'OPTIONS') {
      const route = servicePath(url.pathname);
      if (route === '/api/v2/measurements/') return atlasCreatePreflight(req, switches, reply);
      if (route.startsWith('/v1/')) return globalpingPreflight(route.slice('/v1'.length), reply);
      return reply(204, { 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Headers': '*' });
    }
    const status = url.pathname.match(/^\/status\/(\d{3})\//);
    if (status) return send(Number(status[1]), http.STATUS_CODES[Number(status[1])] ?? 'error', 'text/plain');
    const options = { ripestatFailures, state, reply, body };
    if (url.pathname.startsWith('/held/')) {
      held.push(() => replayAnswer(req, url, url.pathname.slice('/held'.length), doh, send, options));
      return;
    }
    replayAnswer(req, url, url.pathname, doh, send, options);
  };
  await listen(server);
  const origin = `http://127.0.0.1:${server.address().port}`;
  // Answers the first `count` held requests (in arrival order); returns how many were waiting.
  const release = (count = held.length) => {
    const waiting = held.length;
    held.splice(0, count).forEach((respond) => respond());
    return waiting;
  };
  const heldCount = () => held.length;
  const close = () => {
    release();
    server.closeAllConnections?.();
    return new Promise((r) => server.close(r));
  };
  // A measurement the author created at the source (the Atlas website or ripe-atlas-tools) after the
  // browser was refused: from now on it is served as one created through POST.
  const createdAtSource = (id) => state.atlasCreated.set(id, 0);
  return Object.assign(switches, { origin, release, heldCount, close, createdAtSource, globalpingRate: state.globalpingRate });
}
