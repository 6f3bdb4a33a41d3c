import { test, expect, ACCOUNTS, signIn, hydrated, screenshot } from './helpers';

test('the CTO adds a system with an HTTP check on a local URL and sees it turn operational', async ({ page, baseURL }) => {
  await signIn(page, ACCOUNTS.cto.email);
  await expect(page).toHaveURL(/\/$/);
  await page.goto('/infrastructure');
  await hydrated(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Infrastructure' })).toBeVisible();
  // The demo's live checks run against this server: the board has its dozen systems.
  await expect(page.locator('.system-row')).toHaveCount(12);
  // Days without downtime are drawn green, not in the default black fill.
  const fill = await page.locator('.system-row').first().locator('path.d-ok').evaluate((p) => getComputedStyle(p).fill);
  expect(fill).not.toBe('rgb(0, 0, 0)');
  await screenshot(page, 'infrastructure-board');

  await page.getByRole('link', { name: 'Add a system' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'New system' })).toBeVisible();
  await hydrated(page);
  await page.getByRole('button', { name: 'Add system' }).click();
  await expect(page.locator('.field', { hasText: 'Name' }).first().locator('.field-error')).toHaveText("Enter the system's name.");
  await page.locator('#name').fill('Status endpoint');
  await page.locator('#key').fill('status-endpoint');
  await page.locator('#tier').selectOption('1');
  await page.locator('#slo').fill('99.95');
  await page.getByRole('button', { name: 'Add system' }).click();

  await expect(page.getByRole('heading', { level: 1, name: 'Status endpoint' })).toBeVisible();
  await expect(page.locator('.status-line')).toContainText('No data');
  await hydrated(page);
  // A bad target first: the message sits at the field and nothing is added.
  await page.locator('#k-target').fill('ftp://127.0.0.1/healthz');
  await page.getByRole('button', { name: 'Add check' }).click();
  await expect(page.locator('.field', { hasText: 'Target' }).locator('.field-error')).toContainText('is not an http:// or https:// URL');

  await page.locator('#k-target').fill(`${baseURL}/healthz`);
  await page.locator('#k-keyword').fill('ok');
  await page.getByRole('button', { name: 'Add check' }).click();
  await expect(page.getByText('Check saved.')).toBeVisible();
  // The new check runs at once; the page looks again while it has no answer.
  await expect(page.locator('.status-line')).toContainText('Operational', { timeout: 15_000 });
  const row = page.getByRole('row', { name: /healthz/ });
  await expect(row).toContainText('Operational');
  await expect(row).toContainText(/\d+ ms/);
  await screenshot(page, 'infrastructure-system');

  await page.getByRole('button', { name: 'Run now' }).click();
  await expect(page.getByText(/Passed in \d+ ms\./)).toBeVisible();

  await page.getByRole('link', { name: 'Status', exact: true }).click();
  await expect(page.locator('.system-row', { hasText: 'Status endpoint' })).toContainText('Operational');
});

test('incidents have timelines, MTTA and MTTR, and the SLA report downloads as CSV', async ({ page }) => {
  await signIn(page, ACCOUNTS.cto.email);
  await expect(page).toHaveURL(/\/$/);
  await page.goto('/infrastructure/incidents');
  await hydrated(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Incidents' })).toBeVisible();
  await expect(page.locator('.tile', { hasText: 'Mean time to resolve' }).locator('.tile-value')).not.toHaveText('—');
  await page.getByRole('link', { name: 'Primary database failed over to the replica' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Primary database failed over to the replica' })).toBeVisible();
  await expect(page.locator('.timeline li')).toHaveCount(4);
  // A note posted clears its box, so it is not posted twice by accident.
  await hydrated(page);
  await page.getByLabel('Add a note').fill('Replica lag back under a second.');
  await page.getByRole('button', { name: 'Add note' }).click();
  await expect(page.locator('.timeline li')).toHaveCount(5);
  await expect(page.getByLabel('Add a note')).toHaveValue('');
  await expect(page.getByText('Resolved', { exact: true }).first()).toBeVisible();
  await screenshot(page, 'infrastructure-incident');

  await page.goto('/infrastructure/sla');
  await expect(page.getByRole('heading', { level: 1, name: /^SLA report: Q\d \d{4}$/ })).toBeVisible();
  await expect(page.getByRole('row', { name: /Primary database/ })).toContainText('%');
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Download CSV' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^sla-\d{4}-Q\d\.csv$/);
});

test('a department head reads every system and notes only their own incidents; an investor sees none of it', async ({ page }) => {
  await signIn(page, ACCOUNTS.engHead.email);
  await expect(page).toHaveURL(/\/$/);
  await page.goto('/infrastructure');
  await hydrated(page);
  // Every system, whichever department owns it (the CTO's test above may have added one).
  await expect(page.locator('.system-row', { hasText: 'VPN gateway' })).toContainText('Operations');
  expect(await page.locator('.system-row').count()).toBeGreaterThanOrEqual(12);
  await expect(page.getByRole('link', { name: 'Add a system' })).toHaveCount(0);
  await page.goto('/infrastructure/incidents');
  await page.getByRole('link', { name: 'VPN gateway unreachable' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'VPN gateway unreachable' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Resolve' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Reopen' })).toHaveCount(0);
  await expect(page.getByLabel('Add a note')).toHaveCount(0);
  const res = await page.request.get('/infrastructure/systems/new');
  expect(res.status()).toBe(403);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login/);
  await signIn(page, ACCOUNTS.investor.email);
  await expect(page).toHaveURL(/\/reports$/);
  const board = await page.request.get('/infrastructure');
  expect(board.status()).toBe(403);
  const api = await page.request.post('/api/infra/board');
  expect(api.status()).toBe(403);
});
