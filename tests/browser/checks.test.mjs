// The checks panel: the engine's registry as a form; thresholds and severities set in
// the page reach the spec (downloaded) and the report's gate outcomes.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import * as h from './harness.mjs';

let server;

before(async () => {
  h.requireBuilt('pkg');
  server = await h.startServer(h.WWW);
});

after(async () => {
  if (server) await server.close();
});

test('thresholds and severities set in the checks panel gate the audit', async () => {
  const browser = await h.launch();
  const { page, log } = browser;
  try {
    await page.goto(`${server.origin}/index.html`);
    await h.loadSample(page);
    await page.locator('#checks-panel').evaluate((d) => { d.open = true; });
    // One row per registered check, defaults as placeholders.
    const ids = await page.locator('#checks-body code').allTextContents();
    for (const id of ['min_rows', 'missing_share', 'unparseable_cells', 'dataset_drift', 'disparity_ratio']) {
      assert.ok(ids.includes(id), `${id} in the checks form: ${ids}`);
    }
    assert.equal(await page.locator('#check-threshold-missing_share').getAttribute('placeholder'), '0.5');
    // The sample has missing incomes: at most 0 % missing, severity fail, fails the audit.
    await page.locator('#check-threshold-missing_share').fill('0');
    await page.locator('#check-threshold-missing_share').dispatchEvent('change');
    await page.locator('#check-severity-missing_share').selectOption('fail');
    await page.waitForFunction(() => document.querySelector('#check-severity-missing_share').value === 'fail');
    const spec = JSON.parse((await h.downloadText(page, 'Download spec (JSON)')).text);
    assert.deepEqual(spec.checks.missing_share, { threshold: 0, severity: 'fail' });
    await h.runAndWaitForReport(page);
    const report = JSON.parse((await h.downloadText(page, 'Download report (JSON)')).text);
    const missing = report.checks.filter((c) => c.id === 'missing_share');
    assert.ok(missing.length > 0);
    assert.ok(missing.some((c) => c.status === 'fail'), JSON.stringify(missing));
    assert.ok(missing.every((c) => c.threshold === 0 && c.status !== 'warn'), JSON.stringify(missing[0]));
    assert.equal(report.passed, false);
    // An out-of-range share is refused with a message naming the check.
    await page.locator('#restart-button').click();
    await h.loadSample(page);
    await page.locator('#checks-panel').evaluate((d) => { d.open = true; });
    await page.locator('#check-threshold-missing_share').fill('2');
    await page.locator('#check-threshold-missing_share').dispatchEvent('change');
    await page.locator('#run-button').click();
    await page.waitForFunction(() => /missing_share/.test(document.querySelector('#alert-text').textContent));
    for (const url of log.requests) assert.ok(h.isAppFile(url, server.origin) || /^(blob|data):/.test(url), `unexpected request ${url}`);
    assert.deepEqual(log.errors, []);
  } finally {
    await browser.close();
  }
});
