// Prints the size of the built web app per file and in total: raw, and as sent to a browser that
// accepts gzip or brotli (the .gz/.br copies the build writes; computed when a copy is missing).
// Run after a build:
//   npm run build && node scripts/bundle-size.mjs
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';

const dist = new URL('../dist/', import.meta.url).pathname;

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

function sizeOf(file, suffix, compress) {
  return existsSync(file + suffix) ? statSync(file + suffix).size : compress(readFileSync(file)).length;
}

let all;
try {
  all = files(dist).filter((f) => /\.(js|css|html)$/.test(f));
} catch {
  console.error('no build found: run `npm run build` first');
  process.exit(1);
}
const kb = (n) => `${(n / 1024).toFixed(1).padStart(8)} KiB`;
const total = { raw: 0, gz: 0, br: 0 };
console.log(`${'file'.padEnd(48)} ${'raw'.padStart(12)} ${'gzip'.padStart(12)} ${'brotli'.padStart(12)}`);
for (const file of all.sort()) {
  const raw = statSync(file).size;
  const gz = sizeOf(file, '.gz', (d) => gzipSync(d, { level: 9 }));
  const br = sizeOf(file, '.br', (d) => brotliCompressSync(d));
  total.raw += raw;
  total.gz += gz;
  total.br += br;
  console.log(`${file.slice(dist.length).padEnd(48)} ${kb(raw)} ${kb(gz)} ${kb(br)}`);
}
console.log(`${'total'.padEnd(48)} ${kb(total.raw)} ${kb(total.gz)} ${kb(total.br)}`);
