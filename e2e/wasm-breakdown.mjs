// Where the bundle's bytes go: reads the release wasm as cargo built it (before wasm-bindgen and
// wasm-opt, so function names are still in the "name" section), sums each function body's size by
// the crate in its (mangled) name, and prints the largest, with the data segments (embedded tables:
// land outlines, gazetteers) apart. The figures are raw bytes before optimisation: wasm-opt shrinks
// every crate, so they rank the crates rather than add up to the shipped size.
// Usage: node wasm-breakdown.mjs [path-to.wasm]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const file = process.argv[2] ?? path.join(here, '..', 'target', 'wasm32-unknown-unknown', 'release', 'vantage-web.wasm');
if (!fs.existsSync(file)) {
  console.log(`size breakdown: no ${file} (build first)`);
  process.exit(0);
}
const bytes = fs.readFileSync(file);
let at = 8;
const leb = () => {
  let result = 0, shift = 0, byte;
  do { byte = bytes[at++]; result += (byte & 0x7f) * 2 ** shift; shift += 7; } while (byte & 0x80);
  return result;
};
const imports = { functions: 0 };
let bodies = [];
let dataBytes = 0;
const names = new Map();
while (at < bytes.length) {
  const id = bytes[at++];
  const size = leb();
  const end = at + size;
  if (id === 2) {
    // Imported functions come first in the function index space.
    let count = leb();
    while (count-- > 0) {
      at += leb(); at += leb(); // module, field
      const kind = bytes[at++];
      if (kind === 0) { leb(); imports.functions += 1; } else if (kind === 1) { at++; const flags = leb(); leb(); if (flags & 1) leb(); } else if (kind === 2) { const flags = leb(); leb(); if (flags & 1) leb(); } else { at += 2; }
    }
  } else if (id === 10) {
    let count = leb();
    while (count-- > 0) { const length = leb(); bodies.push(length); at += length; }
  } else if (id === 11) {
    dataBytes = size;
  } else if (id === 0) {
    const nameLength = leb();
    const name = bytes.subarray(at, at + nameLength).toString();
    at += nameLength;
    if (name === 'name') {
      while (at < end) {
        const sub = bytes[at++];
        const subSize = leb();
        const subEnd = at + subSize;
        if (sub === 1) {
          let count = leb();
          while (count-- > 0) { const index = leb(); const length = leb(); names.set(index, bytes.subarray(at, at + length).toString()); at += length; }
        }
        at = subEnd;
      }
    }
  }
  at = end;
}
// The crate of a mangled Rust name (legacy mangling): `_ZN4core3fmt…` → core; an impl segment
// `_$LT$T$u20$as$u20$core..fmt..Debug$GT$` → the first path in it (core), so monomorphised library
// code for the project's types is counted with the library that wrote it.
const crateOf = (name) => {
  if (!name) return '(unnamed)';
  if (name.startsWith('__wbg') || name.startsWith('__wbindgen')) return 'wasm-bindgen glue';
  const first = name.match(/^_ZN(\d+)/);
  if (!first) return name.split(/[:<$]/)[0] || '(other)';
  const segment = name.slice(first[0].length, first[0].length + Number(first[1]))
    .replaceAll('$LT$', '<').replaceAll('$GT$', '>').replaceAll('$u20$', ' ').replaceAll('$RF$', '&')
    .replaceAll('$C$', ',').replaceAll('..', '::').replace(/^_/, '');
  const path = segment.match(/([A-Za-z_]\w*)::/);
  return path ? path[1] : segment;
};
const byCrate = new Map();
bodies.forEach((length, i) => {
  const crate = crateOf(names.get(i + imports.functions));
  byCrate.set(crate, (byCrate.get(crate) ?? 0) + length);
});
const code = bodies.reduce((a, b) => a + b, 0);
const top = [...byCrate.entries()].sort((a, b) => b[1] - a[1]).slice(0, 14);
console.log(`size breakdown (unoptimised ${path.basename(file)}): code ${(code / 1024).toFixed(0)} KiB in ${bodies.length} functions, data ${(dataBytes / 1024).toFixed(0)} KiB`);
console.log(`size breakdown: largest crates by code: ${top.map(([crate, n]) => `${crate} ${(n / 1024).toFixed(0)} KiB (${(100 * n / code).toFixed(0)} %)`).join(', ')}`);
