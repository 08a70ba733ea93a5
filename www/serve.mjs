// A small static server for the portal: serves www/ (the page), js/ (the engine package) and
// rules/ (the example requests) from the repository, nothing else, on 127.0.0.1 only.
// Usage: node www/serve.mjs [--port N]   (or PORT=N; 0 picks a free port).
// Prints "listening on http://127.0.0.1:N/" once ready, which scripts wait for.

import { createServer } from 'node:http';
import { createReadStream, statSync } from 'node:fs';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SERVED = ['www', 'js', 'rules'];

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.rhai': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/** Resolves a URL path to a file inside one of the served folders, or null. */
export function resolveFile(urlPath) {
  let path;
  try {
    path = decodeURIComponent(urlPath.split('?')[0]);
  } catch {
    return null;
  }
  const rel = normalize(path).replace(/^([/\\])+/, '');
  const top = rel.split(/[/\\]/)[0];
  if (!SERVED.includes(top) || rel.split(/[/\\]/).includes('node_modules')) return null;
  let file = join(ROOT, rel);
  if (!file.startsWith(ROOT + sep)) return null;
  try {
    if (statSync(file).isDirectory()) file = join(file, 'index.html');
    return statSync(file).isFile() ? file : null;
  } catch {
    return null;
  }
}

export function handle(req, res) {
  const url = req.url ?? '/';
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD' }).end();
    return;
  }
  if (url === '/' || url.startsWith('/?') || url === '/index.html') {
    res.writeHead(302, { location: `/www/${url.includes('?') ? url.slice(url.indexOf('?')) : ''}` }).end();
    return;
  }
  if (/^\/www(\?|$)/.test(url)) {
    res.writeHead(301, { location: url.replace(/^\/www/, '/www/') }).end();
    return;
  }
  const file = resolveFile(url);
  if (!file) {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
    return;
  }
  res.writeHead(200, {
    'content-type': MIME[extname(file)] ?? 'application/octet-stream',
    'cache-control': 'no-cache',
    'x-content-type-options': 'nosniff',
  });
  if (req.method === 'HEAD') res.end();
  else createReadStream(file).pipe(res);
}

export function start(port, onRequest = handle) {
  const server = createServer(onRequest);
  return new Promise((resolveStart, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolveStart(server));
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--port');
  const port = Number(i > 0 ? process.argv[i + 1] : (process.env.PORT ?? 8080));
  start(port).then(
    (server) => {
      const { port: p } = server.address();
      console.log(`listening on http://127.0.0.1:${p}/`);
      const stop = () => server.close(() => process.exit(0));
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    },
    (err) => {
      console.error(`serve.mjs: cannot listen on 127.0.0.1:${port}: ${err.message}`);
      process.exit(1);
    },
  );
}
