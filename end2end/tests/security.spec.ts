import { ACCOUNTS, expect, hydrated, screenshot, signIn, test } from './helpers';

/** A scanner's SARIF log: one critical finding it first saw `days` ago, and one high it saw today. */
function sarif(days: number): Buffer {
  const seen = new Date(Date.now() - days * 86400_000).toISOString();
  const log = {
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: 'CodeQL', rules: [
        { id: 'js/sql-injection', shortDescription: { text: 'Database query built from user-controlled sources' }, properties: { 'security-severity': '9.8' } },
        { id: 'js/reflected-xss', shortDescription: { text: 'Reflected cross-site scripting' }, properties: { 'security-severity': '7.5' } },
      ] } },
      results: [
        { ruleId: 'js/sql-injection', message: { text: 'This query depends on a user-provided value.' }, locations: [{ physicalLocation: { artifactLocation: { uri: 'server/search.js' }, region: { startLine: 42 } } }], provenance: { firstDetectionTimeUtc: seen } },
        { ruleId: 'js/reflected-xss', message: { text: 'Cross-site scripting from a user-provided value.' }, locations: [{ physicalLocation: { artifactLocation: { uri: 'server/render.js' }, region: { startLine: 7 } } }] },
      ],
    }],
  };
  return Buffer.from(JSON.stringify(log));
}

test('the CTO imports a SARIF file, sees a breached deadline raise an alert and the SLA and the posture change', async ({ page }) => {
  await signIn(page, ACCOUNTS.cto.email);
  await expect(page).toHaveURL(/\/$/);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Security' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Security posture' })).toBeVisible();
  const pastDeadline = page.locator('.tile', { hasText: 'Findings past their deadline' }).locator('.tile-value');
  const postureBefore = Number(await pastDeadline.innerText());
  await expect(page.locator('#trend tbody tr').last()).toContainText('(so far)');
  await screenshot(page, 'posture');
  await page.getByRole('navigation', { name: 'Security sections' }).getByRole('link', { name: 'Vulnerabilities' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Vulnerabilities' })).toBeVisible();
  const critical = page.locator('#sla tbody tr', { hasText: 'Critical' });
  const lateBefore = Number(await critical.locator('td[data-label="Past the deadline"]').innerText());
  // The demo keeps the two KPIs; the page links to them.
  await expect(page.locator('#sla').getByRole('link', { name: 'Open critical vulnerabilities' })).toBeVisible();

  await hydrated(page);
  const form = page.locator('#import');
  await form.getByLabel('System').selectOption({ label: 'Customer web app' });
  await form.getByLabel('Findings file').setInputFiles({ name: 'codeql.sarif', mimeType: 'application/json', buffer: sarif(20) });
  await form.getByRole('button', { name: 'Check file' }).click();
  await expect(form.getByText('2 findings from CodeQL ready to import for Customer web app.')).toBeVisible();
  await expect(form.locator('.import-preview dl')).toContainText('New2');
  await screenshot(page, 'findings-preview');
  await form.getByRole('button', { name: 'Import 2 findings' }).click();
  await expect(page.getByText('Imported 2 findings for Customer web app: 2 new, 0 seen again, 0 reopened, 0 fixed.')).toBeVisible();

  // First seen 20 days ago: 13 days past a 7-day deadline.
  await expect(critical.locator('td[data-label="Past the deadline"]')).toHaveText(String(lateBefore + 1));
  await page.locator('#f-state').selectOption({ label: 'Past the deadline' });
  await page.locator('#f-system').selectOption({ label: 'Customer web app' });
  await page.getByRole('button', { name: 'Show' }).click();
  const row = page.locator('#findings tbody tr', { hasText: 'Database query built from user-controlled sources' });
  await expect(row).toContainText('13 days past its deadline');
  await row.getByText('Database query built from user-controlled sources').click();
  await expect(row).toContainText('server/search.js:42');
  await screenshot(page, 'vulnerabilities');

  // The rule raises an alert for the system, which links back to its late findings.
  await expect(async () => {
    await page.goto('/alerts');
    await expect(page.locator('tr', { hasText: 'Customer web app' }).filter({ hasText: 'past the remediation deadline' })).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 15_000 });
  await page.locator('tr', { hasText: 'Customer web app' }).filter({ hasText: 'past the remediation deadline' }).getByRole('link').first().click();
  await expect(page).toHaveURL(/\/security\/vulnerabilities\?system=\d+&state=breached/);

  // The system's page shows its findings.
  await page.goto('/infrastructure');
  await page.getByRole('link', { name: 'Customer web app' }).first().click();
  const card = page.locator('section#findings');
  await expect(card).toContainText('1 critical');
  await expect(card).toContainText('past the deadline');

  // The posture counts it today; this month's line of the trend with it.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Security' }).click();
  await expect(pastDeadline).toHaveText(String(postureBefore + 1));
  await expect(page.locator('#trend tbody tr').last().locator('td[data-label="Past the deadline"]')).toHaveText(String(postureBefore + 1));
});

test('a department head imports a penetration test for their own system and is told what is wrong first', async ({ page }) => {
  await signIn(page, ACCOUNTS.engHead.email);
  await expect(page).toHaveURL(/\/$/);
  await page.goto('/security/vulnerabilities');
  await expect(page.getByText('Findings on the Engineering department’s systems.')).toBeVisible();
  // Only Engineering's systems are theirs to filter and import into.
  const systems = await page.locator('#f-system option').allInnerTexts();
  expect(systems).toContain('Payments service');
  expect(systems).not.toContain('Primary database');

  await hydrated(page);
  const form = page.locator('#import');
  await form.getByLabel('System').selectOption({ label: 'Data pipeline' });
  const bad = 'title,severity,location,first_seen\nOpen S3 bucket,urgent,exports,2026-13-01\n';
  await form.getByLabel('Findings file').setInputFiles({ name: 'pentest.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
  await form.getByRole('button', { name: 'Check file' }).click();
  await expect(form.locator('.import-errors')).toContainText('line 2, severity');
  await expect(form.locator('.import-errors')).toContainText('line 2, first_seen');
  await expect(form.getByText('Nothing was stored.')).toBeVisible();

  const good = 'title,severity,location,source\nOpen S3 bucket,high,exports,PenTest Co\n';
  await form.getByLabel('Findings file').setInputFiles({ name: 'pentest.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
  await form.getByRole('button', { name: 'Check file' }).click();
  await form.getByRole('button', { name: 'Import 1 finding' }).click();
  await expect(page.getByText('Imported 1 finding for Data pipeline: 1 new, 0 seen again, 0 reopened, 0 fixed.')).toBeVisible();
  await expect(page.locator('#findings tbody tr', { hasText: 'Open S3 bucket' })).toContainText('30 days left');

  // Another department's system: its page, without its findings.
  await page.goto('/infrastructure');
  await page.getByRole('link', { name: 'Primary database' }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: 'Primary database' })).toBeVisible();
  await expect(page.locator('section#findings')).toHaveCount(0);
});
