// Browser half of scripts/bench and scripts/bench-bias (not a test): measures, in
// Debian's headless Chromium, the bare parse and the decode-only run (bare.html: the
// engine's decoding and typing, no analyses), the real app (www/) profiling the file
// or auditing it with a spec, and DuckDB-WASM (duckdb.html), each on the given worker
// counts, best of --repeat runs, and writes JSON to --out.
//
//   node tests/browser/bench/run.mjs --file bench-out/bench-100M.csv --out r.json [--repeat 2] [--workers 1,2]
//        [--measure bare,decode,read,sha256,profile,shipped] [--spec SPEC.toml] [--duckdb-sql Q.json]
//        [--specs NAME=SPEC.toml,…] [--baseline-www DIR] [--baseline-pkg DIR]
//
// --measure (default bare,decode,read,sha256,profile,shipped — scripts/bench's set):
//   bare, decode, read, sha256  bare.html modes (out.bare, .decode, .read, .sha256)
//   profile                     the app, no spec (out.app)
//   audit                       the app with --spec loaded ("Load a spec") (out.audit)
//   specs                       the app with each spec of --specs loaded, interleaved run by run
//                               (out.specs[NAME]; scripts/bench-risk; no bias section needed)
//   shipped                     the app as shipped: default workers + SHA-256 (out.app_shipped)
//   duckdb                      DuckDB-WASM, the queries of --duckdb-sql (duckdb_peer.py --sql-only) (out.duckdb)
// With --baseline-pkg (an older www/pkg) and/or --baseline-www (an older www/), profile
// and audit run for the old app too (out.baseline.app, out.baseline.audit), interleaved
// with the new one run by run. The repository root is served on 127.0.0.1
// (server.mjs), so the app is /www/index.html and this directory /tests/browser/bench/.

import { readFileSync, writeFileSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CHROMIUM, launch } from '../harness.mjs';
import { benchHook } from './app-hook.mjs';
import { BASELINE_PREFIX, startBenchServer } from './server.mjs';

const MODES = ['bare', 'decode', 'read', 'sha256', 'profile', 'audit', 'specs', 'shipped', 'duckdb'];
const { values: args } = parseArgs({
  options: {
    file: { type: 'string' },
    out: { type: 'string' },
    repeat: { type: 'string', default: '2' },
    workers: { type: 'string', default: '1,2' },
    measure: { type: 'string', default: 'bare,decode,read,sha256,profile,shipped' },
    spec: { type: 'string' },
    specs: { type: 'string' },
    'duckdb-sql': { type: 'string' },
    'baseline-www': { type: 'string' },
    'baseline-pkg': { type: 'string' },
  },
});
function usage(message) {
  console.error(`bench (browser): ${message}`);
  console.error('usage: node run.mjs --file CSV --out JSON [--repeat N] [--workers 1,2] [--measure LIST] [--spec SPEC] [--specs NAME=SPEC,…] [--duckdb-sql JSON] [--baseline-www DIR] [--baseline-pkg DIR]');
  process.exit(2);
}
if (!args.file || !args.out) usage('--file and --out are required');
const MEASURE = args.measure.split(',').filter(Boolean);
for (const m of MEASURE) if (!MODES.includes(m)) usage(`unknown --measure ${m} (one of ${MODES.join(', ')})`);
if (MEASURE.includes('audit') && !args.spec) usage('--measure audit needs --spec');
const SPECS = (args.specs || '').split(',').filter(Boolean).map((x) => {
  const at = x.indexOf('=');
  if (at < 1) usage(`--specs takes NAME=PATH,…; got ${x}`);
  return { name: x.slice(0, at), path: x.slice(at + 1) };
});
if (MEASURE.includes('specs') && !SPECS.length) usage('--measure specs needs --specs NAME=SPEC,…');
if (MEASURE.includes('duckdb') && !args['duckdb-sql']) usage('--measure duckdb needs --duckdb-sql (scripts/bench.d/duckdb_peer.py --sql-only NAME)');
const BASELINE = args['baseline-www'] || args['baseline-pkg'] ? { www: args['baseline-www'] ?? null, pkg: args['baseline-pkg'] ?? null } : null;
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

