// Helpers shared by the end-to-end test files: the servers and browser every file starts, a fresh
// profile pointed at the replay server through the Settings panel (as a user would), a reader that
// opens a link with every outside request blocked, and readings of the map canvas.
import { before, after } from 'node:test';
import zlib from 'node:zlib';
import { startStatic, startReplay } from './servers.mjs';
import { launch, watchErrors } from './browser.mjs';

// Starts the static server, the replay server and Chromium before the file's tests and stops them
// after; the returned object's fields are filled in by then.
export function useServers() {
  const env = { web: null, replay: null, browser: null };
  before(async () => {
    env.web = await startStatic();
    env.replay = await startReplay();
    env.browser = await launch();
  });
  after(async () => {
    await env.browser?.close();
    await env.replay?.close();
    await env.web?.close();
  });
  return env;
}

// A fresh profile (empty storage) on the example notebook, with the given settings typed into the
// Settings panel: an object from input name (e.g. "atlas-base-url") to value. By default the Atlas
// address points at the replay server; `settings: null` leaves the defaults.
export async function freshPage(env, { settings = { 'atlas-base-url': env.replay.origin } } = {}) {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(`${env.web.origin}/`);
  await page.waitForSelector('.latency-view canvas');
  if (settings) await saveSettings(page, settings);
  return { context, page, errors };
}

export async function saveSettings(page, settings) {
  await page.getByRole('button', { name: 'Settings' }).click();
  for (const [name, value] of Object.entries(settings)) {
    await page.fill(`[name="${name}"]`, value);
  }
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.locator('.settings-panel').waitFor({ state: 'detached' });
}

// A new context for reading a shared link: only the app's own files load, every other request
// (the replay server included) is aborted and listed in `outside`.
export async function offlineReader(env) {
  const context = await env.browser.newContext();
  const outside = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(env.web.origin) && !url.includes('/api/')) return route.continue();
    outside.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  const errors = watchErrors(page);
  return { context, page, errors, outside };
}

// The fragment of a share link carrying `notebook`, made here independently of the app's encoder.
export function fragmentFor(notebook) {
  const json = JSON.stringify({ format: 'vantage-notebook', version: 1, notebook });
  return `report/v1/${zlib.deflateSync(Buffer.from(json), { level: 9 }).toString('base64url')}`;
}

// Distinct colours among the map's pixels (sampled): land and ocean alone give a handful; markers,
// legend and outlines add many.
export async function canvasColourCount(scope) {
  return scope.locator('canvas').first().evaluate((canvas) => {
    const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    const colours = new Set();
    for (let i = 0; i < data.length; i += 16) colours.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
    return colours.size;
  });
}

// Pixels of exactly one colour (0xrrggbb) on the map.
export async function pixelCount(scope, rgb) {
  return scope.locator('canvas').first().evaluate((canvas, rgb) => {
    const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    const [r, g, b] = [(rgb >> 16) & 255, (rgb >> 8) & 255, rgb & 255];
    let count = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i] === r && data[i + 1] === g && data[i + 2] === b) count += 1;
    return count;
  }, rgb);
}

// Hovers the first map marker drawn in one colour (0xrrggbb), above the legend strip, and returns
// the tooltip's text; null when no such marker is drawn.
export async function hoverMarker(scope, rgb) {
  const canvas = scope.locator('canvas').first();
  const spot = await canvas.evaluate((c, rgb) => {
    const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
    const [r, g, b] = [(rgb >> 16) & 255, (rgb >> 8) & 255, rgb & 255];
    for (let i = 0; i < data.length; i += 4) {
      if (data[i] === r && data[i + 1] === g && data[i + 2] === b) {
        const x = (i / 4) % c.width, y = Math.floor(i / 4 / c.width);
        // Skip the legend strip at the bottom.
        if (y < c.height - 40) {
          const box = c.getBoundingClientRect();
          return { x: (x + 1) * box.width / c.width, y: (y + 2) * box.height / c.height };
        }
      }
    }
    return null;
  }, rgb);
  if (!spot) return null;
  await canvas.hover({ position: spot });
  const tooltip = scope.locator('.map-tooltip').first();
  await tooltip.waitFor();
  return tooltip.innerText();
}

export async function addCell(page, button) {
  await page.locator('.add-cell').last().getByRole('button', { name: button }).click();
}
