import { ACCOUNTS, expect, hydrated, screenshot, signIn, test } from './helpers';

test("the CTO's Overview says which initiatives need them, the mix against target and the cost per unit", async ({ page }) => {
  await signIn(page, ACCOUNTS.cto.email);
  await expect(page).toHaveURL(/\/$/);
  const panel = page.getByRole('region', { name: 'Strategy' });
  await expect(panel.getByRole('link', { name: /\d+ off track, \d+ at risk/ })).toBeVisible();
  const attention = panel.getByRole('list', { name: 'Initiatives needing attention' });
  await expect(attention.getByRole('listitem').first()).toContainText(/Off track|At risk/);
  await expect(panel.getByRole('heading', { name: /^Investment mix, FY\d{4} to date$/ })).toBeVisible();
  await expect(panel.getByText('Keeping the lights on')).toBeVisible();
  await expect(panel.getByRole('link', { name: 'Cloud cost per weekly active user' })).toBeVisible();
  await panel.screenshot({ path: 'screenshots/cockpit-strategy.png' });
  // Its initiatives lead to their pages.
  await attention.getByRole('link').first().click();
  await expect(page).toHaveURL(/\/strategy\/initiatives\/\d+$/);
});

test("a department head's Overview holds their own department's initiatives", async ({ page }) => {
  await signIn(page, ACCOUNTS.opsHead.email);
  await expect(page).toHaveURL(/\/$/);
  const panel = page.getByRole('region', { name: 'Strategy' });
  await expect(panel.getByRole('link', { name: /off track, .* at risk/ })).toBeVisible();
  // The Engineering initiatives in the demo (the multi-region work among them) are not theirs.
  await expect(panel.getByText('Multi-region active-active for the API')).toHaveCount(0);
});

test('an investor reads the objectives, the investment mix and the cost per unit the CTO marked', async ({ page }) => {
  await signIn(page, ACCOUNTS.investor.email);
  await expect(page).toHaveURL(/\/reports$/);
  await page.getByRole('link', { name: /technology update/ }).first().click();
  const section = page.getByRole('region', { name: 'Objectives and investment' });
  await expect(section.getByRole('heading', { name: 'Win the enterprise segment' })).toBeVisible();
  await expect(section.getByRole('heading', { name: 'Gross margin above 70 %' })).toBeVisible();
  // Not marked for investors.
  await expect(section.getByRole('heading', { name: 'Ship twice as often' })).toHaveCount(0);
  await expect(section.getByRole('list', { name: 'Initiatives serving Win the enterprise segment' }).getByRole('listitem').first()).toBeVisible();
  await expect(section.getByRole('heading', { name: /^Investment mix, / })).toBeVisible();
  await expect(section.getByRole('row', { name: /^New capabilities/ })).toContainText('at least 30 %');
  const costs = section.getByRole('table', { name: /^Technology cost per unit/ });
  await expect(costs.getByRole('row', { name: /^Cloud cost per weekly active user/ })).toContainText('$');
  await expect(costs.getByRole('row', { name: /^Technology cost per weekly active user/ })).toHaveCount(0);
  await screenshot(page, 'report-strategy');
});

test('the CTO marks an objective for investor reports in its editor', async ({ page }) => {
  await signIn(page, ACCOUNTS.cto.email);
  await expect(page).toHaveURL(/\/$/);
  await page.goto('/strategy');
  await page.getByRole('link', { name: 'Edit Ship twice as often' }).click();
  await hydrated(page);
  const box = page.getByLabel(/May appear in investor reports/);
  await expect(box).not.toBeChecked();
  await box.check();
  await page.getByRole('button', { name: 'Save objective' }).click();
  await expect(page.getByText('Saved the objective.')).toBeVisible();
  await page.getByRole('link', { name: 'Edit Ship twice as often' }).click();
  await expect(page.getByLabel(/May appear in investor reports/)).toBeChecked();
  // Back as it was, so other tests on the shared demo read it unmarked.
  await hydrated(page);
  await page.getByLabel(/May appear in investor reports/).uncheck();
  await page.getByRole('button', { name: 'Save objective' }).click();
  await expect(page.getByText('Saved the objective.')).toBeVisible();
});
