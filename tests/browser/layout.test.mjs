// The report's layout in Chromium: no horizontal page overflow at 390 px (the COMPAS
// report with its bias audit, as in issue 13, and the sample report), every in-page link
// has a target, printing opens the collapsed parts; and in the page, the report is shown
// at its full height (the page scrolls, not a frame inside it) without overflow at 390 px.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import * as h from './harness.mjs';

const CLI = process.env.PRIVAUDIT_BIN || join(h.ROOT, 'target', 'debug', 'privaudit');
const COMPAS = join(h.ROOT, '..', 'shared', 'fairness-data', 'compas', 'compas-scores-two-years.csv');
const PHONE = 390;

let server;

before(async () => {
  h.requireBuilt('pkg');
  assert.ok(existsSync(CLI), `the CLI binary is missing at ${CLI}: run cargo build (scripts/test runs cargo test first)`);
  server = await h.startServer(h.WWW);
});

after(async () => {
  h.removeTempFiles();
  if (server) await server.close();
});

/** Runs the CLI (`audit` exits 1 when a fail check fails: still a report) and returns the HTML file. */
function cliReport(name, args) {
  const html = h.tempFile(`${name}.html`, '');
  try {
    execFileSync(CLI, ['audit', ...args, '--no-hash', '--html', html], { stdio: 'pipe' });
  } catch (e) {
    if (e.status !== 1) throw e;
  }
  return html;
}

/** Layout facts of the document in `frame` (a page or a frame). */
function measure(frame) {
  return frame.evaluate(() => {
    const links = [...document.querySelectorAll('a[href]')].map((a) => a.getAttribute('href'));
    const wide = [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1 && !el.closest('.tw'))
      .slice(0, 5)
      .map((el) => `${el.tagName}.${el.className} ${Math.round(el.getBoundingClientRect().right)}`);
    return {
      scrollWidth: document.documentElement.scrollWidth,
      clientWidth: document.documentElement.clientWidth,
      links,
      broken: links.filter((l) => !l.startsWith('#') || !document.getElementById(decodeURIComponent(l.slice(1)))),
      tables: document.querySelectorAll('table').length,
      wrapped: document.querySelectorAll('div.tw > table').length,
      wide,
    };
  });
}

async function checkReportFile(page, file, what) {
  await page.setViewportSize({ width: PHONE, height: 800 });
  await page.goto(pathToFileURL(file).href);
  const m = await measure(page);
  assert.ok(m.scrollWidth <= PHONE, `${what}: the page is ${m.scrollWidth} px wide at ${PHONE} px (${m.wide.join('; ')})`);
  assert.ok(m.links.length > 5, `${what}: a table of contents`);
  assert.deepEqual(m.broken, [], `${what}: links without a target`);
  assert.equal(m.wrapped, m.tables, `${what}: every table scrolls in its own box`);
  // On screen the long parts are collapsed; printing opens them.
  const collapsedShown = () => page.evaluate(() => [...document.querySelectorAll('details:not([open])')]
    .map((d) => d.querySelector(':scope > :not(summary)'))
    .filter(Boolean)
    .map((el) => el.checkVisibility()));
  const screen = await collapsedShown();
  assert.ok(screen.length > 0 && screen.every((x) => !x), `${what}: collapsed parts on screen`);
  await page.emulateMedia({ media: 'print' });
  const printed = await collapsedShown();
  assert.ok(printed.every((x) => x), `${what}: every collapsed part is printed (${printed.filter((x) => !x).length} are not)`);
  const pdf = await page.pdf({ width: '210mm', height: '297mm' });
  assert.ok(pdf.length > 10_000, `${what}: prints`);
  await page.emulateMedia({ media: 'screen' });
}

test('the COMPAS report fits a 390 px screen, every link has a target, printing opens every part', async (t) => {
  if (!existsSync(COMPAS)) {
    t.diagnostic(`${COMPAS} not found: the shared datasets are not in the repository; skipping`);
    return;
  }
  const html = cliReport('compas', [COMPAS, '--protected', 'race,sex', '--label', 'two_year_recid', '--positive', '1',
    '--score', 'decile_score', '--threshold', '5', '--positive-is-unfavourable']);
  const browser = await h.launch();
  try {
    await checkReportFile(browser.page, html, 'COMPAS');
  } finally {
    await browser.close();
  }
});

test('the sample report fits a 390 px screen, every link has a target, printing opens every part', async () => {
  const csv = h.tempFile('sample.csv', '');
  const spec = h.tempFile('sample.toml', '');
  execFileSync(CLI, ['sample', '--rows', '50000', '-o', csv, '--spec-out', spec], { stdio: 'pipe' });
  const html = cliReport('sample', [csv, '--spec', spec]);
  const browser = await h.launch();
  try {
    await checkReportFile(browser.page, html, 'sample');
  } finally {
    await browser.close();
  }
});

test('the page shows the report at full height without overflow at 390 px; its links scroll the page', async () => {
  const browser = await h.launch();
  const { page, log } = browser;
  try {
    await page.setViewportSize({ width: PHONE, height: 800 });
    await page.goto(`${server.origin}/index.html`);
    await h.loadSample(page);
    const frame = await h.runAndWaitForReport(page);
    const frameEl = page.locator('#report-frame');
    assert.equal(await frameEl.getAttribute('sandbox'), 'allow-same-origin', 'the report frame may not run scripts');
    // The frame is as tall as its report: nothing scrolls inside it.
    await page.waitForFunction(() => {
      const f = document.querySelector('#report-frame');
      return f.contentDocument && f.clientHeight >= f.contentDocument.documentElement.scrollHeight - 1 && f.clientHeight > 600;
    });
    const inner = await measure(frame);
    assert.ok(inner.scrollWidth <= inner.clientWidth, `the report overflows its frame: ${inner.scrollWidth} > ${inner.clientWidth} (${inner.wide.join('; ')})`);
    assert.deepEqual(inner.broken, []);
    const outer = await measure(page);
    assert.ok(outer.scrollWidth <= PHONE, `the page is ${outer.scrollWidth} px wide at ${PHONE} px (${outer.wide.join('; ')})`);
    // A link of the contents opens its (collapsed) target and scrolls the page to it.
    const before = await page.evaluate(() => window.scrollY);
    await frame.locator('nav.toc a[href="#glossary"]').click();
    await page.waitForFunction((y) => window.scrollY > y + 500, before);
    const opened = await frame.evaluate(() => document.querySelector('#glossary details').open);
    assert.equal(opened, false, 'a section link scrolls; it does not open the section\'s parts');
    const term = await frame.evaluate(() => document.querySelector('dt[id]').id);
    await frame.evaluate((id) => {
      const a = document.createElement('a');
      a.href = `#${id}`;
      a.textContent = 'definition';
      document.querySelector('nav.toc').append(a);
    }, term);
    await frame.locator(`a[href="#${term}"]`).click();
    await page.waitForFunction(() => document.querySelector('#report-frame').contentDocument.querySelector('#glossary details').open);
    assert.deepEqual(log.errors, []);
  } finally {
    await browser.close();
  }
});
