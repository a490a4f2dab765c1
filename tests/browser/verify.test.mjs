// The validator's side in the page: "Check a DP summary you received" runs the same
// checks as `privaudit verify` on a summary the page released, on a tampered copy, and on
// a file that is not a summary — in the offline file and in the served page.

import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import * as h from './harness.mjs';

let server;
let genuine = null; // a summary released by the offline file

before(async () => {
  h.requireBuilt('pkg');
  h.requireBuilt('dist');
  server = await h.startServer(h.WWW);
});

after(async () => {
  h.removeTempFiles();
  if (server) await server.close();
});

/** Opens `path` with "Check a DP summary you received"; returns the verdict line and the page's source. */
async function check(page, path) {
  await page.locator('#verify-file').setInputFiles(path);
  await page.locator('#step-verify').or(page.locator('#alert:not([hidden])')).first().waitFor({ state: 'visible', timeout: 60_000 });
  if (await page.locator('#alert:not([hidden])').count()) return { alert: await page.locator('#alert-text').textContent() };
  const verdict = await page.locator('#verify-verdict').textContent();
  const source = await page.locator('#verify-frame').evaluate((el) => el.srcdoc);
  const frame = await (await page.locator('#verify-frame').elementHandle()).contentFrame();
  await frame.waitForLoadState('load');
  return { verdict, source, text: await frame.locator('body').innerText() };
}

async function back(page) {
  await page.locator('#verify-back').click();
  await page.locator('#step-file').waitFor({ state: 'visible' });
}

test('offline file: a released summary checks consistent; a tampered one names the claim; other files are refused', async () => {
  const browser = await h.launch();
  const { page, log } = browser;
  try {
    await page.goto(pathToFileURL(h.DIST_HTML).href);
    await h.loadSample(page);
    await page.locator('#dp-panel > summary').click();
    await page.waitForFunction(() => document.querySelectorAll('#dp-body td.dp-accuracy')[4]?.textContent.includes('±'));
    await page.getByRole('button', { name: 'Release DP summary' }).click();
    await page.locator('#step-report').waitFor({ state: 'visible', timeout: 120_000 });
    const json = await h.downloadText(page, 'Download DP summary (JSON)');
    genuine = json.text;
    await page.getByRole('button', { name: 'Audit another file' }).click();

    const ok = await check(page, h.tempFile('summary.json', genuine));
    assert.match(ok.verdict, /^summary\.json: consistent: [\d,]+ claims checked in 5 releases, none fails$/);
    assert.match(ok.text, /What this summary reveals/);
    assert.match(ok.text, /What it does not reveal/);
    assert.match(ok.text, /Four-fifths rule/);
    await page.screenshot({ path: h.saveArtifact('verify-consistent.png'), fullPage: true });
    await back(page);

    // The histogram's noise scale changed: the page names the release, the claim and the expected value.
    const tampered = JSON.parse(genuine);
    const scale = tampered.releases[1].components[0].scale;
    assert.equal(scale, '6', 'ε = 1/6 over Δ = 1');
    tampered.releases[1].components[0].scale = '5';
    const bad = await check(page, h.tempFile('tampered.json', JSON.stringify(tampered)));
    assert.match(bad.verdict, /^tampered\.json: INCONSISTENT: 1 of [\d,]+ claims checked in 5 releases fail$/);
    assert.match(bad.text, /release 2 \(histogram of sex\), part 1 \(counts per key\)\s+scale/);
    assert.ok(bad.source.includes('the noise scale is 5, but Δ₁/ε = 1 / (1/6) gives 6'), bad.source.slice(0, 3000));
    await page.screenshot({ path: h.saveArtifact('verify-inconsistent.png'), fullPage: true });
    await back(page);

    const none = await check(page, h.tempFile('notes.json', '{"schema": "privaudit.report/1"}'));
    assert.match(none.alert, /notes\.json: this JSON has the schema `privaudit\.report\/1`, not `privaudit\.dp-summary\/1`/);
    for (const url of log.requests) assert.match(url, /^(file|blob|data):/, `request ${url}`);
    assert.deepEqual(log.errors, []);
  } finally {
    await browser.close();
  }
});

test('served page: the same summary checks the same', async () => {
  assert.ok(genuine, 'the previous test released a summary');
  const browser = await h.launch();
  const { page, log } = browser;
  try {
    await page.goto(`${server.origin}/index.html`);
    const ok = await check(page, h.tempFile('summary.json', genuine));
    assert.match(ok.verdict, /^summary\.json: consistent: /);
    for (const url of log.requests) assert.ok(h.isAppFile(url, server.origin) || /^(blob|data):/.test(url), `unexpected request ${url}`);
    assert.deepEqual(log.errors, []);
  } finally {
    await browser.close();
  }
});
