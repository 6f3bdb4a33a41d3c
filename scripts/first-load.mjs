// First load, as a visitor with a cold cache sees it: for each kind of page, the WebAssembly
// and JavaScript transferred (bytes on the wire, after compression), the time until the page is
// hydrated, and the time of its first paint (the server's HTML carries the chart, so the chart
// shows with the first paint when the page has one).
//
// Usage: start the release build on the demo data (scripts/e2e-server.sh 3177), then
//   node scripts/first-load.mjs [http://127.0.0.1:3177]
// Only loopback addresses are accepted: the script signs in with the demo accounts.
import { chromium } from '../end2end/node_modules/playwright-core/index.mjs';

const base = process.argv[2] ?? 'http://127.0.0.1:3177';
const host = new URL(base).hostname;
if (!(host === 'localhost' || host === '::1' || host === '[::1]' || host.startsWith('127.'))) {
  console.error(`refusing ${base}: only loopback addresses`);
  process.exit(2);
}
const PASSWORD = 'northstar-demo';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });

/** A signed-in session's cookies, so each measured page starts with a cold cache but a session. */
async function session(email) {
  if (!email) return [];
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${base}/login`);
  await page.waitForFunction(() => window.__northstar_hydrated === true);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  const cookies = await context.cookies();
  await context.close();
  return cookies;
}

/** A fresh share link to the demo's published report, made the way the CTO's form makes it. */
async function shareLink(cookies) {
  const context = await browser.newContext();
  await context.addCookies(cookies);
  const expires = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
  const res = await context.request.post(`${base}/api/reports/links/create`, {
    form: { report_id: '1', label: 'first-load measurement', expires },
    headers: { Origin: base, Accept: 'application/json' },
  });
  const body = await res.json();
  await context.close();
  if (!res.ok()) throw new Error(`creating a share link failed: ${res.status()} ${JSON.stringify(body)}`);
  return new URL(body.url).pathname;
}

async function measure(label, path, cookies, chart) {
  const context = await browser.newContext();
  await context.addCookies(cookies);
  const page = await context.newPage();
  const sizes = { wasm: 0, js: 0, files: 0 };
  const pending = [];
  page.on('requestfinished', (req) => {
    const url = req.url();
    const kind = url.endsWith('.wasm') ? 'wasm' : url.endsWith('.js') ? 'js' : null;
    if (kind) pending.push(req.sizes().then((s) => { sizes[kind] += s.responseBodySize; sizes.files += 1; }));
  });
  // Only until the response starts: the chart may be visible long before the page's load event.
  await page.goto(base + path, { waitUntil: 'commit' });
  // Nothing touches the page until it has settled: Playwright's helpers run scripts in the page,
  // on the main thread that parsing and hydrating need. The page marks when its last island
  // hydrated (`Hydrated` in app.rs); a page without the bundle (a share link) is interactive as
  // soon as its document is.
  await page.waitForLoadState('networkidle');
  const timing = () =>
    page.evaluate(() => {
      const bundled = document.querySelector('link[rel="modulepreload"]') !== null;
      const mark = performance.getEntriesByName('northstar-hydrated')[0];
      return { bundled, hydrated: bundled ? mark?.startTime ?? null : performance.getEntriesByType('navigation')[0].domInteractive };
    });
  let t = await timing();
  if (t.bundled && t.hydrated == null) {
    await page.waitForFunction(() => window.__northstar_hydrated === true, null, { timeout: 15_000 }).catch(() => null);
    t = await timing();
  }
  const hydratedMs = t.hydrated;
  const hasChart = chart ? await page.locator(chart).first().isVisible() : false;
  const paintMs = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null);
  await Promise.all(pending);
  await context.close();
  return { label, path, ...sizes, hydratedMs, paintMs, hasChart };
}

const cto = await session('cto@northstar.demo');
const kpiPath = await (async () => {
  const context = await browser.newContext();
  await context.addCookies(cto);
  const page = await context.newPage();
  await page.goto(`${base}/kpis`);
  const href = await page.locator('a[href^="/kpis/"]:not([href="/kpis/new"]):not([href="/kpis/dora"])').first().getAttribute('href');
  await context.close();
  return href.split('?')[0];
})();
const pages = [
  ['login', '/login', [], null],
  ['overview', '/', cto, null],
  ['KPI page', kpiPath, cto, '.chart-box svg'],
  ['KPI editor', `${kpiPath}/edit`, cto, null],
  ['budgets', '/budgets', cto, '.chart-grid svg'],
  ['expenses', '/budgets/expenses', cto, null],
  ['status board', '/infrastructure', cto, null],
  ['a system', '/infrastructure/systems/1', cto, '.chart-box svg'],
  ['report', '/reports/1', cto, null],
  ['share link', await shareLink(cto), [], null],
];
const kb = (n) => `${(n / 1024).toFixed(1)} kB`;
const ms = (n) => (n == null ? '-' : `${Math.round(n)} ms`);
// Timings on a shared 2-core machine vary by a third from one load to the next: each page is
// loaded RUNS times, each in a fresh context with a cold cache, and the median is printed with
// the fastest and slowest.
const RUNS = Number(process.env.RUNS ?? 5);
const median = (xs) => xs.filter((x) => x != null).sort((a, b) => a - b)[Math.floor(xs.filter((x) => x != null).length / 2)];
const spread = (xs) => {
  const ok = xs.filter((x) => x != null);
  return ok.length ? `${ms(median(ok))} (${Math.round(Math.min(...ok))}-${Math.round(Math.max(...ok))})` : '-';
};
console.log([`page (median of ${RUNS} cold loads)`, 'path', 'wasm (wire)', 'js (wire)', 'files', 'interactive', 'first paint'].join('\t'));
for (const [label, path, cookies, chart] of pages) {
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await measure(label, path, cookies, chart));
  const r = runs[0];
  const shown = label === 'share link' ? '/share/…' : r.path;
  const paint = spread(runs.map((x) => x.paintMs)) + (runs.every((x) => x.hasChart) ? ' (with chart)' : '');
  console.log([r.label, shown, kb(r.wasm), kb(r.js), r.files, spread(runs.map((x) => x.hydratedMs)), paint].join('\t'));
}
await browser.close();
