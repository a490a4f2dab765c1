// scripts/bench-bias, last step: the issue-14 table. Combines the native runs (JSON lines
// written by scripts/bench-bias: privaudit's reports, the peers' JSON) and the Chromium
// ones (tests/browser/bench/run.mjs) into one table with the targets, checks that every
// tool counted the same rows and the same per-group confusion counts, prints it all, and
// writes it as JSON. Exit 3 when a check fails (the table is still printed and written).
// No dependencies.

import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';

const { values: a } = parseArgs({
  options: {
    file: { type: 'string' },
    size: { type: 'string' },
    threads: { type: 'string' },
    repeat: { type: 'string' },
    native: { type: 'string' },
    browser: { type: 'string' },
    out: { type: 'string' },
    'load-before': { type: 'string' },
    'load-after': { type: 'string' },
    'baseline-bin': { type: 'string' },
    'baseline-www': { type: 'string' },
    'baseline-pkg': { type: 'string' },
  },
});

// Targets of issue 14 (each a ratio of two times measured in this run).
const T = {
  auditOverProfile: 1.5, // native: full audit ≤ 1.5 × the profile
  duckdbOverAudit: 3, // native: full audit ≥ 3 × faster than DuckDB (SUMMARIZE + confusion)
  nativeProfileShare: 0.5, // native: profile ≥ 50 % of the bare parse's speed
  chromiumProfileShare: 0.6, // Chromium: profile ≥ 60 % of the bare parse, per worker
  chromiumAuditShare: 0.35, // Chromium, 2 workers: full audit ≥ 35 % of the bare parse
  duckdbWasmOverAudit: 3, // Chromium, 2 workers: full audit ≥ 3 × faster than DuckDB-WASM
};
const MiB = 1024 * 1024;
const bytes = Number(execFileSync('stat', ['-L', '-c', '%s', a.file], { encoding: 'utf8' }).trim());
const THREADS = Number(a.threads);
const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));

