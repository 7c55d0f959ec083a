/**
 * An analyst imports a file from the desk in Chromium, with scripts off: picks it in the file
 * chooser, submits the form, and the job's page (which reloads itself while the import runs) ends
 * in the summary; then a file with a bad row ends in the rejection listing that row and column.
 * Screenshots are kept in test-results/screenshots/.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
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
const PASSWORD = 'an analyst password, long enough';
const HEADER = 'request_id,type,issued_date,state,facility_name,facility_city,synthetic';
const ROWS = 5000;

const available = existsSync(CHROMIUM);

let server: TestServer;
let browser: Browser;
let page: Page;
let base: string;
let dir: string;

beforeAll(async () => {
  if (!available) return;
  server = await testServer();
  await addUser(server.store, { name: 'ana', role: 'analyst', agencyId: null, password: PASSWORD });
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
  dir = mkdtempSync(join(tmpdir(), 'e2e-imports-'));
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

/** Follow the page's own reloads until the import's summary is there. */
async function summaryText(): Promise<string> {
  for (let i = 0; i < 240; i++) {
    try {
      if ((await page.locator('#import-summary').count()) > 0)
        return await page.locator('#import-state').innerText();
    } catch {
      // the page reloaded while it was read
    }
    await page.waitForTimeout(500);
  }
  throw new Error(`the import did not end: ${await page.content()}`);
}

async function importFile(path: string): Promise<void> {
  await page.goto(`${base}/desk/imports`);
  await page.setInputFiles('#import input[type="file"]', path);
  await page.getByRole('button', { name: 'Import' }).click();
  expect(new URL(page.url()).pathname).toMatch(/^\/desk\/imports\/[0-9a-f-]{36}$/);
}

describe.skipIf(!available)('an analyst imports a file from the desk', () => {
  it('logs in and finds the import form on the desk', async () => {
    await page.goto(`${base}/login`);
    await page.fill('input[name="name"]', 'ana');
    await page.fill('input[name="password"]', PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('link', { name: 'Import a file' }).click();
    expect(new URL(page.url()).pathname).toBe('/desk/imports');
    await shot('30-import-form');
  });

  it('uploads a canonical CSV through the file chooser and sees the summary', async () => {
    const rows = Array.from(
      { length: ROWS },
      (_, i) => `e2e-imp-${i},hold,2019-04-01,CA,LOS ANGELES COUNTY JAIL,LOS ANGELES,true`,
    );
    const path = join(dir, 'desk-import.csv');
    writeFileSync(path, [HEADER, ...rows].join('\n') + '\n');
    await importFile(path);
    await shot('31-import-progress');
    const text = await summaryText();
    expect(text).toContain('Imported');
    expect(await page.locator('#loaded').innerText()).toBe(ROWS.toLocaleString('en-US'));
    await shot('32-import-summary');
    const n = await server.store.db
      .selectFrom('requests_v')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('id', 'like', 'e2e-imp-%')
      .executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(ROWS);
    await page.getByRole('link', { name: 'Recent imports' }).click();
    expect(await page.locator('#recent-imports').innerText()).toContain('desk-import.csv');
  });

  it('sees a file with a bad row rejected, with the row and column to fix', async () => {
    const path = join(dir, 'bad-import.csv');
    writeFileSync(
      path,
      [
        HEADER,
        'e2e-bad-1,hold,2019-04-01,CA,LOS ANGELES COUNTY JAIL,LOS ANGELES,true',
        'e2e-bad-2,hold,2019-13-01,CA,LOS ANGELES COUNTY JAIL,LOS ANGELES,true',
      ].join('\n') + '\n',
    );
    await importFile(path);
    const text = await summaryText();
    expect(text).toContain('Rejected: nothing was written');
    const error = await page.locator('#import-errors tbody tr').first().innerText();
    expect(error).toContain('bad-import.csv');
    expect(error).toMatch(/\b3\b/);
    expect(error).toContain('issued_date');
    await shot('33-import-rejected');
    const n = await server.store.db
      .selectFrom('requests_v')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('id', 'like', 'e2e-bad-%')
      .executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(0);
  });
});
