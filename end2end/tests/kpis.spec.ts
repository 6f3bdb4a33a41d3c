import { ACCOUNTS, expect, hydrated, screenshot, signIn, test } from './helpers';

/** A `datetime-local` value (UTC) some hours ago. */
function hoursAgo(h: number): string {
  return new Date(Date.now() - h * 3600_000).toISOString().slice(0, 16);
}

test('the CTO creates a KPI, records measurements and sees status and chart change', async ({ page }) => {
  await signIn(page, ACCOUNTS.cto.email);
  await expect(page).toHaveURL(/\/$/);
  await page.goto('/kpis/new');
  await hydrated(page);
  await page.getByLabel('Name').fill('Checkout error rate');
  await page.getByLabel('Key').fill('checkout-errors');
  await page.getByLabel('Category').selectOption('reliability');
  await page.getByLabel('Unit').selectOption('percent');
  await page.getByLabel('Direction').selectOption('lower');
  await page.getByLabel("A period's value is the").selectOption('last');
  await page.getByLabel('Target', { exact: true }).fill('1');
  await page.getByLabel('Amber threshold').fill('0.5');
  await page.getByLabel('Red threshold').fill('2');
  await page.getByRole('button', { name: 'Create KPI' }).click();
  await expect(page.locator('#amber-error')).toContainText('at least the target');
  await page.getByLabel('Amber threshold').fill('1');
  await page.getByRole('button', { name: 'Create KPI' }).click();

  await expect(page).toHaveURL(/\/kpis\/checkout-errors$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Checkout error rate' })).toBeVisible();
  const status = page.locator('.status-panel');
  await expect(status.locator('.status')).toHaveText('No data');
  await hydrated(page);

  const form = page.locator('form').filter({ has: page.getByRole('button', { name: 'Add measurement' }) });
  await form.getByLabel('Percent (%)').fill('');
  await form.getByRole('button', { name: 'Add measurement' }).click();
  await expect(form.locator('#m-value-error')).toHaveText('Enter a value.');

  await form.getByLabel('Time (UTC)').fill(hoursAgo(3));
  await form.getByLabel('Percent (%)').fill('0.4');
  await form.getByRole('button', { name: 'Add measurement' }).click();
  await expect(status.locator('.status')).toHaveText('Green');
  await expect(status.locator('.kpi-value')).toHaveText('0.4 %');
  await expect(page.locator('.chart-data summary')).toContainText('1 point plotted');
  // A saved measurement reloads the page; its forms answer again once it has hydrated.
  await hydrated(page);

  await form.getByLabel('Time (UTC)').fill(hoursAgo(1));
  await form.getByLabel('Percent (%)').fill('1.6');
  await form.getByLabel('Note (optional)').fill('Payment provider timeouts');
  await form.getByRole('button', { name: 'Add measurement' }).click();
  await expect(status.locator('.status')).toHaveText('Amber');
  await expect(status.locator('.kpi-sentence')).toHaveText('Checkout error rate 1.6 %: amber, target at most 1 %, no earlier period to compare.');
  await expect(page.locator('.chart-data summary')).toContainText('2 points plotted');
  await expect(page.locator('.trend-chart desc')).toContainText('from 0.4 % on');
  await expect(page.locator('.measurements')).toContainText('Payment provider timeouts');
  await screenshot(page, 'cto-kpi-detail');
  await hydrated(page);

  // A second entry at the time the form kept asks before replacing the first.
  const time = form.getByLabel('Time (UTC)');
  await time.fill(hoursAgo(2));
  await form.getByLabel('Percent (%)').fill('0.5');
  await form.getByLabel('Note (optional)').fill('A');
  await form.getByRole('button', { name: 'Add measurement' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Measurement added' })).toBeVisible();
  const rowsBefore = await page.locator('.measurements tbody tr').count();
  await hydrated(page);
  await time.fill(hoursAgo(2));
  await form.getByLabel('Percent (%)').fill('0.6');
  await form.getByLabel('Note (optional)').fill('B');
  await form.getByRole('button', { name: 'Add measurement' }).click();
  await expect(form.locator('#m-replace-error')).toContainText('already has a value: 0.5 %, note “A”');
  await expect(page.getByRole('status').filter({ hasText: 'Measurement added' })).toHaveCount(0);
  await expect(form.getByLabel('Percent (%)')).toHaveValue('0.6');
  await expect(page.locator('.measurements')).toContainText('0.5 %');
  await screenshot(page, 'cto-kpi-replace-asks');
  await form.getByLabel('Replace it').check();
  await form.getByRole('button', { name: 'Add measurement' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Measurement added' })).toBeVisible();
  await expect(page.locator('.measurements tbody tr')).toHaveCount(rowsBefore);
  await expect(page.locator('.measurements')).toContainText('0.6 %');
  await expect(page.locator('.measurements')).not.toContainText('0.5 %');
  await hydrated(page);

  // A delete asks first and names the row; afterwards it says what went, and the earlier
  // "Measurement added" is gone.
  const row = page.locator('.measurements tbody tr', { hasText: '0.6 %' });
  await row.getByRole('button', { name: /^Delete/ }).click();
  const question = row.getByRole('group', { name: /^Delete 0\.6 % at / });
  await expect(question).toBeVisible();
  await question.getByRole('link', { name: 'Cancel' }).click();
  await expect(page.locator('.measurements')).toContainText('0.6 %');
  await row.getByRole('button', { name: /^Delete/ }).click();
  await row.getByRole('button', { name: 'Delete it' }).click();
  await expect(page.getByRole('status').filter({ hasText: /^Deleted 0\.6 % at .* UTC\.$/ })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Measurement added' })).toHaveCount(0);
  await expect(page.locator('.measurements tbody tr')).toHaveCount(rowsBefore - 1);
});

test('a CSV file is previewed with its errors, then imported whole', async ({ page }) => {
  await signIn(page, ACCOUNTS.cto.email);
  await expect(page).toHaveURL(/\/$/);
  await page.goto('/kpis/oncall-pages');
  await hydrated(page);
  const day = (d: number) => new Date(Date.now() - d * 86400_000).toISOString().slice(0, 10);
  await page.getByLabel('CSV file').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(`timestamp,value\n${day(3)},2\n${day(2)},many\n2026-02-30,1\n`) });
  await page.getByRole('button', { name: 'Check file' }).click();
  const errors = page.locator('.import-errors');
  await expect(errors).toContainText('not a number');
  await expect(errors.locator('tbody tr')).toHaveCount(2);
  await expect(page.getByText('Nothing was stored.')).toBeVisible();

  const rows = Array.from({ length: 30 }, (_, i) => `${day(400 + i)}T08:00:00Z,${i % 4}`).join('\n');
  await page.getByLabel('CSV file').setInputFiles({ name: 'good.csv', mimeType: 'text/csv', buffer: Buffer.from(`timestamp,value\n${rows}\n`) });
  await page.getByRole('button', { name: 'Check file' }).click();
  await expect(page.getByText('30 rows ready to import')).toBeVisible();
  await expect(page.getByText('None replaces a stored value.')).toBeVisible();
  await expect(page.locator('.import-preview th', { hasText: 'Note' })).toBeVisible();
  await screenshot(page, 'cto-csv-preview');
  await page.getByRole('button', { name: 'Import 30 rows' }).click();
  await expect(page.getByText('Imported 30 rows.')).toBeVisible();
});

test('a department head records for their own KPIs only', async ({ page }) => {
  await signIn(page, ACCOUNTS.engHead.email);
  await expect(page).toHaveURL(/\/$/);
  await page.goto('/kpis/availability');
  await expect(page.getByRole('heading', { level: 1, name: 'Availability' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Edit KPI' })).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Add data' })).toHaveCount(0);
  const edit = await page.goto('/kpis/availability/edit');
  expect(edit?.status()).toBe(403);

  const other = await page.goto('/kpis/mttr');
  expect(other?.status()).toBe(403);
  await expect(page.getByText('You do not have access to this.')).toBeVisible();
  await expect(page.getByText('Mean time to recovery')).toHaveCount(0);

  await page.goto('/kpis/p95-latency');
  await expect(page.getByRole('heading', { name: 'Add data' })).toBeVisible();
  await screenshot(page, 'department-head-own-kpi');
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
  await expect(page.locator('.kpi-card')).not.toHaveCount(0);
  await expect(page.getByText('Mean time to recovery')).toHaveCount(0);
  await screenshot(page, 'department-head-overview-kpis');
});

test('the CTO sets a new target; a refused one keeps what was typed', async ({ page }) => {
  await signIn(page, ACCOUNTS.cto.email);
  await expect(page).toHaveURL(/\/$/);
  await page.goto('/kpis/availability/edit');
  await hydrated(page);
  await page.locator('#t-target').fill('99.95');
  await page.locator('#t-amber').fill('99.99');
  await page.locator('#t-red').fill('99.5');
  await page.getByRole('button', { name: 'Set target' }).click();
  await expect(page.locator('#t-amber-error')).not.toBeEmpty();
  await expect(page.locator('#t-target')).toHaveValue('99.95');
  await page.locator('#t-amber').fill('99.9');
  await page.locator('#t-note').fill('Raised for the new SLA');
  await page.getByRole('button', { name: 'Set target' }).click();
  await expect(page.getByText('Target saved.')).toBeVisible();
  await expect(page.getByRole('row', { name: /Raised for the new SLA/ })).toContainText('99.95');
});
