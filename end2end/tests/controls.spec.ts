import { ACCOUNTS, expect, screenshot, signIn, test } from './helpers';

test('a department head records evidence for an overdue control of their own', async ({ page }) => {
  await signIn(page, ACCOUNTS.engHead.email);
  await expect(page).toHaveURL(/\/$/);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Security' }).click();
  await page.getByRole('navigation', { name: 'Security sections' }).getByRole('link', { name: 'Controls' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Controls' })).toBeVisible();
  await expect(page.getByText('The controls Engineering performs.')).toBeVisible();
  // Only Engineering's controls; the overdue one leads.
  const register = page.locator('#register');
  await expect(register.locator('tbody tr').first()).toContainText('OPS-03 Malware protection');
  await expect(register.locator('tbody tr').first()).toContainText('Overdue');
  await expect(register).not.toContainText('BCK-01');
  await screenshot(page, 'controls-head');

  await register.getByRole('link', { name: 'OPS-03 Malware protection' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'OPS-03 Malware protection' })).toBeVisible();
  const form = page.locator('#record');
  // A pass with nothing to show for it is refused at the file field, the note kept.
  await form.getByLabel('Result').selectOption({ label: 'Passed' });
  await form.getByLabel('Note: what was checked and found').fill('Endpoint protection on all 42 laptops, signatures current.');
  await form.getByRole('button', { name: 'Record evidence' }).click();
  await expect(page.locator('#record .field-error', { hasText: 'Attach what shows it passed' })).toBeVisible();
  await expect(form.getByLabel('Note: what was checked and found')).toHaveValue('Endpoint protection on all 42 laptops, signatures current.');

  await form.getByLabel('Result').selectOption({ label: 'Passed' });
  await form.getByLabel('File').setInputFiles({ name: 'edr-report.csv', mimeType: 'text/csv', buffer: Buffer.from('device,status\nlaptop-01,protected\n') });
  await form.getByRole('button', { name: 'Record evidence' }).click();
  await expect(page.getByText(/^Recorded: Passed on \d{4}-\d{2}-\d{2}, with its file \(SHA-256 [0-9a-f]{12}…\)\.$/)).toBeVisible();
  await expect(page.locator('.page-head')).toContainText('Passing');
  const latest = page.locator('#history tbody tr').first();
  await expect(latest).toContainText('edr-report.csv (34 bytes)');
  await expect(latest).toContainText('Priya Raman');
  // The file comes back as a download, byte for byte.
  const href = await latest.getByRole('link', { name: /edr-report\.csv/ }).getAttribute('href');
  const res = await page.request.get(href!);
  expect(res.headers()['content-disposition']).toContain('attachment');
  expect(await res.text()).toBe('device,status\nlaptop-01,protected\n');
  await screenshot(page, 'control-evidence');

  // Another department's control is not theirs.
  const other = await page.request.get('/security/controls/28');
  expect(other.status()).toBe(403);
});

test('the CTO sees every control by framework and filters the overdue ones', async ({ page }) => {
  await signIn(page, ACCOUNTS.cto.email);
  await expect(page).toHaveURL(/\/$/);
  await page.goto('/security/controls');
  const standing = page.locator('section', { has: page.getByRole('heading', { name: 'Where the controls stand' }) });
  await expect(standing.locator('table')).toContainText('ISO/IEC 27001:2022 Annex A');
  await page.locator('#f-standing').selectOption({ label: 'Overdue' });
  await page.getByRole('button', { name: 'Show' }).click();
  // The demo's undone ones; the head's test may have done one of them already.
  const rows = page.locator('#register tbody tr');
  await expect(page.locator('#register')).toContainText('PRV-02 Data retention and deletion');
  await expect(page.locator('#register')).toContainText('HR-04 Leavers lose access on their last day');
  for (const row of await rows.all()) await expect(row.locator('td[data-label="Standing"]')).toHaveText('Overdue');
  await screenshot(page, 'controls-cto');
});

test('the CTO backs Northstar up, tests restoring it and records an access review from Admin', async ({ page }) => {
  await signIn(page, ACCOUNTS.cto.email);
  await expect(page).toHaveURL(/\/$/);
  await page.goto('/admin');
  const backups = page.locator('section', { has: page.getByRole('heading', { name: 'Backups and restore tests' }) });
  await backups.getByRole('button', { name: 'Back up now' }).click();
  await expect(page.getByText(/^Backed up to .*northstar-\d{8}-\d{6}\.db \(/)).toBeVisible();
  await backups.getByRole('button', { name: 'Test restoring the latest backup' }).click();
  await expect(page.getByText(/^Restore test passed in .*integrity check ok, schema brought to this release, \d+ accounts/)).toBeVisible();
  await expect(backups.locator('table', { hasText: 'Latest restore tests' }).locator('tbody tr').first()).toContainText('Passed');
  await screenshot(page, 'admin-backups');

  const review = page.locator('section', { has: page.getByRole('heading', { name: 'Access review' }) });
  await review.getByRole('button', { name: 'Record the access review' }).click();
  await expect(page.getByText(/^Recorded the access review of \d+ accounts, with the list as reviewed, on each access-review control\.$/)).toBeVisible();
  await review.getByRole('link', { name: 'IAM-01 Access review' }).click();
  const latest = page.locator('#history tbody tr').first();
  await expect(latest).toContainText(/access-review-\d{4}-\d{2}-\d{2}\.csv/);
  await expect(latest).toContainText(/Reviewed \d+ accounts \(\d+ active\)/);
  await expect(page.locator('.page-head')).toContainText('Passing');

  // The restore test is the backup restore control's evidence.
  await page.goto('/security/controls?standing=&framework=&department=');
  await page.getByRole('link', { name: 'BCK-02 Backup restore test' }).click();
  await expect(page.locator('#history tbody tr').first()).toContainText('integrity check ok');
});
