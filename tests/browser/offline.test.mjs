// The single offline file dist/privaudit.html opened as file:// — no server.
// A local server runs only as a target that the page must fail to reach.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import * as h from './harness.mjs';

let server;

before(async () => {
  h.requireBuilt('dist');
  server = await h.startServer(h.WWW);
});

after(async () => {
  if (server) await server.close();
});

test('the offline file declares a CSP with no connect-src and default-src none', () => {
  const html = readFileSync(h.DIST_HTML, 'utf8');
  const metas = html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]*)">/g) || [];
  assert.equal(metas.length, 1, 'exactly one CSP <meta>');
  const csp = /content="([^"]*)"/.exec(metas[0])[1];
  assert.match(csp, /(^|; )default-src 'none'(;|$)/);
  assert.doesNotMatch(csp, /connect-src/);
  assert.doesNotMatch(csp, /https?:|\*/, 'no host sources');
  assert.doesNotMatch(html, /<script[^>]+src=/i, 'no external script');
  assert.doesNotMatch(html, /<link[^>]+rel="stylesheet"/i, 'no external stylesheet');
});

test('file://: sample audit works and the browser refuses every connection', async () => {
  server.requests.length = 0;
  const browser = await h.launch();
  const { page, log } = browser;
  try {
    await page.goto(pathToFileURL(h.DIST_HTML).href);
    const columns = await h.loadSample(page);
    assert.ok(columns.length >= 3);
    const frame = await h.runAndWaitForReport(page);
    const text = await frame.locator('body').innerText();
    assert.match(text, h.rowCountPattern(50000));
    assert.ok(text.includes(columns[0]));
    await page.screenshot({ path: h.saveArtifact('offline-report.png'), fullPage: true });

    const html = await h.downloadText(page, 'Download report (HTML)');
    assert.equal(html.text, await h.reportSource(page));
    JSON.parse((await h.downloadText(page, 'Download report (JSON)')).text);
    assert.ok((await h.downloadText(page, 'Download spec (TOML)')).text.includes(columns[0]));

    for (const url of log.requests) {
      assert.match(url, /^(file|blob|data):/, `request that is not file:, blob: or data:: ${url}`);
    }

    // A deliberate request from the page…
    const fromPage = await page.evaluate(async (url) => {
      const violations = [];
      document.addEventListener('securitypolicyviolation', (e) => violations.push(e.effectiveDirective));
      let outcome;
      try {
        await fetch(url);
        outcome = 'fetched';
      } catch (e) {
        outcome = `rejected: ${e.name}`;
      }
      await new Promise((r) => setTimeout(r, 100));
      return { outcome, violations };
    }, `${server.origin}/from-page`);
    assert.equal(fromPage.outcome, 'rejected: TypeError');
    assert.ok(fromPage.violations.includes('connect-src'), `CSP violation expected, got ${JSON.stringify(fromPage.violations)}`);

    // …and from a Blob worker, which inherits the page's CSP.
    const fromWorker = await page.evaluate(async (url) => {
      const source = `
        const violations = [];
        self.addEventListener('securitypolicyviolation', (e) => violations.push(e.effectiveDirective));
        fetch(${JSON.stringify(url)}).then(
          () => 'fetched', (e) => 'rejected: ' + e.name,
        ).then((outcome) => setTimeout(() => postMessage({ outcome, violations }), 100));`;
      const worker = new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })));
      return new Promise((resolve) => {
        worker.onmessage = (e) => resolve(e.data);
        worker.onerror = (e) => resolve({ outcome: `worker error: ${e.message}`, violations: [] });
      });
    }, `${server.origin}/from-worker`);
    assert.equal(fromWorker.outcome, 'rejected: TypeError');
    assert.ok(fromWorker.violations.includes('connect-src'), `CSP violation expected, got ${JSON.stringify(fromWorker.violations)}`);

    assert.deepEqual(server.requests, [], 'the server received no request');
    const deliberate = [`${server.origin}/from-page`, `${server.origin}/from-worker`];
    for (const url of log.requests) {
      if (deliberate.includes(url)) continue;
      assert.match(url, /^(file|blob|data):/, `request that is not file:, blob: or data:: ${url}`);
    }
    assert.deepEqual(log.dialogs, []);
    assert.deepEqual(log.errors, []);
  } finally {
    await browser.close();
  }
});
