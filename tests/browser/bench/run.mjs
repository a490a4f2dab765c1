// Browser half of scripts/bench (not a test): measures, in Debian's headless
// Chromium, the bare parse and the decode-only run (bare.html: the engine's
// decoding and typing, no analyses) and the real app's profile (www/), each on
// 1 and 2 workers, best of --repeat runs, and writes JSON to --out.
//
//   node tests/browser/bench/run.mjs --file bench-out/bench-100M.csv --out r.json [--repeat 2] [--workers 1,2]
//
// The repository root is served on 127.0.0.1 (harness.mjs's server), so the
// app is /www/index.html and this directory is /tests/browser/bench/.

import { writeFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT, CHROMIUM, startServer, launch } from '../harness.mjs';
import { benchHook } from './app-hook.mjs';

const { values: args } = parseArgs({
  options: {
    file: { type: 'string' },
    out: { type: 'string' },
    repeat: { type: 'string', default: '2' },
    workers: { type: 'string', default: '1,2' },
    // A spec file loaded in the page before each app run (e.g. a bias audit), and
    // whether to skip the bare-parse / decode-only / read / SHA-256 baselines.
    spec: { type: 'string' },
    'app-only': { type: 'boolean', default: false },
  },
});
if (!args.file || !args.out) {
  console.error('usage: node run.mjs --file CSV --out JSON [--repeat N] [--workers 1,2]');
  process.exit(2);
}
const FILE = resolve(args.file);
const BYTES = statSync(FILE).size;
const REPEAT = Math.max(1, Number(args.repeat));
const WORKERS = args.workers.split(',').map(Number);
// Generous: a run slower than 0.5 MB/s is broken, not slow.
const TIMEOUT_MS = Math.max(120_000, BYTES / 500);

const log = (msg) => process.stderr.write(`   ${msg}\n`);
const mbps = (ms) => BYTES / 1e6 / (ms / 1000);

let server = null;
let browser = null;
let closing = null;
async function cleanup() {
  if (!closing) {
    closing = (async () => {
      if (browser) await browser.close().catch(() => {});
      if (server) await server.close().catch(() => {});
    })();
  }
  return closing;
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    log(`${signal}: closing Chromium and the server`);
    cleanup().finally(() => process.exit(130));
  });
}

/** Runs `once(i)` REPEAT times; returns the run with the smallest .ms, plus all times. */
async function best(label, once) {
  const runs = [];
  for (let i = 0; i < REPEAT; i += 1) {
    const r = await once(i);
    runs.push(r);
    log(`${label} run ${i + 1}/${REPEAT}: ${(r.ms / 1000).toFixed(2)} s, ${mbps(r.ms).toFixed(1)} MB/s`);
  }
  const top = runs.reduce((a, b) => (b.ms < a.ms ? b : a));
  return { ...top, runs_ms: runs.map((r) => Math.round(r.ms)) };
}

async function freshPage() {
  const page = await browser.context.newPage();
  page.on('pageerror', (e) => log(`page error: ${e}`));
  page.on('worker', (w) => w.on('console', (m) => { if (m.type() === 'error') log(`worker error: ${m.text()}`); }));
  return page;
}

/** One run of bare.html in `mode` on n workers. */
async function bareOnce(mode, n) {
  const page = await freshPage();
  try {
    await page.goto(`${server.origin}/tests/browser/bench/bare.html`);
    await page.waitForFunction(() => window.benchReady === true);
    await page.locator('#file').setInputFiles(FILE);
    return await page.evaluate(([m, k]) => window.runBench(m, k), [mode, n]);
  } finally {
    await page.close();
  }
}

