// The bench's local server (not part of the app): the repository root on 127.0.0.1 like
// harness.mjs's server (so the app is /www/, the bench pages /tests/browser/bench/ and
// DuckDB-WASM /tests/browser/node_modules/…), plus, when a baseline is given, the OLD
// app under /baseline/www/: its files from `www` (a copy of an older www/, default the
// current one) and /baseline/www/pkg/ from `pkg` (an older `bash scripts/build` output),
// so the old and the new engine run in the same Chromium, from the same origin.

import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { ROOT } from '../harness.mjs';

export const BASELINE_PREFIX = '/baseline/www';

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
};

/** Checks a baseline directory holds `needs` and returns its absolute path. */
function baselineDir(path, what, needs) {
  const full = resolve(path);
  if (!existsSync(join(full, needs))) throw new Error(`${what} ${full} has no ${needs}`);
  return full;
}

/** The file under `root` for the URL path `rel` (relative), or null outside it. */
function inside(root, rel) {
  const file = resolve(root, `./${rel}`);
  return file === root || file.startsWith(root + sep) ? file : null;
}

/**
 * Starts the server. `baseline`: {www, pkg} (either may be null) or null.
 * Returns {origin, requests, baseline: bool, close()}; `requests` lists every path asked.
 */
export async function startBenchServer(baseline = null) {
  const useBaseline = Boolean(baseline && (baseline.www || baseline.pkg));
  const www = useBaseline && baseline.www ? baselineDir(baseline.www, 'the baseline www', 'index.html') : join(ROOT, 'www');
  const pkg = useBaseline && baseline.pkg ? baselineDir(baseline.pkg, 'the baseline pkg', 'privaudit_bg.wasm') : join(www, 'pkg');
  if (useBaseline) baselineDir(pkg, 'the baseline pkg', 'privaudit.js');
  const requests = [];
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    requests.push(path);
    let file;
    if (useBaseline && path.startsWith(`${BASELINE_PREFIX}/`)) {
      const rest = path.slice(BASELINE_PREFIX.length + 1);
      file = rest.startsWith('pkg/') ? inside(pkg, rest.slice(4)) : inside(www, rest || 'index.html');
    } else {
      file = inside(ROOT, path.endsWith('/') ? `${path}index.html` : path);
    }
    if (!file || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': MIME[extname(file)] || 'application/octet-stream', 'cache-control': 'no-store' });
    createReadStream(file).pipe(res);
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    baseline: useBaseline,
    close: () => new Promise((ok) => { server.closeAllConnections(); server.close(ok); }),
  };
}
