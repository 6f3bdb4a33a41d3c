import { test, expect, ACCOUNTS, signIn, hydrated, screenshot } from './helpers';
import { Page } from '@playwright/test';

/** "$1,234.50" or "-$3.00" in minor units. */
function cents(text: string): number {
  const negative = text.trim().startsWith('-');
  const digits = text.replace(/[^0-9.]/g, '');
  const [whole, frac = '00'] = digits.split('.');
  const value = Number(whole) * 100 + Number(frac.padEnd(2, '0'));
  return negative ? -value : value;
}

function actualTile(page: Page) {
  return page.locator('.tile').filter({ has: page.locator('.tile-label', { hasText: /^Actual to date$/ }) }).locator('.tile-value');
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** The burn-up's cumulative actual for the current month, from its data table. */
async function burnUpToDate(page: Page): Promise<number> {
  const figure = page.locator('figure', { hasText: 'Cumulative spend against plan' });
  await figure.getByText('Show data').click();
  const month = new Date().toLocaleString('en-US', { month: 'short', year: 'numeric', timeZone: 'UTC' }).replace(',', '');
  const row = figure.getByRole('row', { name: new RegExp(`^${month}`) });
  const cell = row.getByRole('cell').nth(1);
  return cents(await cell.innerText());
}

test('a department head records an expense, sees the burn-up move, and is kept to their department', async ({ page }) => {
  await signIn(page, ACCOUNTS.engHead.email);
  await expect(page).toHaveURL(/\/$/);
  await page.goto('/budgets');
  await hydrated(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Budgets' })).toBeVisible();
  await expect(page.getByText('Engineering · as of')).toBeVisible();
  await expect(page.locator('#scope-department')).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'By department' })).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Budget settings' })).toHaveCount(0);
  const before = await burnUpToDate(page);
  const tileBefore = cents(await actualTile(page).innerText());
  await screenshot(page, 'department-head-budgets');

  await page.getByRole('link', { name: 'Expenses' }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: 'Expenses' })).toBeVisible();
  await expect(page.locator('#x-department')).toHaveValue('Engineering');
  // A plain form: it works before (and without) any script, and a mistake comes back at its field.
  await page.getByRole('button', { name: 'Record expense' }).click();
  await expect(page.locator('.field', { hasText: 'Amount' }).locator('.field-error')).toHaveText('Enter an amount.');

  await page.locator('#x-spent_on').fill(today());
  await page.locator('#x-amount').fill('1234.56');
  await page.locator('#x-category').selectOption({ label: 'Cloud' });
  await page.locator('#x-vendor').fill('Hetzner');
  await page.locator('#x-description').fill('Build servers');
  await page.getByRole('button', { name: 'Record expense' }).click();
  await expect(page.getByText('Saved. The totals and charts include it.')).toBeVisible();
  await expect(page.getByRole('row', { name: /Build servers/ })).toContainText('$1,234.56');
  // Focus stays in the form for the next entry rather than falling to the page.
  await expect(page.locator('#x-spent_on')).toBeFocused();

  // A mistake keeps what was typed: only the wrong field needs fixing.
  await page.locator('#x-amount').fill('12,5x');
  await page.locator('#x-category').selectOption({ label: 'Cloud' });
  await page.locator('#x-description').fill('Second build server');
  await page.getByRole('button', { name: 'Record expense' }).click();
  await expect(page.locator('.field', { hasText: 'Amount' }).locator('.field-error')).toHaveText('“12,5x” is not an amount; write it like 1234.50.');
  await expect(page.locator('#x-description')).toHaveValue('Second build server');
  await expect(page.locator('#x-category')).toHaveValue(/\d+/);
  await page.goto('/budgets/expenses');

  // A second expense to delete: asked first, named, confirmed afterwards.
  await page.locator('#x-spent_on').fill(today());
  await page.locator('#x-amount').fill('12.00');
  await page.locator('#x-category').selectOption({ label: 'Cloud' });
  await page.locator('#x-vendor').fill('Typo Ltd');
  await page.locator('#x-description').fill('Entered by mistake');
  await page.getByRole('button', { name: 'Record expense' }).click();
  const mistake = page.getByRole('row', { name: /Entered by mistake/ });
  await mistake.getByRole('button', { name: /^Delete/ }).click();
  await expect(mistake.getByRole('group', { name: /^Delete the expense of \$12\.00 on .* \(Typo Ltd\)\?$/ })).toBeVisible();
  await mistake.getByRole('button', { name: 'Delete it' }).click();
  await expect(page.getByRole('status').filter({ hasText: /^Deleted the expense of \$12\.00 on .* \(Typo Ltd\)\. The totals no longer include it\.$/ })).toBeVisible();
  await expect(page.getByRole('row', { name: /Entered by mistake/ })).toHaveCount(0);

  await page.getByRole('link', { name: 'Budget vs actual' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Budgets' })).toBeVisible();
  await expect.poll(async () => cents(await actualTile(page).innerText())).toBe(tileBefore + 123456);
  expect(await burnUpToDate(page)).toBe(before + 123456);

  // Operations is department 2 in the demo data: refused by address, with nothing shown.
  const refused = await page.goto('/budgets?department=2');
  expect(refused?.status()).toBe(403);
  await expect(page.getByText('You do not have access to this.')).toBeVisible();
  await expect(page.getByText('Operations')).toHaveCount(0);
  const settings = await page.goto('/budgets/settings');
  expect(settings?.status()).toBe(403);
});