/** One audit in the real app (www/) with n range workers (null: the app's default). */
async function appOnce(n, hash) {
  const page = await freshPage();
  try {
    await page.addInitScript(benchHook, { workers: n, hash, wrapper: '/tests/browser/bench/app-worker.mjs' });
    await page.goto(`${server.origin}/www/index.html`);
    await page.locator('#file-input').setInputFiles(FILE);
    await page.locator('#step-preview').waitFor({ state: 'visible', timeout: 60_000 });
    if (args.spec) {
      await page.locator('#spec-file').setInputFiles(resolve(args.spec));
      await page.locator('#alert:not([hidden])').waitFor({ state: 'visible', timeout: 60_000 });
      const text = await page.locator('#alert-text').textContent();
      if (!/loaded/.test(text)) throw new Error(`the spec was not loaded: ${text}`);
    }
    const run = page.locator('#run-button');
    await page.waitForFunction(() => !document.getElementById('run-button').disabled, null, { timeout: 60_000 });
    await run.click();
    await page.locator('#step-report:not([hidden]), #alert:not([hidden])').first().waitFor({ state: 'visible', timeout: TIMEOUT_MS });
    if (await page.locator('#alert:not([hidden])').count()) {
      throw new Error(`the app showed an alert instead of a report: ${await page.locator('#alert-text').textContent()}`);
    }
    const b = await page.evaluate(() => window.__bench);
    const summary = await page.locator('#run-summary').textContent();
    if (b.redirected === 0) throw new Error('the app started no worker from …/worker.js: update tests/browser/bench/app-hook.mjs');
    if (!hash && b.hashStubbed !== 1) throw new Error(`expected the app to ask for SHA-256 once (stubbed), saw ${b.hashStubbed}`);
    if (b.runClick === null || b.reportShown === null || !b.reportJson) throw new Error('could not time the run (no click or no report seen)');
    const input = JSON.parse(b.reportJson).input;
    const ranges = b.workers.filter((w) => w.name.startsWith('privaudit-range-'));
    if (n && ranges.length !== n) throw new Error(`asked for ${n} workers, the app started ${ranges.length} range workers (${summary})`);
    return {
      ms: b.reportShown - b.runClick,
      app_duration_ms: input.duration_ms,
      rows: input.rows,
      passes: input.passes ?? null,
      summary,
      workers: b.workers.map((w) => ({
        name: w.name,
        wasm_memory: w.wasmMemory,
        requests: w.requests.map((r) => ({ type: r.type, ms: Math.round(r.ms), read_ms: Math.round(r.readMs) })),
      })),
    };
  } finally {
    await page.close();
  }
}

async function main() {
  server = await startServer(ROOT);
  browser = await launch();
  const version = browser.context.browser()?.version() ?? null;
  log(`Chromium ${version ?? '(version unknown)'} at ${CHROMIUM}, file ${FILE} (${BYTES} bytes)`);
  const out = { chromium: version, file: FILE, bytes: BYTES, repeat: REPEAT, bare: {}, decode: {}, read: {}, app: {} };
  if (!args['app-only']) {
    for (const n of WORKERS) out.bare[n] = await best(`chromium bare parse, ${n} worker(s)`, () => bareOnce('bare', n));
    for (const n of WORKERS) out.decode[n] = await best(`chromium decode only (no analyses), ${n} worker(s)`, () => bareOnce('decode', n));
    for (const n of WORKERS) out.read[n] = await best(`chromium File.slice read only, ${n} worker(s)`, () => bareOnce('read', n));
    out.sha256 = await best('chromium SHA-256 (wasm), 1 worker', () => bareOnce('sha256', 1));
  }
  const what = args.spec ? `audit with ${args.spec}` : 'profile';
  for (const n of WORKERS) out.app[n] = await best(`chromium app ${what}, ${n} worker(s), SHA-256 stubbed`, () => appOnce(n, false));
  if (!args['app-only']) {
    out.app_shipped = await best('chromium app as shipped (default workers + SHA-256 worker)', () => appOnce(null, true));
  }
  writeFileSync(args.out, `${JSON.stringify(out, null, 2)}\n`);
}

try {
  await main();
} catch (error) {
  if (!closing) console.error(`bench (browser): ${error && error.stack ? error.stack : error}`);
  process.exitCode = 1;
} finally {
  await cleanup();
}
