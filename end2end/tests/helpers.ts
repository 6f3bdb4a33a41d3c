import { test as base, expect, Page } from '@playwright/test';
import * as fs from 'fs';

/**
 * Every test fails if the page throws or logs an error: a broken hydration or a panic in the
 * WebAssembly shows up there first. Refused documents (403) are expected and not counted.
 */
export const test = base.extend<{ consoleErrors: string[] }>({
  consoleErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(`${page.url()}: pageerror: ${e.message}`));
      page.on('console', (m) => {
        // The page's address goes with each error: a failure names the document it came from.
        if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(`${m.location().url || page.url()}: ${m.text()}`);
      });
      // Every document this page loaded, with its policy's script sources: a script refused by
      // the content security policy is then explained by the answer that carried the policy.
      const documents: string[] = [];
      page.on('response', (r) => {
        if (r.request().resourceType() !== 'document') return;
        const policy = r.headers()['content-security-policy'] ?? 'none';
        // Two policies arrive joined by a line break; each is named.
        const scripts = policy.split(/[;\n]/).map((d) => d.trim()).filter((d) => d.startsWith('script-src'));
        documents.push(`${r.status()} ${r.url()} [${scripts.join(' | ') || policy}]`);
      });
      await use(errors);
      const context = errors.length ? `errors in the browser console; documents loaded:\n${documents.join('\n')}` : 'errors in the browser console';
      expect(errors, context).toEqual([]);
    },
    { auto: true },
  ],
});
export { expect };

export const PASSWORD = 'northstar-demo';
export const ACCOUNTS = {
  cto: { email: 'cto@northstar.demo', name: 'Alex Morgan', role: 'CTO' },
  engHead: { email: 'eng.head@northstar.demo', name: 'Priya Raman', role: 'Department head' },
  opsHead: { email: 'ops.head@northstar.demo', name: 'Daniel Okafor', role: 'Department head' },
  investor: { email: 'investor@northstar.demo', name: 'Sam Whitfield', role: 'Investor' },
};

/** Waits until the WebAssembly bundle has hydrated the page, so clicks reach Rust handlers. */
export async function hydrated(page: Page) {
  await page.waitForFunction(() => (window as any).__northstar_hydrated === true, null, { timeout: 15_000 });
}

export async function signIn(page: Page, email: string, password = PASSWORD) {
  await page.goto('/login');
  await hydrated(page);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

export async function navLinks(page: Page): Promise<string[]> {
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav).toBeVisible();
  return (await nav.getByRole('link').allInnerTexts()).map((t) => t.trim());
}

export async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login$/);
}

export async function screenshot(page: Page, name: string) {
  fs.mkdirSync('screenshots', { recursive: true });
  await page.screenshot({ path: `screenshots/${name}.png`, fullPage: true });
}
