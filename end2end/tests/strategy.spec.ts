import { ACCOUNTS, expect, hydrated, screenshot, signIn, test } from './helpers';

/** A date `offset` days from today, as a date field takes it. */
function day(offset: number): string {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + offset);
  return d.toISOString().slice(0, 10);
}

test('the CTO sets an objective with a KPI, adds an initiative with a late milestone and sees it at risk', async ({ page }) => {
  await signIn(page, ACCOUNTS.cto.email);
  await expect(page).toHaveURL(/\/$/);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Strategy' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Strategy' })).toBeVisible();
  // The demo's objectives and the timeline of its open work.
  await expect(page.getByRole('heading', { level: 2, name: 'Win the enterprise segment' })).toBeVisible();
  await expect(page.getByRole('img', { name: /Initiatives over time/ })).toBeVisible();
  await screenshot(page, 'strategy-map');

  await page.getByRole('link', { name: 'New objective' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'New objective' })).toBeVisible();
  await hydrated(page);
  // A KPI without its target is refused at the target's field, and nothing is added.
  await page.locator('#title').fill('Enter the German market');
  await page.locator('#starts').fill(day(-90));
  await page.locator('#ends').fill(day(270));
  await page.locator('#kpi-0').selectOption({ label: 'Availability · Percent (%)' });
  await page.getByRole('button', { name: 'Add objective' }).click();
  await expect(page.locator('.field', { has: page.locator('#kpi-target-0') }).locator('.field-error')).toContainText("must reach by the period's end");
  await expect(page.locator('#title')).toHaveValue('Enter the German market');
  await page.locator('#kpi-target-0').fill('99.95');
  await page.getByRole('button', { name: 'Add objective' }).click();
  await expect(page.getByText('Added the objective.')).toBeVisible();
  const objective = page.locator('section.objective', { has: page.getByRole('heading', { name: 'Enter the German market' }) });
  await expect(objective.getByRole('row', { name: /Availability/ })).toContainText('99.95 %');

  await page.getByRole('link', { name: 'New initiative' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'New initiative' })).toBeVisible();
  await page.locator('#title').fill('Localise the checkout');
  await page.locator('#objective').selectOption({ label: 'Enter the German market' });
  await page.locator('#department').selectOption({ label: 'Engineering' });
  await page.locator('#status').selectOption({ label: 'In progress' });
  await page.locator('#category').selectOption({ label: 'New capabilities' });
  await page.locator('#starts').fill(day(-60));
  await page.locator('#target').fill(day(60));
  await page.locator('#budget').fill('25000');
  await page.getByRole('button', { name: 'Add initiative' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Localise the checkout' })).toBeVisible();
  await expect(page.getByText('Added the initiative.')).toBeVisible();

  // A milestone already past its date: the initiative is at risk, and says why.
  await page.locator('#m-title').fill('Translations delivered');
  await page.locator('#m-due').fill(day(-10));
  await page.getByRole('button', { name: 'Add milestone' }).click();
  await expect(page.getByText('Milestone added.')).toBeVisible();
  await expect(page.locator('.status-line')).toContainText('At risk');
  await expect(page.locator('.status-line')).toContainText('1 of 1 milestone late by 10 days');
  await expect(page.getByRole('row', { name: /Translations delivered/ })).toContainText('10 days late');
  await screenshot(page, 'strategy-initiative');

  await page.getByRole('link', { name: 'Strategy', exact: true }).first().click();
  const row = page.getByRole('row', { name: /Localise the checkout/ });
  await expect(row).toContainText('At risk');

  // Reached today: on track again.
  await row.getByRole('link', { name: 'Localise the checkout' }).click();
  await page.getByRole('button', { name: /Reached today/ }).click();
  await expect(page.locator('.status-line')).toContainText('On track');
});

test("a department head works on their own department's initiatives and cannot open another's", async ({ page }) => {
  await signIn(page, ACCOUNTS.engHead.email);
  await expect(page).toHaveURL(/\/$/);
  await page.goto('/strategy');
  await expect(page.getByRole('heading', { level: 1, name: 'Strategy' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'New objective' })).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Search latency rework' })).toBeVisible();
  await expect(page.getByText('Reserved instances and rightsizing')).toHaveCount(0);
  await screenshot(page, 'strategy-department-head');

  // The Operations initiative's own address is refused.
  const id = await page.evaluate(async () => {
    const res = await fetch('/api/strategy/initiative', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body: 'id=6' });
    return res.status;
  });
  expect(id).toBe(403);
  const res = await page.goto('/strategy/initiatives/6');
  await expect(page.getByText('You do not have access to this.')).toBeVisible();
  expect(res?.status()).toBe(403);
});
