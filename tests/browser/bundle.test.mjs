// The single-file bundler's module concatenation (scripts/bundle.mjs), without a browser.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildHtml, concatModules, offlineCsp, parseModule } from '../../scripts/bundle.mjs';
import { WWW } from './harness.mjs';

test('parseModule strips imports and export keywords and lists the exports', () => {
  const mod = parseModule([
    "import { a, b as c } from './x.js';",
    "import * as ns from './y.js';",
    'export const K = 1;',
    'export async function f() { return a + c + ns.z; }',
    'export class C {}',
    'function local() {}',
  ].join('\n'), 'm.js');
  assert.deepEqual(mod.imports, [{ from: './x.js', pattern: '{ a, b: c }' }, { from: './y.js', pattern: 'ns' }]);
  assert.deepEqual(mod.exports, ['K', 'f', 'C']);
  assert.doesNotMatch(mod.body, /\bimport\b|\bexport\b/);
});

test('parseModule refuses forms it does not understand', () => {
  assert.throws(() => parseModule("import x from './x.js';", 'm.js'), /single-line/);
  assert.throws(() => parseModule('export default 1;', 'm.js'), /only understands/);
  assert.throws(() => parseModule('export { a };', 'm.js'), /only understands/);
  assert.throws(() => parseModule("import {\n a } from './x.js';", 'm.js'), /single-line/);
});

test('concatModules orders by dependency, includes each module once, and runs', () => {
  const files = {
    './a.js': "import { b } from './b.js';\nimport { c } from './c.js';\nexport const out = b() + c;",
    './b.js': "import { c } from './c.js';\nexport function b() { return c * 2; }",
    './c.js': 'export const c = 21;',
  };
  const script = concatModules('./a.js', (p) => files[p]);
  assert.equal(script.match(/\/\/ ---- \.\/c\.js/g).length, 1);
  assert.ok(script.indexOf('./c.js ----') < script.indexOf('./b.js ----'));
  assert.ok(script.indexOf('./b.js ----') < script.indexOf('./a.js ----'));
  assert.equal(new Function(`${script}\nreturn __privaudit_a.out;`)(), 63);
});

test('concatModules substitutes modules and rejects cycles', () => {
  const files = { './m.js': "import { v } from './real.js';\nexport const w = v;", './fake.js': 'export const v = 7;' };
  const script = concatModules('./m.js', (p) => files[p], { './real.js': './fake.js' });
  assert.equal(new Function(`${script}\nreturn __privaudit_m.w;`)(), 7);
  const cyc = { './p.js': "import { q } from './q.js';\nexport const p = 1;", './q.js': "import { p } from './p.js';\nexport const q = 1;" };
  assert.throws(() => concatModules('./p.js', (p) => cyc[p]), /cycle/);
});

test('the real www modules bundle; the worker has no import.meta', () => {
  const read = (p) => readFileSync(join(WWW, p), 'utf8');
  const app = concatModules('./app.js', read);
  const worker = concatModules('./worker.js', read, { './wasm.js': './wasm_inline.js' });
  assert.match(app, /__privaudit_pool/);
  assert.doesNotMatch(worker, /import\.meta|pkg\/privaudit/);
  assert.match(worker, /PRIVAUDIT_WASM_BASE64/);
  const { html, csp } = buildHtml({
    indexHtml: read('./index.html'), css: read('./style.css'), appScript: app,
    workerScript: `let wasm_bindgen;\n${worker}`, wasm: new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]),
  });
  assert.doesNotMatch(html, /src="app\.js"|href="style\.css"/);
  assert.match(html, /id="privaudit-worker-js"/);
  assert.match(html, /<body data-build="offline">/);
  assert.ok(html.includes(csp));
  assert.doesNotMatch(csp, /connect-src|unsafe-inline'[^;]*script|https?:/);
});

test('offlineCsp names the script hash and forbids everything else by default', () => {
  const csp = offlineCsp('sha256-abc');
  assert.match(csp, /^default-src 'none'; script-src 'sha256-abc' 'wasm-unsafe-eval'; worker-src blob:;/);
});
