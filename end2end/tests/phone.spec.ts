import { Page } from '@playwright/test';
import { ACCOUNTS, expect, hydrated, screenshot, signIn, test } from './helpers';

/** Nothing sticks out sideways: the page itself never scrolls horizontally. */
async function fitsTheWidth(page: Page, path: string) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, `${path} is wider than the screen`).toBeLessThanOrEqual(0);
}

/** Every chart's text renders at 11 px or more, whatever the chart's drawn size. */
async function chartTextIsReadable(page: Page, path: string) {
  const smallest = await page.evaluate(() => {
    let min = Infinity;
    for (const svg of Array.from(document.querySelectorAll<SVGSVGElement>('svg.chart:not(.sparkline)'))) {
      const box = svg.viewBox.baseVal;
      const shown = svg.getBoundingClientRect().width;
      if (!box || !box.width || !shown) continue;
      for (const text of Array.from(svg.querySelectorAll('text'))) {
        const size = parseFloat(getComputedStyle(text).fontSize);
        if (size) min = Math.min(min, (size * shown) / box.width);
      }
    }
    return min;
  });
  expect(smallest, `chart text on ${path}`).toBeGreaterThanOrEqual(10.9);
}

/** The menu opens to show every section of the role, and takes the person there. */
async function menuHasEverySection(page: Page, sections: string[]) {
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav).toBeHidden();
  await page.getByRole('button', { name: 'Menu' }).click();
  await expect(nav).toBeVisible();
  for (const name of sections) {
    await expect(nav.getByRole('link', { name, exact: true })).toBeInViewport();
  }
  await page.getByRole('button', { name: 'Menu' }).click();
  await expect(nav).toBeHidden();
}

const ROLES = [
  {
    who: 'cto',
    account: ACCOUNTS.cto,
    sections: ['Overview', 'KPIs', 'Budgets', 'Infrastructure', 'Strategy', 'Radar', 'Security', 'Reports', 'Feedback', 'Admin'],
    pages: ['/', '/kpis', '/kpis/weekly-active-users', '/budgets', '/budgets/expenses', '/infrastructure', '/infrastructure/systems/1', '/infrastructure/sla', '/strategy', '/strategy/initiatives/1', '/strategy/allocation', '/strategy/teams', '/strategy/capitalization', '/strategy/cloud', '/strategy/unit-economics', '/security', '/security/vulnerabilities', '/security/controls', '/security/controls/1', '/security/privacy', '/security/privacy/3', '/reports', '/feedback', '/admin'],
  },
  {
    who: 'department-head',
    account: ACCOUNTS.engHead,
    sections: ['Overview', 'KPIs', 'Budgets', 'Infrastructure', 'Strategy', 'Radar', 'Security', 'Reports', 'Feedback'],
    pages: ['/', '/kpis', '/budgets', '/budgets/expenses', '/infrastructure', '/strategy', '/strategy/allocation', '/strategy/teams', '/security', '/security/vulnerabilities', '/security/controls', '/security/privacy', '/reports/department', '/feedback'],
  },
  { who: 'investor', account: ACCOUNTS.investor, sections: ['Reports', 'Feedback'], pages: ['/reports', '/feedback'] },
];

for (const role of ROLES) {
  test(`on a phone, the ${role.who}'s main pages fit, read and navigate`, async ({ page }) => {
    test.setTimeout(120_000);
    await signIn(page, role.account.email);
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
    await hydrated(page);
    await menuHasEverySection(page, role.sections);
    for (const path of role.pages) {
      const res = await page.goto(path);
      expect(res?.status(), path).toBe(200);
      await hydrated(page);
      await fitsTheWidth(page, path);
      await chartTextIsReadable(page, path);
      await screenshot(page, `phone-${role.who}${path.replace(/\//g, '-').replace(/-$/, '') || '-home'}`);
    }
  });
}

test('on a phone, the menu takes the CTO to another section and closes', async ({ page }) => {
  await signIn(page, ACCOUNTS.cto.email);
  await expect(page).toHaveURL(/\/$/);
  await hydrated(page);
  await page.getByRole('button', { name: 'Menu' }).click();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).click();
  await expect(page).toHaveURL(/\/admin$/);
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeHidden();
});
