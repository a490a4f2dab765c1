// The bias form in the page, and agreement with the CLI: the same file and the same
// settings give the same bias section, number for number.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import * as h from './harness.mjs';

const CLI = process.env.PRIVAUDIT_BIN || join(h.ROOT, 'target', 'debug', 'privaudit');

function biasCsv() {
  const rows = ['race,sex,age,y,pred,score'];
  const races = ['A', 'B', 'C', 'B', 'A'];
  for (let i = 0; i < 900; i += 1) {
    const race = i % 97 === 0 ? '' : races[i % 5];
    const y = (i * 7) % 3 === 0 ? 1 : 0;
    const score = 1 + ((i * 13) % 10);
    const pred = score >= (race === 'B' ? 7 : 5) ? 'yes' : 'no';
    rows.push(`${race},${i % 2 ? 'F' : 'M'},${20 + (i % 50)},${y},${pred},${score}`);
  }
  return `${rows.join('\n')}\n`;
}

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

test('the page\'s bias form gives the same bias section as the CLI', async () => {
  const file = h.tempFile('bias.csv', biasCsv());
  const browser = await h.launch();
  const { page, log } = browser;
  try {
    await page.goto(`${server.origin}/index.html`);
    await page.locator('#file-input').setInputFiles(file);
    const columns = await h.previewColumns(page);
    await page.locator(`#role-${columns.indexOf('race')}`).selectOption('protected');
    await page.waitForFunction(() => document.querySelector('#bias-protected').textContent === 'race');
    await page.locator('#bias-panel > summary').click();
    await page.locator('#bias-enabled').check();
    await page.locator('#bias-label').selectOption('y');
    // The value picker offers what the preview saw.
    assert.deepEqual(await page.locator('#bias-label-values option').evaluateAll((o) => o.map((x) => x.value).sort()), ['0', '1']);
    await page.locator('#bias-positive-label').fill('1');
    await page.locator('#bias-positive-label').dispatchEvent('change');
    await page.locator('#bias-prediction').selectOption('pred');
    await page.locator('#bias-positive-prediction').fill('yes');
    await page.locator('#bias-positive-prediction').dispatchEvent('change');
    const frame = await h.runAndWaitForReport(page);
    assert.match(await frame.locator('body').innerText(), /Bias audit/);
    const fromPage = JSON.parse((await h.downloadText(page, 'Download report (JSON)')).text);
    const fromCli = JSON.parse(execFileSync(CLI, ['audit', file, '--protected', 'race', '--label', 'y', '--positive', '1',
      '--prediction', 'pred', '--positive-prediction', 'yes', '--no-hash', '--json', '-'], { encoding: 'utf8' }));
    assert.ok(fromPage.bias && fromCli.bias, 'both reports have a bias section');

    assert.deepEqual(fromPage.bias, fromCli.bias);
    assert.equal(fromPage.input.rows, fromCli.input.rows);
    // Profiles agree too, except the role the page set (the CLI named the column with --protected).
    const noRole = (cols) => cols.map(({ role, ...rest }) => rest);
    assert.deepEqual(noRole(fromPage.columns), noRole(fromCli.columns));

    // Row weights (Kamiran–Calders) from the page: the same CSV as `audit --reweigh-out`.
    const weights = await h.downloadText(page, 'Download row weights (CSV)');
    assert.equal(weights.name, 'bias.privaudit-row-weights.csv');
    const cliWeights = h.tempFile('weights.csv', '');
    execFileSync(CLI, ['audit', file, '--protected', 'race', '--label', 'y', '--positive', '1', '--prediction', 'pred',
      '--positive-prediction', 'yes', '--no-hash', '--reweigh-out', cliWeights], { encoding: 'utf8' });
    assert.equal(weights.text, readFileSync(cliWeights, 'utf8'));
    assert.equal(weights.text.split('\n').length, 900 + 2, 'header, one line per data row, final newline');
    await page.waitForFunction(() => /900 rows/.test(document.querySelector('#weights-status').textContent));

    for (const url of log.requests) assert.ok(h.isAppFile(url, server.origin) || /^(blob|data):/.test(url), `unexpected request ${url}`);
    assert.deepEqual(log.errors, []);
  } finally {
    await browser.close();
  }
});

