// Budget figure, not a test: time from navigation to the demo's first contentful paint and to the
// first map being drawn, in headless Chromium against the release build. Prints one line per figure.
import { startStatic } from './servers.mjs';
import { launch } from './browser.mjs';

const web = await startStatic();
const browser = await launch();
const runs = [];
for (let i = 0; i < 3; i++) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const started = Date.now();
  await page.goto(`${web.origin}/`);
  await page.waitForSelector('.latency-view canvas');
  const mapMs = Date.now() - started;
  const fcp = await page.evaluate(() =>
    performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null);
  runs.push({ fcp, mapMs });
  await context.close();
}
await browser.close();
await web.close();
const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`first-paint: demo first contentful paint median ${median(runs.map((r) => r.fcp)).toFixed(0)} ms over ${runs.length} runs`);
console.log(`first-paint: demo map drawn (navigation → canvas present) median ${median(runs.map((r) => r.mapMs))} ms`);
