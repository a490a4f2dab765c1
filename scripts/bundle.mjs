#!/usr/bin/env node
// Builds dist/privaudit.html: the whole app in one file that works opened as
// file:// with no server, and whose Content-Security-Policy forbids every
// network connection (no connect-src; default-src 'none').
//
// How:
//  - style.css is inlined in a <style> element.
//  - The page's ES modules (app.js and what it imports) are concatenated into
//    one inline <script type="module">: each module becomes an IIFE that
//    returns its exports, and each `import {a, b as c} from './x.js'` line
//    becomes `const {a, b: c} = <x's IIFE result>;`. Only these single-line
//    forms are accepted; anything else stops the build with a message.
//  - The worker is a classic Blob worker: the wasm-bindgen `--target
//    no-modules` glue (target/nomodules/privaudit.js, defines `wasm_bindgen`)
//    followed by worker.js and its imports concatenated the same way, with
//    wasm_inline.js standing in for wasm.js. Its source is stored base64 in
//    <script type="application/base64" id="privaudit-worker-js">, the .wasm
//    in <script type="application/base64" id="privaudit-wasm">; these are
//    data, never executed. pool.js builds the Blob from them.
//  - The Parquet reader is a second module (target/nomodules-parquet, made by
//    scripts/build): its no-modules glue (global `privaudit_parquet`) is appended to the
//    worker script, its .wasm gzip-compressed (level 9) and stored base64 in <script
//    id="privaudit-parquet-wasm">; the worker decompresses (DecompressionStream) and
//    compiles it only when a Parquet file is opened (wasm_inline.js).
//  - The CSP allows only the inline script by its sha256 hash, wasm
//    compilation, blob: workers and inline styles.
//
// Input directory of the no-modules glue: $PRIVAUDIT_NOMODULES_DIR, else
// target/nomodules (made by scripts/build).

