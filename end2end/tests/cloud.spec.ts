import * as path from 'path';
import { ACCOUNTS, expect, hydrated, screenshot, signIn, test } from './helpers';

const SAMPLE = path.join(__dirname, '..', '..', 'tests', 'fixtures', 'focus', 'aws-sample.csv');

test('the CTO imports a FOCUS file, maps an unmatched line and reads a system’s cost', async ({ page }) => {
  await signIn(page, ACCOUNTS.cto.email);
  await expect(page).toHaveURL(/\/$/);
  await page.goto('/strategy');
  await page.getByRole('navigation', { name: 'Strategy sections' }).getByRole('link', { name: 'Cloud cost' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Cloud cost' })).toBeVisible();
  // The demo's sandbox account matches no rule: it is listed, and said above.
  await expect(page.locator('.alert-warning')).toContainText('matches no rule');
  await expect(page.locator('#unmatched tbody tr', { hasText: 'Amazon SageMaker' })).toContainText('ml-sandbox');
  await screenshot(page, 'cloud-cost');

  // A FOCUS file is checked first: its months, provider, totals and what it replaces.
  await hydrated(page);
  await page.getByLabel('FOCUS file', { exact: true }).setInputFiles(SAMPLE);
  await page.getByRole('button', { name: 'Check file' }).click();
  await expect(page.getByText('18 rows ready to import: Sep – Oct 2026, AWS.')).toBeVisible();
  await expect(page.locator('.import-preview')).toContainText('$5,026.52');
  await expect(page.getByText('Replaces what was imported for AWS, Sep 2026; AWS, Oct 2026.')).toBeVisible();
  await page.getByRole('button', { name: 'Import 18 rows' }).click();
  await expect(page.getByText('Imported 18 rows (Sep – Oct 2026): $5,026.52 effective cost.')).toBeVisible();
  await expect(page.getByRole('row', { name: /aws-sample\.csv/ })).toContainText('Sep – Oct 2026');

  // Its management account matches no rule: mapped from its line, by its account.
  const line = page.locator('#unmatched tbody tr', { hasText: 'AmazonCloudWatch' });
  await expect(line).toContainText('111122223333 (management)');
  await line.getByLabel('Match by').selectOption({ label: 'Account 111122223333 (management)' });
  await line.getByLabel('Department').selectOption({ label: 'Operations' });
  await line.getByRole('button', { name: 'Map' }).click();
  await expect(page.getByText('Saved the rule account = 111122223333')).toBeVisible();
  await expect(page.locator('#unmatched tbody tr', { hasText: 'AmazonCloudWatch' })).toHaveCount(0);
  await expect(page.getByRole('row', { name: /account = 111122223333/ })).toContainText('Operations');

  // A rule without a value is refused at its field.
  const form = page.locator('#rule-form');
  await form.getByLabel('Matches').selectOption({ label: 'Service' });
  await form.getByLabel('Department').selectOption({ label: 'Engineering' });
  await form.getByRole('button', { name: 'Add rule' }).click();
  await expect(page.locator('#rule-form .field-error', { hasText: 'Enter a value to match.' })).toBeVisible();

  // The payments team's tagged cost lands on the payments service, beside its people time.
  await page.goto('/infrastructure');
  await page.getByRole('link', { name: 'Payments service' }).first().click();
  const cost = page.locator('#cost');
  await expect(cost.getByRole('heading', { name: 'Cost' })).toBeVisible();
  await expect(cost.getByRole('row', { name: /Last 12 months/ })).toBeVisible();
  await cost.scrollIntoViewIfNeeded();
  await screenshot(page, 'system-cost');
});

test('a department head sees their own system’s cost and no cloud cost page', async ({ page }) => {
  await signIn(page, ACCOUNTS.engHead.email);
  await expect(page).toHaveURL(/\/$/);
  await page.goto('/strategy');
  await expect(page.getByRole('navigation', { name: 'Strategy sections' }).getByRole('link', { name: 'Cloud cost' })).toHaveCount(0);
  const res = await page.goto('/strategy/cloud');
  expect(res?.status()).toBe(403);
  await page.goto('/infrastructure');
  await page.getByRole('link', { name: 'Payments service' }).first().click();
  await expect(page.locator('#cost').getByRole('row', { name: /Last 12 months/ })).toBeVisible();
});
