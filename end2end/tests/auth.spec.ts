import { ACCOUNTS, hydrated, signIn, screenshot, expect, test } from './helpers';

test('a wrong password gets one clear message and no session', async ({ page }) => {
  await signIn(page, ACCOUNTS.cto.email, 'not-the-password');
  await expect(page.getByRole('alert').filter({ hasText: 'The email or password is incorrect.' })).toBeVisible();
  await expect(page).toHaveURL(/\/login/);
  await screenshot(page, 'login-wrong-password');
  const cookies = await page.context().cookies();
  expect(cookies.find((c) => c.name === 'northstar_session')).toBeUndefined();
});

test('an unknown email gets the very same message', async ({ page }) => {
  await signIn(page, 'nobody@northstar.demo', 'not-the-password');
  await expect(page.getByRole('alert').filter({ hasText: 'The email or password is incorrect.' })).toBeVisible();
});

test('a page asked for before signing in opens after signing in', async ({ page }) => {
  await page.goto('/admin');
  await expect(page).toHaveURL(/\/login\?next=\/admin$/);
  await hydrated(page);
  await page.getByLabel('Email').fill(ACCOUNTS.cto.email);
  await page.getByLabel('Password').fill('northstar-demo');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/admin$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Admin' })).toBeVisible();
});

test('the session cookie is HttpOnly and SameSite=Strict', async ({ page }) => {
  await signIn(page, ACCOUNTS.investor.email);
  await expect(page).toHaveURL(/\/reports$/);
  const session = (await page.context().cookies()).find((c) => c.name === 'northstar_session');
  expect(session?.httpOnly).toBe(true);
  expect(session?.sameSite).toBe('Strict');
  expect(await page.evaluate(() => document.cookie)).not.toContain('northstar_session');
});
