// Writes a brotli (.br) and a gzip (.gz) copy beside every compressible file of the build, so
// the server sends the smallest one the browser accepts without compressing on each request.
// Run by `npm run build` after `vite build`.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const dist = new URL('../dist/', import.meta.url).pathname;
const COMPRESSIBLE = /\.(js|mjs|css|html|svg|json|txt|map|xml|webmanifest|ico|wasm)$/;
// Below this the compressed copy saves less than a network packet.
const MIN_BYTES = 1024;

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

let written = 0;
for (const file of files(dist)) {
  if (!COMPRESSIBLE.test(file)) continue;
  const data = readFileSync(file);
  if (data.length < MIN_BYTES) continue;
  const copies = {
    '.br': brotliCompressSync(data, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
      },
    }),
    '.gz': gzipSync(data, { level: 9 }),
  };
  for (const [suffix, copy] of Object.entries(copies)) {
    // A copy that is not smaller is not worth sending: the server then sends the file itself.
    if (copy.length < data.length) {
      writeFileSync(file + suffix, copy);
      written += 1;
    }
  }
}
console.log(`compressed copies written: ${written}`);
