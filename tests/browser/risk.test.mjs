// The "Privacy risk" panel (issue 16): quasi-identifiers, sensitive attributes, population
// and a generalisation chosen in the page reach the spec and give the same risk section
// as the CLI; the PIA and datasheet drafts and the generalised table download and equal
// the CLI's files byte for byte; planted names never appear in them.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import * as h from './harness.mjs';

const CLI = process.env.PRIVAUDIT_BIN || join(h.ROOT, 'target', 'debug', 'privaudit');

function peopleCsv() {
  const rows = ['name,age,sex,zip_code,occupation,diagnosis'];
  const jobs = ['nurse', 'teacher', 'clerk', 'driver'];
  for (let i = 0; i < 800; i += 1) {
    const name = i === 11 ? 'Zebediah Quornwhistle' : `Canaryname${i} Plantedsurname`;
    const job = i === 11 ? 'astronaut' : jobs[i % 4];
    rows.push(`${name},${20 + (i % 60)},${i % 3 ? 'M' : 'F'},${130 + (i % 4)}${String(i % 9).padStart(2, '0')},${job},${['flu', 'asthma', 'none'][i % 3]}`);
  }
  return `${rows.join('\n')}\n`;
}

const PLANTED = ['Zebediah', 'Quornwhistle', 'Canaryname', 'astronaut'];

let server;

before(async () => {
  h.requireBuilt('pkg');
  assert.ok(existsSync(CLI), `the CLI binary is missing at ${CLI}: run cargo build --features cli`);
  server = await h.startServer(h.WWW);
});

after(async () => {
  h.removeTempFiles();
  if (server) await server.close();
});

test('the privacy risk panel, its report section and its downloads agree with the CLI', async () => {
  const file = h.tempFile('people.csv', peopleCsv());
  const browser = await h.launch();
  const { page, log } = browser;
  try {
    await page.goto(`${server.origin}/index.html`);
    await page.locator('#file-input').setInputFiles(file);
    const columns = await h.previewColumns(page);
    await page.locator('#risk-panel > summary').click();
    const id = (prefix, name) => `#${prefix}-${columns.indexOf(name)}`;
    // Suggestions come from the names: age, sex, zip_code, occupation; diagnosis sensitive.
    await page.locator(id('risk-qi', 'age')).waitFor();
    for (const name of ['age', 'sex', 'zip_code', 'occupation']) {
      assert.match(await page.locator(`label:has(${id('risk-qi', name)})`).innerText(), /suggested/, name);
    }
    assert.doesNotMatch(await page.locator(`label:has(${id('risk-qi', 'name')})`).innerText(), /suggested/);
    assert.match(await page.locator(`label:has(${id('risk-sa', 'diagnosis')})`).innerText(), /suggested/);
    for (const name of ['age', 'zip_code', 'occupation']) {
      await page.locator(id('risk-qi', name)).check();
      await page.locator('#risk-level-0').waitFor();
    }
    await page.waitForFunction(() => document.querySelectorAll('#risk-levels select').length === 3);
    await page.locator(id('risk-sa', 'diagnosis')).check();
    await page.waitForFunction(() => !document.querySelector('#risk-try-fields').hidden);
    await page.locator('#risk-population').fill('40000');
    await page.locator('#risk-population').dispatchEvent('change');
    // Try age in 10-year bands (level 3 of the age ladder) and the zip code's last 2 characters masked.
    await page.locator('#risk-level-0').selectOption('3');
    await page.locator('#risk-level-1').selectOption('2');
    await page.locator('#risk-add-button').click();
    await page.waitForFunction(() => /age = 3, zip_code = 2/.test(document.querySelector('#risk-tries').textContent));
    const spec = JSON.parse((await h.downloadText(page, 'Download spec (JSON)')).text);
    assert.deepEqual(spec.privacy, {
      detect: true, quasi_identifiers: ['age', 'zip_code', 'occupation'], sensitive: ['diagnosis'], population: 40000, what_if: [{ age: 3, zip_code: 2 }],
    });
    const frame = await h.runAndWaitForReport(page);
    assert.match(await frame.locator('body').innerText(), /Privacy risk: re-identification/);
    const fromPage = JSON.parse((await h.downloadText(page, 'Download report (JSON)')).text);
    const specFile = h.tempFile('spec.json', '');
    const specToml = (await h.downloadText(page, 'Download spec (TOML)')).text;
    const tomlFile = h.tempFile('spec.toml', specToml);
    const dir = join(specFile, '..');
    execFileSync(CLI, ['audit', file, '--spec', tomlFile, '--json', join(dir, 'r.json'),
      '--pia-out', join(dir, 'pia.md'), '--datasheet-out', join(dir, 'ds.html'),
      '--generalised-out', join(dir, 'gen.csv'), '--levels', 'age=3,zip_code=2'], { encoding: 'utf8' });
    const fromCli = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8'));
    assert.deepEqual(fromPage.privacy, fromCli.privacy);
    assert.equal(fromPage.privacy.risk.what_ifs[0].source, 'spec');

    // Drafts: the same text as the CLI's, except the run's start time.
    const stable = (t) => t.replace(/started [^ ]+Z\./, 'started T.');
    await page.locator('#report-draft-kind').selectOption('pia:md');
    const pia = await h.downloadText(page, 'Download draft');
    assert.equal(pia.name, 'people.privaudit-pia-draft.md');
    assert.equal(stable(pia.text), stable(readFileSync(join(dir, 'pia.md'), 'utf8')));
    await page.locator('#report-draft-kind').selectOption('datasheet:html');
    const ds = await h.downloadText(page, 'Download draft');
    assert.equal(stable(ds.text), stable(readFileSync(join(dir, 'ds.html'), 'utf8')));

    // The generalised table of the generalisation asked for.
    await page.locator('#report-generalised').waitFor({ state: 'visible' });
    const labels = await page.locator('#report-generalised-choice option').allTextContents();
    assert.match(labels[0], /^1\. age: 10-year bands, 90\+ pooled; zip_code: last 2 masked; occupation: exact/);
    const gen = await h.downloadText(page, 'Download generalised table (CSV)');
    assert.equal(gen.text, readFileSync(join(dir, 'gen.csv'), 'utf8'));
    assert.ok(gen.text.startsWith('age,zip_code,occupation,diagnosis\n'));
    await page.waitForFunction(() => /800 rows/.test(document.querySelector('#generalised-status').textContent));
    for (const text of [pia.text, ds.text, gen.text]) {
      for (const p of PLANTED) assert.ok(!text.includes(p), `a download holds the planted ${p}`);
    }
    for (const url of log.requests) assert.ok(h.isAppFile(url, server.origin) || /^(blob|data):/.test(url), `unexpected request ${url}`);
    assert.deepEqual(log.errors, []);
  } finally {
    await browser.close();
  }
});
