// Keyboard and contrast basics on the example notebook (issue 14, accessibility): a skip control is the
// first Tab stop and lands in the notebook; every visible button's text meets WCAG 2's 4.5:1 contrast
// against what is really behind it (ancestors' opacity included); focus is visibly outlined, also on the
// "Open…" file chooser whose input is hidden.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { watchErrors } from '../browser.mjs';
import { useServers } from '../helpers.mjs';

const env = useServers();

async function example(width) {
  const context = await env.browser.newContext({ viewport: { width, height: 900 } });
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(`${env.web.origin}/`);
  await page.locator('article.cell[data-kind="Atlas measurement"] .latency-view canvas').first().waitFor();
  return { context, page, errors };
}

test('the first Tab stop skips to the notebook, without touching the address', async () => {
  const { context, page, errors } = await example(1100);
  await page.keyboard.press('Tab');
  const first = await page.evaluate(() => document.activeElement?.textContent?.trim());
  assert.equal(first, 'Skip to the notebook');
  const before = page.url();
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'MAIN');
  assert.equal(page.url(), before, 'the fragment carries shared notebooks: skipping must not change it');
  // The next Tab stop is inside the notebook, not back in the header.
  await page.keyboard.press('Tab');
  assert.ok(await page.evaluate(() => !!document.activeElement?.closest('main')));
  assert.deepEqual(errors, []);
  await context.close();
});

test('every visible button reads at 4.5:1 or more, at desktop and phone width', async () => {
  for (const width of [1100, 390]) {
    const { context, page, errors } = await example(width);
    const failing = await page.evaluate(() => {
      const rgba = (text) => {
        const [r, g, b, a = 1] = text.match(/[\d.]+/g).map(Number);
        return { r, g, b, a };
      };
      const luminance = ({ r, g, b }) => {
        const channel = (v) => {
          const s = v / 255;
          return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
        };
        return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
      };
      const over = (top, bottom, alpha) => ({
        r: top.r * alpha + bottom.r * (1 - alpha),
        g: top.g * alpha + bottom.g * (1 - alpha),
        b: top.b * alpha + bottom.b * (1 - alpha),
      });
      // What is behind an element: the nearest opaque background up the tree, blending translucent
      // ones; and how much the element itself is faded by its own and its ancestors' opacity.
      const behind = (element) => {
        const layers = [];
        for (let node = element; node; node = node.parentElement) {
          const bg = rgba(getComputedStyle(node).backgroundColor);
          if (bg.a > 0) layers.push(bg);
          if (bg.a === 1) break;
        }
        let colour = { r: 255, g: 255, b: 255 };
        for (const layer of layers.reverse()) colour = over(layer, colour, layer.a);
        return colour;
      };
      const faded = (element) => {
        let opacity = 1;
        for (let node = element; node; node = node.parentElement) opacity *= Number(getComputedStyle(node).opacity);
        return opacity;
      };
      const out = [];
      for (const button of document.querySelectorAll('button, .button')) {
        const box = button.getBoundingClientRect();
        if (box.width === 0 || box.height === 0 || button.disabled || !button.textContent.trim()) continue;
        const back = behind(button);
        const fg = rgba(getComputedStyle(button).color);
        const text = over(fg, back, fg.a * faded(button));
        const [light, dark] = [luminance(text), luminance(back)].sort((x, y) => y - x);
        const ratio = (light + 0.05) / (dark + 0.05);
        if (ratio < 4.5) out.push(`${button.textContent.trim()}: ${ratio.toFixed(2)}:1`);
      }
      return out;
    });
    assert.deepEqual(failing, [], `width ${width}`);
    assert.deepEqual(errors, []);
    await context.close();
  }
});

test('keyboard focus is outlined, also on the Open… file chooser', async () => {
  const { context, page, errors } = await example(1100);
  const focusedOutline = () => page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  // Tab: the skip control, the title, then "New".
  for (let i = 0; i < 3; i += 1) await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'New');
  assert.notEqual(await focusedOutline(), 'none');
  // Two more: "Investigate…", then the hidden file input of "Open…", whose label shows the focus.
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  const fileInput = page.locator('header label.button input[type="file"]');
  assert.ok(await fileInput.evaluate((el) => el === document.activeElement), 'Tab reaches Open…');
  const label = page.locator('header label.button', { hasText: 'Open…' });
  assert.notEqual(await label.evaluate((el) => getComputedStyle(el).outlineStyle), 'none');
  assert.deepEqual(errors, []);
  await context.close();
});
