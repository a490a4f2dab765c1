// Workbooks in the page, served and as the offline file (issue 17): a dropped xlsx is
// detected by content, its sheets are listed in the preview, choosing one previews that
// sheet, and the audit reads the chosen sheet; an ods file gives the CSV's row count.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import * as h from './harness.mjs';

const INPUTS = join(h.ROOT, 'tests', 'data', 'inputs');
let server;

before(async () => {
  h.requireBuilt('www');
  h.requireBuilt('dist');
  server = await h.startServer(h.WWW);
});

after(async () => {
  if (server) await server.close();
});

async function fact(page, term) {
  return page.locator('#facts dt', { hasText: term }).locator('xpath=following-sibling::dd[1]').innerText();
}

async function workbookFlow(page) {
  await page.locator('#file-input').setInputFiles(join(INPUTS, 'messy.xlsx'));
  let columns = await h.previewColumns(page);
  assert.deepEqual(columns, ['id', 'age', 'income', 'monthly', 'applied', 'ok', 'ratio']);
  assert.equal(await fact(page, 'Format'), 'Excel workbook');
  assert.equal(await page.locator('#facts dt', { hasText: 'Delimiter' }).count(), 0, 'no delimiter for a workbook');
  const sheet = page.locator('#sheet-select');
  assert.deepEqual(await sheet.locator('option').allTextContents(), ['Applicants', 'Codes', 'Secret']);
  assert.equal(await sheet.inputValue(), 'Applicants');
  const notices = await page.locator('#notices li').allTextContents();
  assert.ok(notices.some((n) => n.includes('the table starts at cell B4')), notices.join('\n'));

  await sheet.selectOption('Codes');
  await page.waitForFunction(() => [...document.querySelectorAll('#columns-body td.name')].map((td) => td.textContent).join() === 'code,meaning');
  assert.equal(await page.locator('#sheet-select').inputValue(), 'Codes');
  const frame = await h.runAndWaitForReport(page);
  const text = await frame.locator('body').innerText();
  assert.match(text, /meaning/);
  assert.match(text, /xlsx workbook · sheet Codes · table from cell A1/);

  await page.reload();
  await page.locator('#file-input').setInputFiles(join(INPUTS, 'table_odfpy.ods'));
  columns = await h.previewColumns(page);
  assert.equal(columns[0], 'id');
  assert.equal(await fact(page, 'Format'), 'OpenDocument spreadsheet');
  assert.equal(await fact(page, 'Sheet'), 'Table');
  const ods = await h.runAndWaitForReport(page);
  assert.match(await ods.locator('body').innerText(), h.rowCountPattern(400));
}

test('served: an xlsx is previewed with its sheets, a chosen sheet is audited, an ods is read', async () => {
  const browser = await h.launch();
  try {
    await browser.page.goto(`${server.origin}/`);
    await workbookFlow(browser.page);
    assert.deepEqual(browser.log.errors, []);
  } finally {
    await browser.close();
  }
});

test('offline file: the same workbooks, no server', async () => {
  const browser = await h.launch();
  try {
    await browser.page.goto(pathToFileURL(h.DIST_HTML).href);
    await workbookFlow(browser.page);
    assert.deepEqual(browser.log.errors, []);
  } finally {
    await browser.close();
  }
});