test('the CTO revises a budget line and a bad expense file is refused line by line', async ({ page }) => {
  await signIn(page, ACCOUNTS.cto.email);
  await expect(page).toHaveURL(/\/$/);
  await page.goto('/budgets/plan');
  await hydrated(page);
  await page.locator('#b-department').selectOption({ label: 'Operations' });
  await page.locator('#b-category').selectOption({ label: 'Training' });
  await page.locator('#b-annual').fill('24000');
  await page.getByRole('button', { name: 'Save budget line' }).click();
  await expect(page.locator('.field', { hasText: 'Reason for the change' }).locator('.field-error')).toHaveText('Enter a reason for the change.');
  await page.locator('#b-reason').fill('New training programme');
  await page.getByRole('button', { name: 'Save budget line' }).click();
  await expect(page.getByText('Budget line saved')).toBeVisible();
  const line = page.getByRole('row', { name: /Operations · Training · OpEx/ });
  await expect(line).toContainText('$2,000');
  await expect(line).toContainText('$24,000.00');
  await expect(page.getByText(/\$24,000\.00 by Alex Morgan — New training programme/)).toBeVisible();
  await screenshot(page, 'cto-budget-plan');

  await page.goto('/budgets/expenses');
  await hydrated(page);
  const csv = `date,amount,department,category,kind\n${today()},12.50,Engineering,Cloud,opex\n${today()},-3,Engineering,Cloud,opex\n${today()},7,Finance,Cloud,opex\n`;
  await page.locator('#expense-file').setInputFiles({ name: 'expenses.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByRole('button', { name: 'Check file' }).click();
  await expect(page.getByText('The file cannot be imported: 2 problems.')).toBeVisible();
  const errors = page.locator('table.import-errors tbody tr');
  await expect(errors.nth(0)).toContainText('3');
  await expect(errors.nth(0)).toContainText('amount');
  await expect(errors.nth(1)).toContainText('“Finance” is not a department.');
  await screenshot(page, 'cto-expense-import-errors');

  const good = `date,amount,department,category,kind,vendor\n${today()},12.50,Engineering,Cloud,opex,Fastly\n`;
  await page.locator('#expense-file').setInputFiles({ name: 'good.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
  await page.getByRole('button', { name: 'Check file' }).click();
  await expect(page.getByText('1 expense totalling $12.50 ready to import.')).toBeVisible();
  await page.getByRole('button', { name: 'Import 1 expense' }).click();
  await expect(page.getByText('Imported 1 expense totalling $12.50.')).toBeVisible();
  await expect(page.getByRole('row', { name: /Fastly/ })).toContainText('$12.50');
});
