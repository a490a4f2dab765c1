// The served site (www/ over http on 127.0.0.1) in Debian's Chromium.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import * as h from './harness.mjs';

let server;

before(async () => {
  h.requireBuilt('www');
  server = await h.startServer(h.WWW);
});

after(async () => {
  h.removeTempFiles();
  if (server) await server.close();
});

async function openApp() {
  const browser = await h.launch();
  await browser.page.goto(`${server.origin}/`);
  await browser.page.getByRole('button', { name: 'Try sample data' }).waitFor();
  return browser;
}

function assertOnlyAppFiles(log) {
  const seen = [...log.requests];
  for (const url of seen) {
    if (url.startsWith('blob:') || url.startsWith('data:')) continue;
    assert.ok(h.isAppFile(url, server.origin), `request outside the app's own files: ${url}`);
  }
  for (const { path } of server.requests) {
    assert.ok(h.isAppFile(`${server.origin}${path}`, server.origin), `the server was asked for ${path}, which is not an app file`);
  }
}

test('sample data: preview, audit, report, downloads; no request but the app files', async () => {
  server.requests.length = 0;
  const browser = await openApp();
  const { page, log } = browser;
  try {
    const loadCount = log.requests.length;
    assert.ok(loadCount > 0, 'request log is empty: the recorder is not working');
    const columns = await h.loadSample(page);
    assert.ok(columns.length >= 3, `expected the sample's columns, got ${JSON.stringify(columns)}`);
    assert.match(await page.locator('#facts').textContent(), /loan|sample/i);
    assert.equal(await page.locator('#columns-body select[id^="type-"]').count(), columns.length);
    assert.equal(await page.locator('#columns-body select[id^="role-"]').count(), columns.length);
    // Date columns also get their field order (ymd, dmy, mdy).
    assert.equal(await page.locator('#columns-body select[id^="date-order-"]').count(), 1);

    const frame = await h.runAndWaitForReport(page);
    const reportText = await frame.locator('body').innerText();
    assert.match(reportText, h.rowCountPattern(50000), 'the report should state the 50,000 rows');
    assert.match(reportText, /Bias audit/, 'the sample comes with its bias spec, so the report has a bias section');
    assert.match(reportText, /LL144 impact ratios/);
    for (const name of columns.slice(0, 3)) assert.ok(reportText.includes(name), `report lacks column ${name}`);
    assert.match(await page.locator('#run-summary').textContent(), /SHA-256 [0-9a-f]{64}/);

    await page.screenshot({ path: h.saveArtifact('report.png'), fullPage: true });

    const srcdoc = await h.reportSource(page);
    const html = await h.downloadText(page, 'Download report (HTML)');
    assert.match(html.name, /\.html$/);
    assert.equal(html.text, srcdoc, 'the downloaded HTML is the report shown');
    const json = await h.downloadText(page, 'Download report (JSON)');
    assert.match(json.name, /\.json$/);
    const report = JSON.parse(json.text);
    assert.ok(JSON.stringify(report).includes(columns[0]), 'report JSON names the columns');
    const toml = await h.downloadText(page, 'Download spec (TOML)');
    assert.match(toml.name, /\.toml$/);
    assert.ok(toml.text.includes(columns[0]), 'spec TOML names the columns');
    const spec = JSON.parse((await h.downloadText(page, 'Download spec (JSON)')).text);
    assert.equal(spec.columns.length, columns.length);

    assert.ok(log.requests.length >= loadCount);
    assertOnlyAppFiles(log);
    assert.deepEqual(log.dialogs, []);
    assert.deepEqual(log.errors, []);
  } finally {
    await browser.close();
  }
});

/** A CSV of `rows` rows, with quoted fields that span lines. */
function makeCsv(rows) {
  const lines = ['id,group,score,comment,approved'];
  for (let i = 1; i <= rows; i += 1) {
    const group = ['north', 'south', 'east', 'west'][i % 4];
    const comment = i % 3 === 0 ? `"first line ${i}\nsecond, quoted ""line"""` : `plain ${i}`;
    lines.push(`${i},${group},${((i * 7919) % 1000) / 10},${comment},${i % 5 < 3 ? 1 : 0}`);
  }
  return `${lines.join('\n')}\n`;
}

