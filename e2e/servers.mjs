// Local servers for the end-to-end tests, on 127.0.0.1 only:
// - a static server for the release build in ../dist (correct MIME types, application/wasm included);
// - a replay server that answers RIPE Atlas API requests with the recorded real responses in
//   ../tests/fixtures/atlas/ (origins in tests/fixtures/SOURCES.md) and logs every request, so tests can
//   check what the app asked for and that a shared report asks for nothing.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const distDir = path.join(here, '..', 'dist');
export const fixturesDir = path.join(here, '..', 'tests', 'fixtures', 'atlas');

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
};

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

export async function startReplay() {
  const requests = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    requests.push({ method: req.method, path: url.pathname, search: url.search, headers: req.headers });
    const send = (status, body, type = 'application/json') => {
      res.writeHead(status, { 'Content-Type': type, 'Access-Control-Allow-Origin': '*' });
      res.end(body);
    };
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Headers': '*' });
      res.end();
      return;
    }
    const msm = url.pathname.match(/^\/api\/v2\/measurements\/(\d+)\/(results|latest)\/$/);
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
    if (url.pathname === '/api/v2/probes/') {
      const ids = (url.searchParams.get('id__in') ?? '').split(',').filter(Boolean).map(Number);
      const page = probePageFor(ids);
      return page ? send(200, page) : send(404, atlasError(404, 'Not Found', 'No recorded page for these probes.'));
    }
    send(404, 'not recorded', 'text/plain');
  });
  await listen(server);
  const origin = `http://127.0.0.1:${server.address().port}`;
  return { origin, requests, close: () => new Promise((r) => server.close(r)) };
}
