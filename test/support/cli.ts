// The real entry point run by node with tsx, as a user would run it.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

export const root = fileURLToPath(new URL('../../', import.meta.url));
const main = join(root, 'src/cli/main.ts');

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `lab-grader <args>` from `cwd` (the repository by default). */
export function cli(args: string[], cwd = root, env: NodeJS.ProcessEnv = {}): Promise<Run> {
  const tsx = import.meta.resolve('tsx');
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', tsx, main, ...args], { cwd, env: { ...process.env, NO_COLOR: '1', ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? -1) : 0, stdout, stderr });
    });
  });
}

/** A user error: the message, and no stack trace. */
export function expectUserError(run: Run, code: number): void {
  expect(run.code, run.stderr).toBe(code);
  expect(run.stderr).toMatch(/^lab-grader: /);
  expect(run.stderr).not.toMatch(/\n\s+at /);
}
