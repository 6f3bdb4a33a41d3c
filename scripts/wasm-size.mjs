// The size of the browser bundle after a release build, raw, gzip and brotli (best quality, as
// a precompressed file would be), against its budget. Exits 1 when the brotli size is over the
// budget, so CI stops the bundle from growing unnoticed.
//
// Usage: node scripts/wasm-size.mjs [site-root]   (default target/site)
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';

// The bundle as it is today plus a little room. The goal (300 kB, for the first load of any
// page) needs the bundle split; each step that shrinks it lowers this line.
const BUDGET_BROTLI = 1_120 * 1024;

const pkg = join(process.argv[2] ?? 'target/site', 'pkg');
const files = readdirSync(pkg).filter((f) => f.endsWith('.wasm') || f.endsWith('.js'));
if (!files.some((f) => f.endsWith('.wasm'))) {
  console.error(`no .wasm in ${pkg}: run the release build first`);
  process.exit(2);
}
const kb = (n) => `${(n / 1024).toFixed(1)} kB`;
let wasmBrotli = 0;
for (const f of files.sort()) {
  const bytes = readFileSync(join(pkg, f));
  const br = brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } }).length;
  const gz = gzipSync(bytes, { level: 9 }).length;
  if (f.endsWith('.wasm')) wasmBrotli += br;
  console.log(`${f}\traw ${kb(bytes.length)}\tgzip ${kb(gz)}\tbrotli ${kb(br)}`);
}
const verdict = wasmBrotli <= BUDGET_BROTLI ? 'within' : 'OVER';
console.log(`wasm, brotli: ${kb(wasmBrotli)}; budget ${kb(BUDGET_BROTLI)}: ${verdict}`);
process.exit(wasmBrotli <= BUDGET_BROTLI ? 0 : 1);
