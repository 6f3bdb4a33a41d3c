import { Page } from '@playwright/test';
import { ACCOUNTS, expect, screenshot, signIn, signOut, test } from './helpers';

// The demo's Engineering head and four of its team leads (same password).
const ENGINEERING = [ACCOUNTS.engHead.email, 'eng.lead1@northstar.demo', 'eng.lead2@northstar.demo', 'eng.lead3@northstar.demo', 'eng.lead4@northstar.demo'];

async function answer(page: Page, email: string, title: string, score: string) {
  await signIn(page, email);
  await expect(page).toHaveURL(/\/$/);
  const notice = page.locator('.survey-notice');
  await expect(notice).toContainText(title);
  await notice.getByRole('link', { name: 'Answer it anonymously' }).click();
  const card = page.getByRole('region', { name: title });
  await card.getByLabel(score, { exact: true }).check();
  await card.getByRole('button', { name: 'Send my answer' }).click();
  await expect(page.getByText(`Thank you. Your answer to ${title} is counted, without your name.`)).toBeVisible();
  await expect(page.getByRole('region', { name: title })).toHaveCount(0);
  await signOut(page);
}

test("a survey answered by five of a department's people makes its score a KPI", async ({ page }) => {
  test.setTimeout(90_000);
  const title = `Tooling satisfaction ${Date.now() % 100000}`;
  await signIn(page, ACCOUNTS.cto.email);
  await expect(page).toHaveURL(/\/$/);
  await page.goto('/feedback');
  await page.getByRole('link', { name: 'Satisfaction surveys' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Satisfaction surveys' })).toBeVisible();
  // The demo's quarterly survey: Operations' score shows, Engineering's waits for answers.
  await expect(page.getByRole('row', { name: /IT satisfaction/ })).toContainText('Every quarter');
  // Refused at its field.
  await page.getByLabel('Title').fill('IT satisfaction');
  await page.getByRole('button', { name: 'Send the survey' }).click();
  await expect(page.getByText('A survey with this title exists; choose another.')).toBeVisible();
  await page.getByLabel('Title').fill(title);
  await page.getByLabel('Sent').selectOption({ label: 'Once' });
  await page.getByRole('group', { name: /Departments whose heads are asked/ }).getByLabel('Engineering').check();
  await page.getByRole('button', { name: 'Send the survey' }).click();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await signOut(page);

  // Four answers: nothing shows yet.
  for (const [i, email] of ENGINEERING.slice(0, 4).entries()) {
    await answer(page, email, title, ['4', '5', '3', '4'][i]);
  }
  await signIn(page, ACCOUNTS.cto.email);
  await expect(page).toHaveURL(/\/$/);
  await page.goto('/surveys');
  await page.getByRole('link', { name: title }).click();
  const engineering = page.getByRole('row', { name: /^Engineering/ });
  await expect(engineering).toContainText('Shown from 5 answers');
  await signOut(page);

  // The fifth: the department's score is a KPI, with a target and a status.
  await answer(page, ENGINEERING[4], title, '5');
  await signIn(page, ACCOUNTS.engHead.email);
  await expect(page).toHaveURL(/\/$/);
  await page.goto('/kpis');
  await page.getByRole('link', { name: `${title}, Engineering` }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: `${title}, Engineering` })).toBeVisible();
  await expect(page.locator('.kpi-value.big')).toContainText('4.2');
  await screenshot(page, 'survey-kpi');
  await signOut(page);

  await signIn(page, ACCOUNTS.cto.email);
  await expect(page).toHaveURL(/\/$/);
  await page.goto('/surveys');
  await page.getByRole('link', { name: title }).click();
  await expect(page.getByRole('row', { name: /^Engineering/ })).toContainText('4.2');
  await screenshot(page, 'survey-results');
});

test('an investor is not asked a survey for department heads, and cannot open the surveys', async ({ page }) => {
  await signIn(page, ACCOUNTS.investor.email);
  await expect(page).toHaveURL(/\/reports$/);
  await expect(page.locator('.survey-notice')).toHaveCount(0);
  const res = await page.goto('/surveys');
  expect(res?.status()).toBe(403);
  await page.goto('/surveys/answer');
  await expect(page.getByText('No survey waits for you. Thank you.')).toBeVisible();
});
