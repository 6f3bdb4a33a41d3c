import { ACCOUNTS, navLinks, screenshot, signIn, signOut, expect, test } from './helpers';

test('an investor sees only reports and signs out', async ({ page }) => {
  await signIn(page, ACCOUNTS.investor.email);
  await expect(page).toHaveURL(/\/reports$/);
  expect(await navLinks(page)).toEqual(['Reports', 'Feedback']);
  await expect(page.locator('.who .role')).toHaveText('Investor');
  await screenshot(page, 'investor-reports');

  for (const path of ['/kpis', '/budgets', '/infrastructure', '/admin']) {
    const res = await page.goto(path);
    expect(res?.status(), path).toBe(403);
  }
  // "/" is everyone's way in: an investor's leads to Reports, not to a refusal.
  const home = await page.goto('/');
  expect(home?.status()).toBe(200);
  await expect(page).toHaveURL(/\/reports$/);
  await page.goto('/reports');
  await signOut(page);
});
