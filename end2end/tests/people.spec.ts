import { ACCOUNTS, expect, hydrated, screenshot, signIn, test } from './helpers';

/** "2026-11" for the month `back` months before this one. */
function monthBack(back: number): { value: string; year: number } {
  const d = new Date();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() - back);
  return { value: `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`, year: d.getUTCFullYear() };
}

test('the CTO staffs a team, allocates its time and closes a month of capitalization', async ({ page }) => {
  await signIn(page, ACCOUNTS.cto.email);
  await expect(page).toHaveURL(/\/$/);
  await page.goto('/strategy');
  await page.getByRole('navigation', { name: 'Strategy sections' }).getByRole('link', { name: 'Teams and time' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Teams and time' })).toBeVisible();
  await expect(page.getByRole('row', { name: /^Platform team/ })).toContainText('Engineer');
  await screenshot(page, 'teams');

  await hydrated(page);
  const add = page.locator('#new-team');
  await add.getByLabel('Team').fill('QA guild');
  await add.getByLabel('Department').selectOption({ label: 'Engineering' });
  await add.getByRole('button', { name: 'Add team' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'QA guild' })).toBeVisible();
  await expect(page.getByText('Added the team.')).toBeVisible();

  await hydrated(page);
  await page.getByLabel('Role 1', { exact: true }).fill('Engineer');
  await page.getByLabel('People in role 1').fill('0');
  await page.getByLabel('Loaded monthly cost per person in role 1').fill('10,000');
  await page.getByRole('button', { name: 'Save roles' }).click();
  await expect(page.locator('.field-error', { hasText: 'whole number from 1' })).toBeVisible();
  await page.getByLabel('People in role 1').fill('3');
  await page.getByRole('button', { name: 'Save roles' }).click();
  await expect(page.getByText('Saved the roles.')).toBeVisible();
  await expect(page.locator('table.role-history')).toContainText('3 × Engineer at $10,000.00 = $30,000.00');

  const month = monthBack(0).value;
  await page.locator(`a[href*="month=${month}"]`).click();
  await expect(page.getByRole('heading', { name: /^Time in / })).toBeVisible();
  await hydrated(page);
  await page.getByLabel('Multi-region active-active for the API').fill('50');
  await page.getByLabel('Keeping the lights on').fill('40');
  await page.getByRole('button', { name: 'Save time' }).click();
  await expect(page.getByText('add up to 90 %')).toBeVisible();
  await page.getByLabel('Keeping the lights on').fill('50');
  await page.getByRole('button', { name: 'Save time' }).click();
  await expect(page.getByText(/Saved the time allocation of/)).toBeVisible();
  await expect(page.locator('table.shares')).toContainText('50 %');

  // The demo closed capitalization through the month before last: last month is open.
  const last = monthBack(1);
  await page.goto(`/strategy/capitalization?year=${last.year}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Capitalization' })).toBeVisible();
  await expect(page.locator('table.cap-initiatives')).toContainText('Multi-region active-active for the API');
  await expect(page.locator('table.cap-months')).toContainText('Closed on');
  await screenshot(page, 'capitalization');
  await hydrated(page);
  await page.getByLabel('Close through').selectOption(last.value);
  await page.getByRole('button', { name: 'Close and freeze' }).click();
  await expect(page.getByText(/^Closed .*Its figures are frozen\./)).toBeVisible();
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Download CSV' }).click();
  expect((await download).suggestedFilename()).toBe(`capitalization-FY${last.year}.csv`);
});

test("a department head sees their own department's teams and not the capitalization report", async ({ page }) => {
  await signIn(page, ACCOUNTS.opsHead.email);
  await expect(page).toHaveURL(/\/$/);
  await page.goto('/strategy/teams');
  await expect(page.getByRole('row', { name: /^Site reliability/ })).toBeVisible();
  await expect(page.getByRole('row', { name: /^Platform team/ })).toHaveCount(0);
  await expect(page.getByRole('navigation', { name: 'Strategy sections' }).getByRole('link', { name: 'Capitalization' })).toHaveCount(0);
  const res = await page.goto('/strategy/capitalization');
  expect(res?.status()).toBe(403);
});

test("a department head imports their teams' time from a file, and the Staff actuals follow", async ({ page }) => {
  await signIn(page, ACCOUNTS.opsHead.email);
  await expect(page).toHaveURL(/\/$/);
  await page.goto('/strategy/teams');
  await hydrated(page);
  const month = monthBack(0).value;
  const file = page.getByLabel('CSV file');
  const bad = `team,month,work,percent\nSite reliability,${month},Keeping the lights on,60\nPlatform team,${month},Technical debt,100\n`;
  await file.setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
  await page.getByRole('button', { name: 'Check file' }).click();
  await expect(page.getByText(/Site reliability in .* add up to 60 %/)).toBeVisible();
  // Another department's team reads as unknown.
  await expect(page.getByText('There is no team named “Platform team” in your department.')).toBeVisible();

  const good = `team,month,work,percent\nSite reliability,${month},Keeping the lights on,60\nSite reliability,${month},Security and compliance,40\nIT operations,${month},Keeping the lights on,100\n`;
  await file.setInputFiles({ name: 'good.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
  await page.getByRole('button', { name: 'Check file' }).click();
  await expect(page.getByText(/^3 shares for 2 team months ready to import: IT operations, Site reliability/)).toBeVisible();
  await expect(page.getByText('Each of them replaces the shares entered for it.')).toBeVisible();
  await screenshot(page, 'time-import');
  await page.getByRole('button', { name: 'Import 2 team months' }).click();
  await expect(page.getByText(/Imported the time allocation of 2 team months/)).toBeVisible();
  await expect(page.getByRole('row', { name: /^Site reliability/ })).toContainText('60 % Keeping the lights on, 40 % Security and compliance');

  // The teams' cost is the department's Staff actuals, changed through the teams, not the form.
  await page.goto('/budgets/expenses?q=People%20cost');
  const row = page.getByRole('row', { name: /People cost/ }).first();
  await expect(row).toContainText('Staff');
  await expect(row.getByRole('link', { name: 'From the teams’ time' })).toBeVisible();
  await expect(row.getByRole('button', { name: /^Delete/ })).toHaveCount(0);
});
