import { ACCOUNTS, expect, screenshot, signIn, test } from './helpers';

/** "Nov 2026" for the month before this one, as the page labels months. */
function lastCompletedMonth(): string {
  const d = new Date();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() - 1);
  return d.toLocaleString('en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' });
}

test('the CTO reads cost per customer and defines one for a system', async ({ page }) => {
  await signIn(page, ACCOUNTS.cto.email);
  await expect(page).toHaveURL(/\/$/);
  await page.goto('/strategy');
  await page.getByRole('navigation', { name: 'Strategy sections' }).getByRole('link', { name: 'Unit economics' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Unit economics' })).toBeVisible();

  // The demo's cloud cost per weekly active user: a value, a status and twelve months' sums.
  const cloud = page.locator('section.unit-cost', { hasText: 'Cloud cost per weekly active user' });
  await expect(cloud.locator('.kpi-value')).toHaveText(/^\$\d+\.\d\d$/);
  await expect(cloud.locator('.status')).toBeVisible();
  await expect(cloud).toContainText('Cloud cost ÷ Weekly active users (last value in the month)');
  const rows = cloud.locator('tbody tr');
  await expect(rows).toHaveCount(12);
  await expect(rows.first().locator('th')).toHaveText(lastCompletedMonth());
  await expect(rows.first().locator('td').nth(1)).toHaveText(/^\d{1,3}(,\d{3})*$/);
  await expect(rows.first().locator('td').nth(2)).toHaveText(await cloud.locator('.kpi-value').innerText());
  await screenshot(page, 'unit-economics');

  // A system's cost needs its system: refused at that field, then defined.
  const form = page.locator('#new-cost');
  await form.getByLabel('Name').fill('Payments cost per weekly active user');
  await form.getByLabel('Cost', { exact: true }).selectOption({ label: "One system's cost" });
  await form.getByLabel('Divided by').selectOption({ label: 'Weekly active users' });
  await form.getByRole('button', { name: 'Add cost per unit' }).click();
  await expect(page.locator('#new-cost .field-error', { hasText: 'Choose the system whose cost this is.' })).toBeVisible();
  await expect(page.locator('#new-cost').getByLabel('Name')).toHaveValue('Payments cost per weekly active user');
  await page.locator('#new-cost').getByLabel('System').selectOption({ label: 'Payments service' });
  await page.locator('#new-cost').getByRole('button', { name: 'Add cost per unit' }).click();
  await expect(page.getByText('Added Payments cost per weekly active user')).toBeVisible();
  const payments = page.locator('section.unit-cost', { hasText: 'Payments cost per weekly active user' });
  await expect(payments).toContainText("One system's cost: Payments service");
  await expect(payments.locator('.kpi-value')).toHaveText(/^\$\d+\.\d\d$/);

  // It is a KPI: its page explains where the values come from and takes none by hand.
  await payments.getByRole('link', { name: 'Payments cost per weekly active user', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Payments cost per weekly active user' })).toBeVisible();
  await expect(page.getByText('A cost per unit: Northstar computes its value for each completed month')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Add data' })).toHaveCount(0);
});

test('a department head reads a cost per unit as a KPI, without the unit economics page', async ({ page }) => {
  await signIn(page, ACCOUNTS.engHead.email);
  await expect(page).toHaveURL(/\/$/);
  await page.goto('/strategy');
  await expect(page.getByRole('navigation', { name: 'Strategy sections' }).getByRole('link', { name: 'Unit economics' })).toHaveCount(0);
  const res = await page.goto('/strategy/unit-economics');
  expect(res?.status()).toBe(403);
  await page.goto('/kpis/cloud-cost-per-weekly-active-user');
  await expect(page.getByRole('heading', { level: 1, name: 'Cloud cost per weekly active user' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Add data' })).toHaveCount(0);
});