// A is labelled "yes" (unfavourable) 75 % of the time, B 50 %, C never: A, the reference
// (largest group, first on the tie with B), is the disadvantaged party.
function verdictsCsv() {
  const rows = ['race,y,pred'];
  const races = ['A', 'B', 'C', 'B', 'A'];
  for (let i = 0; i < 1000; i += 1) {
    const race = races[i % 5];
    const pred = (i * 7) % 10 < (race === 'A' ? 6 : 3) ? 'yes' : 'no';
    rows.push(`${race},${(i * 3) % 4 === 0 ? 1 : 0},${pred}`);
  }
  return `${rows.join('\n')}\n`;
}

// The headline of a rendered report (the badge of the summary section).
function headline(html) {
  const m = /<section id="summary"><p class="headline"><span class="badge [a-z]+" style="[^"]*">([^<]*)<\/span>/.exec(html);
  assert.ok(m, 'a headline at the top of the report');
  return m[1];
}

test('the page and the CLI give the same verdicts, with gated metrics and band chosen in the page', async () => {
  const file = h.tempFile('verdicts.csv', verdictsCsv());
  const specToml = h.tempFile('verdicts.toml', '[checks.disparity_ratio]\nmetric = ["selection_rate", "false_positive_rate"]\n\n'
    + '[checks.disparity_difference]\nband = "symmetric"\n');
  const browser = await h.launch();
  const { page, log } = browser;
  try {
    await page.goto(`${server.origin}/index.html`);
    await page.locator('#file-input').setInputFiles(file);
    const columns = await h.previewColumns(page);
    await page.locator(`#role-${columns.indexOf('race')}`).selectOption('protected');
    await page.waitForFunction(() => document.querySelector('#bias-protected').textContent === 'race');
    await page.locator('#bias-panel > summary').click();
    await page.locator('#bias-enabled').check();
    await page.locator('#bias-label').selectOption('y');
    await page.locator('#bias-positive-label').fill('1');
    await page.locator('#bias-positive-label').dispatchEvent('change');
    await page.locator('#bias-prediction').selectOption('pred');
    await page.locator('#bias-positive-prediction').fill('yes');
    await page.locator('#bias-positive-prediction').dispatchEvent('change');
    await page.locator('#bias-favourable').uncheck(); // "yes" is the unfavourable outcome
    // The gated metrics and the band, from the registry's lists.
    await page.locator('#checks-panel').evaluate((d) => { d.open = true; });
    const labels = await page.locator('#checks-body fieldset.check-metrics').first().locator('label').allTextContents();
    assert.equal(labels.length, 10, `the ten compared metrics: ${labels}`);
    await page.locator('#check-metric-disparity_ratio-false_positive_rate').check();
    await page.locator('#check-metric-disparity_ratio-selection_rate').check();
    await page.locator('#check-band-disparity_difference').selectOption('symmetric');
    await page.waitForFunction(() => document.querySelector('#check-band-disparity_difference').value === 'symmetric');
    const spec = JSON.parse((await h.downloadText(page, 'Download spec (JSON)')).text);
    assert.deepEqual(spec.checks.disparity_ratio, { metric: ['selection_rate', 'false_positive_rate'] });
    assert.deepEqual(spec.checks.disparity_difference, { band: 'symmetric' });
    assert.equal(spec.bias.positive_is_favourable, false);
    await h.runAndWaitForReport(page);
    const fromPage = JSON.parse((await h.downloadText(page, 'Download report (JSON)')).text);
    const pageHtml = await h.reportSource(page);
    const cliHtml = h.tempFile('verdicts.html', '');
    const fromCli = JSON.parse(execFileSync(CLI, ['audit', file, '--spec', specToml, '--protected', 'race', '--label', 'y',
      '--positive', '1', '--prediction', 'pred', '--positive-prediction', 'yes', '--positive-is-unfavourable', '--no-hash',
      '--json', '-', '--html', cliHtml], { encoding: 'utf8' }));
    // Same verdicts: every check outcome (status, observed value, disadvantaged group,
    // comparator, effect and interval), and the same headline.
    assert.deepEqual(fromPage.checks, fromCli.checks);
    assert.deepEqual(fromPage.bias, fromCli.bias);
    assert.equal(headline(pageHtml), headline(readFileSync(cliHtml, 'utf8')));
    const ratio = fromPage.checks.filter((c) => c.id === 'disparity_ratio');
    assert.deepEqual([...new Set(ratio.map((c) => c.disparity.metric))], ['selection_rate', 'false_positive_rate']);
    assert.ok(ratio.every((c) => c.disparity.band === 'adverse' && c.bound === 'min'));
    const diff = fromPage.checks.filter((c) => c.id === 'disparity_difference');
    assert.ok(diff.length > 0 && diff.every((c) => c.disparity.band === 'symmetric'));
    // The reference A is named against B and C on the selection rate (parity 0.67).
    const warned = ratio.filter((x) => x.status === 'warn' && x.disparity.metric === 'selection_rate');
    assert.deepEqual(warned.map((c) => [c.group, c.disparity.disadvantaged, c.disparity.comparator]),
      [['race = B', 'race = A', 'race = B'], ['race = C', 'race = A', 'race = C']]);
    const text = pageHtml.replace(/<[^>]+>/g, '');
    assert.match(text, /The group “A” was predicted positive \(pred = yes, the unfavourable outcome\) 1\.50× as often as the group “B”/);
    assert.match(headline(pageHtml), /^Passed with \d+ warnings?: \d+ fairness/);
    for (const url of log.requests) assert.ok(h.isAppFile(url, server.origin) || /^(blob|data):/.test(url), `unexpected request ${url}`);
    assert.deepEqual(log.errors, []);
  } finally {
    await browser.close();
  }
});

