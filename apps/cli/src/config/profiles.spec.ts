import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliError } from '../api/api-client';
import { EXIT } from '../exit-codes';
import { configPath, readConfig, resolveTarget, writeConfig, type CliConfig } from './profiles';

describe('CLI profiles', () => {
  const dir = mkdtempSync(join(tmpdir(), 'keyward-profiles-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const config: CliConfig = {
    current: 'prod',
    profiles: {
      prod: { url: 'https://keyward.example.com', key: 'kw_live_prod' },
      dev: { url: 'http://127.0.0.1:8080' },
    },
  };

  it('lives at KEYWARD_CONFIG, else under XDG_CONFIG_HOME, else ~/.config', () => {
    expect(configPath({ KEYWARD_CONFIG: '/x/c.json' })).toBe('/x/c.json');
    expect(configPath({ XDG_CONFIG_HOME: '/xdg' })).toBe('/xdg/keyward/config.json');
    expect(configPath({})).toMatch(/\/\.config\/keyward\/config\.json$/);
  });

  it('picks --profile, then KEYWARD_PROFILE, then the current one; KEYWARD_URL and KEYWARD_KEY win', () => {
    expect(resolveTarget(config, undefined, {})).toEqual({
      profile: 'prod',
      url: 'https://keyward.example.com',
      key: 'kw_live_prod',
    });
    expect(resolveTarget(config, undefined, { KEYWARD_PROFILE: 'dev' })).toMatchObject({
      profile: 'dev',
      key: undefined,
    });
    expect(resolveTarget(config, 'dev', { KEYWARD_PROFILE: 'prod' }).profile).toBe('dev');
    expect(
      resolveTarget(config, 'dev', { KEYWARD_URL: 'http://other', KEYWARD_KEY: 'kw_live_env' }),
    ).toEqual({ profile: 'dev', url: 'http://other', key: 'kw_live_env' });
    expect(resolveTarget(config, 'missing', {})).toEqual({
      profile: 'missing',
      url: undefined,
      key: undefined,
    });
  });

  it('is written owner-only (0600, directory 0700) and read back unchanged', () => {
    const path = join(dir, 'nested', 'config.json');
    writeConfig(path, config);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'nested')).mode & 0o777).toBe(0o700);
    expect(readConfig(path)).toEqual(config);
    expect(readConfig(join(dir, 'absent.json'))).toEqual({ current: 'default', profiles: {} });
  });

  it('refuses a file that is not JSON or not a configuration, naming the file (exit 2)', () => {
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{"current":');
    expect(() => readConfig(broken)).toThrow(CliError);
    expect(() => readConfig(broken)).toThrow(`${broken} is not valid JSON`);
    const wrong = join(dir, 'wrong.json');
    writeFileSync(wrong, JSON.stringify({ current: 'a', profiles: { a: { url: 'not a url' } } }));
    try {
      readConfig(wrong);
      throw new Error('accepted');
    } catch (error) {
      expect(error).toMatchObject({ exitCode: EXIT.usage });
      expect((error as Error).message).toContain('profiles.a.url');
    }
    expect(readFileSync(wrong, 'utf8')).toContain('not a url');
  });
});
