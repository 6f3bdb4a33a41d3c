import { ACCOUNTS, expect, hydrated, screenshot, signIn, signOut, test } from './helpers';

test('a department head proposes a radar entry, the CTO moves it to trial with a reason, and the head reads the decision', async ({ page }) => {
  const name = `Temporal ${Date.now() % 100000}`;
  await signIn(page, ACCOUNTS.engHead.email);
  await expect(page).toHaveURL(/\/$/);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Radar' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Technology radar' })).toBeVisible();
  await page.getByRole('link', { name: 'Propose an entry' }).click();
  await hydrated(page);
  // Refused at its fields, with nothing stored.
  await page.getByRole('button', { name: 'Propose' }).click();
  await expect(page.getByText('Enter a name.')).toBeVisible();
  await expect(page.getByText('Choose the quadrant it belongs in.')).toBeVisible();
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Quadrant').selectOption({ label: 'Platforms' });
  await page.getByLabel('Ring it should go in').selectOption({ label: 'Assess' });
  await page.getByLabel(/Why the company should look at it/).fill('Durable workflows would replace three home-grown retry loops.');
  await page.getByRole('group', { name: 'Systems it concerns' }).getByLabel('Payments service').check();
  await page.getByRole('button', { name: 'Propose' }).click();
  await expect(page.getByText(/^Proposed\. The CTO will decide/)).toBeVisible();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  await expect(page.getByText('Platforms · proposed for Assess')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Payments service' })).toBeVisible();
  // No decision form for a head.
  await expect(page.getByRole('button', { name: 'Record the decision' })).toHaveCount(0);
  await signOut(page);

  await signIn(page, ACCOUNTS.cto.email);
  await expect(page).toHaveURL(/\/$/);
  await page.goto('/radar');
  const proposals = page.getByRole('region', { name: 'Proposals waiting for a decision' });
  await expect(proposals.getByRole('row', { name: new RegExp(name) })).toContainText('Priya Raman');
  await proposals.getByRole('link', { name }).click();
  await hydrated(page);
  await page.getByLabel('Ring').selectOption({ label: 'Trial' });
  await page.getByLabel('Reason').fill('The payments team will run it beside the retry loops for a quarter.');
  await page.getByLabel(/^Evidence/).fill('[Vendor benchmark](https://example.com/benchmark)');
  await page.getByLabel(/Estimated cost/).fill('18,000');
  await page.getByRole('button', { name: 'Record the decision' }).click();
  await expect(page.getByText(`${name}: placed in trial.`)).toBeVisible();
  const history = page.getByRole('region', { name: 'Decisions' });
  await expect(history.getByText('Placed in Trial')).toBeVisible();
  await expect(history.getByText('Estimated cost: $18,000.00')).toBeVisible();
  await expect(history.getByRole('link', { name: 'Vendor benchmark' })).toHaveAttribute('href', 'https://example.com/benchmark');
  // On the radar now, drawn as new since the last edition.
  await page.goto('/radar');
  const table = page.getByRole('table', { name: "The radar's entries by number" });
  await expect(table.getByRole('row', { name: new RegExp(name) })).toContainText('New');
  await expect(page.getByRole('img', { name: 'Technology radar' })).toBeVisible();
  await screenshot(page, 'radar');
  await signOut(page);

  await signIn(page, ACCOUNTS.engHead.email);
  await expect(page).toHaveURL(/\/$/);
  await page.goto('/radar');
  await page.getByRole('table', { name: "The radar's entries by number" }).getByRole('link', { name }).click();
  await expect(page.getByText('Platforms · Trial')).toBeVisible();
  await expect(page.getByText('The payments team will run it beside the retry loops for a quarter.')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Edit entry' })).toHaveCount(0);
});

test("another department's head does not see a proposal that is not theirs", async ({ page }) => {
  await signIn(page, ACCOUNTS.opsHead.email);
  await expect(page).toHaveURL(/\/$/);
  await page.goto('/radar');
  const proposals = page.getByRole('region', { name: 'Proposals waiting for a decision' });
  // The demo's Engineering proposal (Deno) is not theirs; their own eBPF proposal is.
  await expect(proposals.getByRole('link', { name: 'eBPF network monitoring' })).toBeVisible();
  await expect(proposals.getByRole('link', { name: 'Deno' })).toHaveCount(0);
});

test('the CTO publishes an edition that says what moved since the one before', async ({ page }) => {
  await signIn(page, ACCOUNTS.cto.email);
  await expect(page).toHaveURL(/\/$/);
  await page.goto('/radar');
  await hydrated(page);
  await page.getByLabel('Title').fill(`Board pack ${Date.now() % 100000}`);
  await page.getByRole('button', { name: 'Publish edition' }).click();
  await expect(page.getByText(/^Published the edition\./)).toBeVisible();
  const changes = page.getByRole('region', { name: /^Since / });
  // In the demo, Copilot moved to adopt ten days ago, after the last edition.
  await expect(changes.getByRole('row', { name: /GitHub Copilot/ })).toContainText('Moved from Trial to Adopt');
  await expect(page.getByRole('img', { name: /^Technology radar, Board pack/ })).toBeVisible();
  await screenshot(page, 'radar-edition');
});

test('an investor reads the radar entries marked for them in a report', async ({ page }) => {
  await signIn(page, ACCOUNTS.investor.email);
  await expect(page).toHaveURL(/\/reports$/);
  await page.getByRole('link', { name: /technology update/ }).first().click();
  const section = page.getByRole('region', { name: 'Technology radar' });
  const table = section.getByRole('table');
  await expect(table.getByRole('row', { name: /Kubernetes/ })).toBeVisible();
  await expect(table.getByRole('row', { name: /GitHub Copilot/ })).toBeVisible();
  // Not marked for investors, and no links into pages an investor cannot open.
  await expect(table.getByRole('row', { name: /Terraform/ })).toHaveCount(0);
  await expect(section.getByRole('link')).toHaveCount(0);
});
