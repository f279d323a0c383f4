// Worked examples at the end of each command's --help: the command lines a newcomer copies first.

/** `[command line, what it does]` pairs as the help's closing "Examples:" section. */
export function examples(list: ReadonlyArray<readonly [string, string]>): string {
  return ['', 'Examples:', ...list.flatMap(([command, what]) => [`  $ ${command}`, `      ${what}`])].join('\n');
}
