import { ACCOUNTS, expect, screenshot, signIn, test } from './helpers';

test('a department head reviews the personal data of their own system', async ({ page }) => {
  await signIn(page, ACCOUNTS.engHead.email);
  await expect(page).toHaveURL(/\/$/);
  await page.goto('/security/vulnerabilities');
  await page.getByRole('navigation', { name: 'Security sections' }).getByRole('link', { name: 'Personal data' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Personal data' })).toBeVisible();
  await expect(page.getByText('Engineering’s systems.')).toBeVisible();
  const record = page.locator('#record');
  // Only Engineering's systems; the overdue review leads.
  await expect(record.locator('tbody tr').first()).toContainText('Public API');
  await expect(record.locator('tbody tr').first()).toContainText('Review overdue');
  await expect(record).toContainText('Payments service');
  await expect(record).not.toContainText('Zendesk');
  await screenshot(page, 'privacy-head');

  await record.getByRole('link', { name: 'Public API' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Public API' })).toBeVisible();
  await expect(page.locator('.page-head')).toContainText('Review overdue');
  const form = page.locator('#edit form.privacy-form');
  // Choosing "No" leaves nothing more to fill in; "Yes" brings the fields back.
  await form.getByLabel('No: nothing that identifies a person').check();
  await expect(form.getByLabel('Purpose: why it is kept')).toBeHidden();
  await form.getByLabel('Yes').check();
  await expect(form.getByLabel('Purpose: why it is kept')).toBeVisible();
  // Without a kind of data it is refused at that field, what was typed kept.
  await form.getByLabel('Account and login data').uncheck();
  await form.getByLabel('Online identifiers (IP, device, cookies)').uncheck();
  await form.getByLabel('Kept for').fill('Request logs 30 days');
  await form.getByRole('button', { name: 'Save the record' }).click();
  await expect(page.getByText('Tick the kinds of personal data it holds.')).toBeVisible();
  await expect(page.locator('#edit form.privacy-form').getByLabel('Kept for')).toHaveValue('Request logs 30 days');

  await page.locator('#edit form.privacy-form').getByLabel('Online identifiers (IP, device, cookies)').check();
  await page.locator('#edit form.privacy-form').getByRole('button', { name: 'Save the record' }).click();
  await expect(page.getByText('Saved Public API’s record, reviewed today by you.')).toBeVisible();
  await expect(page.locator('.page-head')).toContainText('Reviewed');
  await expect(page.locator('section', { has: page.getByRole('heading', { name: 'What it holds' }) })).toContainText('Request logs 30 days');
  await expect(page.getByRole('rowheader', { name: 'Datadog' })).toBeVisible();
  await screenshot(page, 'privacy-record');

  // Another department's system is not theirs.
  const other = await page.request.get('/security/privacy/12');
  expect(other.status()).toBe(403);
});

test('the CTO records a restore test on a system that is due one', async ({ page }) => {
  await signIn(page, ACCOUNTS.cto.email);
  await expect(page).toHaveURL(/\/$/);
  await page.goto('/infrastructure/systems/3');
  const card = page.locator('#protection');
  await expect(card).toContainText('more than a quarter ago: one is due');
  await expect(card).toContainText('s3://northstar-demo-backups/payments/');
  await card.getByText('Record a restore test').click();
  await card.getByLabel('Result').selectOption({ label: 'Passed: restored and checked' });
  await card.getByLabel('Minutes it took').fill('50');
  await card.getByLabel('What was restored, where, and what was checked').fill('Restored last night’s dump into the audit sandbox; ledger totals reconciled');
  await card.getByRole('button', { name: 'Record the restore test' }).click();
  await expect(page.getByText('Recorded the restore test of Payments service.')).toBeVisible();
  await expect(page.locator('#protection')).toContainText(/Last passed restore test: \d{4}-\d{2}-\d{2}\./);
  await expect(page.locator('#protection .runs').last().locator('tbody tr').first()).toContainText('50 min');
  await page.locator('#protection').scrollIntoViewIfNeeded();
  await screenshot(page, 'system-protection');
});