test('an uploaded 3 MB file is audited in several ranges, with edited column roles', async () => {
  const rows = 90_000;
  const csv = makeCsv(rows);
  assert.ok(csv.length > 3e6, `test file is only ${csv.length} bytes`);
  const path = h.tempFile('uploaded.csv', csv);
  server.requests.length = 0;
  const browser = await openApp();
  const { page, log } = browser;
  try {
    await page.locator('#file-input').setInputFiles(path);
    const columns = await h.previewColumns(page);
    assert.deepEqual(columns, ['id', 'group', 'score', 'comment', 'approved']);

    const role = page.getByLabel('Role of column group');
    const roles = await role.locator('option').allTextContents();
    const target = roles.find((r) => /protect|sensitive|group/i.test(r)) || roles[roles.length - 1];
    await role.selectOption(target);
    await page.waitForFunction(() => !document.getElementById('run-button').disabled);
    assert.equal(await page.getByLabel('Role of column group').inputValue(), target);
    const spec = JSON.parse((await h.downloadText(page, 'Download spec (JSON)')).text);
    assert.equal(spec.columns[1].role, target, 'the edited role is in the spec');

    const frame = await h.runAndWaitForReport(page);
    const summary = await page.locator('#run-summary').textContent();
    const ranges = Number(/\((\d+) ranges?[,)]/.exec(summary)?.[1]);
    assert.ok(ranges >= 2, `expected at least 2 ranges, summary says: ${summary}`);
    const reportText = await frame.locator('body').innerText();
    assert.match(reportText, h.rowCountPattern(rows), `the report should count ${rows} rows`);
    assert.ok(reportText.includes('uploaded.csv'));
    assertOnlyAppFiles(log);
    assert.deepEqual(log.errors, []);
  } finally {
    await browser.close();
  }
});

test('a column larger than the quantile memory budget gets planned passes and exact quantiles', async () => {
  // 300,000 values > 250,000 kept in the first pass: the engine plans further passes.
  let seed = 12345;
  const values = [];
  for (let i = 0; i < 300000; i += 1) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    values.push((seed % 1000003) / 1000);
  }
  const path = h.tempFile('big-column.csv', `x\n${values.join('\n')}\n`);
  const sorted = [...values].sort((a, b) => a - b);
  const median = (sorted[149999] + sorted[150000]) / 2; // numpy linear, n even: t = 0.5
  const browser = await openApp();
  const { page } = browser;
  try {
    await page.locator('#file-input').setInputFiles(path);
    await h.previewColumns(page);
    // The label states the spec's budget (profile.quantile_values_in_memory), not a constant.
    assert.equal(await page.locator('#quantile-budget').textContent(), '250,000');
    await page.getByLabel(/Exact quantiles also for numeric columns/).check();
    await h.runAndWaitForReport(page);
    const report = JSON.parse((await h.downloadText(page, 'Download report (JSON)')).text);
    assert.ok(report.input.passes >= 2, `expected planned passes, got ${report.input.passes}`);
    const p50 = report.columns[0].quantiles.find((q) => q.q === 0.5).value;
    assert.equal(p50, sorted[150000] - (sorted[150000] - sorted[149999]) * 0.5, 'exact median (numpy lerp)');
    assert.ok(Math.abs(p50 - median) < 1e-9);
  } finally {
    await browser.close();
  }
});

