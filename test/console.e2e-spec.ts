import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { verifyWebhookSignature, WEBHOOK_HEADERS } from '@keyward/webhooks';
import { startSystem, type RunningSystem } from '../scripts/lib/system';
import { bootstrapOverHttp } from './support/bootstrap';
import {
  hasChromium,
  hasCount,
  shows,
  launchChromium,
  screenshot,
  seriousViolations,
  WIDTHS,
} from './support/browser';

/**
 * The web console as a person uses it: Debian's Chromium driven by Playwright against
 * `npm run up`'s processes, under the gateway's Content-Security-Policy. A member with writer
 * on one database signs in, meets the least-privilege limit, creates an account, issues and
 * revokes keys (from the page and by pasting a value) while the test checks each key through
 * the public verify endpoint; an org admin then finds it all in the audit log. Every page is
 * checked with axe-core and pictured at 1280 and 390 px (test-artifacts/console/).
 */
const rootDir = resolve(__dirname, '..');
const describeWithChromium = hasChromium() ? describe : describe.skip;
if (!hasChromium()) {
  console.warn(
    'console e2e skipped: no Chromium at /usr/bin/chromium (npm test installs it as root)',
  );
}

describeWithChromium('the web console in Chromium', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'keyward-console-'));
  let system: RunningSystem;
  let browser: Browser;
  let admin: string;
  let dana: string;
  let receiver: Receiver | undefined;
  /** Every CSP report and script error any page printed. */
  const pageErrors: string[] = [];

  async function http<T>(method: string, path: string, key: string, body?: unknown) {
    const response = await fetch(`${system.gatewayUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
  }
  const verify = (key: string) =>
    http<{ valid: boolean; reason?: string; principal?: { id: string }; keyId?: string }>(
      'POST',
      '/api/auth/v1/verify',
      key,
      {},
    ).then((reply) => reply.body);

  async function newPage(width: (typeof WIDTHS)[number] = WIDTHS[0]): Promise<Page> {
    const context: BrowserContext = await browser.newContext({ viewport: width });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: system.gatewayUrl,
    });
    const page = await context.newPage();
    page.on('console', (message) => {
      // Chromium logs every 4xx it fetched; refusals are part of the journey, not errors.
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
        pageErrors.push(message.text());
      }
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    return page;
  }

  async function signIn(page: Page, key: string): Promise<void> {
    await page.goto(`${system.gatewayUrl}/console`);
    await page.getByLabel('Your API key').fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Sections' }).waitFor();
  }

  /** Opens a page by its hash route and waits for its heading. */
  async function open(page: Page, route: string, heading: string | RegExp): Promise<void> {
    await page.goto(`${system.gatewayUrl}/console/#/${route}`);
    await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  }

  async function expectAccessible(page: Page, name: string): Promise<void> {
    await screenshot(page, name);
    // Readable at this width: nothing pushes the page wider than the window (tables scroll).
    const width = page.viewportSize()!.width;
    const scrollWidth = await page.evaluate('document.documentElement.scrollWidth');
    expect({ page: name, width, scrollWidth }).toEqual({ page: name, width, scrollWidth: width });
    expect({ page: name, violations: await seriousViolations(page) }).toEqual({
      page: name,
      violations: [],
    });
  }

  beforeAll(async () => {
    system = await startSystem({
      dataDir,
      rootDir,
      env: {
        // Usage rollups every 200 ms, so the per-day chart shows this test's traffic.
        KEYWARD_USAGE_FLUSH_MS: '200',
        // A failing webhook endpoint is retried fast and disabled after 2 s, not a day.
        KEYWARD_WEBHOOK_RETRY_BASE_MS: '100',
        KEYWARD_WEBHOOK_RETRY_MAX_MS: '500',
        KEYWARD_WEBHOOK_DISABLE_AFTER_SECONDS: '2',
      },
    });
    admin = await bootstrapOverHttp(system, 'acme');
    const added = await http('POST', '/api/member/v1/member', admin, {
      userId: 'dana',
      displayName: 'Dana Scully',
      grants: [{ resource: 'db:analytics', role: 'writer' }],
    });
    expect(added.status).toBe(201);
    const issued = await http<{ secret: string }>('POST', '/api/member/v1/member/dana/key', admin, {
      name: 'console',
    });
    expect(issued.status).toBe(201);
    dana = issued.body.secret;
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await receiver?.stop();
    await system?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  afterEach(() => {
    // The CSP allows only the console's own files: a violation or a script error is a defect.
    const seen = pageErrors.splice(0);
    expect(seen).toEqual([]);
  });

  it('serves /console under a strict Content-Security-Policy, with no route to other files', async () => {
    const redirect = await fetch(`${system.gatewayUrl}/console`, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('location')).toBe('/console/');
    const index = await fetch(`${system.gatewayUrl}/console/`);
    expect(index.status).toBe(200);
    const csp = index.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(index.headers.get('x-frame-options')).toBe('DENY');
    const html = await index.text();
    // Nothing from another origin, no inline script.
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    for (const path of [
      '/console/../package.json',
      '/console/%2e%2e/package.json',
      '/console/x.js',
    ]) {
      const response = await fetch(`${system.gatewayUrl}${path}`);
      expect({ path, status: response.status }).toEqual({ path, status: 404 });
    }
  });

  it('walks a member through accounts and keys, refusals included, with every revoke effective at once', async () => {
    const page = await newPage();
    await page.goto(`${system.gatewayUrl}/console`);
    await expectAccessible(page, 'sign-in');

    // A key that is not one is refused with the API's reason, and nothing is kept.
    await page.getByLabel('Your API key').fill('kw_live_notakey');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await shows(page.getByRole('alert'), 'not a Keyward key');
    await signIn(page, dana);
    // The key lives in this tab's sessionStorage only.
    const storage = await page.evaluate(
      '({ session: sessionStorage.length, local: localStorage.length, cookie: document.cookie })',
    );
    expect(storage).toEqual({ session: 1, local: 0, cookie: '' });
    expect(await page.context().cookies()).toEqual([]);

    // Least privilege: dana holds writer on db:analytics, so admin is refused as the API says.
    await page.getByRole('button', { name: 'Create service account' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create a service account' });
    await dialog.getByLabel('Name', { exact: true }).fill('etl-writer');
    await dialog.getByLabel(/^Resources/).fill('db:analytics');
    await dialog.getByLabel(/^Role/).selectOption('admin');
    await shows(dialog.getByTestId('grantable-roles'), 'you may grant: reader, executor, writer');
    await shows(dialog.getByTestId('grantable-roles'), 'admin exceeds your own');
    await dialog.getByRole('button', { name: 'Create', exact: true }).click();
    const refusal = dialog.getByRole('alert');
    await shows(refusal, 'AUTH.LEAST_PRIVILEGE');
    await shows(refusal, 'the highest role you can grant on these resources is writer');
    await shows(refusal, 'db:analytics: you may not grant admin');
    await screenshot(page, 'create-refused');
    await dialog.getByLabel(/^Role/).selectOption('writer');
    await dialog.getByRole('button', { name: 'Create', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: /etl-writer/ }).waitFor();
    const accountId = /#\/accounts\/(sa_[0-9a-f]{32})/.exec(page.url())![1];

    // Issue a key: the secret once, copied to the clipboard, and it verifies.
    const first = await issueKey(page, 'primary');
    const issuedFirst = await verify(first);
    expect(issuedFirst).toMatchObject({ valid: true, principal: { id: accountId } });
    const firstKeyId = issuedFirst.keyId!;
    for (let i = 0; i < 3; i++) expect(await verify(first)).toMatchObject({ valid: true });

    // Revoke it from the page: refused the moment the page says so (G1).
    await page.getByRole('button', { name: 'Revoke key primary' }).click();
    await page
      .getByRole('dialog', { name: 'Revoke this key?' })
      .getByRole('button', { name: 'Revoke key' })
      .click();
    await page.getByRole('status').filter({ hasText: 'revoked' }).waitFor();
    expect(await verify(first)).toMatchObject({ valid: false, reason: 'revoked' });
    await page.locator(`tr:has-text("primary") .status-revoked`).waitFor();

    // Revoke another by pasting its value, from the header.
    const second = await issueKey(page, 'secondary');
    expect(await verify(second)).toMatchObject({ valid: true });
    await page.getByRole('button', { name: 'Revoke a key by value' }).click();
    const byValue = page.getByRole('dialog', { name: 'Revoke a key by its value' });
    await byValue.getByLabel('API key').fill(second);
    await byValue.getByRole('button', { name: 'Revoke key' }).click();
    await shows(byValue.getByRole('status'), 'Revoked');
    expect(await verify(second)).toMatchObject({ valid: false, reason: 'revoked' });
    await byValue.getByRole('button', { name: 'Close' }).last().click();

    // The usage chart shows the four accepted uses and the refused attempt, once rolled up.
    const chart = page.getByRole('img', { name: /^primary:/ });
    for (let attempt = 0; ; attempt++) {
      await page.reload();
      const label = (await chart.getAttribute('aria-label')) ?? '';
      if (/: 4 uses and [1-9]\d* refused/.test(label) || attempt === 40) {
        expect(label).toMatch(/^primary: 4 uses and [1-9]\d* refused attempts over 14 days/);
        break;
      }
      await page.waitForTimeout(250);
    }
    await expectAccessible(page, 'account');

    // Revoking the key she is signed in with ends her session with the API's message.
    await open(page, 'keys', 'My keys');
    await page.getByRole('button', { name: /^Revoke key console/ }).click();
    await page
      .getByRole('dialog')
      .getByRole('button', { name: /^Revoke/ })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Keyward console' }).waitFor();
    await shows(
      page.getByRole('alert'),
      'You were signed out: the credential is not valid. This key has been revoked.',
    );
    await screenshot(page, 'signed-out');
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
    await page.context().close();

    // An org admin finds all of it in the audit log, with dana shown as herself.
    const auditor = await newPage();
    await signIn(auditor, admin);
    await open(auditor, 'audit?actor=dana', 'Audit log');
    const rows = auditor.locator('table.audit tbody tr');
    await hasCount(rows.filter({ hasText: 'service_account.created' }), 1);
    await hasCount(rows.filter({ hasText: 'key.issued' }), 2);
    await hasCount(rows.filter({ hasText: 'key.revoked' }), 3);
    for (const row of await rows.all()) await shows(row, 'Dana Scully');
    await shows(rows.filter({ hasText: 'key.revoked' }).first(), 'member');

    // Point in time (rule 12): the first key, asked about a second ago, was revoked by hand.
    await auditor.getByLabel('Key id').fill(firstKeyId);
    await auditor.getByRole('button', { name: 'Check' }).click();
    const answer = auditor.getByTestId('key-at-answer');
    await shows(answer, 'Not valid');
    await shows(answer, 'it had been revoked (manual)');
    await shows(answer, 'KeyRevoked');
    await shows(answer, 'etl-writer');
    await expectAccessible(auditor, 'audit-key-at');
    await auditor.context().close();
  }, 180_000);

  it("refuses a service account's key at sign-in: service accounts use the API only (seed 002)", async () => {
    const account = await http<{ id: string }>(
      'POST',
      '/api/service-account/v1/service-account',
      admin,
      {
        name: 'api-only',
      },
    );
    expect(account.status).toBe(201);
    const key = await http<{ secret: string }>(
      'POST',
      `/api/service-account/v1/service-account/${account.body.id}/key`,
      admin,
      {},
    );
    const page = await newPage();
    await page.goto(`${system.gatewayUrl}/console`);
    await page.getByLabel('Your API key').fill(key.body.secret);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await shows(page.getByRole('alert'), 'service accounts use the API only');
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
    await page.context().close();
  }, 30_000);

  it('keeps focus inside a modal, closes it with Escape and returns focus', async () => {
    const page = await newPage();
    await signIn(page, admin);
    const opener = page.getByRole('button', { name: 'Create service account' });
    await opener.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Create a service account' });
    await dialog.waitFor();
    // Tab may rest on the browser's own UI between rounds (focus on body), never on the page behind.
    const focusOutside =
      'document.activeElement !== document.body && !document.activeElement.closest("dialog")';
    for (let tab = 0; tab < 12; tab++) {
      await page.keyboard.press('Tab');
      expect({ tab, outside: await page.evaluate(focusOutside) }).toEqual({ tab, outside: false });
    }
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(
      await opener.evaluate(
        (element: { ownerDocument: { activeElement: unknown } }) =>
          element === element.ownerDocument.activeElement,
      ),
    ).toBe(true);
    await page.context().close();
  }, 60_000);

  it('revokes all keys of an account, renames it, and deletes it only once its name is typed', async () => {
    const page = await newPage();
    await signIn(page, admin);
    await page.getByRole('button', { name: 'Create service account' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create a service account' });
    await dialog.getByLabel('Name', { exact: true }).fill('nightly-export');
    await dialog.getByRole('button', { name: 'Create', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: /nightly-export/ }).waitFor();
    const accountId = /#\/accounts\/(sa_[0-9a-f]{32})/.exec(page.url())![1];
    // Seed 003's create body has no resources: admin holds reader on *, so the account gets *.
    await shows(page.locator('.facts dd'), '*');
    const keys = [await issueKey(page, 'export-a'), await issueKey(page, 'export-b')];

    // Rotate export-a with an hour's grace (rule 10): the successor's secret once, both work.
    await page.getByRole('button', { name: 'Rotate key export-a' }).click();
    const rotate = page.getByRole('dialog', { name: 'Rotate export-a' });
    await rotate.getByLabel(/^Grace period/).fill('1');
    await rotate.getByLabel('Name of the new key').fill('export-a2');
    await rotate.getByRole('button', { name: 'Rotate key' }).click();
    const successor = page.getByRole('dialog', { name: 'Your new API key' });
    await shows(successor, 'keeps working until');
    const rotated = await successor.getByTestId('new-secret').inputValue();
    await expectAccessible(page, 'rotated');
    await successor.getByRole('button', { name: 'I have stored it' }).click();
    for (const key of [keys[0], rotated]) expect(await verify(key)).toMatchObject({ valid: true });
    await shows(page.locator('tbody th'), 'succeeded by export-a2');
    await shows(page.locator('tbody th'), 'succeeds export-a');
    // A rotated key is rotated once: its row offers Revoke only.
    await hasCount(page.getByRole('button', { name: 'Rotate key export-a', exact: true }), 0);
    keys.push(rotated);

    await page.getByRole('button', { name: 'Revoke (3) Active Keys' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke (3) Active Keys' }).click();
    await shows(page.getByRole('status'), '3 keys revoked');
    for (const key of keys)
      expect(await verify(key)).toMatchObject({ valid: false, reason: 'revoked' });
    await page.getByRole('button', { name: 'Revoke (0) Active Keys' }).waitFor();

    await page.getByRole('button', { name: 'Rename' }).click();
    const rename = page.getByRole('dialog', { name: 'Rename service account' });
    await rename.getByLabel('Name').fill('nightly-export-v2');
    await rename.getByLabel('Description').fill('Exports the warehouse every night');
    await rename.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { level: 1, name: /nightly-export-v2/ }).waitFor();
    await shows(page.locator('main p'), 'Exports the warehouse every night');

    await page.getByRole('button', { name: 'Delete' }).click();
    const remove = page.getByRole('dialog', { name: 'Delete nightly-export-v2?' });
    const confirm = remove.getByRole('button', { name: 'Delete service account' });
    expect(await confirm.isDisabled()).toBe(true);
    await remove.getByLabel(/^Type nightly-export-v2 to confirm/).fill('nightly-export');
    expect(await confirm.isDisabled()).toBe(true);
    await remove.getByLabel(/^Type nightly-export-v2 to confirm/).fill('nightly-export-v2');
    await confirm.click();
    await page.getByRole('heading', { level: 1, name: 'Service accounts' }).waitFor();
    await hasCount(page.getByRole('link', { name: 'nightly-export-v2' }), 0);
    await open(page, 'accounts?status=deleted', 'Service accounts');
    await page.getByRole('link', { name: 'nightly-export-v2' }).waitFor();

    // In the audit log the deleted account appears as itself, marked inactive.
    await open(page, `audit?target=${accountId}`, 'Audit log');
    const deleted = page
      .locator('table.audit tbody tr')
      .filter({ hasText: 'service_account.deleted' });
    await shows(deleted, 'nightly-export-v2');
    await shows(deleted, 'inactive');
    // Export of the filtered log: a CSV download with a header and this account's entries.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^keyward-audit-.*\.csv$/);
    const csv = readFileSync((await download.path())!, 'utf8')
      .trim()
      .split('\n');
    expect(csv[0]).toMatch(/^id,occurredAt,action,/);
    expect(csv.some((line) => line.includes('service_account.deleted'))).toBe(true);
    expect(csv.slice(1).every((line) => line.includes(accountId))).toBe(true);

    // A personal key rotated from My keys: the successor's secret once, and both verify.
    const laptop = await http<{ secret: string }>('POST', '/api/me/v1/key', admin, {
      name: 'laptop',
    });
    await open(page, 'keys', 'My keys');
    await page.getByRole('button', { name: 'Rotate key laptop' }).click();
    const rotateMine = page.getByRole('dialog', { name: 'Rotate laptop' });
    await rotateMine.getByLabel(/^Grace period/).fill('1');
    await rotateMine.getByLabel('Name of the new key').fill('laptop-2');
    await rotateMine.getByRole('button', { name: 'Rotate key' }).click();
    const mine = page.getByRole('dialog', { name: 'Your new API key' });
    await shows(mine, 'keeps working until');
    const laptop2 = await mine.getByTestId('new-secret').inputValue();
    await mine.getByRole('button', { name: 'I have stored it' }).click();
    for (const key of [laptop.body.secret, laptop2])
      expect(await verify(key)).toMatchObject({ valid: true });
    await shows(page.locator('tbody th'), 'succeeded by laptop-2');

    // An org admin revokes one of a member's keys from the member's keys: verify refuses it.
    // (dana-ci stays active: the page tour pictures the dialog with its buttons.)
    const issueDana = (name: string) =>
      http<{ secret: string }>('POST', '/api/member/v1/member/dana/key', admin, { name });
    const danaKey = await issueDana('dana-laptop');
    expect((await issueDana('dana-ci')).status).toBe(201);
    await open(page, 'members', 'Members');
    await page.getByRole('button', { name: 'Keys of Dana Scully' }).click();
    const danaKeys = page.getByRole('dialog', { name: 'Keys of Dana Scully' });
    await danaKeys.getByRole('button', { name: 'Revoke key dana-laptop' }).click();
    await page
      .getByRole('dialog', { name: 'Revoke this key?' })
      .getByRole('button', { name: 'Revoke key' })
      .click();
    await shows(danaKeys.getByRole('status'), 'Revoked key dana-laptop');
    expect(await verify(danaKey.body.secret)).toMatchObject({ valid: false, reason: 'revoked' });
    await danaKeys.locator('tr:has-text("dana-laptop") .status-revoked').waitFor();
    await danaKeys.getByRole('button', { name: 'Done' }).click();

    // Signing out forgets the key.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Your API key').waitFor();
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
    await page.context().close();
  }, 90_000);

  it('registers a webhook endpoint, shows its secret once and its deliveries, disables, enables and deletes it', async () => {
    receiver = await startReceiver();
    const url = `${receiver.url}/hook`;
    const page = await newPage();
    await signIn(page, admin);
    await page.getByRole('link', { name: 'Webhooks' }).click();
    await page.getByRole('heading', { level: 1, name: 'Webhooks' }).waitFor();

    // Register for key.issued only: "All events" off, one type checked.
    await page.getByRole('button', { name: 'Register endpoint' }).click();
    const form = page.getByRole('dialog', { name: 'Register a webhook endpoint' });
    await form.getByLabel('URL').fill(url);
    await form.getByLabel('Description (optional)').fill('console test receiver');
    await form.getByLabel('All events, including types added later').uncheck();
    await form.getByLabel('key.issued', { exact: true }).check();
    await expectAccessible(page, 'register-webhook');
    await form.getByRole('button', { name: 'Register', exact: true }).click();

    // The secret once, copied to the clipboard.
    const shown = page.getByRole('dialog', { name: 'Your webhook signing secret' });
    await shows(shown, 'It will not be shown again');
    const secret = await shown.getByTestId('new-secret').inputValue();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    await shown.getByRole('button', { name: 'Copy' }).click();
    await shows(shown.getByRole('status'), 'Copied');
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(secret);
    await shows(shown.locator('.facts'), 'key.issued');
    await expectAccessible(page, 'webhook-secret');
    await shown.getByRole('button', { name: 'I have stored it' }).click();
    await shown.waitFor({ state: 'hidden' });
    const row = page.locator('table.webhooks tbody tr').filter({ hasText: url });
    await shows(row, 'enabled');
    await shows(row, 'key.issued');
    expect(await page.getByTestId('new-secret').count()).toBe(0);

    // An action: a key issued to the admin is POSTed to the receiver, signed with that secret.
    const issued = await http<{ keyId: string }>('POST', '/api/me/v1/key', admin, {
      name: 'webhook-trigger',
    });
    expect(issued.status).toBe(201);
    const delivery = await receiver.next((request) => request.body.includes(issued.body.keyId));
    expect(JSON.parse(delivery.body)).toMatchObject({ type: 'key.issued', orgId: 'acme' });
    expect(
      verifyWebhookSignature(
        secret,
        {
          id: delivery.header(WEBHOOK_HEADERS.id),
          timestamp: delivery.header(WEBHOOK_HEADERS.timestamp),
          signature: delivery.header(WEBHOOK_HEADERS.signature),
        },
        delivery.body,
      ),
    ).toBe(true);

    // The endpoint's page: the delivery in its log, with the attempt's status and latency.
    await row.getByRole('link', { name: url }).click();
    await page.getByRole('heading', { level: 1, name: url }).waitFor();
    const endpointId = /#\/webhooks\/(whe_[0-9a-f]{32})/.exec(page.url())![1];
    const logged = page.locator(`tr[data-delivery-id="${delivery.header(WEBHOOK_HEADERS.id)}"]`);
    for (let attempt = 0; (await logged.count()) === 0 && attempt < 40; attempt++) {
      await page.getByRole('button', { name: 'Refresh' }).click();
      await page.waitForTimeout(250);
    }
    await shows(logged, 'key.issued');
    await shows(logged, 'delivered');
    await shows(logged, 'HTTP 200');
    await shows(logged, / \d+ ms/);
    await expectAccessible(page, 'webhook');

    // Disable (confirmed), enable, from the endpoint's page.
    await page.getByRole('button', { name: `Disable ${url}` }).click();
    await page
      .getByRole('dialog', { name: 'Disable this endpoint?' })
      .getByRole('button', { name: 'Disable endpoint' })
      .click();
    await shows(page.getByRole('status'), `Disabled ${url}`);
    await shows(page.locator('h1 .badge'), 'disabled');
    await page.getByRole('button', { name: `Enable ${url}` }).click();
    await shows(page.getByRole('status'), `Enabled ${url}`);
    await shows(page.locator('h1 .badge'), 'enabled');

    // Delete: confirmed, then back on the list without it.
    await page.getByRole('button', { name: `Delete ${url}` }).click();
    await page
      .getByRole('dialog', { name: 'Delete this endpoint?' })
      .getByRole('button', { name: 'Delete endpoint' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Webhooks' }).waitFor();
    await hasCount(page.locator('table.webhooks tbody tr').filter({ hasText: url }), 0);

    // Every change is in the audit log.
    await open(page, `audit?target=${endpointId}`, 'Audit log');
    const audit = page.locator('table.audit tbody tr');
    for (const action of [
      'webhook.endpoint_registered',
      'webhook.endpoint_disabled',
      'webhook.endpoint_enabled',
      'webhook.endpoint_deleted',
    ]) {
      await hasCount(audit.filter({ hasText: action }), 1);
    }
    await page.context().close();
  }, 90_000);

  it('shows an endpoint Keyward disabled as failing prominently, on the list and its page', async () => {
    const url = `${receiver!.url}/failing`;
    receiver!.answer('/failing', 500);
    const registered = await http<{ id: string }>('POST', '/api/webhook/v1/endpoint', admin, {
      url,
      eventTypes: ['key.*'],
    });
    expect(registered.status).toBe(201);
    expect((await http('POST', '/api/me/v1/key', admin, { name: 'webhook-failing' })).status).toBe(
      201,
    );
    const page = await newPage();
    await signIn(page, admin);
    const row = page.locator(`tr[data-endpoint-id="${registered.body.id}"]`);
    await open(page, 'webhooks', 'Webhooks');
    for (let attempt = 0; attempt < 60; attempt++) {
      await row.waitFor();
      if ((await row.getByText('disabled: failing').count()) > 0) break;
      await page.waitForTimeout(500);
      await page.reload();
    }
    await shows(row, 'disabled: failing');
    await shows(page.getByRole('alert'), '1 endpoint disabled because deliveries kept failing');
    await row.getByRole('link', { name: url }).click();
    await shows(page.getByRole('alert'), 'Keyward disabled this endpoint');
    const failed = page.locator('table.deliveries tbody tr').first();
    await shows(failed, 'HTTP 500');
    await page.getByRole('button', { name: `Enable ${url}` }).waitFor();
    await page.context().close();
  }, 60_000);

  for (const size of WIDTHS) {
    it(`shows every page without a serious accessibility violation at ${size.width} px`, async () => {
      const page = await newPage(size);
      await page.goto(`${system.gatewayUrl}/console`);
      await page.getByLabel('Your API key').waitFor();
      await expectAccessible(page, 'sign-in');
      await signIn(page, admin);
      await open(page, 'accounts', 'Service accounts');
      await expectAccessible(page, 'accounts');
      // Filter by name: only the accounts whose name starts with it.
      await page.getByLabel('Name starts with').fill('etl');
      await page.getByRole('button', { name: 'Filter' }).click();
      await page.getByRole('link', { name: 'etl-writer' }).waitFor();
      await hasCount(page.getByRole('link', { name: 'api-only' }), 0);
      await page.getByRole('button', { name: 'Create service account' }).click();
      await page.getByRole('dialog').waitFor();
      await expectAccessible(page, 'create-account');
      await page.keyboard.press('Escape');
      await page.getByRole('button', { name: 'Revoke a key by value' }).click();
      await page.getByRole('dialog').waitFor();
      await expectAccessible(page, 'revoke-by-value');
      await page.keyboard.press('Escape');
      await page.getByRole('dialog').waitFor({ state: 'hidden' });
      await page.getByRole('link', { name: 'etl-writer' }).click();
      await page.getByRole('heading', { level: 1, name: /etl-writer/ }).waitFor();
      await issueKey(page, `tour-${size.width}`, (p) => expectAccessible(p, 'new-secret'));
      await expectAccessible(page, 'account-admin');
      for (const [route, heading] of [
        ['keys', 'My keys'],
        ['members', 'Members'],
        ['roles', 'Roles'],
        ['policy', /policy/i],
        ['audit', 'Audit log'],
        ['webhooks', 'Webhooks'],
      ] as const) {
        await open(page, route, heading);
        await page.waitForLoadState('networkidle');
        await expectAccessible(page, route);
        if (route === 'members') {
          // A member's keys over the members, an active one with its Rotate and Revoke buttons.
          await page.getByRole('button', { name: 'Keys of Dana Scully' }).click();
          await page
            .getByRole('dialog', { name: 'Keys of Dana Scully' })
            .getByRole('button', { name: 'Rotate key dana-ci' })
            .waitFor();
          await expectAccessible(page, 'member-keys');
          await page.keyboard.press('Escape');
        }
        if (route === 'policy') {
          // The expiry warning's length and unit, shown once a length is chosen.
          await page.getByLabel('Warn this long before').check();
          await page.getByLabel('Warning unit').waitFor();
          await expectAccessible(page, 'policy-warning');
        }
      }
      // The webhook form with every event family shown, and a failing endpoint's page and log.
      await page.getByRole('button', { name: 'Register endpoint' }).click();
      const register = page.getByRole('dialog', { name: 'Register a webhook endpoint' });
      await register.getByLabel('All events, including types added later').uncheck();
      await register.getByLabel('Every key.* event').waitFor();
      await expectAccessible(page, 'register-webhook-all-types');
      await page.keyboard.press('Escape');
      await register.waitFor({ state: 'hidden' });
      await page.locator('table.webhooks tbody tr a').first().click();
      await page.locator('table.deliveries').waitFor();
      await expectAccessible(page, 'webhook-failing');
      await page.context().close();
    }, 120_000);
  }

  /** Issues a key from the account page and reads it from the modal (and the clipboard). */
  async function issueKey(page: Page, name: string, whileShown?: (page: Page) => Promise<void>) {
    await page.getByRole('button', { name: 'Issue key' }).click();
    const form = page.getByRole('dialog', { name: /^Issue a key/ });
    await form.getByLabel('Name', { exact: true }).fill(name);
    await form.getByRole('button', { name: 'Issue key' }).click();
    const shown = page.getByRole('dialog', { name: 'Your new API key' });
    await shows(shown, 'It will not be shown again');
    const secret = await shown.getByTestId('new-secret').inputValue();
    expect(secret).toMatch(/^kw_live_[0-9A-Za-z]{38,}$/);
    await shown.getByRole('button', { name: 'Copy' }).click();
    await shows(shown.getByRole('status'), 'Copied');
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(secret);
    if (whileShown) await whileShown(page);
    const keyId = await shown.locator('.facts code').first().textContent();
    expect(keyId).toMatch(/^key_[0-9a-f]{32}$/);
    await shown.getByRole('button', { name: 'I have stored it' }).click();
    await shown.waitFor({ state: 'hidden' });
    // Its row, by id: a name like "b" could also be part of another row's hint.
    await page.locator(`tr[data-key-id="${keyId}"] .status-active`).waitFor();
    return secret;
  }
  interface Received {
    path: string;
    body: string;
    header: (name: string) => string;
  }
  interface Receiver {
    url: string;
    /** Answer requests to `path` with `status` from now on (200 otherwise). */
    answer(path: string, status: number): void;
    /** The first request (already received or still to come) that `matches`. */
    next(matches: (request: Received) => boolean, timeoutMs?: number): Promise<Received>;
    stop(): Promise<void>;
  }

  /** A webhook receiver on 127.0.0.1 (the test system allows loopback endpoints). */
  async function startReceiver(): Promise<Receiver> {
    const received: Received[] = [];
    const statuses = new Map<string, number>();
    const server: Server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const path = (request.url ?? '/').split('?')[0];
        received.push({
          path,
          body: Buffer.concat(chunks).toString('utf8'),
          header: (name) => String(request.headers[name] ?? ''),
        });
        response.writeHead(statuses.get(path) ?? 200).end();
      });
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const { port } = server.address() as AddressInfo;
    return {
      url: `http://127.0.0.1:${port}`,
      answer: (path, status) => void statuses.set(path, status),
      async next(matches, timeoutMs = 15_000) {
        for (const deadline = Date.now() + timeoutMs; Date.now() < deadline;) {
          const found = received.find(matches);
          if (found) return found;
          await new Promise((r) => setTimeout(r, 50));
        }
        throw new Error(`no matching webhook request in ${timeoutMs} ms (${received.length} seen)`);
      },
      stop: () =>
        new Promise<void>((done) => {
          server.closeAllConnections();
          server.close(() => done());
        }),
    };
  }
});
