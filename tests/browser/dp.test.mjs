// The DP tab end to end: live accuracies before anything is spent, the release, the
// canary check on the downloaded summary, the local ledger's warning on a second
// release, and no network request — in the served app and in the offline file.

import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import * as h from './harness.mjs';

const CANARY_CITY = 'Zanzibar-Q7X';
const CANARY_INCOME = '987654321';

function canaryCsv() {
  const rows = ['person,city,income'];
  const cities = ['Leeds', 'York', 'Hull'];
  for (let i = 0; i < 3000; i += 1) rows.push(`p${i},${cities[i % 3]},${20000 + ((i * 37) % 90000)}`);
  rows.push(`p-canary,${CANARY_CITY},${CANARY_INCOME}.5`);
  return `${rows.join('\n')}\n`;
}

let server;

before(async () => {
  h.requireBuilt('pkg');
  h.requireBuilt('dist');
  server = await h.startServer(h.WWW);
});

after(async () => {
  h.removeTempFiles();
  if (server) await server.close();
});

async function openDpPanel(page) {
  if (!(await page.locator('#dp-panel').evaluate((el) => el.open))) await page.locator('#dp-panel > summary').click();
  await page.locator('#dp-body tr').first().waitFor();
}

/** The accuracy text of release `i` once the plan for the current settings is shown. */
async function accuracy(page, i) {
  return page.locator('#dp-body tr').nth(i).locator('td.dp-accuracy').textContent();
}

async function addRelease(page, kind, fields) {
  await page.locator('#dp-kind').selectOption(kind);
  if (fields.column) await page.locator('#dp-column').selectOption(fields.column);
  for (const f of ['keys', 'lower', 'upper', 'bins']) {
    if (fields[f] !== undefined) await page.locator(`#dp-${f}`).fill(String(fields[f]));
  }
  const before = await page.locator('#dp-body tr').count();
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await page.waitForFunction((n) => document.querySelectorAll('#dp-body tr').length === n + 1, before);
}

async function release(page) {
  await page.getByRole('button', { name: 'Release DP summary' }).click();
  await page.locator('#step-report').or(page.locator('#alert:not([hidden])')).first().waitFor({ state: 'visible', timeout: 120_000 });
}

