// The DP tab end to end: live accuracies before anything is spent, budgets that are
// refused (ε = 0) or warned about (ε = 50), releases refused when added, the release,
// the canary check on the downloaded summary, the ledger (spent, cap, remaining, an
// over-cap release refused with the numbers, export from the served page and import
// into the offline file), and no network request.

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
let exportedLedger = null; // the served page's ledger, imported into the offline file below

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

async function setBudget(page, value) {
  await page.locator('#dp-epsilon-number').fill(String(value));
  await page.locator('#dp-epsilon-number').dispatchEvent('change');
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

/** Waits until the ledger line names this file (its SHA-256 is known) and returns it. */
async function ledgerLine(page, pattern) {
  await page.waitForFunction((p) => new RegExp(p).test(document.querySelector('#dp-ledger-file').textContent), pattern.source);
  return page.locator('#dp-ledger-file').textContent();
}

test('served app: budgets validated and warned, releases refused at Add, release, canaries absent, ledger warns', async () => {
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
    // The mean's accuracy is a ± on the mean, with how it follows from the sum and the count.
    assert.match(await accuracy(page, 2), /^mean: ±\(.* \+ 150,000 × \d+\) ÷ n = ±.* ÷ n for n values: ±.* at n = 1,000, .*\(from the sum ±.* and the count ±\d+/);

    // ε = 0 is refused: the box keeps what was typed, the engine says why, nothing can be released.
    await setBudget(page, 0);
    await page.waitForFunction(() => /Cannot release yet: the total privacy budget ε \(`epsilon` in \[dp\]\) must be a number greater than 0; got 0/
      .test(document.querySelector('#dp-guarantee').textContent));
    assert.equal(await page.locator('#dp-epsilon-number').inputValue(), '0');
    assert.equal(await page.locator('#dp-epsilon-number').getAttribute('aria-invalid'), 'true');
    assert.ok(await page.getByRole('button', { name: 'Release DP summary' }).isDisabled());
    // ε = 50 is allowed, with a warning that the guarantee is weak.
    await setBudget(page, 50);
    await page.waitForFunction(() => !document.querySelector('#dp-warning').hidden);
    assert.match(await page.locator('#dp-warning').textContent(), /^Weak guarantee: ε = 50 is above 10/);
    assert.match(await page.locator('#dp-guarantee').textContent(), /ε = 50,/);
    await setBudget(page, 10);
    await page.waitForFunction(() => /count: ±1\b/.test(document.querySelector('#dp-body td.dp-accuracy').textContent));
    assert.ok(await page.locator('#dp-warning').isHidden());
    await setBudget(page, 1);
    await page.waitForFunction(() => /count: ±12\b/.test(document.querySelector('#dp-body td.dp-accuracy').textContent));

    // An invalid release is refused when added, in words, counting from 1.
    await page.locator('#dp-kind').selectOption('histogram');
    await page.locator('#dp-column').selectOption('city');
    await page.locator('#dp-keys').fill('');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.waitForFunction(() => document.querySelector('#dp-add-error').textContent.length > 0);
    assert.match(await page.locator('#dp-add-error').textContent(), /^Not added: release 5 \(histogram of city\): declare the keys/);
    assert.equal(await page.locator('#dp-body tr').count(), 4);
    // zCDP cannot hold a category discovery: the engine says so, and nothing can be released.
    await page.locator('#dp-measure').selectOption('zcdp');
    await page.waitForFunction(() => /Cannot release yet: release 4 \(categories of city\): .*measure = "pure"/.test(document.querySelector('#dp-guarantee').textContent));
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
    // The ledger knows this file only by its SHA-256, before anything is spent.
    assert.match(await ledgerLine(page, /no release yet/), /^This file, SHA-256 [0-9a-f]{8}…[0-9a-f]{6}: no release yet; spent ε = 0; no cap set/);
    assert.match(await page.locator('#dp-ledger-release').textContent(), /^This summary costs ε = 1\.$/);

    await page.locator('#dp-panel').screenshot({ path: h.saveArtifact('dp-panel.png') });
    await release(page);
    assert.equal(await page.locator('#alert:not([hidden])').count(), 0, await page.locator('#alert-text').textContent());
    assert.equal(await page.locator('#report-heading').textContent(), 'Differentially private summary');
    assert.match(await page.locator('#run-summary').textContent(), /The ledger for this file: 1 release; spent ε = 1 \(together/);
    const json = await h.downloadText(page, 'Download DP summary (JSON)');
    const html = await h.downloadText(page, 'Download DP summary (HTML)');
    // Download names never carry the data file's name (unless opted in).
    assert.equal(json.name, 'privaudit-dp-summary.json');
    assert.equal(html.name, 'privaudit-dp-summary.html');
    for (const text of [json.text, html.text, await h.reportSource(page)]) {
      for (const canary of [CANARY_CITY, CANARY_INCOME, 'secret-canary-file', 'p-canary']) {
        assert.ok(!text.includes(canary), `${canary} leaked into the summary`);
      }
    }
    const summary = JSON.parse(json.text);
    assert.equal(summary.schema, 'privaudit.dp-summary/1');
    assert.equal(summary.dataset.sha256, null);
    assert.deepEqual(summary.warnings, []);
    assert.deepEqual(summary.releases.map((r) => r.kind), ['count', 'histogram', 'mean', 'categories']);
    assert.equal(typeof summary.releases[2].result.plus_minus, 'number');
    await page.screenshot({ path: h.saveArtifact('dp-summary.png'), fullPage: true });

    // Releasing the same file again: the ledger warns, and declining releases nothing.
    await page.getByRole('button', { name: 'Audit another file' }).click();
    await page.locator('#file-input').setInputFiles(h.tempFile('secret-canary-file.csv', canaryCsv()));
    await h.previewColumns(page);
    await openDpPanel(page);
    await ledgerLine(page, /1 release; spent ε = 1/);
    await release(page);
    assert.equal(log.dialogs.length, 1);
    assert.match(log.dialogs[0], /already has DP releases in the ledger: 1 release; spent ε = 1 .* This summary costs ε = 1\./);
    assert.match(await page.locator('#alert-text').textContent(), /Nothing was released/);

    for (const url of log.requests) assert.ok(h.isAppFile(url, server.origin) || /^(blob|data):/.test(url), `unexpected request ${url}`);
    assert.deepEqual(log.errors, []);
  } finally {
    await browser.close();
  }
});

test('served app: a cap per file, an over-cap release refused with the numbers, ledger export', async () => {
  const browser = await h.launch();
  const { page, log } = browser;
  try {
    await page.goto(`${server.origin}/index.html`);
    const data = h.tempFile('ledger-data.csv', canaryCsv());
    await page.locator('#file-input').setInputFiles(data);
    await h.previewColumns(page);
    await openDpPanel(page);
    await ledgerLine(page, /no release yet/);
    await page.locator('#dp-cap').fill('1.5');
    await page.getByRole('button', { name: 'Set cap' }).click();
    await ledgerLine(page, /spent ε = 0 of the cap ε = 1\.5; remaining ε = 1\.5/);
    assert.match(await page.locator('#dp-ledger-release').textContent(), /^This summary costs ε = 1; ε = 0\.5 would remain\.$/);
    await release(page);
    assert.equal(await page.locator('#alert:not([hidden])').count(), 0, await page.locator('#alert-text').textContent());
    assert.match(await page.locator('#run-summary').textContent(), /1 release; spent ε = 1 of the cap ε = 1\.5 .*remaining ε = 0\.5/);

    // The same file again: ε = 1 no longer fits, and the page says so before anything is read.
    await page.getByRole('button', { name: 'Audit another file' }).click();
    await page.locator('#file-input').setInputFiles(data);
    await h.previewColumns(page);
    await openDpPanel(page);
    await ledgerLine(page, /1 release; spent ε = 1 of the cap ε = 1\.5/);
    await page.waitForFunction(() => /^Refused/.test(document.querySelector('#dp-ledger-release').textContent));
    assert.equal(await page.locator('#dp-ledger-release').textContent(),
      'Refused: this summary needs ε = 1 but the ledger caps this file at ε = 1.5, of which ε = 1 is already spent by 1 release, '
      + "leaving ε = 0.5; lower the summary's ε to at most the remainder, or raise the cap if you accept the weaker guarantee");
    assert.ok(await page.getByRole('button', { name: 'Release DP summary' }).isDisabled());
    // The remainder fits exactly.
    await setBudget(page, 0.5);
    await page.waitForFunction(() => /^This summary costs ε = 0\.5; ε = 0 would remain\.$/.test(document.querySelector('#dp-ledger-release').textContent));
    assert.ok(await page.getByRole('button', { name: 'Release DP summary' }).isEnabled());
    await release(page);
    assert.equal(log.dialogs.length, 1, 'a second release of the file asks first');
    // Declined (the harness dismisses dialogs): the view of the ledger lists the one release.
    await page.locator('#dp-panel details > summary').click();
    assert.equal(await page.locator('#dp-ledger-body tr').count(), 1);
    assert.match(await page.locator('#dp-ledger-body tr td').nth(1).textContent(), /^ε = 1$/);

    const exported = await h.downloadText(page, 'Export ledger (JSON)');
    assert.equal(exported.name, 'privaudit-dp-ledger.json');
    const ledger = JSON.parse(exported.text);
    assert.equal(ledger.schema, 'privaudit.dp-ledger/1');
    assert.equal(ledger.datasets.length, 1);
    assert.equal(ledger.datasets[0].cap, '3/2');
    assert.ok(!exported.text.includes('ledger-data'), 'the file name is stored only on opt-in');
    exportedLedger = h.tempFile('privaudit-dp-ledger.json', exported.text);
    assert.deepEqual(log.errors, []);
  } finally {
    await browser.close();
  }
});

test('offline file: the served page\'s ledger imported, each release counted once', async () => {
  assert.ok(exportedLedger, 'the previous test exports the ledger');
  server.requests.length = 0;
  const browser = await h.launch();
  const { page, log } = browser;
  try {
    await page.goto(pathToFileURL(h.DIST_HTML).href);
    // The same data file: the offline file's own (empty) ledger does not know it…
    await page.locator('#file-input').setInputFiles(h.tempFile('ledger-data.csv', canaryCsv()));
    await h.previewColumns(page);
    await openDpPanel(page);
    await ledgerLine(page, /no release yet/);
    // …until the served page's ledger is imported.
    await page.locator('#dp-ledger-import').setInputFiles(exportedLedger);
    await page.waitForFunction(() => /Ledger imported/.test(document.querySelector('#dp-ledger-note').textContent));
    assert.equal(await page.locator('#dp-ledger-note').textContent(), 'Ledger imported: 1 release added.');
    assert.match(await ledgerLine(page, /1 release/), /1 release; spent ε = 1 of the cap ε = 1\.5 .*remaining ε = 0\.5/);
    assert.match(await page.locator('#dp-ledger-release').textContent(), /^Refused: this summary needs ε = 1 but the ledger caps this file at ε = 1\.5/);
    // Importing it again counts nothing twice.
    await page.locator('#dp-ledger-import').setInputFiles(exportedLedger);
    await page.waitForFunction(() => /0 releases added/.test(document.querySelector('#dp-ledger-note').textContent));
    assert.match(await ledgerLine(page, /1 release/), /1 release; spent ε = 1 /);
    for (const url of log.requests) assert.match(url, /^(file|blob|data):/, `request ${url}`);
    assert.deepEqual(log.errors, []);
  } finally {
    await browser.close();
  }
});

test('offline file: DP summary of the sample data at ε = 50 is warned, in the page and the summary; no network, no identifiers', async () => {
  server.requests.length = 0;
  const browser = await h.launch();
  const { page, log } = browser;
  try {
    await page.goto(pathToFileURL(h.DIST_HTML).href);
    await h.loadSample(page);
    await openDpPanel(page);
    await page.waitForFunction(() => document.querySelectorAll('#dp-body td.dp-accuracy')[4]?.textContent.includes('±'));
    await setBudget(page, 50);
    await page.waitForFunction(() => !document.querySelector('#dp-warning').hidden);
    await page.locator('#dp-download-names').check();
    await release(page);
    assert.equal(await page.locator('#alert:not([hidden])').count(), 0, await page.locator('#alert-text').textContent());
    const json = await h.downloadText(page, 'Download DP summary (JSON)');
    assert.equal(json.name, 'sample-loan-applications.privaudit-dp-summary.json', 'opted in: named after the data file');
    const summary = JSON.parse(json.text);
    assert.deepEqual(summary.releases.map((r) => r.kind), ['count', 'histogram', 'mean', 'quantiles', 'fairness']);
    assert.match(summary.warnings[0], /^Weak guarantee: ε = 50 is above 10/);
    assert.match(await h.reportSource(page), /Weak guarantee: ε = 50 is above 10/);
    // The four-fifths rule is filled for every declared group.
    const fairness = summary.releases[4].result;
    assert.equal(fairness.four_fifths.length, 6);
    for (const f of fairness.four_fifths) assert.match(f.verdict, /^(below|not_below|inconclusive)$/);
    for (const id of ['A0000001', 'A0050000', 'loan-applications', 'application_id']) {
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
