import { spawnSync } from 'node:child_process';
import { buildProgram } from '../main';
import { bashCompletion, completionTable, zshCompletion } from './completion';

/** What bash completes for a command line ending in `current`, with the script sourced. */
function complete(words: string[]): string[] {
  const script = bashCompletion(buildProgram());
  const line = words.map((word) => `'${word}'`).join(' ');
  const run = spawnSync(
    'bash',
    [
      '-c',
      `${script}\nCOMP_WORDS=(${line}); COMP_CWORD=${words.length - 1}; _keyward; printf '%s\\n' "\${COMPREPLY[@]}"`,
    ],
    { encoding: 'utf8' },
  );
  expect(run.stderr).toBe('');
  return run.stdout.split('\n').filter(Boolean);
}

describe('shell completion', () => {
  it('lists every command path of the program with its subcommands and options', () => {
    const table = completionTable(buildProgram());
    expect(table.get('')).toEqual(
      expect.arrayContaining(['sa', 'key', 'audit', '--profile', '--json']),
    );
    expect(table.get('sa create')).toEqual(
      expect.arrayContaining(['--name', '--role', '--resources', '--basic-auth', '--help']),
    );
    expect(table.get('audit export')).toEqual(expect.arrayContaining(['--format', '--after']));
    expect(table.get('webhook')).toEqual(
      expect.arrayContaining([
        'list',
        'get',
        'register',
        'update',
        'disable',
        'enable',
        'delete',
        'deliveries',
      ]),
    );
    expect(table.get('webhook register')).toEqual(
      expect.arrayContaining(['--url', '--description', '--events']),
    );
  });

  it('completes commands, subcommands and options in a real bash, skipping ids and values', () => {
    expect(complete(['keyward', 's'])).toEqual(['sa']);
    expect(complete(['keyward', 'sa', ''])).toEqual(
      expect.arrayContaining(['create', 'list', 'get', 'rename', 'delete']),
    );
    expect(complete(['keyward', '--json', 'sa', 'cr'])).toEqual(['create']);
    expect(complete(['keyward', 'sa', 'create', '--na'])).toEqual(['--name']);
    expect(complete(['keyward', 'key', 'revoke', 'sa_123', '--r'])).toEqual(['--reason']);
    expect(complete(['keyward', 'key', 'rot'])).toEqual(['rotate']);
    expect(complete(['keyward', 'key', 'rotate', 'sa_1', 'key_1', '--g'])).toEqual(['--grace']);
    expect(complete(['keyward', 'me', 'key', 'i'])).toEqual(['issue']);
    expect(complete(['keyward', 'web'])).toEqual(['webhook']);
    expect(complete(['keyward', 'webhook', 'd'])).toEqual(
      expect.arrayContaining(['disable', 'delete', 'deliveries']),
    );
    expect(complete(['keyward', 'webhook', 'deliveries', 'whe_1', '--s'])).toEqual(['--status']);
    expect(complete(['keyward', 'webhook', 'register', '--url', 'https://x', '--e'])).toEqual([
      '--events',
    ]);
  });

  it('gives zsh the same function through bashcompinit', () => {
    const script = zshCompletion(buildProgram());
    expect(script.startsWith('#compdef keyward\n')).toBe(true);
    expect(script).toContain('bashcompinit');
    expect(script).toContain('complete -F _keyward keyward');
  });
});
