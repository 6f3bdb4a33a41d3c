// The browser bundle after a release build: for each kind of page, the WebAssembly a first visit
// must load before the page is interactive (the shell, plus, on a page with an area's island,
// that area's module and the shared chunks it needs, from cargo-leptos' split manifest),
// compressed as the server sends it
// (brotli, best quality, as `--precompress` writes it). Exits 1 when any page is over the
// budget, so CI stops the bundle from growing unnoticed.
//
// Usage: node scripts/wasm-size.mjs [site-root]   (default target/site)
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';

// The goal of issue 13: no page's first load over 300 kB. Today the largest is a KPI's page
// (its CSV import is the one island of the KPIs area) at 209 kB, the shell alone 152 kB: every
// other form is a plain form (see the README, "Why plain forms"). It was 606 kB before islands,
// 490 kB before plain forms and 395 kB before the report composer and Admin became plain forms.
const BUDGET_BROTLI = 300 * 1024;

const pkg = join(process.argv[2] ?? 'target/site', 'pkg');
const files = readdirSync(pkg);
const kb = (n) => `${(n / 1024).toFixed(1)} kB`;

/** The brotli size of a file: the `.br` written by the build when there is one. */
function brotli(file) {
  const pre = join(pkg, `${file}.br`);
  if (existsSync(pre)) return readFileSync(pre).length;
  const bytes = readFileSync(join(pkg, file));
  return brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } }).length;
}

// With hashed names, the shell is `northstar.<hash>.wasm`; the manifest and chunks are named
// by the split tool.
const shell = files.find((f) => /^northstar(\.[\w-]+)?\.wasm$/.test(f));
if (!shell) {
  console.error(`no northstar wasm in ${pkg}: run the release build first`);
  process.exit(2);
}
const manifestFile = files.find((f) => /^__wasm_split_manifest(\.[\w-]+)?\.json$/.test(f));
const manifest = manifestFile ? JSON.parse(readFileSync(join(pkg, manifestFile), 'utf8')) : {};
const wasmNamed = (name) => files.find((f) => f === `${name}.wasm` || (f.startsWith(`${name}.`) && f.endsWith('.wasm')));

const shellBr = brotli(shell);
const all = files.filter((f) => f.endsWith('.wasm')).reduce((n, f) => n + brotli(f), 0);
console.log(`shell ${shell}: brotli ${kb(shellBr)}; all wasm files together: brotli ${kb(all)}`);

// Islands are grouped by area (src/ui/island.rs): `<area>_<n>` in the manifest. A page without
// an area's island loads the shell alone; a share link's page loads no bundle at all.
const rows = Object.entries(manifest).map(([split, chunks]) => {
  const page = `a page with ${split.replace(/_\d+$/, '')} islands`;
  const bytes = chunks.map((c) => wasmNamed(c)).filter(Boolean).reduce((n, f) => n + brotli(f), 0);
  return { page, requests: chunks.length + 1, total: shellBr + bytes };
});
rows.push({ page: 'a page without an area island', requests: 1, total: shellBr });
rows.sort((a, b) => b.total - a.total);
console.log(['first visit to', 'wasm files', 'brotli'].join('\t'));
for (const r of rows) console.log([r.page, r.requests, kb(r.total)].join('\t'));
const worst = rows[0];
const ok = worst.total <= BUDGET_BROTLI;
console.log(`largest first load: ${worst.page}, ${kb(worst.total)}; budget ${kb(BUDGET_BROTLI)}: ${ok ? 'within' : 'OVER'}`);
process.exit(ok ? 0 : 1);