// ---- native -------------------------------------------------------------------------------
const runs = readFileSync(a.native, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
for (const r of runs) {
  if (r.kind === 'duckdb' || r.kind === 'polars' || r.kind === 'bare') r.output = JSON.parse(readFileSync(r.stdout, 'utf8'));
  if (r.kind === 'profile' || r.kind === 'audit') {
    const report = readJson(r.report);
    r.output = { rows: report.input.rows, confusion: r.kind === 'audit' ? confusionOf(report.bias) : null };
  }
}

/** privaudit's per-group confusion counts: {key → {tp, fp, tn, fn}}. */
function confusionOf(bias) {
  const out = {};
  for (const b of bias?.breakdowns || []) {
    for (const g of b.audit?.groups || []) out[keyOf(Object.fromEntries(b.attributes.map((x, i) => [x, g.group[i]])))] = g.confusion;
  }
  return out;
}
function keyOf(groups) {
  return JSON.stringify(Object.fromEntries(Object.entries(groups).sort(([x], [y]) => (x < y ? -1 : 1))));
}
const cubeMap = (cube) => Object.fromEntries(cube.map((c) => [keyOf(c.groups), { n: c.n, tp: c.tp, fp: c.fp, tn: c.tn, fn: c.fn }]));

const results = [];
const byId = {};
function add(r) {
  r.mb_per_s = bytes / 1e6 / r.seconds;
  results.push(r);
  byId[r.id] = r;
}
function nativeBest(kind, variant, what, tool) {
  const mine = runs.filter((r) => r.kind === kind && r.variant === variant);
  if (!mine.length) return;
  // Peers: the seconds they measured around their queries (without Python's start-up and
  // imports: in their favour); privaudit and the bare parse: the process's wall time.
  const secs = (r) => (r.output?.seconds !== undefined && (kind === 'duckdb' || kind === 'polars') ? r.output.seconds : r.wall_s);
  const top = mine.reduce((x, y) => (secs(y) < secs(x) ? y : x));
  add({
    id: `native-${kind}${variant === 'old' ? '-old' : ''}`, env: 'native', kind, variant, what, tool,
    workers: THREADS, seconds: secs(top), process_s: top.wall_s, runs_s: mine.map(secs),
    peak_memory: Math.max(...mine.map((r) => r.rss_kb)) * 1024, memory_kind: 'peak RSS of the process',
    cpu_percent: Math.round((100 * (top.user_s + top.sys_s)) / top.wall_s),
    rows: kind === 'bare' ? null : (top.output?.rows ?? null), output: top.output,
  });
}
const peerOut = (kind) => runs.find((r) => r.kind === kind)?.output;
nativeBest('bare', 'new', 'bare parse (csv-core only)', 'privaudit bench-parse');
for (const variant of ['new', 'old']) {
  const tag = variant === 'old' ? ' — BASELINE' : '';
  nativeBest('profile', variant, `privaudit profile${tag}`, 'privaudit profile --no-hash');
  nativeBest('audit', variant, `privaudit audit --spec (full audit)${tag}`, 'privaudit audit --spec --no-hash');
}
if (peerOut('duckdb')) nativeBest('duckdb', 'peer', `DuckDB ${peerOut('duckdb').version}: SUMMARIZE + confusion CUBE`, 'duckdb_peer.py');
if (peerOut('polars')) nativeBest('polars', 'peer', `polars ${peerOut('polars').version}: read + describe + n_unique + confusion`, 'polars_peer.py');

// ---- Chromium -----------------------------------------------------------------------------
const browser = a.browser && existsSync(a.browser) ? readJson(a.browser) : null;
const rangeMemory = (r) => r.workers.filter((w) => w.name.startsWith('privaudit-range-')).map((w) => w.wasm_memory);
if (browser) {
  for (const n of Object.keys(browser.bare)) {
    const r = browser.bare[n];
    add({ id: `chromium-bare-${n}`, env: 'chromium', kind: 'bare', what: 'bare parse (wasm BareParser)', workers: Number(n),
      seconds: r.ms / 1000, runs_s: r.runs_ms.map((x) => x / 1000), peak_memory_per_worker: r.workers.map((w) => w.wasmMemory), rows: null });
  }
  const app = (set, variant, kind, what) => {
    for (const n of Object.keys(set || {})) {
      const r = set[n];
      add({ id: `chromium-${kind}${variant === 'old' ? '-old' : ''}-${n}`, env: 'chromium', kind, variant, what, workers: Number(n),
        seconds: r.ms / 1000, runs_s: r.runs_ms.map((x) => x / 1000), peak_memory_per_worker: rangeMemory(r),
        rows: r.rows, app_duration_ms: r.app_duration_ms, output: { confusion: r.bias_confusion ? Object.fromEntries(r.bias_confusion.map((g) => [keyOf(Object.fromEntries(g.attributes.map((x, i) => [x, g.group[i]]))), { tp: g.tp, fp: g.fp, tn: g.tn, fn: g.fn }])) : null } });
    }
  };
  for (const variant of ['new', 'old']) {
    const src = variant === 'old' ? browser.baseline : browser;
    if (!src) continue;
    const tag = variant === 'old' ? ' — BASELINE' : '';
    app(src.app, variant, 'profile', `app profile, SHA-256 stubbed${tag}`);
    app(src.audit, variant, 'audit', `app full audit (spec loaded), SHA-256 stubbed${tag}`);
  }
  if (browser.duckdb) {
    const r = browser.duckdb;
    add({ id: 'chromium-duckdb', env: 'chromium', kind: 'duckdb', what: `DuckDB-WASM (DuckDB ${r.version}, ${r.bundle} bundle, single-threaded): SUMMARIZE + confusion CUBE`,
      workers: 1, seconds: r.ms / 1000, runs_s: r.runs_ms.map((x) => x / 1000), peak_memory_per_worker: [r.wasm_memory], rows: r.rows,
      output: r, instantiate_s: r.instantiate_ms / 1000 });
  }
}

// ---- targets --------------------------------------------------------------------------------
const pct = (x) => `${(100 * x).toFixed(0)} %`;
const times = (x) => `${x.toFixed(2)}×`;
const targets = [];
/** One target row: value for the new engine and (when measured) the baseline. */
function target(name, f, show, goal, pass) {
  const v = f('');
  const old = f('-old');
  if (v === null && old === null) return;
  targets.push({ name, value: v, baseline: old, shown: v === null ? 'n/a' : show(v), baseline_shown: old === null ? '' : show(old), target: goal, pass: v === null ? null : pass(v) });
}
const s = (id) => byId[id]?.seconds ?? null;
const ratio = (x, y) => (x === null || y === null ? null : x / y);
target(`native full audit / profile (${THREADS} threads; time)`, (o) => ratio(s(`native-audit${o}`), s(`native-profile${o}`)), times, `≤ ${times(T.auditOverProfile)}`, (v) => v <= T.auditOverProfile);
target('native DuckDB time / full audit time (audit speed-up)', (o) => ratio(s('native-duckdb'), s(`native-audit${o}`)), times, `≥ ${times(T.duckdbOverAudit)}`, (v) => v >= T.duckdbOverAudit);
target('(info) native polars time / full audit time', (o) => ratio(s('native-polars'), s(`native-audit${o}`)), times, 'info', () => null);
target('native profile speed / bare parse speed', (o) => ratio(s('native-bare'), s(`native-profile${o}`)), pct, `≥ ${pct(T.nativeProfileShare)}`, (v) => v >= T.nativeProfileShare);
target('(info) native full audit speed / bare parse speed', (o) => ratio(s('native-bare'), s(`native-audit${o}`)), pct, 'info', () => null);
for (const n of browser ? Object.keys(browser.bare) : []) {
  target(`Chromium profile speed / bare parse speed, ${n} worker(s) (per worker)`, (o) => ratio(s(`chromium-bare-${n}`), s(`chromium-profile${o}-${n}`)), pct, `≥ ${pct(T.chromiumProfileShare)}`, (v) => v >= T.chromiumProfileShare);
  const goal = Number(n) === 2;
  target(`Chromium full audit speed / bare parse speed, ${n} worker(s)`, (o) => ratio(s(`chromium-bare-${n}`), s(`chromium-audit${o}-${n}`)), pct, goal ? `≥ ${pct(T.chromiumAuditShare)}` : 'info', (v) => (goal ? v >= T.chromiumAuditShare : null));
  target(`Chromium DuckDB-WASM time / full audit time, ${n} worker(s)`, (o) => ratio(s('chromium-duckdb'), s(`chromium-audit${o}-${n}`)), times, goal ? `≥ ${times(T.duckdbWasmOverAudit)}` : 'info', (v) => (goal ? v >= T.duckdbWasmOverAudit : null));
  target(`(info) Chromium full audit / profile, ${n} worker(s) (time)`, (o) => ratio(s(`chromium-audit${o}-${n}`), s(`chromium-profile${o}-${n}`)), times, 'info', () => null);
}

// ---- checks: the same rows and the same confusion counts everywhere ---------------------------
const checks = [];
const rowsSeen = results.filter((r) => r.rows !== null && r.rows !== undefined).map((r) => [r.id, r.rows]);
const rowSet = [...new Set(rowsSeen.map(([, n]) => n))];
checks.push({ name: 'rows counted (privaudit: data rows; peers: rows read)', pass: rowSet.length === 1, detail: rowsSeen.map(([id, n]) => `${id} ${n}`).join(', ') });
const duck = byId['native-duckdb']?.output?.cube ? cubeMap(byId['native-duckdb'].output.cube) : null;
if (duck) {
  for (const id of ['native-polars', 'chromium-duckdb']) {
    if (!byId[id]) continue;
    const other = cubeMap(byId[id].output.cube);
    const same = keyOf(duck) === keyOf(other) && Object.keys(duck).every((k) => JSON.stringify(duck[k]) === JSON.stringify(other[k]));
    checks.push({ name: `${id}: the same ${Object.keys(duck).length} cube cells (n, tp, fp, tn, fn) as native-duckdb`, pass: same, detail: same ? '' : diffCells(duck, other) });
  }
}
// privaudit reads the default missing tokens (crate/ingest/value.rs DEFAULT_MISSING, trimmed,
// any case) as missing and reports them as one group (null); the peers keep "NA" etc. as
// text: their cells of those values are summed into the missing group before comparing.
const MISSING = new Set(['', 'na', 'n/a', 'null', 'nan', 'none', '?', '-']);
function asPrivaudit(cells) {
  const out = {};
  for (const [key, c] of Object.entries(cells)) {
    const groups = Object.fromEntries(Object.entries(JSON.parse(key)).map(([k, v]) => [k, v === null || MISSING.has(v.trim().toLowerCase()) ? null : v]));
    const into = (out[keyOf(groups)] ??= { n: 0, tp: 0, fp: 0, tn: 0, fn: 0 });
    for (const f of Object.keys(into)) into[f] += c[f];
  }
  return out;
}
const ref = duck ? asPrivaudit(duck) : results.find((r) => r.kind === 'audit' && r.output?.confusion)?.output.confusion ?? null;
for (const r of results.filter((x) => x.kind === 'audit' && x.output?.confusion)) {
  if (!ref || r.output.confusion === ref) continue;
  const bad = Object.entries(r.output.confusion).filter(([k, c]) => !ref[k] || ['tp', 'fp', 'tn', 'fn'].some((f) => ref[k][f] !== c[f]));
  checks.push({ name: `${r.id}: every group's tp/fp/tn/fn (${Object.keys(r.output.confusion).length} groups) as ${duck ? 'DuckDB (missing tokens merged)' : results.find((x) => x.output?.confusion === ref).id}`,
    pass: bad.length === 0, detail: bad.slice(0, 3).map(([k, c]) => `${k}: ${JSON.stringify(c)} vs ${JSON.stringify(ref[k] ?? null)}`).join('; ') });
}
function diffCells(x, y) {
  const keys = [...new Set([...Object.keys(x), ...Object.keys(y)])].filter((k) => JSON.stringify(x[k]) !== JSON.stringify(y[k]));
  return keys.slice(0, 3).map((k) => `${k}: ${JSON.stringify(x[k] ?? null)} vs ${JSON.stringify(y[k] ?? null)}`).join('; ');
}

// ---- print ----------------------------------------------------------------------------------
const num = new Intl.NumberFormat('en');
function memCell(r) {
  if (r.peak_memory !== undefined) return `${(r.peak_memory / MiB).toFixed(1)} MiB RSS`;
  const m = r.peak_memory_per_worker;
  if (!m.length) return '?';
  if (m.every((x) => x === m[0])) return `${m.length > 1 ? `${m.length} × ` : ''}${(m[0] / MiB).toFixed(1)} MiB wasm`;
  return `${m.map((x) => (x / MiB).toFixed(1)).join(' + ')} MiB wasm`;
}
function table(head, body, align) {
  const w = head.map((h, i) => Math.max(h.length, ...body.map((r) => String(r[i]).length)));
  const line = (r) => r.map((c, i) => (align[i] === 'r' ? String(c).padStart(w[i]) : String(c).padEnd(w[i]))).join('  ').trimEnd();
  return [line(head), w.map((x) => '-'.repeat(x)).join('  '), ...body.map(line)].join('\n');
}
const rows = rowSet.length === 1 ? rowSet[0] : null;
const load = Math.max(Number(a['load-before']), Number(a['load-after']));
const out = [''];
out.push(`privaudit bench-bias — ${basename(a.file)}: ${num.format(bytes)} bytes${rows !== null ? `, ${num.format(rows)} rows` : ''}; `
  + `best of ${a.repeat} runs${a['baseline-bin'] || a['baseline-www'] || a['baseline-pkg'] ? ', old and new interleaved' : ''}; MB = 10^6 bytes; ${cpus().length} cores; load average ${a['load-before']} → ${a['load-after']}`
  + `${browser ? `; Chromium ${browser.chromium}` : ''}`);
if (load > cpus().length / 2) out.push(`warning: load average up to ${load} on ${cpus().length} cores: other processes competed for the CPU; times are high and noisy.`);
if (a['baseline-bin'] || a['baseline-www'] || a['baseline-pkg']) {
  out.push(`baseline: ${[a['baseline-bin'] && `CLI ${a['baseline-bin']}`, a['baseline-www'] && `app ${a['baseline-www']}`, a['baseline-pkg'] && `wasm pkg ${a['baseline-pkg']}`].filter(Boolean).join(', ')}`);
}
out.push('');
// Every run, fastest first: on a shared machine the spread can be larger than the change
// being measured, and the best of N alone hides it.
const spread = (r) => (r.runs_s?.length > 1 ? Math.max(...r.runs_s) / Math.min(...r.runs_s) : 1);
out.push(table(['where', 'what', 'threads', 'seconds', 'MB/s', 'vs bare', 'peak memory', 'CPU', 'all runs (s)'],
  results.map((r) => {
    const bare = byId[r.env === 'native' ? 'native-bare' : `chromium-bare-${r.workers}`];
    return [r.env, r.what, r.workers, r.seconds.toFixed(2) + (r.process_s !== undefined && r.process_s !== r.seconds ? ` (process ${r.process_s.toFixed(2)})` : ''),
      r.mb_per_s.toFixed(1), bare && r.kind !== 'duckdb' && r.kind !== 'polars' ? pct(r.mb_per_s / bare.mb_per_s) : '', memCell(r), r.cpu_percent !== undefined ? `${r.cpu_percent} %` : '',
      [...(r.runs_s || [])].sort((x, y) => x - y).map((x) => x.toFixed(2)).join(' ')];
  }), ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'l']));
