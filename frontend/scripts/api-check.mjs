// Fails when src/api/schema.d.ts no longer matches src/api/openapi.json.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const committed = join(root, 'src/api/schema.d.ts');
const dir = mkdtempSync(join(tmpdir(), 'gaung-api-'));
const fresh = join(dir, 'schema.d.ts');
const bin = join(root, 'node_modules/.bin/openapi-typescript');

let status = 0;
try {
  execFileSync(bin, [join(root, 'src/api/openapi.json'), '-o', fresh], { stdio: ['ignore', 'ignore', 'inherit'] });
  let current = '';
  try {
    current = readFileSync(committed, 'utf8');
  } catch {
    current = '';
  }
  if (current !== readFileSync(fresh, 'utf8')) {
    console.error('API types are stale: run make api-types');
    status = 1;
  } else {
    console.log('API types are up to date.');
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exit(status);
