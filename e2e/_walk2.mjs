import { startStatic } from './servers.mjs';
import { launch } from './browser.mjs';
const web = await startStatic(); const browser = await launch();
const page = await browser.newPage({ viewport: { width: 1200, height: 1400 } });
await page.goto(`${web.origin}/`);
await page.waitForSelector('.latency-view canvas');
const h = await page.evaluate(() => document.body.scrollHeight);
console.log('height', h);
for (let y = 0, i = 0; y < h; y += 1400, i++) {
  await page.evaluate((y) => window.scrollTo(0, y), y);
  await page.waitForTimeout(200);
  await page.screenshot({ path: `/tmp/demo-${i}.png` });
}
await browser.close(); await web.close();
