import { ACCOUNTS, hydrated, navLinks, screenshot, signIn, signOut, expect, test } from './helpers';

test('the CTO sees every area, manages accounts and signs out', async ({ page }) => {
  await signIn(page, ACCOUNTS.cto.email);
  await expect(page).toHaveURL(/\/$/);
  expect(await navLinks(page)).toEqual(['Overview', 'KPIs', 'Budgets', 'Infrastructure', 'Strategy', 'Radar', 'Security', 'Reports', 'Feedback', 'Admin']);
  await expect(page.locator('.who .name')).toHaveText(ACCOUNTS.cto.name);
  await expect(page.locator('.who .role')).toHaveText('CTO');
  await screenshot(page, 'cto-overview');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Admin' })).toBeVisible();
  await expect(page.locator('table.users').getByRole('row', { name: /Priya Raman/ })).toContainText('Engineering');
  await hydrated(page);

  // Creating an account with a bad email shows the message at the field.
  await page.getByText('Add an account').click();
  const form = page.locator('form.stacked-form');
  await form.getByLabel('Email').fill('not-an-email');
  await form.getByLabel('Name').fill('Morgan Chen');
  await form.getByLabel('Role').selectOption('investor');
  await form.getByLabel('Initial password').fill('a long enough password');
  await form.getByRole('button', { name: 'Create account' }).click();
  await expect(form.locator('#new-email-error')).toContainText('An email address needs an @');
  // The form comes back open with what was typed, all but the password.
  await expect(form.getByLabel('Name')).toHaveValue('Morgan Chen');
  await expect(form.getByLabel('Role')).toHaveValue('investor');
  await expect(form.getByLabel('Department')).toBeHidden();
  await expect(form.getByLabel('Initial password')).toHaveValue('');

  await form.getByLabel('Email').fill('morgan.chen@example.com');
  await form.getByLabel('Initial password').fill('a long enough password');
  await form.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Created Morgan Chen (Investor).' })).toBeVisible();
  await expect(page.locator('table.users').getByRole('row', { name: /Morgan Chen/ })).toContainText('morgan.chen@example.com');
  await screenshot(page, 'cto-admin');

  // The change is in the audit trail, with who made it and the new account's fields.
  await page.getByRole('link', { name: 'Open the audit trail' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Audit trail' })).toBeVisible();
  const latest = page.locator('table.audit tbody tr').first();
  await expect(latest).toContainText('create user');
  await expect(latest).toContainText(ACCOUNTS.cto.name);
  await expect(latest).toContainText('morgan.chen@example.com');
  await expect(latest.locator('ul.changes')).toContainText('Morgan Chen');
  await page.getByLabel('Area').selectOption('account');
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page).toHaveURL(/area=account/);
  await expect(page.locator('table.audit tbody tr').first()).toContainText('sign in');
  await screenshot(page, 'cto-audit');

  await signOut(page);
  await page.goto('/admin');
  await expect(page).toHaveURL(/\/login\?next=\/admin$/);
});

test('the theme toggle is remembered across page loads', async ({ page }) => {
  await signIn(page, ACCOUNTS.cto.email);
  await expect(page).toHaveURL(/\/$/);
  await hydrated(page);
  const html = page.locator('html');
  const toggle = page.getByRole('button', { name: /^Theme:/ });
  await expect(toggle).toHaveAccessibleName(/Theme: System/);
  await toggle.click();
  await expect(html).toHaveAttribute('data-theme', 'light');
  await toggle.click();
  await expect(html).toHaveAttribute('data-theme', 'dark');
  await page.reload();
  await expect(html).toHaveAttribute('data-theme', 'dark');
  await screenshot(page, 'cto-overview-dark');
  await hydrated(page);
  await page.getByRole('button', { name: /^Theme:/ }).click();
  await expect(html).not.toHaveAttribute('data-theme', /.+/);
});
