// Parquet in the page, served and as the offline file (issue 17): a zstd Parquet file
// (polars' default codec; here pyarrow's, 4 row groups), also under a .csv name, is
// detected by content, previewed from its footer and first rows, read by the Parquet
// module that is loaded only then, and gives the report the CLI gives; so does an xlsx.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import * as h from './harness.mjs';

const CLI = process.env.PRIVAUDIT_BIN || join(h.ROOT, 'target', 'debug', 'privaudit');
const INPUTS = join(h.ROOT, 'tests', 'data', 'inputs');
let server;
let dir;

before(async () => {
  h.requireBuilt('www');
  h.requireBuilt('dist');
  assert.ok(existsSync(CLI), `the CLI binary is missing at ${CLI}: run cargo build (scripts/test runs cargo test first)`);
  server = await h.startServer(h.WWW);
  dir = mkdtempSync(join(tmpdir(), 'privaudit-parquet-'));
});

after(async () => {
  if (server) await server.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function fact(page, term) {
  return page.locator('#facts dt', { hasText: term }).locator('xpath=following-sibling::dd[1]').innerText();
}

/** What must equal the CLI's: every statistic, check and finding. */
function answers(r) {
  return { rows: r.input.rows, columns: r.columns, checks: r.checks, findings: r.findings, dataset: r.dataset, privacy: r.privacy };
}

function cliReport(file) {
  return JSON.parse(execFileSync(CLI, ['audit', file, '--no-hash', '--json', '-'], { encoding: 'utf8' }));
}

async function auditInPage(page, file) {
  await page.locator('#file-input').setInputFiles(file);
  await h.previewColumns(page);
  await h.runAndWaitForReport(page);
  return JSON.parse((await h.downloadText(page, 'Download report (JSON)')).text);
}

async function flow(page, log, served) {
  // An xlsx first: the Parquet module is not loaded for it.
  const xlsx = join(INPUTS, 'table_xlsxwriter.xlsx');
  const fromXlsx = await auditInPage(page, xlsx);
  assert.deepEqual(answers(fromXlsx), answers(cliReport(xlsx)), 'the xlsx report equals the CLI\'s');
  if (served) assert.ok(!log.requests.some((u) => u.includes('pkg-parquet')), 'no Parquet module for a workbook');

  // A zstd Parquet file named .csv: detected by content.
  const named = join(dir, 'table.csv');
  copyFileSync(join(INPUTS, 'table_pyarrow_zstd.parquet'), named);
  await page.locator('#restart-button').click();
  await page.locator('#file-input').setInputFiles(named);
  const columns = await h.previewColumns(page);
  assert.deepEqual(columns, ['id', 'age', 'income', 'sex', 'group', 'approved', 'score', 'applied', 'stamp', 'member', 'note']);
  assert.equal(await fact(page, 'Format'), 'Parquet');
  assert.equal(await fact(page, 'Row groups'), '4');
  assert.match(await fact(page, 'Rows'), /400 data rows \(from the Parquet file's footer\)/);
  assert.equal(await page.locator('#facts dt', { hasText: 'Delimiter' }).count(), 0, 'no delimiter for Parquet');
  await h.runAndWaitForReport(page);
  const fromPage = JSON.parse((await h.downloadText(page, 'Download report (JSON)')).text);
  const fromCli = cliReport(named);
  assert.equal(fromPage.input.spec.input.format, 'parquet');
  assert.deepEqual(answers(fromPage), answers(fromCli), 'the Parquet report equals the CLI\'s');
  if (served) {
    assert.ok(log.requests.some((u) => u.includes('pkg-parquet/privaudit_parquet_bg.wasm')), 'the Parquet module was loaded');
    for (const url of log.requests) assert.ok(h.isAppFile(url, server.origin) || /^(blob|data):/.test(url), `unexpected request ${url}`);
  }

  // A damaged Parquet file: a sentence, not a crash.
  const broken = join(dir, 'broken.parquet');
  copyFileSync(join(h.ROOT, 'tests', 'data', 'messy', 'footer_beyond.parquet'), broken);
  await page.locator('#restart-button').click();
  await page.locator('#file-input').setInputFiles(broken);
  await page.waitForFunction(() => /damaged Parquet file/.test(document.body.innerText), null, { timeout: 60_000 });

  // A file the parquet crate panics on (natively caught): in the browser the panic traps the
  // module; the page gives the CLI's sentence with the panic's message, and still works.
  const panics = join(dir, 'panics.parquet');
  copyFileSync(join(h.ROOT, 'tests', 'data', 'messy', 'reader_panic.parquet'), panics);
  await page.locator('#file-input').setInputFiles(panics); // the file step is still shown
  // (The panic's own message may differ from the CLI's: wasm32's usize is 32 bits wide.)
  const sentence = /damaged Parquet file: the Parquet reader failed on it \([^)]+\)/;
  // The damaged row group may be the preview's (the sentence comes at once) or a later one
  // (the preview shows, and the run gives the sentence).
  await page.waitForFunction((re) => new RegExp(re).test(document.body.innerText)
    || !document.querySelector('#step-preview').hidden, sentence.source, { timeout: 60_000 });
  if (!sentence.test(await page.locator('body').innerText())) await page.locator('#run-button').click();
  await page.waitForFunction((re) => new RegExp(re).test(document.body.innerText), sentence.source, { timeout: 60_000 });
  // The page still reads Parquet after the trap.
  const again = await auditInPage(page, named);
  assert.deepEqual(answers(again), answers(fromCli), 'after a trapped reader, the same report again');
}

test('served: a zstd Parquet file (named .csv) and an xlsx give the CLI\'s reports', async () => {
  const browser = await h.launch();
  try {
    await browser.page.goto(`${server.origin}/`);
    await flow(browser.page, browser.log, true);
    assert.deepEqual(browser.log.errors, []);
  } finally {
    await browser.close();
  }
});

test('offline file: the same, with the Parquet module inlined and no network', async () => {
  const browser = await h.launch();
  try {
    await browser.page.goto(pathToFileURL(h.DIST_HTML).href);
    await flow(browser.page, browser.log, false);
    assert.deepEqual(browser.log.errors, []);
  } finally {
    await browser.close();
  }
});
