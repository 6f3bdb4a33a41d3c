import { createHmac } from 'node:crypto';
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { ACCOUNTS, expect, screenshot, signIn, test } from './helpers';

const SECRET = 'a-secret-for-the-browser-test';

/** A webhook receiver on loopback that records what arrives and answers 200. */
let receiver: Server;
const received: { headers: IncomingHttpHeaders; body: string }[] = [];

test.beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
});

test.afterAll(async () => {
  await new Promise((resolve) => receiver.close(resolve));
});

test('the CTO sets up a signed webhook, sees a mistake at its field, sends a test and reads the delivery log', async ({ page }) => {
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/northstar`;
  await signIn(page, ACCOUNTS.cto.email);
  await expect(page).not.toHaveURL(/\/login/);
  await page.goto('/alerts');
  await page.getByRole('link', { name: 'Notifications' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Notifications' })).toBeVisible();

  await page.getByRole('link', { name: 'Add a channel' }).click();
  const form = () => page.getByRole('form', { name: 'A new channel' });
  await form().getByLabel('Name').fill('Ops room');
  await form().getByLabel('Kind').selectOption('generic');
  await form().getByLabel('URL or e-mail address').fill('ftp://files.example.com/drop');
  await form().getByRole('button', { name: 'Save' }).click();
  // A plain form: back on the page with the form open, each mistake at its field.
  await expect(page.locator('#channel-target-error')).toContainText('http:// or https://');
  await expect(page.locator('#channel-secret-error')).toContainText('signed');

  await form().getByLabel('Name').fill('Ops room');
  await form().getByLabel('Kind').selectOption('generic');
  await form().getByLabel('URL or e-mail address').fill(url);
  await form().getByLabel('Signing secret').fill(SECRET);
  await form().getByRole('button', { name: 'Save' }).click();
  await expect(page.locator('.flash')).toContainText('Saved the channel “Ops room”');
  const card = page.getByRole('region', { name: 'Ops room' });
  await expect(card).toContainText('Every alert');
  await expect(card).toContainText('signed');
  // The page shows where it goes, not the path that lets anyone post there.
  await expect(card).not.toContainText('/northstar');

  await card.getByRole('button', { name: 'Send a test to Ops room' }).click();
  await expect(page.locator('.flash')).toContainText('The test to “Ops room” arrived: HTTP 200');
  const log = page.getByRole('region', { name: 'Deliveries to Ops room' });
  await expect(log.locator('tbody tr').first()).toContainText('Test');
  await expect(log.locator('tbody tr').first()).toContainText('Sent');
  await screenshot(page, 'cto-notifications');

  // What arrived verifies with the shared secret.
  expect(received).toHaveLength(1);
  const [t, v1] = String(received[0].headers['x-northstar-signature']).replace('t=', '').split(',v1=');
  expect(createHmac('sha256', SECRET).update(`${t}.${received[0].body}`).digest('hex')).toBe(v1);
  expect(JSON.parse(received[0].body).event).toBe('test');

  // Gone again, for the other tests.
  await page.getByRole('region', { name: 'Ops room' }).getByRole('button', { name: 'Delete Ops room' }).click();
  await expect(page.locator('.flash')).toContainText('Deleted the channel “Ops room”');
});

test('a department head sets up channels for their own department only', async ({ page }) => {
  await signIn(page, ACCOUNTS.engHead.email);
  await expect(page).not.toHaveURL(/\/login/);
  await page.goto('/alerts/channels?channel=new');
  await expect(page.getByText('No channel yet')).toBeVisible();
  const form = page.getByRole('form', { name: 'A new channel' });
  await expect(form.getByLabel('Department')).toHaveCount(0);
  // Answers to the head's own feedback come along unless they say otherwise.
  await expect(form.getByLabel('News of my feedback')).toBeChecked();
  await form.getByLabel('Name').fill('My inbox');
  await form.getByLabel('Kind').selectOption('email');
  await form.getByLabel('URL or e-mail address').fill('someone.else@example.com');
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(page.locator('#channel-target-error')).toContainText(`your own address only, ${ACCOUNTS.engHead.email}`);
});
