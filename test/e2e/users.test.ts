/**
 * User administration in Chromium with scripts off: an admin adds a clerk of an agency picked
 * from the list, with a password the page makes and shows once; the clerk logs in, is sent to
 * choose their own password, then reaches the desk; the admin disables the clerk and the clerk's
 * next page is the log-in. Screenshots are kept in test-results/screenshots/.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser } from '../../src/server/auth/accounts.ts';
import { testServer, type TestServer } from '../../src/server/test-server.ts';

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = 'test-results/screenshots';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const LA_SHERIFF = 'ocd-division/country:us/state:ca/county:los_angeles/agency:sheriff';
const ADMIN_PASSWORD = 'the admin password, long';

const available = existsSync(CHROMIUM);

let server: TestServer;
let browser: Browser;
let base: string;
let admin: Page;
let clerk: Page;
let generated = '';

async function newPage(): Promise<Page> {
  const context: BrowserContext = await browser.newContext({
    javaScriptEnabled: false,
    viewport: { width: 1200, height: 900 },
  });
  return context.newPage();
}

async function logIn(page: Page, name: string, password: string) {
  await page.goto(`${base}/login`);
  await page.fill('input[name="name"]', name);
  await page.fill('input[name="password"]', password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

beforeAll(async () => {
  if (!available) return;
  server = await testServer();
  await addUser(server.store, { name: 'root', role: 'admin', agencyId: null, password: ADMIN_PASSWORD });
  await server.app.listen({ port: 0, host: '127.0.0.1' });
  const address = server.app.server.address();
  if (address === null || typeof address === 'string') throw new Error('server has no port');
  base = `http://127.0.0.1:${address.port}`;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
  admin = await newPage();
  clerk = await newPage();
  mkdirSync(SHOTS, { recursive: true });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

describe.skipIf(!available)('an admin adds a clerk, who chooses a password; then disables them', () => {
  it('adds a clerk of an agency chosen from the list, with a password shown once', async () => {
    await logIn(admin, 'root', ADMIN_PASSWORD);
    await admin.getByRole('link', { name: 'Users' }).click();
    expect(new URL(admin.url()).pathname).toBe('/admin/users');
    await admin.fill('#add-user input[name="name"]', 'carla');
    await admin.selectOption('#add-user select[name="role"]', 'clerk');
    await admin.selectOption('#add-user select[name="agency"]', LA_SHERIFF);
    await shot(admin, '30-users-add');
    await admin.getByRole('button', { name: 'Add' }).click();
    const text = await admin.locator('main').innerText();
    expect(text).toContain('shown only this once');
    generated = (await admin.locator('output.secret code').innerText()).trim();
    expect(generated).toMatch(/^[A-Za-z0-9_-]{24}$/);
    await shot(admin, '31-users-password-once');
    await admin.goto(`${base}/admin/users`);
    const row = admin.locator('tr', { hasText: 'carla' });
    expect(await row.innerText()).toContain("Los Angeles County Sheriff's Department");
    expect(await admin.locator('main').innerText()).not.toContain(generated);
  });

  it('the clerk logs in, must choose a password, then works at the desk', async () => {
    await logIn(clerk, 'carla', generated);
    expect(new URL(clerk.url()).pathname).toBe('/account');
    await clerk.goto(`${base}/desk`);
    expect(new URL(clerk.url()).pathname).toBe('/account');
    await clerk.fill('#password input[name="current"]', generated);
    await clerk.fill('#password input[name="password"]', 'carla chose this one');
    await clerk.fill('#password input[name="again"]', 'carla chose this one');
    await shot(clerk, '32-account-password');
    await clerk.getByRole('button', { name: 'Change the password' }).click();
    expect(new URL(clerk.url()).pathname).toBe('/desk');
    expect(await clerk.locator('main').innerText()).toContain('carla, clerk');
  });

  it('disabling the clerk ends their session at once', async () => {
    await admin.goto(`${base}/admin/users/carla`);
    await admin.getByRole('button', { name: 'Disable carla' }).click();
    expect(await admin.locator('main').innerText()).toContain('disabled since');
    await shot(admin, '33-user-disabled');
    await clerk.goto(`${base}/desk`);
    expect(new URL(clerk.url()).pathname).toBe('/login');
    await logIn(clerk, 'carla', 'carla chose this one');
    expect(await clerk.locator('main').innerText()).toContain('do not match an account');
  });
});
