import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startSystem, type RunningSystem } from '../scripts/lib/system';
import { freePort } from '../scripts/lib/free-port';

/**
 * The `keyward` CLI as an operator runs it: the built binary in a process of its own, against
 * `npm run up`'s processes, its profile in a temporary config file. Standard output is a pipe
 * here, so a new secret must come alone on it.
 */
const rootDir = resolve(__dirname, '..');
const BIN = join(rootDir, 'dist/apps/cli/src/main.js');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

describe('the keyward CLI against the running system', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'keyward-cli-'));
  const home = mkdtempSync(join(tmpdir(), 'keyward-cli-home-'));
  const config = join(home, 'keyward', 'config.json');
  let system: RunningSystem;
  let admin: string;

  /** Runs `keyward …` with only the environment given (no KEYWARD_* from the test's own). */
  function cli(args: string[], options: { stdin?: string; env?: Record<string, string> } = {}) {
    return new Promise<Run>((done) => {
      const child = spawn(process.execPath, [BIN, ...args], {
        env: {
          PATH: process.env.PATH ?? '',
          HOME: home,
          KEYWARD_CONFIG: config,
          ...options.env,
        },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('close', (code) => done({ code, stdout, stderr }));
      child.stdin.end(options.stdin ?? '');
    });
  }
  const json = <T>(run: Run): T => {
    expect(run).toMatchObject({ code: 0 });
    return JSON.parse(run.stdout) as T;
  };
  /** The projector follows the store: a read right after a write may need a moment. */
  async function eventually(args: string[], ok: (run: Run) => boolean): Promise<Run> {
    for (let attempt = 0; ; attempt++) {
      const run = await cli(args);
      if (ok(run) || attempt === 50) return run;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  beforeAll(async () => {
    system = await startSystem({ dataDir, rootDir });
  }, 90_000);
  afterAll(async () => {
    await system?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(home, { recursive: true, force: true });
  });

  it('bootstrap prints only the admin secret on a pipe, and refuses an existing org (exit 6)', async () => {
    const env = { KEYWARD_URL: system.gatewayUrl, KEYWARD_OPERATOR_TOKEN: system.operatorToken };
    const args = ['bootstrap', '--name', 'Acme', '--org-id', 'acme', '--admin-user', 'root'];
    const first = await cli(args, { env });
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^kw_live_\S+\n$/);
    expect(first.stderr).toContain('shown once');
    admin = first.stdout.trim();
    const again = await cli(args, { env });
    expect(again.code).toBe(6);
    expect(again.stdout).toBe('');
    expect(again.stderr).toMatch(/^keyward: [A-Z_]+\.[A-Z_]+: /);
    const noToken = await cli(args, { env: { KEYWARD_URL: system.gatewayUrl } });
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toContain('KEYWARD_OPERATOR_TOKEN');
  });

  it('without a profile or KEYWARD_KEY, says how to log in (exit 3)', async () => {
    const run = await cli(['whoami']);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('keyward login');
  });

  it('login checks the key, then keeps URL and key in a 0600 file; whoami names the member', async () => {
    const refused = await cli(['login', '--url', system.gatewayUrl], { stdin: 'kw_live_nope\n' });
    expect(refused.code).toBe(3);
    expect(existsSync(config)).toBe(false);

    const login = await cli(['login', '--url', system.gatewayUrl], { stdin: `${admin}\n` });
    expect(login).toMatchObject({ code: 0, stdout: '' });
    expect(login.stderr).toContain('member root of acme');
    expect(statSync(config).mode & 0o777).toBe(0o600);
    expect(statSync(join(home, 'keyward')).mode & 0o777).toBe(0o700);
    expect(JSON.parse(readFileSync(config, 'utf8'))).toEqual({
      current: 'default',
      profiles: { default: { url: system.gatewayUrl, key: admin } },
    });

    const who = await cli(['whoami']);
    expect(who.code).toBe(0);
    expect(who.stdout).toMatch(/principal\s+member root/);
    expect(who.stdout).not.toContain(admin);
    expect(
      json<{ orgId: string; orgAdmin: boolean }>(await cli(['whoami', '--json'])),
    ).toMatchObject({ orgId: 'acme', orgAdmin: true });
  });

  it('manages a service account and its keys, a new secret alone on stdout', async () => {
    const created = json<{ id: string; role: string }>(
      await cli([
        'sa',
        'create',
        '--name',
        'etl',
        '--role',
        'reader',
        '--resources',
        'db:orders, db:users',
        '--json',
      ]),
    );
    expect(created.role).toBe('reader');
    const id = created.id;
    const table = await cli(['sa', 'create', '--name', 'etl']);
    expect(table.code).toBe(6); // the name is taken

    const issued = await cli(['key', 'issue', id, '--name', 'first', '--expires', '30d']);
    expect(issued.code).toBe(0);
    expect(issued.stdout).toMatch(/^kw_live_\S+\n$/);
    expect(issued.stderr).toContain('cannot be shown again');
    const first = issued.stdout.trim();
    const second = json<{ keyId: string; secret: string; expiresAt: null }>(
      await cli(['key', 'issue', id, '--json']),
    );
    expect(second).toMatchObject({ secret: expect.stringMatching(/^kw_live_/), expiresAt: null });

    // The key works, and whoami with KEYWARD_KEY shows the account, not the logged-in member.
    const asAccount = await cli(['whoami'], {
      env: { KEYWARD_KEY: first, KEYWARD_URL: system.gatewayUrl },
    });
    expect(asAccount.stdout).toMatch(/principal\s+serviceAccount /);
    expect(asAccount.stdout).toMatch(/resources\s+db:orders, db:users/);
    // …and may not do what its reader role does not allow (exit 4).
    const forbidden = await cli(['sa', 'create', '--name', 'x'], {
      env: { KEYWARD_KEY: first, KEYWARD_URL: system.gatewayUrl },
    });
    expect(forbidden.code).toBe(4);

    const listed = await eventually(['sa', 'list'], (run) => run.stdout.includes('│ 2 '));
    expect(listed.stdout).toMatch(/etl .*│ active .*│ reader .*│ db:orders, db:users .*│ 2 /);
    const page = json<{ items: { id: string }[]; nextCursor: string | null }>(
      await cli(['sa', 'list', '--json', '--name-prefix', 'et']),
    );
    expect(page.items.map((a) => a.id)).toEqual([id]);

    const renamed = await cli(['sa', 'rename', id, 'etl-nightly']);
    expect(renamed.stdout).toMatch(/name\s+etl-nightly/);
    const keys = await eventually(['key', 'list', id], (run) => run.stdout.includes('first'));
    expect(keys.stdout).toContain('first');
    expect(keys.stdout).not.toContain(first);

    // Rotation (rule 10): the successor's secret alone on stdout, the warning on stderr.
    const rotated = await cli(['key', 'rotate', id, second.keyId, '--grace', '1h']);
    expect(rotated.code).toBe(0);
    expect(rotated.stdout).toMatch(/^kw_live_\S+\n$/);
    expect(rotated.stderr).toContain('cannot be shown again');
    const successor = rotated.stdout.trim();
    for (const secret of [successor, second.secret]) {
      const whoami = await cli(['whoami'], {
        env: { KEYWARD_KEY: secret, KEYWARD_URL: system.gatewayUrl },
      });
      expect(whoami.code).toBe(0);
    }
    expect((await cli(['key', 'rotate', id, second.keyId])).code).toBe(6); // rotated already
    expect((await cli(['key', 'rotate', id, second.keyId, '--grace', 'soon'])).code).toBe(2);
    const linked = await eventually(['key', 'list', id], (run) =>
      run.stdout.includes(`succeeds ${second.keyId}`),
    );
    expect(linked.stdout).toMatch(/succeeded by key_[0-9a-f]{32}/);

    const revoked = await cli(['key', 'revoke', id, second.keyId]);
    expect(revoked).toMatchObject({ code: 0, stdout: '' });
    const refused = await cli(['whoami'], {
      env: { KEYWARD_KEY: second.secret, KEYWARD_URL: system.gatewayUrl },
    });
    expect(refused.code).toBe(3);

    // Revoke by value: from stdin, never an argument.
    const byValue = await cli(['key', 'revoke-by-value'], { stdin: `${first}\n` });
    expect(byValue.code).toBe(0);
    expect(byValue.stderr).toContain('revoked 1 key(s)');
    const gone = await cli(['whoami'], {
      env: { KEYWARD_KEY: first, KEYWARD_URL: system.gatewayUrl },
    });
    expect(gone.code).toBe(3);

    const got = await eventually(
      ['sa', 'get', id],
      (run) => (run.stdout.match(/revoked/g) ?? []).length >= 2,
    );
    expect(got.stdout).toMatch(/id\s+sa_/);
    expect(got.stdout).toContain('(leaked)');

    const unconfirmed = await cli(['sa', 'delete', id]);
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toContain('--yes');
    expect((await cli(['sa', 'delete', id, '--yes'])).code).toBe(0);
    const deleted = await eventually(['sa', 'list', '--status', 'deleted', '--json'], (run) =>
      run.stdout.includes(id),
    );
    expect(deleted.code).toBe(0);
  }, 60_000);

  it('personal keys: issue, list, revoke', async () => {
    const own = json<{ keyId: string }>(
      await cli(['me', 'key', 'issue', '--name', 'laptop', '--json']),
    );
    const listed = await eventually(['me', 'key', 'list'], (run) => run.stdout.includes('laptop'));
    expect(listed.stdout).toContain(own.keyId);
    expect((await cli(['me', 'key', 'revoke', own.keyId])).code).toBe(0);
  }, 30_000);

  it('exit codes: not found 5, invalid input 2 with the API’s details, unavailable 7', async () => {
    const missing = await cli(['sa', 'get', 'sa_00000000000000000000000000000000']);
    expect(missing.code).toBe(5);
    expect(missing.stderr).toMatch(/^keyward: SERVICE_ACCOUNT\.NOT_FOUND: /);

    const invalid = await cli(['sa', 'create', '--name', 'x'.repeat(300)]);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toMatch(/^keyward: VALIDATION\.FAILED: /);
    expect(invalid.stderr).toMatch(/\n {2}name: /);

    expect((await cli(['sa', 'list', '--limit', '0'])).code).toBe(2);
    expect((await cli(['sa', 'frobnicate'])).code).toBe(2);
    expect((await cli(['key', 'issue', 'sa_x', '--expires', 'soon'])).code).toBe(2);

    const closed = `http://127.0.0.1:${await freePort()}`;
    const down = await cli(['whoami'], { env: { KEYWARD_URL: closed, KEYWARD_KEY: admin } });
    expect(down.code).toBe(7);
    expect(down.stderr).toContain('cannot reach the gateway');
  }, 30_000);

  it('members, roles and the policy (org admin)', async () => {
    const defined = await cli(['role', 'define', 'auditor', '--permissions', 'read,execute']);
    expect(defined.stdout).toMatch(/role\s+auditor/);
    const roles = await eventually(['role', 'list'], (run) => run.stdout.includes('auditor'));
    expect(roles.stdout).toMatch(/auditor\s+│ read, execute\s+│ no/);

    const added = await cli([
      'member',
      'add',
      'dana',
      '--name',
      'Dana',
      '--grant',
      'db:orders=auditor',
    ]);
    expect(added.code).toBe(0);
    expect(added.stdout).toMatch(/grants\s+db:orders=auditor \(read, execute\)/);
    expect((await cli(['member', 'add', 'eve', '--name', 'Eve', '--grant', 'nope'])).code).toBe(2);
    const members = await eventually(['member', 'list'], (run) => run.stdout.includes('dana'));
    expect(members.stdout).toMatch(/dana\s+│ Dana\s+│ member\s+│ db:orders=auditor/);

    const key = json<{ secret: string }>(await cli(['member', 'key', 'issue', 'dana', '--json']));
    const asDana = { KEYWARD_KEY: key.secret, KEYWARD_URL: system.gatewayUrl };
    expect((await cli(['whoami'], { env: asDana })).stdout).toMatch(/principal\s+member dana/);
    const changed = await cli(['member', 'set-grants', 'dana', '--grant', 'db:orders=writer']);
    expect(changed.stdout).toMatch(/grants\s+db:orders=writer/);
    const danaKeys = await eventually(['member', 'key', 'list', 'dana'], (run) =>
      run.stdout.includes('active'),
    );
    expect(danaKeys.code).toBe(0);
    expect((await cli(['member', 'remove', 'dana', '--yes'])).code).toBe(0);
    expect((await cli(['whoami'], { env: asDana })).code).toBe(3);

    expect((await cli(['policy', 'get'])).stdout).toMatch(/max key lifetime\s+none/);
    const set = await cli(['policy', 'set', '--max-key-lifetime', '86400']);
    expect(set.stdout).toMatch(/max key lifetime\s+86400 s/);
    const sa = json<{ id: string }>(await cli(['sa', 'create', '--name', 'short-lived', '--json']));
    const tooLong = await cli(['key', 'issue', sa.id, '--expires', '30d']);
    expect(tooLong.code).toBe(2);
    expect(tooLong.stderr).toMatch(/^keyward: [A-Z_]+\.[A-Z_]+: /);
    expect((await cli(['policy', 'set', '--max-key-lifetime', 'none'])).code).toBe(0);
    expect((await cli(['policy', 'set'])).code).toBe(2);
  }, 60_000);

  it('webhooks: register (the secret alone on stdout), list, deliveries, disable, enable, delete', async () => {
    // A receiver on loopback, which the test system allows (KEYWARD_WEBHOOK_ALLOWED_NETWORKS).
    const bodies: string[] = [];
    const receiver = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        bodies.push(body);
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((done) => receiver.listen(0, '127.0.0.1', done));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
    try {
      const registered = await cli([
        'webhook',
        'register',
        '--url',
        url,
        '--description',
        'cli receiver',
        '--events',
        'key.issued,webhook.*',
      ]);
      expect(registered.code).toBe(0);
      expect(registered.stdout).toMatch(/^whsec_[A-Za-z0-9+/]{43}=\n$/);
      expect(registered.stderr).toContain('cannot be shown again');

      const listed = await eventually(['webhook', 'list', '--json'], (run) =>
        run.stdout.includes(url),
      );
      const endpoint = json<{ items: { id: string; url: string; eventTypes: string[] }[] }>(
        listed,
      ).items.find((item) => item.url === url)!;
      expect(endpoint.eventTypes).toEqual(['key.issued', 'webhook.*']);
      const id = endpoint.id;
      const table = await cli(['webhook', 'list']);
      expect(table.stdout).toMatch(
        /whe_[0-9a-f]{32} .*│ http:\/\/127\.0\.0\.1:\d+\/hooks .*│ enabled .*│ key\.issued, webhook\.\*/,
      );
      expect(table.stdout).not.toContain('whsec_');
      expect((await cli(['webhook', 'get', id])).stdout).toMatch(/description\s+cli receiver/);

      // A key issued is delivered; its log shows the attempt's status code and latency.
      const key = json<{ keyId: string }>(await cli(['me', 'key', 'issue', '--json']));
      const log = await eventually(['webhook', 'deliveries', id, '--json'], (run) =>
        run.stdout.includes('"delivered"'),
      );
      const deliveries = json<{
        items: { type: string; status: string; attempts: { statusCode: number }[] }[];
      }>(log).items;
      expect(deliveries.find((d) => d.type === 'key.issued')).toMatchObject({
        status: 'delivered',
        attempts: [{ statusCode: 204 }],
      });
      expect(bodies.some((body) => body.includes(key.keyId))).toBe(true);
      const logTable = await cli(['webhook', 'deliveries', id, '--status', 'delivered']);
      expect(logTable.stdout).toMatch(/key\.issued .*│ delivered .*│ 1 .*│ 204 .*│ \d+ ms/);

      const changed = await cli(['webhook', 'update', id, '--events', 'all']);
      expect(changed.stdout).toMatch(/events\s+all/);
      const disabled = await cli(['webhook', 'disable', id]);
      expect(disabled.stdout).toMatch(/status\s+disabled/);
      await eventually(['webhook', 'list'], (run) => /│ disabled /.test(run.stdout));
      const enabled = await cli(['webhook', 'enable', id]);
      expect(enabled.stdout).toMatch(/status\s+enabled/);

      // Refusals, each with the API's code and exit code.
      const privateUrl = await cli(['webhook', 'register', '--url', 'https://10.0.0.5/hook']);
      expect(privateUrl.code).toBe(2);
      expect(privateUrl.stderr).toMatch(/^keyward: WEBHOOK\.URL_NOT_ALLOWED: .*10\.0\.0\.5/);
      const badFilter = await cli(['webhook', 'register', '--url', url, '--events', 'key.nope']);
      expect(badFilter.code).toBe(2);
      expect(badFilter.stderr).toMatch(/^keyward: WEBHOOK\.INVALID_FILTER: /);
      expect((await cli(['webhook', 'register', '--url', url, '--events', ','])).code).toBe(2);
      expect((await cli(['webhook', 'update', id])).code).toBe(2);
      const missing = await cli(['webhook', 'disable', 'whe_00000000000000000000000000000000']);
      expect(missing.code).toBe(5);
      expect(missing.stderr).toMatch(/^keyward: WEBHOOK\.NOT_FOUND: /);
      await cli(['member', 'add', 'grace', '--name', 'Grace', '--grant', 'db:orders=admin']);
      const graceKey = json<{ secret: string }>(
        await cli(['member', 'key', 'issue', 'grace', '--json']),
      );
      const notAdmin = await cli(['webhook', 'list'], {
        env: { KEYWARD_KEY: graceKey.secret, KEYWARD_URL: system.gatewayUrl },
      });
      expect(notAdmin.code).toBe(4);

      const unconfirmed = await cli(['webhook', 'delete', id]);
      expect(unconfirmed.code).toBe(2);
      expect(unconfirmed.stderr).toContain('--yes');
      const deleted = await cli(['webhook', 'delete', id, '--yes']);
      expect(deleted).toMatchObject({ code: 0, stdout: '' });
      const gone = await eventually(['webhook', 'get', id], (run) => run.code === 5);
      expect(gone.code).toBe(5);
    } finally {
      await new Promise<void>((done) => {
        receiver.closeAllConnections();
        receiver.close(() => done());
      });
    }
  }, 60_000);

  it('revoke-all: an account’s active keys, and a member’s own keys including the one in use', async () => {
    const sa = json<{ id: string }>(await cli(['sa', 'create', '--name', 'fleet', '--json']));
    const keys = [];
    for (let i = 0; i < 3; i++) {
      keys.push(
        json<{ keyId: string; secret: string }>(await cli(['key', 'issue', sa.id, '--json'])),
      );
    }
    const unconfirmed = await cli(['key', 'revoke-all', sa.id]);
    expect(unconfirmed.code).toBe(2);
    const all = await cli(['key', 'revoke-all', sa.id, '--yes']);
    expect(all.code).toBe(0);
    expect(all.stdout.trim().split('\n').sort()).toEqual(keys.map((k) => k.keyId).sort());
    expect(all.stderr).toContain('revoked 3 key(s)');
    for (const key of keys) {
      const env = { KEYWARD_KEY: key.secret, KEYWARD_URL: system.gatewayUrl };
      expect((await cli(['whoami'], { env })).code).toBe(3);
    }

    await cli(['member', 'add', 'frank', '--name', 'Frank', '--grant', 'db:orders=reader']);
    const own = json<{ secret: string }>(await cli(['member', 'key', 'issue', 'frank', '--json']));
    const asFrank = { KEYWARD_KEY: own.secret, KEYWARD_URL: system.gatewayUrl };
    const second = json<{ keyId: string }>(
      await cli(['me', 'key', 'issue', '--json'], { env: asFrank }),
    );
    const mine = json<{ revokedKeyIds: string[] }>(
      await cli(['me', 'key', 'revoke-all', '--yes', '--json'], { env: asFrank }),
    );
    expect(mine.revokedKeyIds).toHaveLength(2);
    expect(mine.revokedKeyIds).toContain(second.keyId);
    expect((await cli(['whoami'], { env: asFrank })).code).toBe(3);
  }, 60_000);

  it('audit: query by filter, export as NDJSON and CSV (resumable), tail follows new entries', async () => {
    const query = await eventually(['audit', 'query', '--action', 'member.removed'], (run) =>
      run.stdout.includes('dana'),
    );
    expect(query.stdout).toMatch(
      /member\.removed\s+│ Administrator \(root\)\s+│ Dana \(dana\) \[inactive\]/,
    );
    const page = json<{ items: { action: string }[] }>(
      await cli(['audit', 'query', '--json', '--actor', 'root', '--limit', '2']),
    );
    expect(page.items).toHaveLength(2);

    const ndjson = await cli(['audit', 'export']);
    expect(ndjson.code).toBe(0);
    const lines = ndjson.stdout.trim().split('\n');
    const ids = lines.map((line) => (JSON.parse(line) as { id: string }).id);
    expect(ids.length).toBeGreaterThan(10);
    expect(ndjson.stderr).toContain(`exported ${ids.length} entries`);
    const resumed = await cli(['audit', 'export', '--after', ids[4]]);
    expect(resumed.stdout.trim().split('\n')).toEqual(lines.slice(5));
    const csv = await cli(['audit', 'export', '--format', 'csv', '--action', 'key.revoked']);
    expect(csv.stdout).toMatch(/^id,/);
    expect(csv.stdout.trim().split('\r\n').length).toBeGreaterThan(2);
    expect((await cli(['audit', 'export', '--format', 'xml'])).code).toBe(2);

    const tail = spawn(
      process.execPath,
      [BIN, 'audit', 'tail', '--interval', '200', '--lines', '1'],
      {
        env: { PATH: process.env.PATH ?? '', HOME: home, KEYWARD_CONFIG: config },
      },
    );
    let followed = '';
    tail.stdout.on('data', (chunk: Buffer) => (followed += chunk.toString()));
    try {
      await cli(['sa', 'create', '--name', 'tailed']);
      for (let attempt = 0; attempt < 100 && !followed.includes('tailed'); attempt++) {
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(followed).toMatch(/service_account\.created\s+Administrator \(root\)\s+tailed \(sa_/);
    } finally {
      tail.kill('SIGINT');
    }
    const [code] = (await once(tail, 'close')) as [number];
    expect(code).toBe(0);
  }, 60_000);

  it('profiles: a second profile, chosen by --profile; keys are never listed', async () => {
    const login = await cli(['login', '--profile', 'staging', '--url', system.gatewayUrl], {
      stdin: admin,
    });
    expect(login.code).toBe(0);
    const profiles = await cli(['profiles']);
    expect(profiles.stdout).toMatch(/\* .*│ staging/);
    expect(profiles.stdout).toContain('default');
    expect(profiles.stdout).not.toContain(admin);
    expect((await cli(['whoami', '--profile', 'default'])).code).toBe(0);
    expect((await cli(['logout', '--profile', 'staging'])).code).toBe(0);
    expect((await cli(['whoami', '--profile', 'staging'])).code).toBe(3);
  }, 30_000);
});
