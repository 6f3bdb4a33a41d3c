import AxeBuilder from '@axe-core/playwright';
import { Page } from '@playwright/test';
import { ACCOUNTS, expect, signIn, test } from './helpers';

// axe-core's WCAG 2.1 A and AA rules, on every page each demo role reaches from its navigation
// (following links inside the pages too), in the light and the dark theme.
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const MAX_PAGES = 62;

/** One address per kind of page: `/kpis/lead-time` and `/kpis/uptime` are the same page. */
function kind(path: string): string {
  return path
    .split('/')
    .map((s, i, all) => (/^\d+$/.test(s) || (i === 2 && all[1] === 'kpis' && !['dora', 'new'].includes(s)) ? ':x' : s))
    .join('/');
}

/** The pages reachable from `start` by same-site links, one per kind, breadth first. */
async function reachable(page: Page, start: string): Promise<string[]> {
  const seen = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0 && seen.size < MAX_PAGES) {
    const path = queue.shift()!;
    if (seen.has(kind(path))) continue;
    const res = await page.goto(path);
    if (!res || res.status() !== 200 || new URL(page.url()).pathname !== path) continue;
    seen.set(kind(path), path);
    const links = await page.locator('a[href^="/"]').evaluateAll((as) =>
      as.filter((a) => !a.hasAttribute('download')).map((a) => new URL((a as HTMLAnchorElement).href).pathname),
    );
    for (const link of links) {
      if (!link.startsWith('/api/') && !link.startsWith('/share/') && link !== '/login' && !seen.has(kind(link))) queue.push(link);
    }
  }
  return [...seen.values()];
}

async function violations(page: Page, paths: string[], theme: 'light' | 'dark'): Promise<string[]> {
  const host = new URL(page.url()).hostname;
  await page.context().addCookies([{ name: 'northstar_theme', value: theme, domain: host, path: '/' }]);
  const found: string[] = [];
  for (const path of paths) {
    await page.goto(path);
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
    const result = await new AxeBuilder({ page }).withTags(TAGS).analyze();
    for (const v of result.violations) {
      const where = v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ');
      found.push(`${path} (${theme}) ${v.id}: ${v.help} — ${v.nodes.length} element(s): ${where}`);
    }
  }
  return found;
}

for (const who of ['cto', 'engHead', 'investor'] as const) {
  test(`every page the ${who} reaches passes axe in both themes`, async ({ page }) => {
    test.setTimeout(240_000);
    await signIn(page, ACCOUNTS[who].email);
    await expect(page).not.toHaveURL(/\/login/);
    const paths = await reachable(page, new URL(page.url()).pathname);
    expect(paths.length).toBeGreaterThan(who === 'investor' ? 2 : 10);
    const found = [...(await violations(page, paths, 'light')), ...(await violations(page, paths, 'dark'))];
    expect(found, `axe violations on ${paths.length} pages`).toEqual([]);
  });
}
