// Prints the size of the built web app: what the first page load fetches (the entry script, the
// chunks it preloads and the styles) and each chunk loaded later when a screen is opened, raw
// and as sent to a browser that accepts gzip or brotli (the .gz/.br copies the build writes;
// computed when a copy is missing). Run after a build (`make bench` does both):
//   npm run build && node scripts/bundle-size.mjs
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';

const dist = new URL('../dist/', import.meta.url).pathname;
// The goal for the first page load's JavaScript, gzip.
const INITIAL_JS_GOAL_KB = 250;

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

function sizeOf(file, suffix, compress) {
  return existsSync(file + suffix) ? statSync(file + suffix).size : compress(readFileSync(file)).length;
}

let html;
try {
  html = readFileSync(join(dist, 'index.html'), 'utf8');
} catch {
  console.error('no build found: run `npm run build` first');
  process.exit(1);
}
// What index.html makes the browser fetch at once: <script src>, <link rel=modulepreload|stylesheet>.
const initial = new Set(
  [...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*\shref)="\/([^"]+)"/g)]
    .map((m) => join(dist, m[1]))
    .filter((f) => /\.(js|css)$/.test(f)),
);

const all = files(dist).filter((f) => /\.(js|css|html)$/.test(f));
const rows = all.map((file) => {
  const raw = statSync(file).size;
  const gz = sizeOf(file, '.gz', (d) => gzipSync(d, { level: 9 }));
  const br = sizeOf(file, '.br', (d) => brotliCompressSync(d));
  const when = file.endsWith('.html') || initial.has(file) ? 'initial' : 'lazy';
  return { name: file.slice(dist.length), raw, gz, br, when, js: file.endsWith('.js') };
});
rows.sort((a, b) => (a.when === b.when ? b.gz - a.gz : a.when === 'initial' ? -1 : 1));

const kb = (n) => `${(n / 1024).toFixed(1).padStart(8)} KiB`;
const line = (when, name, r) => console.log(`${when.padEnd(8)} ${name.padEnd(48)} ${kb(r.raw)} ${kb(r.gz)} ${kb(r.br)}`);
const sum = (list) => list.reduce((t, r) => ({ raw: t.raw + r.raw, gz: t.gz + r.gz, br: t.br + r.br }), { raw: 0, gz: 0, br: 0 });

console.log(`${'load'.padEnd(8)} ${'file'.padEnd(48)} ${'raw'.padStart(12)} ${'gzip'.padStart(12)} ${'brotli'.padStart(12)}`);
for (const r of rows) line(r.when, r.name, r);
const initialJs = sum(rows.filter((r) => r.when === 'initial' && r.js));
const lazyJs = rows.filter((r) => r.when === 'lazy' && r.js);
console.log('');
line('initial', 'JavaScript of the first page load', initialJs);
line('initial', 'everything of the first page load', sum(rows.filter((r) => r.when === 'initial')));
if (lazyJs.length) line('lazy', `largest lazy chunk (${lazyJs[0].name})`, lazyJs[0]);
line('total', 'every file', sum(rows));
const gzKb = initialJs.gz / 1024;
console.log(
  `\nfirst page load JavaScript: ${gzKb.toFixed(1)} KiB gzip, goal < ${INITIAL_JS_GOAL_KB} KiB: ${gzKb < INITIAL_JS_GOAL_KB ? 'met' : 'NOT MET'}`,
);