const noisy = results.filter((r) => spread(r) > 1.15);
if (noisy.length) {
  const worst = noisy.reduce((x, y) => (spread(y) > spread(x) ? y : x));
  out.push(`warning: ${noisy.length} measurement(s) spread more than 15 % between runs (worst: ${worst.env} ${worst.what}, slowest run `
    + `${pct(spread(worst) - 1)} above the fastest); a ratio that moved less than that is within this run's noise.`);
}
out.push('');
const hasOld = targets.some((t) => t.baseline !== null);
out.push(table(['target (issue 14)', 'new', ...(hasOld ? ['baseline'] : []), 'target', 'result (new)'],
  targets.map((t) => [t.name, t.shown, ...(hasOld ? [t.baseline_shown] : []), t.target, t.pass === null ? '—' : t.pass ? 'PASS' : 'FAIL']),
  ['l', 'r', ...(hasOld ? ['r'] : []), 'r', 'l']));
out.push('');
out.push(table(['check', 'result'], checks.map((c) => [c.name, c.pass ? 'ok' : `MISMATCH ${c.detail}`]), ['l', 'l']));
if (!checks.every((c) => c.pass)) out.push('', 'A check failed: the tools did not count the same thing; the ratios above compare different work.');
out.push('');
out.push('Seconds: native privaudit and bare parse = wall time of the process (start-up included); DuckDB and polars = the time their');
out.push('script measured around the timed work (Python start-up, imports and DuckDB\'s DESCRIBE left out: in their favour; the whole');
out.push('process in brackets). DuckDB reads the CSV twice (read_csv in each query, sniffed types); polars reads it once into memory.');
if (browser) {
  out.push('Chromium app = click on "Run audit" to the report shown (worker start-up, plan, read, merge, render), SHA-256 stubbed;');
  out.push('bare = first postMessage to the last answer, 4 MiB File.slice chunks.');
}
const dw = byId['chromium-duckdb'];
if (dw) {
  out.push(`DuckDB-WASM = the two queries only (instantiation ${dw.instantiate_s.toFixed(2)} s and DESCRIBE left out), file registered with`);
  out.push('registerFileHandle(BROWSER_FILEREADER), SINGLE-threaded bundle: the multi-threaded (coi) bundle fails with browser file handles');
  out.push('(duckdb/duckdb-wasm#2243: its registerFileHandle posts the handle to every pthread worker) and needs a cross-origin-isolated page.');
}
out.push('"vs bare": MB/s as a share of the bare parse in the same environment with the same worker count. Peak memory: native = peak');
out.push(`RSS of the process (GNU time)${browser ? '; Chromium = wasm linear memory of each range worker / of DuckDB\'s worker (it only grows)' : ''}.`);
console.log(out.join('\n'));

// ---- JSON -----------------------------------------------------------------------------------
let git = null;
try {
  git = execFileSync('git', ['describe', '--always', '--dirty'], { encoding: 'utf8' }).trim();
} catch { /* not a git checkout */ }
const slim = (r) => ({ ...r, output: r.output ? { ...r.output, cube: undefined, confusion: undefined } : undefined });
writeFileSync(a.out, `${JSON.stringify({
  schema: 'privaudit-bench-bias/1', size: a.size, file: a.file, bytes, rows, threads: THREADS, repeat: Number(a.repeat),
  measured_at: new Date().toISOString(), git,
  machine: { cores: cpus().length, cpu: cpus()[0]?.model ?? null, memory_bytes: totalmem(), load_before: Number(a['load-before']), load_after: Number(a['load-after']) },
  chromium: browser?.chromium ?? null,
  baseline: { bin: a['baseline-bin'] ?? null, www: a['baseline-www'] ?? null, pkg: a['baseline-pkg'] ?? null },
  results: results.map(slim), targets, checks,
}, null, 2)}\n`);
if (!checks.every((c) => c.pass)) process.exitCode = 3;
