import { ACCOUNTS, expect, screenshot, signIn, signOut, test } from './helpers';

test('a department head files a request on a system, the CTO answers and plans it, and the head is told', async ({ page }) => {
  const title = `Payments retries time out ${Date.now() % 100000}`;
  await signIn(page, ACCOUNTS.engHead.email);
  await expect(page).toHaveURL(/\/$/);
  await page.goto('/infrastructure');
  await page.getByRole('link', { name: 'Payments service' }).first().click();
  const section = page.getByRole('region', { name: 'Feedback' });
  await section.getByRole('link', { name: 'Give feedback' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Give feedback' })).toBeVisible();
  await expect(page.getByLabel('About')).toHaveValue(/^system:\d+$/);
  // Refused at its field, with what was chosen kept.
  await page.getByLabel('Kind').selectOption({ label: 'Problem' });
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.getByText('Enter a summary.')).toBeVisible();
  await expect(page.getByLabel('Kind')).toHaveValue('problem');
  await page.getByLabel('Summary').fill(title);
  await page.getByLabel(/^Details/).fill('Card payments retry three times and the checkout gives up after 30 seconds.');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.getByText(/^Sent\. You will be told here/)).toBeVisible();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(page.getByRole('link', { name: 'System: Payments service' })).toBeVisible();
  await expect(page.getByText('Not answered yet.')).toBeVisible();
  const address = page.url();
  await signOut(page);

  // Another department's head: not listed, and its address refused.
  await signIn(page, ACCOUNTS.opsHead.email);
  await expect(page).toHaveURL(/\/$/);
  await page.goto('/feedback');
  await expect(page.getByRole('link', { name: title })).toHaveCount(0);
  const refused = await page.goto(address);
  expect(refused?.status()).toBe(403);
  await expect(page.getByText('You do not have access to this.')).toBeVisible();
  await signOut(page);

  await signIn(page, ACCOUNTS.cto.email);
  await expect(page).toHaveURL(/\/$/);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Feedback' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'How feedback is handled' })).toBeVisible();
  await screenshot(page, 'feedback-cto');
  // The response times are KPIs the demo's CTO keeps, with a value each month.
  await page.getByRole('link', { name: 'Feedback: time to first answer' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Feedback: time to first answer' })).toBeVisible();
  await page.goto('/feedback');
  await page.getByRole('region', { name: 'Open' }).getByRole('link', { name: title }).click();
  // Planned names the work that answers it.
  await page.getByLabel('State').selectOption({ label: 'Planned' });
  await page.getByRole('button', { name: 'Save the answer' }).click();
  await expect(page.getByText('Name the initiative or the radar entry that will answer it.')).toBeVisible();
  await page.getByLabel('Planned as initiative').selectOption({ label: 'Observability platform consolidation' });
  await page.getByRole('textbox', { name: /^Answer/ }).fill('Traces will show where the retries wait; the fix follows in the same quarter.');
  await page.getByRole('button', { name: 'Save the answer' }).click();
  await expect(page.getByText('Moved to planned. Its author is told.')).toBeVisible();
  await expect(page.getByText('Moved from New to Planned')).toBeVisible();
  await screenshot(page, 'feedback-item-cto');
  await signOut(page);

  // The author is told in the top bar, and reads the answer and the plan.
  await signIn(page, ACCOUNTS.engHead.email);
  await expect(page).toHaveURL(/\/$/);
  await page.getByRole('link', { name: /new answers?$/ }).click();
  await page.getByRole('region', { name: 'New for you' }).getByRole('link', { name: `Your problem “${title}” is planned` }).click();
  await expect(page.getByText('Traces will show where the retries wait; the fix follows in the same quarter.')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Observability platform consolidation' })).toBeVisible();
  await screenshot(page, 'feedback-item-head');
});

test("an investor asks about the report and only they and the CTO see it", async ({ page }) => {
  const title = `Cloud cost per customer ${Date.now() % 100000}`;
  await signIn(page, ACCOUNTS.investor.email);
  await expect(page).toHaveURL(/\/reports$/);
  await page.getByRole('link', { name: /technology update/ }).first().click();
  const section = page.getByRole('region', { name: 'Questions and feedback' });
  await expect(section).toBeVisible();
  await section.getByRole('link', { name: 'Give feedback' }).click();
  // Only what an investor sees: technology in general and the reports.
  const groups = await page.getByLabel('About').locator('optgroup').evaluateAll((g) => g.map((x) => x.getAttribute('label')));
  expect(groups).toEqual(['Reports']);
  await page.getByLabel('Summary').fill(title);
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(page.getByText('Its author and the CTO')).toBeVisible();
  await expect(page.getByRole('button', { name: /^Vote/ })).toHaveCount(0);
  const address = page.url();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Feedback' }).click();
  await expect(page.getByRole('link', { name: title })).toBeVisible();
  await expect(page.getByRole('link', { name: 'One place for runbooks' })).toHaveCount(0);
  await screenshot(page, 'feedback-investor');
  await signOut(page);

  await signIn(page, ACCOUNTS.engHead.email);
  await expect(page).toHaveURL(/\/$/);
  const refused = await page.goto(address);
  expect(refused?.status()).toBe(403);
});