test('served app: live accuracy, release, canaries absent, ledger warns, no network', async () => {
  const browser = await h.launch();
  const { page, log } = browser;
  try {
    await page.goto(`${server.origin}/index.html`);
    await page.locator('#file-input').setInputFiles(h.tempFile('secret-canary-file.csv', canaryCsv()));
    await h.previewColumns(page);
    await openDpPanel(page);
    await addRelease(page, 'histogram', { column: 'city', keys: 'Leeds, York, Hull' });
    await addRelease(page, 'mean', { column: 'income', lower: 0, upper: 150000 });
    await addRelease(page, 'categories', { column: 'city' });
    await page.waitForFunction(() => document.querySelectorAll('#dp-body td.dp-accuracy')[3]?.textContent.includes('±'));
    // ε = 1 over 4 equal releases: the count gets ε = 1/4, b = 4, ±12 at 95 %.
    assert.match(await accuracy(page, 0), /count: ±12\b/);
    // Ten times the budget: ten times more accurate, before anything is spent.
    await page.locator('#dp-epsilon-number').fill('10');
    await page.locator('#dp-epsilon-number').dispatchEvent('change');
    await page.waitForFunction(() => /count: ±1\b/.test(document.querySelector('#dp-body td.dp-accuracy').textContent));
    assert.match(await page.locator('#dp-guarantee').textContent(), /ε = 10/);
    await page.locator('#dp-epsilon-number').fill('1');
    await page.locator('#dp-epsilon-number').dispatchEvent('change');
    await page.waitForFunction(() => /count: ±12\b/.test(document.querySelector('#dp-body td.dp-accuracy').textContent));
    // zCDP cannot hold a category discovery: the engine says so, and nothing can be released.
    await page.locator('#dp-measure').selectOption('zcdp');
    await page.waitForFunction(() => /Cannot release yet: .*measure = "pure"/.test(document.querySelector('#dp-guarantee').textContent));
    assert.ok(await page.getByRole('button', { name: 'Release DP summary' }).isDisabled());
    assert.match(await page.locator('#dp-budget-label').textContent(), /ρ/);
    await page.locator('#dp-measure').selectOption('pure');
    // Three rows per person: the count's sensitivity triples, so does its noise (±36).
    await page.locator('#dp-person').selectOption('person');
    await page.locator('#dp-max-rows').fill('3');
    await page.locator('#dp-max-rows').dispatchEvent('change');
    await page.waitForFunction(() => /count: ±3[5-7]\b/.test(document.querySelector('#dp-body td.dp-accuracy').textContent));
    assert.match(await page.locator('#dp-guarantee').textContent(), /at most 3 rows per person/);
    await page.locator('#dp-person').selectOption('');
    await page.waitForFunction(() => /count: ±12\b/.test(document.querySelector('#dp-body td.dp-accuracy').textContent));

    await page.locator('#dp-panel').screenshot({ path: h.saveArtifact('dp-panel.png') });
    await release(page);
    assert.equal(await page.locator('#alert:not([hidden])').count(), 0, await page.locator('#alert-text').textContent());
    assert.equal(await page.locator('#report-heading').textContent(), 'Differentially private summary');
    assert.match(await page.locator('#run-summary').textContent(), /ledger for this file: 1 release, ε = 1\.00 in total/);
    const json = await h.downloadText(page, 'Download DP summary (JSON)');
    const html = await h.downloadText(page, 'Download DP summary (HTML)');
    assert.match(json.name, /dp-summary\.json$/);
    for (const text of [json.text, html.text, await h.reportSource(page)]) {
      for (const canary of [CANARY_CITY, CANARY_INCOME, 'secret-canary-file', 'p-canary']) {
        assert.ok(!text.includes(canary), `${canary} leaked into the summary`);
      }
    }
    const summary = JSON.parse(json.text);
    assert.equal(summary.schema, 'privaudit.dp-summary/1');
    assert.equal(summary.dataset.sha256, null);
    assert.deepEqual(summary.releases.map((r) => r.kind), ['count', 'histogram', 'mean', 'categories']);
    await page.screenshot({ path: h.saveArtifact('dp-summary.png'), fullPage: true });

    // Releasing the same file again: the ledger warns, and declining releases nothing.
    await page.getByRole('button', { name: 'Audit another file' }).click();
    await page.locator('#file-input').setInputFiles(h.tempFile('secret-canary-file.csv', canaryCsv()));
    await h.previewColumns(page);
    await openDpPanel(page);
    await release(page);
    assert.equal(log.dialogs.length, 1);
    assert.match(log.dialogs[0], /already has 1 DP release .* ε = 1\.00/);
    assert.match(await page.locator('#alert-text').textContent(), /Nothing was released/);

    for (const url of log.requests) assert.ok(h.isAppFile(url, server.origin) || /^(blob|data):/.test(url), `unexpected request ${url}`);
    assert.deepEqual(log.errors, []);
  } finally {
    await browser.close();
  }
});

test('offline file: DP summary of the sample data, no network, no identifiers', async () => {
  server.requests.length = 0;
  const browser = await h.launch();
  const { page, log } = browser;
  try {
    await page.goto(pathToFileURL(h.DIST_HTML).href);
    await h.loadSample(page);
    await openDpPanel(page);
    await page.waitForFunction(() => document.querySelectorAll('#dp-body td.dp-accuracy')[4]?.textContent.includes('±'));
    await release(page);
    assert.equal(await page.locator('#alert:not([hidden])').count(), 0, await page.locator('#alert-text').textContent());
    const json = await h.downloadText(page, 'Download DP summary (JSON)');
    const summary = JSON.parse(json.text);
    assert.deepEqual(summary.releases.map((r) => r.kind), ['count', 'histogram', 'mean', 'quantiles', 'fairness']);
    for (const id of ['A0000001', 'A0050000', 'loan_applications', 'application_id']) {
      assert.ok(!json.text.includes(id), `${id} appears in the summary`);
    }
    for (const url of log.requests) assert.match(url, /^(file|blob|data):/, `request ${url}`);
    assert.deepEqual(server.requests, []);
    assert.deepEqual(log.dialogs, []);
    assert.deepEqual(log.errors, []);
  } finally {
    await browser.close();
  }
});
