// Budget figure, not a test: how long the release build takes, in headless Chromium, to turn a pasted
// table of N vantage points into a drawn map and a verdict (parse, inference, map, render). The tables
// are synthetic on purpose: a single site in Amsterdam seen from random places on land-ish latitudes,
// each RTT the fibre minimum times a random path stretch, so the work is the realistic one-site case
// (feasible region search over every disc). A seeded generator keeps the input the same every run.
import { startStatic } from './servers.mjs';
import { launch } from './browser.mjs';

const SITE = { lat: 52.37, lon: 4.9 };
const KM_PER_MS_RTT = 299.792458 * (2 / 3) / 2;

function xorshift(seed) {
  let x = seed >>> 0;
  return () => {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    return x / 2 ** 32;
  };
}

function haversineKm(a, b) {
  const rad = Math.PI / 180;
  const h = Math.sin(((b.lat - a.lat) * rad) / 2) ** 2
    + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(((b.lon - a.lon) * rad) / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.min(1, Math.sqrt(h)));
}

function table(n) {
  const random = xorshift(n);
  const lines = ['id,lat,lon,rtt'];
  for (let i = 0; i < n; i++) {
    const vantage = { lat: -55 + random() * 125, lon: -180 + random() * 360 };
    const rtt = (haversineKm(vantage, SITE) / KM_PER_MS_RTT) * (1.2 + random() * 1.5) + 0.5 + random() * 5;
    lines.push(`v${i},${vantage.lat.toFixed(4)},${vantage.lon.toFixed(4)},${rtt.toFixed(2)}`);
  }
  return lines.join('\n');
}

const web = await startStatic();
const browser = await launch();
for (const n of [1000, 3000]) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${web.origin}/`);
  await page.waitForSelector('.latency-view canvas');
  await page.getByRole('button', { name: 'New', exact: true }).click();
  await page.locator('.add-cell').last().getByRole('button', { name: '+ Latency table' }).click();
  const cell = page.locator('article.cell[data-kind="Latency table"]').last();
  await cell.getByRole('button', { name: 'Paste table…' }).click();
  // Generous time limits: a loaded machine should print a slow figure, not fail the run.
  await cell.locator('textarea').fill(table(n), { timeout: 120000 });
  const started = await page.evaluate(() => performance.now());
  await cell.getByRole('button', { name: 'Use pasted table' }).click();
  await cell.locator('section.inference').waitFor({ timeout: 120000 });
  await cell.locator('canvas').waitFor({ timeout: 120000 });
  const elapsed = (await page.evaluate(() => performance.now())) - started;
  const verdict = await cell.locator('section.inference').getAttribute('data-verdict');
  console.log(`inference: ${n} pasted vantage points → verdict "${verdict}" and map in ${elapsed.toFixed(0)} ms`);
  await context.close();
}
await browser.close();
await web.close();