import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The offline page's CSP, given the inline script's hash. No connect-src. */
export function offlineCsp(scriptHash) {
  return [
    "default-src 'none'",
    `script-src '${scriptHash}' 'wasm-unsafe-eval'`,
    'worker-src blob:',
    "style-src 'unsafe-inline'",
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

const IDENT = '[A-Za-z_$][\\w$]*';
const IMPORT_NAMED = new RegExp(`^import\\s*\\{([^}]*)\\}\\s*from\\s*'(\\./[\\w./-]+\\.js)';?\\s*$`);
const IMPORT_NS = new RegExp(`^import\\s+\\*\\s+as\\s+(${IDENT})\\s+from\\s*'(\\./[\\w./-]+\\.js)';?\\s*$`);
const EXPORT_DECL = new RegExp(`^export\\s+((?:async\\s+)?function\\*?|class|const|let|var)\\s+(${IDENT})`);

export function moduleVar(path) {
  return `__privaudit_${basename(path, '.js').replace(/[^\w$]/g, '_')}`;
}

/**
 * Splits one module's source into its imports, its exported names and its
 * body (import lines removed, `export ` dropped from declarations).
 */
export function parseModule(source, name) {
  const imports = [];
  const exports = [];
  const body = [];
  source.split('\n').forEach((line, i) => {
    const where = `${name}:${i + 1}`;
    let m;
    if ((m = IMPORT_NAMED.exec(line))) {
      const bindings = m[1].split(',').map((s) => s.trim()).filter(Boolean).map((s) => {
        const parts = s.split(/\s+as\s+/);
        if (!parts.every((p) => new RegExp(`^${IDENT}$`).test(p))) throw new Error(`${where}: cannot bundle import binding \`${s}\``);
        return parts.length === 2 ? `${parts[0]}: ${parts[1]}` : parts[0];
      });
      imports.push({ from: m[2], pattern: `{ ${bindings.join(', ')} }` });
    } else if ((m = IMPORT_NS.exec(line))) {
      imports.push({ from: m[2], pattern: m[1] });
    } else if (/^\s*import[\s{*'"]/.test(line)) {
      throw new Error(`${where}: the bundler only understands single-line \`import {a, b as c} from './x.js'\` and \`import * as x from './x.js'\`: ${line.trim()}`);
    } else if ((m = EXPORT_DECL.exec(line))) {
      exports.push(m[2]);
      body.push(line.replace(/^export\s+/, ''));
    } else if (/^\s*export\b/.test(line)) {
      throw new Error(`${where}: the bundler only understands \`export function|class|const|let name\`: ${line.trim()}`);
    } else {
      body.push(line);
    }
  });
  return { imports, exports, body: body.join('\n') };
}

/**
 * Concatenates `entry` and its imports (depth first, each module once, in
 * dependency order) into one script. `read(path)` returns a module's source;
 * `substitute` maps an import path to the file to use instead.
 */
export function concatModules(entry, read, substitute = {}) {
  const order = [];
  const state = new Map(); // path → 'visiting' | 'done'
  const parsed = new Map();
  const visit = (path, from) => {
    const file = substitute[path] || path;
    if (state.get(path) === 'done') return;
    if (state.get(path) === 'visiting') throw new Error(`import cycle through ${path} (from ${from})`);
    state.set(path, 'visiting');
    const mod = parseModule(read(file), file);
    parsed.set(path, mod);
    for (const imp of mod.imports) visit(imp.from, path);
    state.set(path, 'done');
    order.push(path);
  };
  visit(entry, '(entry)');
  return order.map((path) => {
    const mod = parsed.get(path);
    const file = substitute[path] || path;
    const lines = [`// ---- ${file} ----`, `const ${moduleVar(path)} = (() => {`, "'use strict';"];
    for (const imp of mod.imports) lines.push(`const ${imp.pattern} = ${moduleVar(imp.from)};`);
    lines.push(mod.body.trimEnd());
    lines.push(`return Object.freeze({ ${mod.exports.join(', ')} });`, '})();');
    return lines.join('\n');
  }).join('\n\n');
}

function replaceOnce(html, pattern, replacement, what) {
  const matches = html.match(new RegExp(pattern.source, 'g')) || [];
  if (matches.length !== 1) throw new Error(`www/index.html: expected exactly one ${what}, found ${matches.length}`);
  return html.replace(pattern, () => replacement);
}

function assertEmbeddable(text, what, tag) {
  const bad = new RegExp(`<\\/${tag}|<!--`, 'i');
  if (bad.test(text)) throw new Error(`${what} contains \`</${tag}\` or \`<!--\`, which cannot be inlined in HTML`);
}

/** Builds the offline HTML from the pieces; returns {html, csp}. */
export function buildHtml({ indexHtml, css, appScript, workerScript, wasm, parquetWasm = null }) {
  assertEmbeddable(css, 'style.css', 'style');
  assertEmbeddable(appScript, 'the app script', 'script');
  if (/\bimport\.meta\b/.test(workerScript.replace(/\/\/.*$/gm, ''))) {
    throw new Error('the worker uses import.meta, which a classic worker cannot');
  }
  const hash = `sha256-${createHash('sha256').update(appScript, 'utf8').digest('base64')}`;
  const csp = offlineCsp(hash);
  let html = indexHtml;
  html = replaceOnce(html, /<meta http-equiv="Content-Security-Policy" content="[^"]*">/, `<meta http-equiv="Content-Security-Policy" content="${csp}">`, 'CSP <meta>');
  html = replaceOnce(html, /<link rel="stylesheet" href="style\.css">/, `<style>\n${css}</style>`, 'stylesheet <link>');
  html = replaceOnce(html, /<body data-build="served">/, '<body data-build="offline">', '<body data-build="served">');
  const data = [
    `<script type="application/base64" id="privaudit-worker-js">${Buffer.from(workerScript, 'utf8').toString('base64')}</script>`,
    `<script type="application/base64" id="privaudit-wasm">${Buffer.from(wasm).toString('base64')}</script>`,
    ...(parquetWasm ? [`<script type="application/base64" id="privaudit-parquet-wasm">${gzipSync(parquetWasm, { level: 9 }).toString('base64')}</script>`] : []),
    `<script type="module">${appScript}</script>`,
  ].join('\n');
  html = replaceOnce(html, /<script type="module" src="app\.js"><\/script>/, data, 'app <script>');
  return { html, csp };
}

function main() {
  const www = join(ROOT, 'www');
  const glueDir = process.env.PRIVAUDIT_NOMODULES_DIR ? resolve(process.env.PRIVAUDIT_NOMODULES_DIR) : join(ROOT, 'target', 'nomodules');
  const glueJs = join(glueDir, 'privaudit.js');
  const glueWasm = join(glueDir, 'privaudit_bg.wasm');
  const pqDir = process.env.PRIVAUDIT_NOMODULES_PARQUET_DIR ? resolve(process.env.PRIVAUDIT_NOMODULES_PARQUET_DIR) : join(ROOT, 'target', 'nomodules-parquet');
  const pqJs = join(pqDir, 'privaudit_parquet.js');
  const pqWasm = join(pqDir, 'privaudit_parquet_bg.wasm');
  for (const file of [glueJs, glueWasm, pqJs, pqWasm]) {
    if (!existsSync(file)) {
      console.error(`bundle: ${file} is missing. Run \`bash scripts/build\` first (it makes the wasm-bindgen --target no-modules output).`);
      process.exit(1);
    }
  }
  const glue = readFileSync(glueJs, 'utf8');
  if (!/\bwasm_bindgen\b/.test(glue) || !/\binitSync\b/.test(glue)) {
    console.error(`bundle: ${glueJs} is not wasm-bindgen --target no-modules output (no wasm_bindgen/initSync).`);
    process.exit(1);
  }
  const read = (path) => readFileSync(join(www, path), 'utf8');
  const appScript = `\n${concatModules('./app.js', read)}\n`;
  const pqGlue = readFileSync(pqJs, 'utf8');
  if (!/\bprivaudit_parquet\b/.test(pqGlue) || !/\binitSync\b/.test(pqGlue)) {
    console.error(`bundle: ${pqJs} is not wasm-bindgen --target no-modules output with the global privaudit_parquet.`);
    process.exit(1);
  }
  const workerScript = `${glue}\n;\n${pqGlue}\n;\n${concatModules('./worker.js', read, { './wasm.js': './wasm_inline.js' })}\n`;
  const { html, csp } = buildHtml({
    indexHtml: read('./index.html'),
    css: read('./style.css'),
    appScript,
    workerScript,
    wasm: readFileSync(glueWasm),
    parquetWasm: readFileSync(pqWasm),
  });
  const out = join(ROOT, 'dist', 'privaudit.html');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, html);
  console.log(`bundle: wrote ${out} (${(html.length / 1e6).toFixed(2)} MB)\nbundle: CSP ${csp}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
