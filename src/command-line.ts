// The command a person ran, written back with one flag changed: what a warning tells them to
// run next (`--region us-east-1`, `--lab-profile academy`), ready to paste into a shell.

/** A word a POSIX shell reads as itself, quoted when it would not. */
function shellWord(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`;
}

/** `lab-grader grade … --region us-east-1`: `argv` (without node and the script) with `flag` set to `value`, in either spelling it was given. */
export function commandWith(argv: readonly string[], flag: string, value: string): string {
  const args: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg === flag) {
      i += 1;
      continue;
    }
    if (arg.startsWith(`${flag}=`)) continue;
    args.push(shellWord(arg));
  }
  return ['lab-grader', ...args, flag, shellWord(value)].join(' ');
}

/** `lab-grader batch roster.yaml --out reports/class`: `argv` (without node and the script) without the switches named (flags that take no value). */
export function commandWithout(argv: readonly string[], switches: readonly string[]): string {
  return ['lab-grader', ...argv.filter((arg) => !switches.includes(arg)).map(shellWord)].join(' ');
}
