import { ACCOUNTS, expect, hydrated, screenshot, signIn, test } from './helpers';

/** The number on the bell, 0 when it shows none. */
async function bellCount(page: import('@playwright/test').Page): Promise<number> {
  const count = page.locator('a.bell .bell-count');
  return (await count.count()) === 0 ? 0 : Number(await count.getAttribute('data-count'));
}

test('the CTO sees the bell rise when a system goes down, acknowledges the alert and finds it in the audit trail', async ({ page }) => {
  await signIn(page, ACCOUNTS.cto.email);
  await expect(page).toHaveURL(/\/$/);

  // Alert at once for this test; the demo ships five minutes.
  await page.goto('/alerts/rules');
  await page.getByRole('link', { name: 'Change the rule System down or degraded' }).click();
  const rule = page.getByRole('form', { name: 'System down or degraded' });
  await rule.getByLabel('After (minutes)').fill('-5');
  await rule.getByRole('button', { name: 'Save' }).click();
  // A plain form: the server answers with this page again, the mistake at its field.
  await expect(page.locator('#system_down-threshold-error')).toContainText('Enter a whole number');
  await page.getByRole('form', { name: 'System down or degraded' }).getByLabel('After (minutes)').fill('0');
  await page.getByRole('form', { name: 'System down or degraded' }).getByRole('button', { name: 'Save' }).click();
  await expect(page.locator('.flash')).toContainText('Saved the rule');
  await expect(page.locator('#system_down-threshold-error')).toBeEmpty();
  const before = await bellCount(page);

  // Okta is set by hand: the CTO marks it down.
  await page.getByRole('link', { name: 'Infrastructure' }).first().click();
  await page.getByRole('link', { name: 'Okta (single sign-on)', exact: true }).first().click();
  await hydrated(page);
  await page.locator('#m-status').selectOption('down');
  await page.getByRole('textbox', { name: /^Note \(what you know/ }).fill('Vendor outage: sign-in fails.');
  await page.getByRole('button', { name: 'Set status' }).click();
  await expect(page.getByText('Status set.')).toBeVisible();
  await expect.poll(async () => {
    await page.reload();
    return bellCount(page);
  }).toBe(before + 1);
  await expect(page.locator('a.bell')).toHaveClass(/critical/);

  // The Overview puts it first.
  await page.goto('/');
  const needs = page.getByRole('region', { name: 'Needs you' });
  await expect(needs).toContainText('Okta (single sign-on)');
  await expect(needs).toContainText('Critical');
  await screenshot(page, 'cto-overview-cockpit');

  // The bell leads to the alert, firing, with its evidence.
  await page.locator('a.bell').click();
  await expect(page.getByRole('heading', { level: 1, name: 'Alerts' })).toBeVisible();
  const row = page.locator('table.alerts tbody tr', { hasText: 'Okta (single sign-on)' });
  await expect(row).toContainText('Critical');
  await expect(row).toContainText('is down since');
  await expect(row).toContainText('Firing');
  await screenshot(page, 'cto-alerts');
  await hydrated(page);
  await row.getByRole('button', { name: /Acknowledge/ }).click();
  await expect(page.locator('.flash')).toContainText('Acknowledged the alert on Okta');
  await expect(page.locator('table.alerts tbody tr', { hasText: 'Okta (single sign-on)' })).toContainText(`Acknowledged by ${ACCOUNTS.cto.name}`);
  expect(await bellCount(page)).toBe(before);

  // Who took it is on record.
  await page.goto('/admin/audit?area=alerts');
  const latest = page.locator('table.audit tbody tr').first();
  await expect(latest).toContainText('acknowledge alert');
  await expect(latest).toContainText('Okta (single sign-on)');
  await expect(latest).toContainText(ACCOUNTS.cto.name);

  // Back as it was for the other tests: Okta operational resolves the alert.
  await page.goto('/infrastructure');
  await page.getByRole('link', { name: 'Okta (single sign-on)', exact: true }).first().click();
  await hydrated(page);
  await page.locator('#m-status').selectOption('operational');
  await page.getByRole('button', { name: 'Set status' }).click();
  await expect(page.getByText('Status set.')).toBeVisible();
  await page.goto('/alerts?state=resolved');
  await expect(page.locator('table.alerts tbody tr', { hasText: 'Okta (single sign-on)' }).first()).toContainText('Resolved');
  await page.goto('/alerts/rules?rule=system_down');
  await page.getByRole('form', { name: 'System down or degraded' }).getByLabel('After (minutes)').fill('5');
  await page.getByRole('form', { name: 'System down or degraded' }).getByRole('button', { name: 'Save' }).click();
  await expect(page.locator('.flash')).toContainText('Saved the rule');
});

test('a department head sees only their department\'s alerts and no rules', async ({ page }) => {
  await signIn(page, ACCOUNTS.opsHead.email);
  await expect(page).toHaveURL(/\/$/);
  await page.goto('/alerts?state=all');
  await expect(page.getByRole('heading', { level: 1, name: 'Alerts' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Rules' })).toHaveCount(0);
  // Zendesk is Operations' and degraded in the demo; the Engineering systems are not theirs.
  await expect(page.locator('table.alerts')).toContainText('Zendesk');
  await expect(page.locator('table.alerts')).not.toContainText('Customer web app');
  const res = await page.goto('/alerts/rules');
  expect(res?.status()).toBe(403);
});
