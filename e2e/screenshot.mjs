// Regenerates www/screenshot.png (the README's picture) from the release build's example notebook:
// `bash .ci/build && node e2e/screenshot.mjs`.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startStatic } from './servers.mjs';
import { launch } from './browser.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const web = await startStatic();
const browser = await launch();
const page = await browser.newPage({ viewport: { width: 1100, height: 1000 }, deviceScaleFactor: 1 });
await page.goto(`${web.origin}/`);
const cell = page.locator('article.cell[data-kind="Atlas measurement"]').first();
await cell.locator('.latency-view canvas').waitFor();
// Scroll the cell just below the sticky header and shoot the page (header included) down to the map's
// tables, so the picture shows the app as a reader sees it.
const box = await cell.boundingBox();
await page.evaluate((y) => window.scrollTo(0, y), box.y - 70);
await page.screenshot({ path: path.join(here, '..', 'www', 'screenshot.png'), clip: { x: 0, y: 0, width: 1100, height: 1000 } });
await browser.close();
await web.close();
console.log('wrote www/screenshot.png');
