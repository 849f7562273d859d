// Trunk post-build hook: Trunk's loader is an inline <script type="module">, which the page's
// Content-Security-Policy (script-src 'self') would block. Rather than allow all inline scripts, add
// the SHA-256 of exactly the loader Trunk wrote to script-src, so no other inline script can ever run.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) throw new Error('TRUNK_STAGING_DIR is not set: run this as a Trunk post_build hook');
const file = path.join(dir, 'index.html');
let html = fs.readFileSync(file, 'utf8');
const hashes = [...html.matchAll(/<script type="module">([\s\S]*?)<\/script>/g)]
  .map((m) => `'sha256-${crypto.createHash('sha256').update(m[1], 'utf8').digest('base64')}'`);
if (hashes.length === 0) throw new Error('no inline loader script found in index.html');
html = html.replace("script-src 'self'", `script-src 'self' ${hashes.join(' ')}`);
fs.writeFileSync(file, html);
console.log(`csp-hash: allowed ${hashes.length} inline loader script(s)`);