test('a spec file loaded in the page gives the same report as `audit --spec`', async () => {
  const dir = h.tempFile('placeholder', '').replace(/placeholder$/, '');
  const data = join(dir, 'loans.csv');
  const spec = join(dir, 'loans.toml');
  execFileSync(CLI, ['sample', '--rows', '3000', '-o', data, '--spec-out', spec]);
  const browser = await h.launch();
  const { page, log } = browser;
  try {
    await page.goto(`${server.origin}/index.html`);
    await page.locator('#file-input').setInputFiles(data);
    await h.previewColumns(page);
    await page.locator('#spec-file').setInputFiles(spec);
    await page.waitForFunction(() => /Spec loans\.toml loaded/.test(document.querySelector('#alert-text').textContent));
    assert.equal(await page.locator('#bias-enabled').isChecked(), true, 'the spec\'s bias section reached the form');
    await h.runAndWaitForReport(page);
    const fromPage = JSON.parse((await h.downloadText(page, 'Download report (JSON)')).text);
    const tables = join(dir, 'tables');
    const fromCli = JSON.parse(execFileSync(CLI, ['audit', data, '--spec', spec, '--no-hash', '--json', '-', '--csv', tables],
      { encoding: 'utf8', maxBuffer: 1 << 28 }));
    // The CSV tables: the page's downloads equal the CLI's files byte for byte.
    for (const table of ['columns', 'checks', 'bias_groups']) {
      await page.locator('#report-csv-table').selectOption(table);
      const csv = await h.downloadText(page, 'Download table (CSV)');
      assert.equal(csv.name, `loans.privaudit-${table.replace('_', '-')}.csv`);
      assert.equal(csv.text, readFileSync(join(tables, `${table}.csv`), 'utf8'), `${table}.csv`);
    }
    // Every section the engine computes: the page and the CLI must agree number for number.
    for (const key of ['bias', 'columns', 'checks', 'findings', 'definitions', 'passed', 'dataset', 'correlations',
      'group_quality', 'representativeness']) {
      assert.deepEqual(fromPage[key], fromCli[key], `report.${key}`);
    }
    // A broken spec is refused with a message naming the problem; the page keeps working.
    const broken = h.tempFile('broken.toml', '[bias]\nprotected = "sex"\nnonsense = 1\n');
    await page.locator('#restart-button').click();
    await page.locator('#file-input').setInputFiles(data);
    await h.previewColumns(page);
    await page.locator('#spec-file').setInputFiles(broken);
    await page.waitForFunction(() => /nonsense|unknown field/.test(document.querySelector('#alert-text').textContent));
    for (const url of log.requests) assert.ok(h.isAppFile(url, server.origin) || /^(blob|data):/.test(url), `unexpected request ${url}`);
    assert.deepEqual(log.errors, []);
  } finally {
    await browser.close();
  }
});

