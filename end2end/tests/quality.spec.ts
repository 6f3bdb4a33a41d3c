import { ACCOUNTS, expect, screenshot, signIn, signOut, test } from './helpers';

test('a pipeline reports with the CTO’s token and the head reads it beside the change failure rate', async ({ page }) => {
  await signIn(page, ACCOUNTS.cto.email);
  await expect(page).toHaveURL(/\/$/);
  await page.goto('/admin');
  await page.getByLabel('New token\'s name').fill('CI pipeline (browser test)');
  await page.getByRole('button', { name: 'Create token' }).click();
  const secret = (await page.locator('code.secret').innerText()).trim();
  expect(secret.length).toBeGreaterThan(20);

  // A bad report is refused at its field; a good one is kept.
  const url = '/api/v1/systems/2/quality';
  const headers = { Authorization: `Bearer ${secret}` };
  const bad = await page.request.post(url, { headers, data: { tests_run: 10, tests_passed: 12 } });
  expect(bad.status()).toBe(422);
  expect((await bad.json()).details[0].field).toBe('tests_passed');
  const good = await page.request.post(url, { headers, data: { source: 'Browser test', ref: 'main@e2e0001', tests_run: 4000, tests_passed: 3000, coverage: 42.5 } });
  expect(good.status()).toBe(201);
  await signOut(page);

  await signIn(page, ACCOUNTS.engHead.email);
  await expect(page).toHaveURL(/\/$/);
  await page.goto('/infrastructure/systems/2');
  const card = page.locator('#quality');
  await expect(card.getByRole('heading', { name: 'Quality' })).toBeVisible();
  await expect(card).toContainText('75 % (3000 of 4000 tests passed');
  await expect(card).toContainText('42.5 %');
  await expect(card).toContainText(/Change failure rate, last 30 days.*DORA: (Elite|High|Medium|Low)/s);
  await expect(card.getByRole('img', { name: 'Test pass rate, coverage and change failure rate per week' })).toBeVisible();
  await expect(card.getByRole('img', { name: 'Escaped defects and failed changes per week' })).toBeVisible();
  await card.getByText('Latest reports').click();
  await expect(card.locator('details.chart-data').last().locator('tbody tr').first()).toContainText('main@e2e0001');
  await card.scrollIntoViewIfNeeded();
  await screenshot(page, 'system-quality');

  // Operations' head keeps other systems: the Public API's page is not theirs.
  await signOut(page);
  await signIn(page, ACCOUNTS.opsHead.email);
  // Signed in before asking: a request without the session would be sent to sign in (200).
  await expect(page).toHaveURL(/\/$/);
  const other = await page.request.get('/infrastructure/systems/2');
  expect(other.status()).toBe(403);
});
