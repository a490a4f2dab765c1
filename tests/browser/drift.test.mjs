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
