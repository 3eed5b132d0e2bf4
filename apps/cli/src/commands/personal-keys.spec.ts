import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT } from '../exit-codes';
import { buildProgram, run } from '../main';
import { completionTable } from './completion';

interface Asked {
  method: string;
  url: string;
  authorization: string | undefined;
  body: unknown;
}

const ROTATED = {
  keyId: 'key_22222222222222222222222222222222',
  created: 1798761600,
  secret: 'kw_live_successor',
  hint: 'kw_live_…cess',
  expiresAt: null,
  previous: { keyId: 'key_11111111111111111111111111111111', expiresAt: 1798765200 },
};
const REVOKED = { revokedKeyIds: ['key_1', 'key_2'], position: '42' };

/**
 * `keyward me key rotate`, `keyward member key rotate|revoke|revoke-all`: the requests the CLI
 * sends (method, path, body, key) to a stand-in gateway on loopback, what it prints, and its exit
 * codes.
 */
describe('personal key commands', () => {
  const home = mkdtempSync(join(tmpdir(), 'keyward-cli-personal-'));
  const saved = { ...process.env };
  const asked: Asked[] = [];
  let answer: { status: number; body?: unknown } = { status: 200 };
  let server: Server;
  let stdout: string;
  let stderr: string;
  const stdoutWrite = process.stdout.write;
  const stderrWrite = process.stderr.write;

  beforeAll(async () => {
    server = createServer((request, response) => {
      let text = '';
      request.on('data', (chunk: Buffer) => (text += chunk.toString()));
      request.on('end', () => {
        asked.push({
          method: request.method ?? '',
          url: request.url ?? '',
          authorization: request.headers.authorization,
          body: text === '' ? undefined : JSON.parse(text),
        });
        response.statusCode = answer.status;
        if (answer.body === undefined) return response.end();
        response.setHeader('content-type', 'application/json');
        response.end(JSON.stringify(answer.body));
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    Object.assign(process.env, {
      KEYWARD_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      KEYWARD_KEY: 'kw_live_admin',
      KEYWARD_CONFIG: join(home, 'config.json'),
    });
    delete process.env.KEYWARD_PROFILE;
  });

  afterAll(async () => {
    process.env = saved;
    server.close();
    await once(server, 'close');
    rmSync(home, { recursive: true, force: true });
  });

  // As in a script: stdout a pipe (a new secret alone on it), no terminal to ask on.
  const terminals = [process.stdin, process.stdout].map((stream) => ({
    stream,
    isTTY: Object.getOwnPropertyDescriptor(stream, 'isTTY'),
  }));
  beforeEach(() => {
    asked.splice(0);
    stdout = '';
    stderr = '';
    process.stdout.write = ((chunk: string) => ((stdout += chunk), true)) as typeof stdoutWrite;
    process.stderr.write = ((chunk: string) => ((stderr += chunk), true)) as typeof stderrWrite;
    for (const { stream } of terminals) {
      Object.defineProperty(stream, 'isTTY', { value: false, configurable: true });
    }
  });
  afterEach(() => {
    process.stdout.write = stdoutWrite;
    process.stderr.write = stderrWrite;
    for (const { stream, isTTY } of terminals) {
      if (isTTY) Object.defineProperty(stream, 'isTTY', isTTY);
      else delete (stream as { isTTY?: boolean }).isTTY;
    }
  });

  const keyward = (...args: string[]) => run(['node', 'keyward', ...args]);

  it('me key rotate: POSTs the grace and successor fields to your key’s rotate route', async () => {
    answer = { status: 201, body: ROTATED };
    const code = await keyward(
      '--json',
      'me',
      'key',
      'rotate',
      'key_11111111111111111111111111111111',
      '--grace',
      '90m',
      '--name',
      'laptop v2',
    );
    expect(code).toBe(EXIT.ok);
    expect(asked).toEqual([
      {
        method: 'POST',
        url: '/api/me/v1/key/key_11111111111111111111111111111111/rotate',
        authorization: 'Bearer kw_live_admin',
        body: { graceSeconds: 5400, name: 'laptop v2' },
      },
    ]);
    expect(JSON.parse(stdout)).toEqual(ROTATED);
  });

  it('me key rotate without options sends an empty body (the 24 h default); on a pipe only the secret is printed', async () => {
    answer = { status: 201, body: ROTATED };
    expect(await keyward('me', 'key', 'rotate', 'key_1')).toBe(EXIT.ok);
    expect(asked).toEqual([
      expect.objectContaining({ url: '/api/me/v1/key/key_1/rotate', body: {} }),
    ]);
    expect(stdout).toBe('kw_live_successor\n');
    expect(stderr).toContain('shown once');
  });

  it('member key rotate: a member’s key, a grace of 0 allowed, ids encoded into the path', async () => {
    answer = { status: 201, body: ROTATED };
    expect(
      await keyward('--json', 'member', 'key', 'rotate', 'dana', 'key_1', '--grace', '0'),
    ).toBe(EXIT.ok);
    expect(await keyward('--json', 'member', 'key', 'rotate', '../me', 'key_1')).toBe(EXIT.ok);
    expect(asked.map(({ method, url, body }) => [method, url, body])).toEqual([
      ['POST', '/api/member/v1/member/dana/key/key_1/rotate', { graceSeconds: 0 }],
      ['POST', '/api/member/v1/member/..%2Fme/key/key_1/rotate', {}],
    ]);
  });

  it('refuses a grace that is not a duration as a usage error, sending nothing', async () => {
    for (const args of [
      ['me', 'key', 'rotate', 'key_1', '--grace', 'soon'],
      ['member', 'key', 'rotate', 'dana', 'key_1', '--grace', '-1'],
    ]) {
      expect(await keyward(...args)).toBe(EXIT.usage);
    }
    expect(asked).toEqual([]);
    expect(stderr).toContain('--grace must be seconds or a duration');
  });

  it('member key revoke: DELETEs the member’s key with the reason, and says so on stderr', async () => {
    answer = { status: 204 };
    expect(await keyward('member', 'key', 'revoke', 'dana', 'key_1', '--reason', 'leaked')).toBe(
      EXIT.ok,
    );
    expect(await keyward('member', 'key', 'revoke', 'dana', 'key_2')).toBe(EXIT.ok);
    expect(asked.map(({ method, url, body }) => [method, url, body])).toEqual([
      ['DELETE', '/api/member/v1/member/dana/key/key_1?reason=leaked', undefined],
      ['DELETE', '/api/member/v1/member/dana/key/key_2', undefined],
    ]);
    expect(stdout).toBe('');
    expect(stderr).toBe('revoked key_1 of dana\nrevoked key_2 of dana\n');
  });

  it('member key revoke-all: asks first (--yes when not on a terminal), then prints the revoked ids', async () => {
    answer = { status: 200, body: REVOKED };
    expect(await keyward('member', 'key', 'revoke-all', 'dana')).toBe(EXIT.usage);
    expect(asked).toEqual([]);
    expect(stderr).toContain('pass --yes');

    expect(await keyward('member', 'key', 'revoke-all', 'dana', '--yes')).toBe(EXIT.ok);
    expect(asked).toEqual([
      expect.objectContaining({
        method: 'POST',
        url: '/api/member/v1/member/dana/key/revoke-all',
        body: {},
      }),
    ]);
    expect(stdout).toBe('key_1\nkey_2\n');
    expect(stderr).toContain('revoked 2 key(s)');
  });

  it('ends with the exit code of the API’s refusal and prints its code', async () => {
    answer = {
      status: 409,
      body: { code: 'KEY.ALREADY_ROTATED', message: 'key key_1 was already rotated' },
    };
    expect(await keyward('me', 'key', 'rotate', 'key_1')).toBe(EXIT.conflict);
    expect(stderr).toBe('keyward: KEY.ALREADY_ROTATED: key key_1 was already rotated\n');
    answer = { status: 403, body: { code: 'AUTH.FORBIDDEN', message: 'not an org admin' } };
    expect(await keyward('member', 'key', 'revoke', 'dana', 'key_1')).toBe(EXIT.forbidden);
  });

  it('completes the new subcommands and their options', () => {
    const table = completionTable(buildProgram());
    expect(table.get('me key')).toEqual(expect.arrayContaining(['rotate', 'revoke']));
    expect(table.get('me key rotate')).toEqual(
      expect.arrayContaining(['--grace', '--name', '--description', '--expires']),
    );
    expect(table.get('member key')).toEqual(
      expect.arrayContaining(['issue', 'list', 'rotate', 'revoke', 'revoke-all']),
    );
    expect(table.get('member key rotate')).toEqual(expect.arrayContaining(['--grace']));
    expect(table.get('member key revoke')).toEqual(expect.arrayContaining(['--reason']));
    expect(table.get('member key revoke-all')).toEqual(expect.arrayContaining(['--yes']));
  });
});
