// Local servers for the end-to-end tests, on 127.0.0.1 only:
// - a static server for the release build in ../dist (correct MIME types, application/wasm included);
// - a replay server that answers with the recorded real responses in ../tests/fixtures/ (origins in
//   tests/fixtures/SOURCES.md) and logs every request, so tests can check what the app asked for and
//   that a shared report asks for nothing. It stands in for three services at once:
//   - the RIPE Atlas API (/api/v2/…), from fixtures/atlas/;
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
//     the resource it was recorded for, "not recorded" (404) otherwise.
//     `ripestatFailures` (call → HTTP status) makes one call fail on purpose.
//   Two path prefixes change the behaviour of whatever follows them: /status/<code>/… answers every
//   request with that HTTP status (a throttled or broken resolver), and /held/… keeps requests
//   waiting until the test releases them (to cancel a run half-way, deterministically), and
//   /recorded/… answers every RIPEstat call only for the resource its recording was made for.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const distDir = path.join(here, '..', 'dist');
export const fixturesDir = path.join(here, '..', 'tests', 'fixtures', 'atlas');
export const dohFixturesDir = path.join(here, '..', 'tests', 'fixtures', 'doh');
export const ripestatFixturesDir = path.join(here, '..', 'tests', 'fixtures', 'ripestat');

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

// The recorded answer to one request; `send(status, body, type)` writes it.
function replayAnswer(req, url, pathname, doh, send, options) {
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

export async function startReplay() {
  const requests = [];
  const held = [];
  const ripestatFailures = new Map();
  const doh = { ...dohRecordings(), wire: wireRecordings() };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    requests.push({ method: req.method, path: url.pathname, search: url.search, headers: req.headers });
    const send = (status, body, type = 'application/json') => {
      if (res.destroyed) return; // the app aborted the request (cancel or time limit)
      res.writeHead(status, { 'Content-Type': type, 'Access-Control-Allow-Origin': '*' });
      res.end(body);
    };
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Headers': '*' });
      res.end();
      return;
    }
    const status = url.pathname.match(/^\/status\/(\d{3})\//);
    if (status) return send(Number(status[1]), http.STATUS_CODES[Number(status[1])] ?? 'error', 'text/plain');
    if (url.pathname.startsWith('/held/')) {
      held.push(() => replayAnswer(req, url, url.pathname.slice('/held'.length), doh, send, { ripestatFailures }));
      return;
    }
    replayAnswer(req, url, url.pathname, doh, send, { ripestatFailures });
  });
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
  return { origin, requests, release, heldCount, ripestatFailures, close };
}
