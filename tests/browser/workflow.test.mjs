// Issue 15 items 1–3 in the page: back to settings keeps everything (also after a DP
// release) and runs again without choosing the file again; a file with the same header
// is offered the last settings, which can be forgotten; the score/threshold form in both
// orders, by mouse and by keyboard; the preview's row estimate, example values, suggested
// roles (applied only on request) and a structural warning for a broken quote.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import * as h from './harness.mjs';

function loansCsv(rows = 600) {
  const out = ['applicant_id,gender,race,age,income,model_score,outcome,notes'];
  const races = ['White', 'Black', 'Asian', 'Hispanic'];
  for (let i = 0; i < rows; i += 1) {
    const score = ((i * 37) % 100) / 100;
    out.push(`A${1000 + i},${i % 2 ? 'Female' : 'Male'},${races[i % 4]},${20 + (i % 45)},${30000 + ((i * 7919) % 50000)},`
      + `${score.toFixed(2)},${(i * 7) % 3 === 0 ? 1 : 0},called on day ${i}`);
  }
  return `${out.join('\n')}\n`;
}

let server;

before(async () => {
  h.requireBuilt('pkg');
  server = await h.startServer(h.WWW);
});

after(async () => {
  h.removeTempFiles();
  if (server) await server.close();
});

async function open(page, file) {
  await page.locator('#file-input').setInputFiles(file);
  return h.previewColumns(page);
}

async function specJson(page) {
  return JSON.parse((await h.downloadText(page, 'Download spec (JSON)')).text);
}

async function openPanel(page, id) {
  if (!(await page.locator(`#${id}`).evaluate((el) => el.open))) await page.locator(`#${id} > summary`).click();
}

