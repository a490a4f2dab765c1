// Shared helpers for the browser tests: paths, a tiny static server that logs
// every request, Debian's Chromium through playwright-core, test files.

import assert from 'node:assert/strict';
import { createReadStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const HERE = dirname(fileURLToPath(import.meta.url));
export const ROOT = resolve(HERE, '..', '..');
export const WWW = join(ROOT, 'www');
export const DIST_HTML = join(ROOT, 'dist', 'privaudit.html');
export const ARTIFACTS = join(HERE, 'artifacts');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

/** Fails (never skips) with the command that makes the missing build output. */
export function requireBuilt(kind) {
  const needs = kind === 'dist'
    ? [[DIST_HTML, 'bash scripts/build && bash scripts/bundle']]
    : [[join(WWW, 'pkg', 'privaudit.js'), 'bash scripts/build'], [join(WWW, 'pkg', 'privaudit_bg.wasm'), 'bash scripts/build']];
  for (const [file, command] of needs) {
    assert.ok(existsSync(file), `${file} is missing: run \`${command}\` first (scripts/test does).`);
  }
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium).`);
}

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
};

/**
 * Serves `root` on 127.0.0.1 at a free port. `requests` lists every request
 * the server saw (method + path), including ones it answered 404.
 */
export async function startServer(root = WWW) {
  const requests = [];
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    requests.push({ method: req.method, path });
    let file = resolve(root, `.${path.endsWith('/') ? `${path}index.html` : path}`);
    if (file !== root && !file.startsWith(root + sep)) file = null;
    if (!file || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': MIME[extname(file)] || 'application/octet-stream', 'cache-control': 'no-store' });
    createReadStream(file).pipe(res);
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((ok) => { server.closeAllConnections(); server.close(ok); }),
  };
}

/** A fresh persistent context (own --user-data-dir) in Debian's Chromium. */
export async function launch() {
  const userDataDir = mkdtempSync(join(tmpdir(), 'privaudit-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    acceptDownloads: true,
    viewport: { width: 1280, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0] || await context.newPage();
  // Every request: the context sees the page's and its workers'; the page's
  // own listener is kept too, in case a request reaches only one of them.
  const log = { requests: [], dialogs: [], errors: [], console: [] };
  context.on('request', (request) => log.requests.push(request.url()));
  page.on('request', (request) => log.requests.push(request.url()));
  page.on('worker', (worker) => worker.on('console', (m) => log.console.push(`[worker] ${m.text()}`)));
  page.on('dialog', (dialog) => { log.dialogs.push(dialog.message()); dialog.dismiss().catch(() => {}); });
  page.on('pageerror', (error) => log.errors.push(String(error)));
  page.on('console', (m) => log.console.push(`[${m.type()}] ${m.text()}`));
  return {
    context,
    page,
    log,
    close: async () => {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Clicks "Try sample data", waits for the preview, returns the column names. */
export async function loadSample(page) {
  await page.getByRole('button', { name: 'Try sample data' }).click();
  return previewColumns(page);
}

export async function previewColumns(page) {
  await page.locator('#step-preview').waitFor({ state: 'visible', timeout: 60_000 });
  await page.locator('#columns-body tr').first().waitFor();
  return page.locator('#columns-body td.name').allTextContents();
}

/** Runs the audit and waits for the report; returns the report frame. */
export async function runAndWaitForReport(page, timeout = 180_000) {
  await page.getByRole('button', { name: 'Run audit' }).click();
  await page.locator('#step-report').or(page.locator('#alert:not([hidden])')).first().waitFor({ state: 'visible', timeout });
  const alert = await page.locator('#alert:not([hidden])').count() ? await page.locator('#alert-text').textContent() : '';
  assert.equal(alert, '', `the page showed an alert instead of a report: ${alert}`);
  const handle = await page.locator('#report-frame').elementHandle();
  await page.waitForFunction((el) => el.srcdoc && el.srcdoc.length > 0, handle);
  const frame = await handle.contentFrame();
  await frame.waitForLoadState('load');
  return frame;
}

/** Clicks a download button; returns {name, text} of the downloaded file. */
export async function downloadText(page, buttonName) {
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: 30_000 }),
    page.getByRole('button', { name: buttonName }).click(),
  ]);
  const dir = mkdtempSync(join(tmpdir(), 'privaudit-dl-'));
  const file = join(dir, download.suggestedFilename());
  await download.saveAs(file);
  const text = readFileSync(file, 'utf8');
  rmSync(dir, { recursive: true, force: true });
  return { name: download.suggestedFilename(), text };
}

/** The text of the report, read from the srcdoc the page gave the iframe. */
export async function reportSource(page) {
  return page.locator('#report-frame').evaluate((el) => el.srcdoc);
}

/** Row count as it may be printed: 50,000 / 50 000 / 50000. */
export function rowCountPattern(n) {
  const s = String(n);
  const grouped = s.replace(/\B(?=(\d{3})+(?!\d))/g, '[,\u202f\u00a0 ]?');
  return new RegExp(`(^|[^0-9.])${grouped}([^0-9]|$)`);
}

const tempDirs = [];

/** Writes a temporary file and returns its path (removed by removeTempFiles). */
export function tempFile(name, contents) {
  const dir = mkdtempSync(join(tmpdir(), 'privaudit-csv-'));
  tempDirs.push(dir);
  const file = join(dir, name);
  writeFileSync(file, contents);
  return file;
}

export function removeTempFiles() {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export function saveArtifact(name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  return join(ARTIFACTS, name);
}

/** True if a URL is an app file of the served site (same origin, exists in www/). */
export function isAppFile(url, origin) {
  const u = new URL(url);
  if (u.origin !== origin) return false;
  const path = decodeURIComponent(u.pathname);
  const file = resolve(WWW, `.${path.endsWith('/') ? `${path}index.html` : path}`);
  return file.startsWith(WWW + sep) && existsSync(file);
}