test('a boolean protected column keeps the file\'s spelling (Y/N) in the page as in the CLI', async () => {
  const rows = ['smoker,y,pred'];
  for (let i = 0; i < 600; i += 1) {
    const smoker = i % 3 === 0 ? 'Y' : 'N';
    const pred = (i * 7) % 10 < (smoker === 'Y' ? 6 : 3) ? 'yes' : 'no';
    rows.push(`${smoker},${(i * 3) % 4 === 0 ? 1 : 0},${pred}`);
  }
  const file = h.tempFile('smokers.csv', `${rows.join('\n')}\n`);
  const browser = await h.launch();
  const { page, log } = browser;
  try {
    await page.goto(`${server.origin}/index.html`);
    await page.locator('#file-input').setInputFiles(file);
    const columns = await h.previewColumns(page);
    await page.locator(`#role-${columns.indexOf('smoker')}`).selectOption('protected');
    await page.waitForFunction(() => document.querySelector('#bias-protected').textContent === 'smoker');
    await page.locator('#bias-panel > summary').click();
    await page.locator('#bias-enabled').check();
    await page.locator('#bias-label').selectOption('y');
    await page.locator('#bias-positive-label').fill('1');
    await page.locator('#bias-positive-label').dispatchEvent('change');
    await page.locator('#bias-prediction').selectOption('pred');
    await page.locator('#bias-positive-prediction').fill('yes');
    await page.locator('#bias-positive-prediction').dispatchEvent('change');
    await page.locator('#bias-favourable').uncheck();
    await h.runAndWaitForReport(page);
    const fromPage = JSON.parse((await h.downloadText(page, 'Download report (JSON)')).text);
    const pageHtml = await h.reportSource(page);
    const fromCli = JSON.parse(execFileSync(CLI, ['audit', file, '--protected', 'smoker', '--label', 'y', '--positive', '1',
      '--prediction', 'pred', '--positive-prediction', 'yes', '--positive-is-unfavourable', '--no-hash', '--json', '-'],
    { encoding: 'utf8' }));
    const column = fromPage.input.spec.columns.find((c) => c.name === 'smoker');
    assert.deepEqual([column.type, column.true_value, column.false_value], ['boolean', 'Y', 'N']);
    assert.deepEqual(fromPage.bias, fromCli.bias);
    assert.deepEqual(fromPage.checks, fromCli.checks);
    assert.deepEqual(fromPage.group_quality, fromCli.group_quality);
    const groups = fromPage.bias.breakdowns[0].audit.groups.map((g) => g.group[0]).sort();
    assert.deepEqual(groups, ['N', 'Y']);
    const text = pageHtml.replace(/<[^>]+>/g, '');
    assert.match(text, /The group “Y” was predicted positive/);
    assert.doesNotMatch(text, /“(true|false)”|smoker = (true|false)/);
    assert.deepEqual(log.errors, []);
  } finally {
    await browser.close();
  }
});