/** Runs each variant REPEAT times, interleaved (a1 b1 a2 b2 …, so a slow spell of the
 *  machine hits all alike); returns {key: the run with the smallest .ms + all times}. */
async function bestOf(variants) {
  const runs = Object.fromEntries(variants.map((v) => [v.key, []]));
  for (let i = 0; i < REPEAT; i += 1) {
    for (const v of variants) {
      const r = await v.once(i);
      runs[v.key].push(r);
      log(`${v.label} run ${i + 1}/${REPEAT}: ${(r.ms / 1000).toFixed(2)} s, ${mbps(r.ms).toFixed(1)} MB/s`);
    }
  }
  return Object.fromEntries(variants.map((v) => {
    const top = runs[v.key].reduce((a, b) => (b.ms < a.ms ? b : a));
    return [v.key, { ...top, runs_ms: runs[v.key].map((r) => Math.round(r.ms)) }];
  }));
}

async function best(label, once) {
  return (await bestOf([{ key: 'only', label, once }])).only;
}

async function freshPage() {
  const page = await browser.context.newPage();
  page.on('pageerror', (e) => log(`page error: ${e}`));
  page.on('console', (m) => { if (m.type() === 'error') log(`page console error: ${m.text()}`); });
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

/** One run of the app served at `www` (/www, or BASELINE_PREFIX for the old engine) with n
 *  range workers (null: the app's default), the spec loaded when `spec` is given (a bias
 *  audit's unless `bias` is false). */
async function appOnce(n, hash, { www = '/www', spec = null, bias = true } = {}) {
  const page = await freshPage();
  try {
    await page.addInitScript(benchHook, { workers: n, hash, www, wrapper: '/tests/browser/bench/app-worker.mjs' });
    await page.goto(`${server.origin}${www}/index.html`);
    await page.locator('#file-input').setInputFiles(FILE);
    await page.locator('#step-preview').waitFor({ state: 'visible', timeout: 60_000 });
    if (spec) {
      await page.locator('#spec-file').setInputFiles(resolve(spec));
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
    const report = JSON.parse(b.reportJson);
    const { input } = report;
    if (spec && bias && !report.bias) throw new Error(`the app's report has no bias section although ${spec} was loaded`);
    const ranges = b.workers.filter((w) => w.name.startsWith('privaudit-range-'));
    if (n && ranges.length !== n) throw new Error(`asked for ${n} workers, the app started ${ranges.length} range workers (${summary})`);
    return {
      ms: b.reportShown - b.runClick,
      app_duration_ms: input.duration_ms,
      rows: input.rows,
      passes: input.passes ?? null,
      summary,
      bias_confusion: spec && bias ? confusionOf(report.bias) : null,
      privacy: spec && !bias ? privacyOf(report.privacy) : null,
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

/** The per-group confusion counts of a report's bias section (to check the peers). */
function confusionOf(bias) {
  return (bias.breakdowns || []).flatMap((b) => (b.audit?.groups || []).map((g) => ({
    attributes: b.attributes, group: g.group, ...g.confusion,
  })));
}

/** What the report's privacy section counted (to compare with the native run). */
function privacyOf(privacy) {
  const risk = privacy?.risk;
  return {
    detection: privacy?.personal_data ? { columns_scanned: privacy.personal_data.columns_scanned, cells_scanned: privacy.personal_data.cells_scanned } : null,
    quasi_identifiers: risk ? risk.quasi_identifiers : null,
    classes: risk?.classes?.classes ?? null,
    k: risk?.classes?.k ?? null,
    sensitive: risk ? (risk.sensitive_measures || []).map((m) => ({ column: m.column, values: m.values, distinct_l: m.measures?.distinct_l ?? null })) : null,
  };
}

/** One DuckDB-WASM run (duckdb.html) of the queries in --duckdb-sql. */
async function duckdbOnce(queries) {
  const page = await freshPage();
  try {
    await page.goto(`${server.origin}/tests/browser/bench/duckdb.html`);
    await page.waitForFunction(() => window.benchReady === true, null, { timeout: 60_000 });
    await page.locator('#file').setInputFiles(FILE);
    const r = await page.evaluate((q) => window.runDuckdb(q), queries);
    return r;
  } finally {
    await page.close();
  }
}

async function main() {
  server = await startBenchServer(BASELINE);
  browser = await launch();
  const version = browser.context.browser()?.version() ?? null;
  log(`Chromium ${version ?? '(version unknown)'} at ${CHROMIUM}, file ${FILE} (${BYTES} bytes)`);
  const out = { chromium: version, file: FILE, bytes: BYTES, repeat: REPEAT, measured: MEASURE, bare: {}, decode: {}, read: {}, app: {}, audit: {} };
  const has = (m) => MEASURE.includes(m);
  for (const mode of ['bare', 'decode', 'read']) {
    if (!has(mode)) continue;
    const what = { bare: 'bare parse', decode: 'decode only (no analyses)', read: 'File.slice read only' }[mode];
    for (const n of WORKERS) out[mode][n] = await best(`chromium ${what}, ${n} worker(s)`, () => bareOnce(mode, n));
  }
  if (has('sha256')) out.sha256 = await best('chromium SHA-256 (wasm), 1 worker', () => bareOnce('sha256', 1));
  if (BASELINE) out.baseline = { www: BASELINE.www, pkg: BASELINE.pkg, app: {}, audit: {} };
  for (const [mode, key, spec] of [['profile', 'app', null], ['audit', 'audit', args.spec]]) {
    if (!has(mode)) continue;
    const what = spec ? `audit with ${basename(spec)}` : 'profile';
    for (const n of WORKERS) {
      const variants = [{ key: 'new', label: `chromium app ${what}, ${n} worker(s), SHA-256 stubbed`, once: () => appOnce(n, false, { spec }) }];
      if (BASELINE) {
        variants.push({ key: 'old', label: `chromium BASELINE app ${what}, ${n} worker(s), SHA-256 stubbed`, once: () => appOnce(n, false, { spec, www: BASELINE_PREFIX }) });
      }
      const r = await bestOf(variants);
      out[key][n] = r.new;
      if (BASELINE) out.baseline[key][n] = r.old;
    }
  }
  if (has('specs')) {
    out.specs = Object.fromEntries(SPECS.map(({ name }) => [name, {}]));
    for (const n of WORKERS) {
      const r = await bestOf(SPECS.map(({ name, path }) => ({
        key: name, label: `chromium app, spec ${name}, ${n} worker(s), SHA-256 stubbed`, once: () => appOnce(n, false, { spec: path, bias: false }),
      })));
      for (const { name } of SPECS) out.specs[name][n] = r[name];
    }
  }
  if (BASELINE && (has('profile') || has('audit')) && !server.requests.includes(`${BASELINE_PREFIX}/pkg/privaudit_bg.wasm`)) {
    throw new Error(`the baseline app never loaded ${BASELINE_PREFIX}/pkg/privaudit_bg.wasm: it did not run the old engine`);
  }
  if (has('shipped')) {
    out.app_shipped = await best('chromium app as shipped (default workers + SHA-256 worker)', () => appOnce(null, true));
  }
  if (has('duckdb')) {
    const queries = JSON.parse(readFileSync(args['duckdb-sql'], 'utf8'));
    const name = queries.name;
    if (!name || !queries.summarize || !queries.confusion || !queries.roles) throw new Error(`${args['duckdb-sql']} is not the output of duckdb_peer.py --sql-only`);
    out.duckdb = await best('chromium DuckDB-WASM (SUMMARIZE + confusion query, single-threaded bundle)', () => duckdbOnce({
      name, summarize: queries.summarize, confusion: queries.confusion, protected: queries.roles.protected,
    }));
    // Self-hosted: every request of the browser (pages and workers) went to the local server.
    const outside = [...new Set(browser.log.requests.filter((u) => !u.startsWith(`${server.origin}/`) && !/^(blob|data):/.test(u)))];
    if (outside.length) throw new Error(`requests left the local server: ${outside.join(', ')}`);
    out.duckdb.requests_outside_local_server = 0;
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
