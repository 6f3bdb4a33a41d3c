import { ACCOUNTS, expect, hydrated, screenshot, signIn, test } from './helpers';

test('the CTO reads the investment mix against target and tightens a target', async ({ page }) => {
  await signIn(page, ACCOUNTS.cto.email);
  await expect(page).toHaveURL(/\/$/);
  await page.goto('/strategy');
  await page.getByRole('navigation', { name: 'Strategy sections' }).getByRole('link', { name: 'Investment allocation' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Investment allocation' })).toBeVisible();
  const mix = page.locator('table.mix');
  await expect(mix.getByRole('row', { name: /^New capabilities/ })).toContainText('Meets target');
  const ktlo = mix.getByRole('row', { name: /^Keeping the lights on/ });
  await expect(ktlo).toContainText('at most 35 %');
  await expect(ktlo).toContainText('Meets target');
  // Training's line has no category: its money is shown as unassigned, not dropped.
  await expect(mix.getByRole('row', { name: /^Unassigned/ })).toBeVisible();
  await expect(page.getByRole('img', { name: /Investment mix by month/ })).toBeVisible();
  await expect(page.getByRole('row', { name: /^Operations/ })).toBeVisible();
  await screenshot(page, 'allocation');

  await hydrated(page);
  await page.getByLabel('Target share of Keeping the lights on, in percent').fill('ten');
  await page.getByRole('button', { name: 'Save categories and targets' }).click();
  const refused = page.getByRole('row', { name: /Keeping the lights on/ }).locator('.field-error', { hasText: 'not a whole percentage' });
  await expect(refused).toContainText('“ten”');
  await page.getByLabel('Target share of Keeping the lights on, in percent').fill('10');
  await page.getByRole('button', { name: 'Save categories and targets' }).click();
  await expect(page.getByText('Saved the categories and targets.')).toBeVisible();
  await expect(page.locator('table.mix').getByRole('row', { name: /^Keeping the lights on/ })).toContainText('Misses target');
});

test("a department head reads their own department's mix only", async ({ page }) => {
  await signIn(page, ACCOUNTS.opsHead.email);
  await expect(page).toHaveURL(/\/$/);
  await page.goto('/strategy/allocation');
  await expect(page.getByRole('heading', { level: 1, name: 'Investment allocation' })).toBeVisible();
  await expect(page.getByText('Operations', { exact: false }).first()).toBeVisible();
  await expect(page.getByRole('heading', { name: 'By department' })).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Categories and target mix' })).toHaveCount(0);
  const res = await page.goto('/strategy/allocation?department=1');
  expect(res?.status()).toBe(403);
});
