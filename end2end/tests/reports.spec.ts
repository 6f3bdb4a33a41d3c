import { ACCOUNTS, expect, hydrated, screenshot, signIn, test } from './helpers';
import { Browser, Page } from '@playwright/test';

/** The document title in a PDF's information dictionary (literal or UTF-16 hex string). */
function pdfTitle(pdf: Buffer): string {
  const text = pdf.toString('latin1');
  const at = text.indexOf('/Title');
  if (at < 0) return '';
  const rest = text.slice(at + 6).trimStart();
  if (rest.startsWith('<')) {
    const hex = rest.slice(1, rest.indexOf('>')).replace(/[^0-9a-fA-F]/g, '');
    const bytes = Buffer.from(hex, 'hex').subarray(2);
    return bytes.swap16().toString('utf16le');
  }
  return rest.startsWith('(') ? rest.slice(1, rest.indexOf(')')) : '';
}

async function signedIn(browser: Browser, email: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signIn(page, email);
  await expect(page).not.toHaveURL(/\/login/);
  return page;
}

test('the CTO composes, previews and publishes; an investor reads it and downloads the PDF; a share link works until withdrawn', async ({ page, browser }) => {
  const title = `Board update ${Date.now()}`;
  await signIn(page, ACCOUNTS.cto.email);
  await expect(page).toHaveURL(/\/$/);
  await page.goto('/reports');
  await hydrated(page);
  const create = page.getByRole('region', { name: 'New report' });
  await create.getByLabel('Title').fill(title);
  await create.getByRole('button', { name: 'Create draft' }).click();
  await expect(page).toHaveURL(/\/reports\/\d+$/);
  await hydrated(page);
  const reportPath = new URL(page.url()).pathname;

  // Commentary with formatting, a script and a javascript: link.
  await page.getByLabel('Commentary: Strategy').fill('We will **double down** on reliability. <script>alert(1)</script> [click](javascript:alert(2))');
  await page.getByRole('button', { name: 'Preview' }).click();
  const preview = page.getByRole('region', { name: 'Preview' });
  await expect(preview.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(preview.locator('.commentary strong')).toHaveText('double down');
  await expect(preview.getByText('<script>alert(1)</script>')).toBeVisible();
  expect(await preview.locator('script').count()).toBe(0);
  expect(await preview.locator('a[href^="javascript"]').count()).toBe(0);
  await expect(preview.getByRole('heading', { name: 'Key indicators' })).toBeVisible();
  await expect(preview.locator('.report-chart svg').first()).toBeVisible();
  await screenshot(page, 'report-preview');

  // Publishing shows what will be frozen and asks first; what was typed stays in the form.
  await page.getByRole('button', { name: 'Publish', exact: true }).click();
  await expect(page.getByRole('group', { name: /^Publish version 1 of/ })).toContainText('It is frozen as it is now');
  await expect(page.getByRole('region', { name: 'Preview' }).locator('.commentary strong')).toHaveText('double down');
  await expect(page.getByLabel('Commentary: Strategy')).toHaveValue(/double down/);
  await page.getByRole('button', { name: 'Publish it' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Published version 1' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Version 1', exact: true })).toBeVisible();

  // A share link, shown once.
  const links = page.getByRole('region', { name: 'Share links' });
  await links.getByLabel('Who it is for').fill('Acme Ventures');
  const lastDay = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  await links.getByLabel('Last day it works').fill(lastDay);
  await links.getByRole('button', { name: 'Create link' }).click();
  const shareUrl = await links.getByLabel('The new link').inputValue();
  expect(shareUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/share\/[A-Za-z0-9_-]{43}$/);
  const sharePath = new URL(shareUrl).pathname;
  await expect(links.getByRole('status').filter({ hasText: 'Link created' })).toContainText(`works until the end of ${lastDay} (UTC)`);
  await expect(links.getByRole('row', { name: /Acme Ventures/ })).toContainText(lastDay);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await links.getByRole('button', { name: 'Copy link' }).click();
  await expect(links.getByText('Copied to the clipboard.')).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(shareUrl);
  // Shown once: a reload no longer has it.
  await page.reload();
  await expect(links.getByLabel('The new link')).toHaveCount(0);

  // An investor finds it among reports and reads it.
  const investor = await signedIn(browser, ACCOUNTS.investor.email);
  await expect(investor).toHaveURL(/\/reports$/);
  await investor.getByRole('link', { name: title }).click();
  await expect(investor).toHaveURL(new RegExp(`${reportPath}$`));
  await expect(investor.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(investor.getByText('double down')).toBeVisible();
  // The demo's CTO shares the security posture: figures, never the posture page.
  await expect(investor.getByRole('heading', { level: 2, name: 'Security posture' })).toBeVisible();
  await expect(investor.locator('tr', { hasText: 'Security controls passing' })).toBeVisible();
  await screenshot(investor, 'report-investor');
  const pdfLink = investor.getByRole('link', { name: 'Download PDF' });
  const res = await investor.request.get((await pdfLink.getAttribute('href'))!);
  expect(res.status()).toBe(200);
  expect(res.headers()['content-type']).toBe('application/pdf');
  const pdf = await res.body();
  expect(pdf.subarray(0, 4).toString()).toBe('%PDF');
  expect(pdf.length).toBeGreaterThan(5000);
  expect(pdfTitle(pdf)).toContain(title);
  for (const path of ['/budgets', '/reports/department', '/security']) {
    expect((await investor.goto(path))?.status(), path).toBe(403);
  }
  // The logo and "/" lead an investor home, to Reports.
  await investor.goto('/');
  await expect(investor).toHaveURL(/\/reports$/);
  await investor.getByRole('link', { name: 'Northstar' }).click();
  await expect(investor).toHaveURL(/\/reports$/);

  // Anyone with the link reads that report, and nothing of the app.
  const stranger = await (await browser.newContext()).newPage();
  await stranger.goto(sharePath);
  await expect(stranger.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(stranger.getByRole('button', { name: 'Sign out' })).toHaveCount(0);
  await screenshot(stranger, 'report-shared');

  // Withdrawn, it stops working and says so.
  await page.reload();
  await hydrated(page);
  const row = page.getByRole('row', { name: /Acme Ventures/ });
  await row.getByRole('button', { name: 'Withdraw' }).click();
  await expect(row.getByRole('group', { name: 'Withdraw the link for Acme Ventures? It stops working at once.' })).toBeVisible();
  await row.getByRole('button', { name: 'Withdraw it' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Withdrawn: the link for Acme Ventures' })).toBeVisible();
  await expect(page.getByRole('row', { name: /Acme Ventures/ })).toContainText('revoked');
  const gone = await stranger.goto(sharePath);
  expect(gone?.status()).toBe(410);
  await expect(stranger.getByText('This link has been withdrawn')).toBeVisible();
  await expect(stranger.getByText(title)).toHaveCount(0);
});

test('a department head prints their own budget report; a guessed share link reveals nothing', async ({ page }) => {
  await signIn(page, ACCOUNTS.engHead.email);
  await expect(page).toHaveURL(/\/$/);
  await page.goto('/reports');
  await page.getByRole('link', { name: 'Open the budget report' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Engineering budget report' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Print or save as PDF' })).toBeVisible();
  await expect(page.getByLabel('Department')).toHaveCount(0);
  await screenshot(page, 'report-department');
  expect((await page.goto('/reports/1'))?.status()).toBe(403);

  const res = await page.goto('/share/' + 'A'.repeat(43));
  expect(res?.status()).toBe(404);
  await expect(page.getByText('This link is not valid')).toBeVisible();
});