test('the preview: row estimate, examples, suggested roles on request, a broken quote flagged', async () => {
  const browser = await h.launch();
  const { page, log } = browser;
  try {
    await page.goto(`${server.origin}/index.html`);
    const columns = await open(page, h.tempFile('loans.csv', loansCsv()));
    const facts = await page.locator('#facts').innerText();
    assert.match(facts, /Rows\s+600 data rows \(the whole file was read\)/);
    // Examples: a few values; the identifier and the free-text notes are not shown.
    const examples = (name) => page.locator(`#examples-${columns.indexOf(name)}`).textContent();
    assert.equal(await examples('gender'), 'Male · Female');
    assert.match(await examples('applicant_id'), /^not shown: a declared identifier/);
    assert.match(await examples('notes'), /^not shown: personal data \(the header `notes` names free text/);
    // Suggestions are offered, not applied.
    const role = (name) => page.locator(`#role-${columns.indexOf(name)}`).inputValue();
    assert.equal(await role('gender'), 'feature');
    assert.match(await page.locator('#suggest-count').textContent(), /gender → protected, race → protected, age → protected, model_score → score/);
    assert.match(await page.locator('#columns-body').innerText(), /protected: the name says gender/);
    await page.locator(`#suggest-${columns.indexOf('gender')}`).click();
    await page.waitForFunction((i) => document.querySelector(`#role-${i}`).value === 'protected', columns.indexOf('gender'));
    assert.equal(await role('race'), 'feature', 'one suggestion applied, not the others');
    await page.getByRole('button', { name: 'Apply all suggestions' }).click();
    await page.waitForFunction((i) => document.querySelector(`#role-${i}`).value === 'score', columns.indexOf('model_score'));
    assert.deepEqual([await role('race'), await role('age')], ['protected', 'protected']);
    assert.ok(await page.locator('#suggest-bar').isHidden());
    // "Show sensitive values" (profile.show_sensitive_values) shows the notes.
    await openPanel(page, 'options-panel');
    await page.locator('#opt-profile-show_sensitive_values').check();
    await page.waitForFunction((i) => /called on day/.test(document.querySelector(`#examples-${i}`).textContent), columns.indexOf('notes'));
    assert.match(await examples('applicant_id'), /^not shown: a declared identifier/, 'declared identifiers stay hidden');

    // A larger file: an estimate with its range, labelled as one.
    const big = h.tempFile('big.csv', loansCsv(25_000));
    await page.locator('#another-button').click();
    await open(page, big);
    assert.match(await page.locator('#facts').innerText(),
      /Rows \(estimate\)\s+about 2[45],[0-9]00 data rows \(95 % range [\d,]+ – [\d,]+\): an estimate from the first MiB/);

    // A broken quote: flagged before the run, then reported by it.
    const broken = h.tempFile('broken.csv', 'a,b,c\n1,2,"x\n3,4,y\n5,6,z\n');
    await page.locator('#another-button').click();
    await open(page, broken);
    assert.ok(await page.locator('#structure').isVisible());
    assert.match(await page.locator('#structure-list').innerText(),
      /row 1: a quote opens and is never closed, so the rest of the file \(3 lines\) would be read as this one row/);
    const frame = await h.runAndWaitForReport(page);
    const text = await frame.locator('body').textContent(); // closed sections included
    assert.match(text, /Failed: 1 check \(1 parsing\)/);
    assert.match(text, /Every quote is closed: the file — 1 \(max 0\)/);
    assert.match(text, /4 lines = 1 header line \+ 1 data row \+ 2 more lines inside quoted fields/);
    assert.match(text, /row 1 at byte 6: a quote opens in this row and is never closed/);
    for (const url of log.requests) assert.ok(h.isAppFile(url, server.origin) || /^(blob|data):/.test(url), `unexpected request ${url}`);
    assert.deepEqual(log.errors, []);
  } finally {
    await browser.close();
  }
});

async function chooseScore(page, columns, order, input) {
  await openPanel(page, 'bias-panel');
  const pick = async (id, value) => {
    if (input === 'keyboard') {
      await page.locator(`#${id}`).focus();
      await page.locator(`#${id}`).selectOption(value); // selectOption fires input/change as the keyboard does
      await page.keyboard.press('Tab');
    } else {
      await page.locator(`#${id}`).click();
      await page.locator(`#${id}`).selectOption(value);
    }
  };
  const threshold = async () => {
    await page.locator('#bias-threshold').click();
    await page.keyboard.type('0.5');
    await page.keyboard.press('Tab');
  };
  await page.locator('#bias-enabled').check();
  if (order === 'score first') {
    await pick('bias-decision-kind', 'score');
    await pick('bias-score', 'model_score');
    assert.equal(await page.locator('#bias-decision-kind').inputValue(), 'score', `${input}: the form stays on score`);
    assert.ok(await page.locator('#bias-threshold').isVisible(), `${input}: the threshold field stays`);
    await threshold();
  } else {
    await pick('bias-decision-kind', 'score');
    await threshold();
    await pick('bias-score', 'model_score');
  }
  assert.equal(await page.locator('#bias-decision-kind').inputValue(), 'score');
  assert.equal(await page.locator('#bias-threshold').inputValue(), '0.5');
  const spec = await specJson(page);
  assert.equal(spec.bias.score, 'model_score', JSON.stringify(spec.bias));
  assert.equal(spec.bias.threshold, 0.5);
  assert.equal(spec.bias.prediction, undefined);
}

test('the score and threshold form works in any order, by mouse and by keyboard', async () => {
  const browser = await h.launch();
  const { page, log } = browser;
  try {
    await page.goto(`${server.origin}/index.html`);
    const file = h.tempFile('loans.csv', loansCsv());
    for (const order of ['score first', 'threshold first']) {
      for (const input of ['mouse', 'keyboard']) {
        const columns = await open(page, file);
        await chooseScore(page, columns, order, input);
        await page.locator('#another-button').click();
      }
    }
    assert.deepEqual(log.errors, []);
  } finally {
    await browser.close();
  }
});

test('back to settings keeps everything; the same header is offered the last settings; forgetting works', async () => {
  const browser = await h.launch();
  const { page, log } = browser;
  try {
    await page.goto(`${server.origin}/index.html`);
    const file = h.tempFile('loans.csv', loansCsv());
    const columns = await open(page, file);
    assert.ok(await page.locator('#reuse').isHidden(), 'nothing saved yet');
    assert.match(await page.locator('#settings-where').textContent(), /localStorage .*SHA-256 of this file's column names \(never a row of the file\)/);
    await page.getByRole('button', { name: 'Apply all suggestions' }).click();
    await page.waitForFunction((i) => document.querySelector(`#role-${i}`).value === 'score', columns.indexOf('model_score'));
    await chooseScore(page, columns, 'score first', 'mouse');
    await page.locator('#bias-label').selectOption('outcome');
    await page.locator('#bias-positive-label').fill('1');
    await page.locator('#bias-positive-label').dispatchEvent('change');
    await openPanel(page, 'checks-panel');
    await page.locator('#check-threshold-missing_share').fill('0.2');
    await page.locator('#check-threshold-missing_share').dispatchEvent('change');
    await page.waitForFunction(() => document.querySelector('#check-threshold-missing_share').value === '0.2');
    await openPanel(page, 'options-panel');
    await page.locator('#opt-correlations-enabled').selectOption('true');
    await page.waitForFunction(() => document.querySelector('#opt-correlations-enabled').value === 'true');
    await openPanel(page, 'dp-panel');
    await page.locator('#dp-kind').selectOption('histogram');
    await page.locator('#dp-column').selectOption('race');
    await page.locator('#dp-keys').fill('White, Black, Asian, Hispanic');
    await page.locator('#dp-add-button').click();
    await page.waitForFunction(() => document.querySelectorAll('#dp-body tr').length === 2);
    const before = await specJson(page);
    assert.equal(before.correlations.enabled, true);
    assert.deepEqual(before.checks.missing_share, { threshold: 0.2 });
    assert.equal(before.dp.queries.length, 2);

    // Run, back: every setting as it was; run again without choosing the file.
    let frame = await h.runAndWaitForReport(page);
    assert.match(await frame.locator('body').innerText(), /Bias audit/);
    await page.getByRole('button', { name: 'Back to settings' }).click();
    await page.locator('#step-preview').waitFor({ state: 'visible' });
    assert.deepEqual(await specJson(page), before);
    assert.equal(await page.locator('#bias-decision-kind').inputValue(), 'score');
    assert.equal(await page.locator('#bias-threshold').inputValue(), '0.5');
    assert.equal(await page.locator('#dp-body tr').count(), 2);
    frame = await h.runAndWaitForReport(page);
    assert.match(await frame.locator('body').innerText(), /Correlations/);
    // A DP release, then back: the planned releases are still there.
    await page.getByRole('button', { name: 'Back to settings' }).click();
    await openPanel(page, 'dp-panel');
    await page.waitForFunction(() => !document.querySelector('#dp-release-button').disabled);
    await page.locator('#dp-release-button').click();
    await page.locator('#step-report').waitFor({ state: 'visible', timeout: 120_000 });
    assert.equal(await page.locator('#report-heading').textContent(), 'Differentially private summary');
    await page.getByRole('button', { name: 'Back to settings' }).click();
    await page.locator('#step-preview').waitFor({ state: 'visible' });
    assert.equal(await page.locator('#dp-body tr').count(), 2, 'the DP plan did not reset');
    assert.deepEqual(await specJson(page), before);

    // Another file with the same header: the last settings are offered, and applied on request.
    await page.locator('#another-button').click();
    const other = h.tempFile('loans-2025.csv', loansCsv(300));
    await open(page, other);
    assert.ok(await page.locator('#reuse').isVisible());
    assert.match(await page.locator('#reuse-text').textContent(), /same columns was run in this browser before/);
    assert.equal(await page.locator(`#role-${columns.indexOf('gender')}`).inputValue(), 'feature', 'not applied silently');
    await page.getByRole('button', { name: 'Use the last settings' }).click();
    await page.waitForFunction(() => /last settings for this header are in use/.test(document.querySelector('#alert-text').textContent));
    assert.deepEqual(await specJson(page), before);
    assert.equal(await page.locator('#bias-decision-kind').inputValue(), 'score');
    // What is stored: the spec, under a 64-hex key, and no value of the rows beyond the settings.
    const stored = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('privaudit.settings.')));
    assert.equal(stored.length, 1);
    assert.match(stored[0], /^privaudit\.settings\.[0-9a-f]{64}$/);
    const text = await page.evaluate((k) => localStorage.getItem(k), stored[0]);
    assert.ok(!text.includes('A1000') && !text.includes('called on day'), 'no data from the rows');
    // A different header is not offered them; forgetting removes them.
    await page.locator('#another-button').click();
    await open(page, h.tempFile('other.csv', 'x,y\n1,2\n'));
    assert.ok(await page.locator('#reuse').isHidden());
    await page.locator('#another-button').click();
    await open(page, other);
    assert.ok(await page.locator('#reuse').isVisible());
    await page.getByRole('button', { name: 'Forget them' }).click();
    assert.equal(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('privaudit.settings.')).length), 0);
    await page.locator('#another-button').click();
    await open(page, other);
    assert.ok(await page.locator('#reuse').isHidden(), 'forgotten');
    for (const url of log.requests) assert.ok(h.isAppFile(url, server.origin) || /^(blob|data):/.test(url), `unexpected request ${url}`);
    assert.deepEqual(log.errors, []);
  } finally {
    await browser.close();
  }
});
