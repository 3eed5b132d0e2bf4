import type { Command } from 'commander';
import { CliError } from '../api/api-client';
import { EXIT } from '../exit-codes';

/**
 * The words that may follow each command path (`""`, `"sa"`, `"sa create"`, …): its
 * subcommands and its long options, read from the program itself so completion never drifts
 * from the commands.
 */
export function completionTable(program: Command): Map<string, string[]> {
  const table = new Map<string, string[]>();
  const visit = (command: Command, path: string) => {
    const options = command.options
      .map((option) => option.long)
      .filter((long) => long !== undefined);
    table.set(path, [...command.commands.map((child) => child.name()), ...options, '--help']);
    for (const child of command.commands)
      visit(child, path ? `${path} ${child.name()}` : child.name());
  };
  visit(program, '');
  return table;
}

/**
 * A bash completion function for `keyward`: each word that names a deeper command extends the
 * path; any other word (an id, an option's value) is skipped.
 */
export function bashCompletion(program: Command): string {
  const cases = [...completionTable(program)]
    .map(([path, words]) => `    "${path}") echo "${words.join(' ')}" ;;`)
    .join('\n');
  return `# keyward completion for bash: source <(keyward completion bash)
_keyward_words() {
  case "$1" in
${cases}
  esac
}
_keyward() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" path="" next word i
  for ((i = 1; i < COMP_CWORD; i++)); do
    word="\${COMP_WORDS[i]}"
    [[ "$word" == -* ]] && continue
    next="\${path:+$path }$word"
    [[ -n "$(_keyward_words "$next")" ]] && path="$next"
  done
  COMPREPLY=($(compgen -W "$(_keyward_words "$path")" -- "$cur"))
}
complete -F _keyward keyward
`;
}

/** zsh runs the bash function through its bash compatibility layer. */
export function zshCompletion(program: Command): string {
  return `#compdef keyward
# keyward completion for zsh: keyward completion zsh > "\${fpath[1]}/_keyward"
autoload -U +X bashcompinit && bashcompinit
${bashCompletion(program)}`;
}

export function registerCompletion(program: Command): void {
  program
    .command('completion <shell>')
    .description('print a completion script for bash or zsh')
    .addHelpText(
      'after',
      '\nbash: source <(keyward completion bash)   (e.g. in ~/.bashrc)\n' +
        'zsh:  keyward completion zsh > "${fpath[1]}/_keyward"',
    )
    .action((shell: string) => {
      if (shell === 'bash') process.stdout.write(bashCompletion(program));
      else if (shell === 'zsh') process.stdout.write(zshCompletion(program));
      else
        throw new CliError(`shell must be bash or zsh, got ${JSON.stringify(shell)}`, EXIT.usage);
    });
}
