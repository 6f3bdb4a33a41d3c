import { ACCOUNTS, navLinks, screenshot, signIn, signOut, expect, test } from './helpers';

test('a department head sees their areas, not Admin, and signs out', async ({ page }) => {
  await signIn(page, ACCOUNTS.engHead.email);
  await expect(page).toHaveURL(/\/$/);
  expect(await navLinks(page)).toEqual(['Overview', 'KPIs', 'Budgets', 'Infrastructure', 'Strategy', 'Radar', 'Security', 'Reports', 'Feedback']);
  await expect(page.locator('.who .role')).toHaveText('Department head · Engineering');
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
  await screenshot(page, 'department-head-overview');

  const refused = await page.goto('/admin');
  expect(refused?.status()).toBe(403);
  await expect(page.getByRole('heading', { name: 'You do not have access to Admin' })).toBeVisible();
  await expect(page.getByText('cto@northstar.demo')).toHaveCount(0);
  await screenshot(page, 'department-head-admin-refused');

  await page.goto('/');
  await signOut(page);
});
