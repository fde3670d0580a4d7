// Prints the size of the built web app (raw and gzip) per file and in total. Run after a build:
//   npm run build && node scripts/bundle-size.mjs
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const dist = new URL('../dist/', import.meta.url).pathname;

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

let all;
try {
  all = files(dist).filter((f) => /\.(js|css|html)$/.test(f));
} catch {
  console.error('no build found: run `npm run build` first');
  process.exit(1);
}
const kb = (n) => `${(n / 1024).toFixed(1).padStart(8)} KiB`;
let raw = 0;
let gz = 0;
for (const file of all.sort()) {
  const data = readFileSync(file);
  const zipped = gzipSync(data, { level: 9 }).length;
  raw += data.length;
  gz += zipped;
  console.log(`${file.slice(dist.length).padEnd(48)} ${kb(data.length)} ${kb(zipped)} gzip`);
}
console.log(`${'total'.padEnd(48)} ${kb(raw)} ${kb(gz)} gzip`);
