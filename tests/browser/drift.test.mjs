// Drift in the page: a reference file chosen in the drift panel is read first, and the
// report's drift section equals the CLI's (`audit CURRENT --reference REF`).

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import * as h from './harness.mjs';

const CLI = process.env.PRIVAUDIT_BIN || join(h.ROOT, 'target', 'debug', 'privaudit');
const DATA = join(h.ROOT, 'tests', 'data', 'reference');

let server;

before(async () => {
  h.requireBuilt('pkg');
  assert.ok(existsSync(CLI), `the CLI binary is missing at ${CLI}: run cargo build --features cli (scripts/test runs cargo test first)`);
  server = await h.startServer(h.WWW);
});

after(async () => {
  h.removeTempFiles();
  if (server) await server.close();
});

test('a reference file in the drift panel gives the same drift section as the CLI', async () => {
  const reference = join(DATA, 'drift_large_ref.csv');
  const current = join(DATA, 'drift_large_cur.csv');
  const browser = await h.launch();
  const { page, log } = browser;
  try {
    await page.goto(`${server.origin}/index.html`);
    await page.locator('#file-input').setInputFiles(current);
    await h.previewColumns(page);
    await page.locator('#drift-panel > summary').click();
    await page.locator('#drift-file').setInputFiles(reference);
    await page.waitForFunction(() => /drift_large_ref\.csv/.test(document.querySelector('#drift-chosen').textContent));
    const frame = await h.runAndWaitForReport(page);
    assert.match(await frame.locator('body').innerText(), /Drift/);
    const fromPage = JSON.parse((await h.downloadText(page, 'Download report (JSON)')).text);
    const fromCli = JSON.parse(execFileSync(CLI, ['audit', current, '--reference', reference, '--no-hash', '--json', '-'],
      { encoding: 'utf8' }));
    assert.ok(fromPage.drift && fromCli.drift, 'both reports have a drift section');
    assert.ok(fromCli.drift.columns.length > 0);
    assert.deepEqual(fromPage.drift, fromCli.drift);
    assert.deepEqual(fromPage.checks, fromCli.checks);
    for (const url of log.requests) assert.ok(h.isAppFile(url, server.origin) || /^(blob|data):/.test(url), `unexpected request ${url}`);
    assert.deepEqual(log.errors, []);

    // Removing the reference: the next audit has no drift section.
    await page.locator('#restart-button').click();
    await page.locator('#file-input').setInputFiles(current);
    await h.previewColumns(page);
    await h.runAndWaitForReport(page);
    const plain = JSON.parse((await h.downloadText(page, 'Download report (JSON)')).text);
    assert.equal(plain.drift, undefined);
  } finally {
    await browser.close();
  }
});

test('a test file in the overlap panel gives the same train/test overlap as `audit --test`', async () => {
  const train = h.tempFile('train.csv', 'a,b,y\n1,x,0\n2,x,1\n3,z,0\n3,z,0\n4,w,1\n');
  const testFile = h.tempFile('test.csv', 'a;b;y\n1.0;x;0\n3;z;1\n9;q;1\n');
  const spec = h.tempFile('spec.toml', '[[columns]]\nname = "y"\nrole = "label"\n');
  const browser = await h.launch();
  const { page, log } = browser;
  try {
    await page.goto(`${server.origin}/index.html`);
    await page.locator('#file-input').setInputFiles(train);
    const columns = await h.previewColumns(page);
    await page.locator(`#role-${columns.indexOf('y')}`).selectOption('label');
    await page.waitForFunction(() => document.querySelector('#role-2').value === 'label');
    await page.locator('#test-panel').evaluate((d) => { d.open = true; });
    // The test file has its own dialect (semicolons): sniffed, not taken from the training file.
    await page.locator('#test-file').setInputFiles(testFile);
    await page.waitForFunction(() => /test\.csv/.test(document.querySelector('#test-chosen').textContent));
    await h.runAndWaitForReport(page);
    const fromPage = JSON.parse((await h.downloadText(page, 'Download report (JSON)')).text);
    // The gate warns by default: the CLI exits 0.
    const fromCli = JSON.parse(execFileSync(CLI, ['audit', train, '--spec', spec, '--test', testFile, '--no-hash', '--json', '-'],
      { encoding: 'utf8' }));
    const ov = fromPage.dataset && fromPage.dataset.overlap;
    assert.ok(ov, 'the page report has the overlap');
    assert.deepEqual(ov, fromCli.dataset.overlap);
    assert.equal(ov.test_rows, 3);
    assert.equal(ov.rows_in_train, 1);
    const gate = (r) => r.checks.filter((c) => c.id === 'train_test_overlap');
    assert.deepEqual(gate(fromPage), gate(fromCli));
    for (const url of log.requests) assert.ok(h.isAppFile(url, server.origin) || /^(blob|data):/.test(url), `unexpected request ${url}`);
    assert.deepEqual(log.errors, []);
  } finally {
    await browser.close();
  }
});