test('markup in the data is shown as text in the preview and in the report', async () => {
  const header = '<img src=x onerror=alert(1)>';
  const cell = '<script>alert(2)</script>';
  const lines = [`${header},b`];
  for (let i = 0; i < 40; i += 1) lines.push(`${i % 2 ? cell : `value ${i}`},${i}`);
  const path = h.tempFile('xss.csv', `${lines.join('\n')}\n`);
  server.requests.length = 0;
  const browser = await openApp();
  const { page, log } = browser;
  try {
    await page.locator('#file-input').setInputFiles(path);
    const columns = await h.previewColumns(page);
    assert.equal(columns[0], header, 'the header is shown verbatim');
    await assert.doesNotReject(page.getByRole('cell', { name: header, exact: true }).waitFor());
    assert.equal(await page.locator('img').count(), 0, 'no <img> in the page');
    assert.equal(await page.locator('script:not([src])').count(), 0, 'no inline <script> in the page');

    const frame = await h.runAndWaitForReport(page);
    await page.waitForTimeout(500);
    // Sandboxed without allow-scripts: the report cannot run scripts (allow-same-origin
    // only lets the page measure the report's height, frame.js).
    assert.equal(await page.locator('#report-frame').getAttribute('sandbox'), 'allow-same-origin', 'the report frame may not run scripts');
    assert.equal(await frame.locator('img[src="x"], img[onerror], [onerror]').count(), 0, 'no element made from the data');
    assert.equal(await frame.locator('script').count(), 0, 'no <script> in the report');
    const visible = frame.getByText(header, { exact: false }).first();
    assert.ok(await visible.isVisible(), 'the header text is visible in the report');
    assert.deepEqual(log.dialogs, [], 'no dialog opened');
    assert.ok(!server.requests.some((r) => r.path === '/x'), 'nothing tried to load the <img>');
    assertOnlyAppFiles(log);
  } finally {
    await browser.close();
  }
});

test('cancel terminates the workers and the page stays usable', async () => {
  const row = '12345,north,42.5,"a quoted, longer comment to make the row wider",1\n';
  const size = 96e6;
  const path = h.tempFile('big.csv', `id,group,score,comment,approved\n${row.repeat(Math.ceil(size / row.length))}`);
  const browser = await openApp();
  const { page } = browser;
  const workers = [];
  page.on('worker', (worker) => {
    const entry = { url: worker.url(), closed: false };
    worker.on('close', () => { entry.closed = true; });
    workers.push(entry);
  });
  try {
    await page.locator('#file-input').setInputFiles(path);
    await h.previewColumns(page);
    const before = workers.length;
    await page.getByRole('button', { name: 'Run audit' }).click();
    await page.waitForFunction(() => document.getElementById('progress').value > 0, null, { timeout: 60_000 });
    assert.ok(await page.locator('#step-run').isVisible(), 'the run finished before it could be cancelled: make the file bigger');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.locator('#step-preview').waitFor({ state: 'visible' });
    assert.match(await page.locator('#alert-text').textContent(), /cancelled/i);
    assert.ok(await page.locator('#step-report').isHidden(), 'no report after a cancel');
    assert.ok(workers.length > before, 'the run started workers');
    const deadline = Date.now() + 10_000;
    while (workers.some((w) => !w.closed) && Date.now() < deadline) await page.waitForTimeout(100);
    assert.deepEqual(workers.filter((w) => !w.closed), [], 'every worker was terminated');

    assert.ok(await page.getByRole('button', { name: 'Run audit' }).isEnabled());
    await h.loadSample(page);
    const frame = await h.runAndWaitForReport(page);
    assert.match(await frame.locator('body').innerText(), h.rowCountPattern(50000));
  } finally {
    await browser.close();
  }
});

test('a file the engine cannot use shows its message in the alert region', async () => {
  const path = h.tempFile('empty.csv', '');
  const browser = await openApp();
  const { page, log } = browser;
  try {
    await page.locator('#file-input').setInputFiles(path);
    const alert = page.getByRole('alert');
    await alert.waitFor({ state: 'visible' });
    const message = (await page.locator('#alert-text').textContent()).trim();
    assert.ok(message.length > 10, `expected a sentence for the user, got ${JSON.stringify(message)}`);
    assert.doesNotMatch(message, /\[object Object\]|undefined|RuntimeError|unreachable/);
    assert.ok(await page.locator('#step-preview').isHidden());
    assert.ok(await page.getByRole('button', { name: 'Try sample data' }).isEnabled(), 'the page is still usable');
    assert.deepEqual(log.errors, []);
  } finally {
    await browser.close();
  }
});
