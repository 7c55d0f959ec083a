/**
 * A records clerk's path in Chromium, with scripts off: the first admin is made with the CLI
 * (password on standard input), logs in, takes a hold, sees the decision with its duties and the
 * printable notice, records the decline, publishes that week's report, and the edition shows the
 * decline. Screenshots are kept in test-results/screenshots/.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
const PASSWORD = 'first admin password, typed once';

const available = existsSync(CHROMIUM);

let server: TestServer;
let browser: Browser;
let page: Page;
let base: string;
let requestPath = '';

/** `detainer-ledger users add …` with the password piped in, as an administrator would run it. */
function cli(args: string[], input: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/detainer-ledger.js', ...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(input);
  });
}

beforeAll(async () => {
  if (!available) return;
  server = await testServer();
  await server.app.listen({ port: 0, host: '127.0.0.1' });
  const address = server.app.server.address();
  if (address === null || typeof address === 'string') throw new Error('server has no port');
  base = `http://127.0.0.1:${address.port}`;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
  const context = await browser.newContext({
    javaScriptEnabled: false,
    viewport: { width: 1200, height: 900 },
  });
  page = await context.newPage();
  mkdirSync(SHOTS, { recursive: true });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

describe.skipIf(!available)('the first admin records a request and sees its decline in the report', () => {
  it('is created with the CLI, never with a default password', async () => {
    const db = server.db;
    const made = await cli(
      ['users', 'add', '--name', 'first-admin', '--role', 'admin', '--agency', LA_SHERIFF, '--db', db],
      `${PASSWORD}\n`,
    );
    expect(made.stderr).toBe('');
    expect(made.code).toBe(0);
    expect(made.stdout).toContain('added admin first-admin');
    const weak = await cli(['users', 'add', '--name', 'weak', '--role', 'admin', '--db', db], 'short\n');
    expect(weak.code).toBe(2);
  }, 60_000);

  it('logs in from the desk link', async () => {
    await page.goto(`${base}/desk`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.fill('input[name="name"]', 'first-admin');
    await page.fill('input[name="password"]', PASSWORD);
    await shot('10-login');
    await page.getByRole('button', { name: 'Log in' }).click();
    expect(new URL(page.url()).pathname).toBe('/desk');
    expect(await page.locator('main').innerText()).toContain("Los Angeles County Sheriff's Department");
  });

  it('takes a hold and shows the decision with its duties and a printable notice', async () => {
    await page.fill('#intake input[name="id"]', 'e2e-hold-1');
    await page.selectOption('#intake select[name="type"]', 'hold');
    await page.fill('#intake input[name="date"]', '2019-03-06');
    await page.check('#intake input[name="authority"][value="i-200"]');
    await shot('11-intake');
    await page.getByRole('button', { name: 'Record and decide' }).click();
    requestPath = new URL(page.url()).pathname;
    expect(requestPath).toBe('/desk/requests/e2e-hold-1');
    expect((await page.locator('#decision .decision').textContent())?.trim()).toBe('forbidden');
    expect(await page.locator('#decision').innerText()).toContain('Cal. Gov. Code §7283.1(b)');
    await shot('12-decision');
    await page.getByRole('link', { name: 'Printable notice of the obligations' }).click();
    expect(await page.locator('main').innerText()).toContain('Give the person a copy of the request.');
    await shot('13-notice');
    await page.goBack();
  });

  it('records the decline and the release', async () => {
    await page.selectOption('#outcome select[name="kind"]', 'declined');
    await page.fill('#outcome input[name="date"]', '2019-03-07');
    await page.getByRole('button', { name: 'Record', exact: true }).click();
    await page.selectOption('#outcome select[name="kind"]', 'released');
    await page.fill('#outcome input[name="date"]', '2019-03-07');
    await page.getByRole('button', { name: 'Record', exact: true }).click();
    expect(new URL(page.url()).pathname).toBe(requestPath);
    expect((await page.locator('#outcome-now').innerText()).toLowerCase()).toContain('declined');
    await shot('14-outcome');
  });

  it('publishes that week’s report, and the edition lists the decline', async () => {
    await page.goto(`${base}/desk`);
    await page.fill('#publish input[name="week"]', '2019-03-07');
    await page.getByRole('button', { name: 'Publish' }).click();
    expect(new URL(page.url()).pathname).toMatch(/^\/editions\/sha256/);
    const row = page.locator('#section-2 tr', { hasText: 'e2e-hold-1' });
    await expect(row.count()).resolves.toBe(1);
    const text = await row.innerText();
    expect(text).toContain("Los Angeles County Sheriff's Department");
    expect(text).toContain('2019-03-07');
    expect(text).toContain('confirmed by the agency');
    await shot('15-edition');
    await page.getByRole('link', { name: /The full report/ }).click();
    expect(await page.locator('body').innerText()).toContain('e2e-hold-1');
    await shot('16-report');
  });
});
