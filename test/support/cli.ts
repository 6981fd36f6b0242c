// The CLI run as a process, as a user runs it: the published bin that the global setup
// (test/support/built-package.ts) built from the current sources for this test run.
import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { cpSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Metafile } from 'esbuild';
import { expect, inject } from 'vitest';

export const root = fileURLToPath(new URL('../../', import.meta.url));

/** The built package's folder: package.json, rubric.yaml, policy/, examples/ and dist/bin. */
export function builtPackage(): string {
  return join(inject('builtPackage'), 'package');
}

/** A copy of the built package in `folder`/`name` whose dist/bin/start/ `edit` changed; returns the copy's bin. */
export function builtPackageWith(folder: string, name: string, edit: (start: string) => void): string {
  const copy = join(folder, name);
  cpSync(builtPackage(), copy, { recursive: true });
  edit(join(copy, 'dist/bin/start'));
  return join(copy, 'dist/bin/lab-grader.js');
}

/** The built package's bin, `lab-grader`. */
export function bin(): string {
  return join(builtPackage(), 'dist/bin/lab-grader.js');
}

/** What esbuild put in each output of the built bin (paths relative to the repository root, as esbuild names them). */
export function builtMetafile(): Metafile {
  const dir = inject('builtPackage');
  const stored = JSON.parse(readFileSync(join(dir, 'metafile.json'), 'utf8')) as Metafile;
  // The build's folder keeps its outputs relative to itself (test/support/built-package.ts).
  const fromRoot = (path: string) => `${relative(root, dir)}/${path}`;
  const outputs = Object.entries(stored.outputs).map(([path, output]) => [
    fromRoot(path),
    { ...output, imports: output.imports.map((imported) => (imported.external ? imported : { ...imported, path: fromRoot(imported.path) })) },
  ]);
  return { ...stored, outputs: Object.fromEntries(outputs) as Metafile['outputs'] };
}

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** The working folder; the repository by default. */
  cwd?: string;
  /** Added to (or, with `undefined`, removed from) the test's environment, NO_COLOR=1 first. */
  env?: NodeJS.ProcessEnv;
  /** Kills the process after this long (its code is then -1 or the signal's). */
  timeoutMs?: number;
  /** Another lab-grader.js to run (a copy of the built package); the built package's by default. */
  bin?: string;
}

function environment(env: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const merged: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...env };
  for (const [key, value] of Object.entries(merged)) if (value === undefined) delete merged[key];
  return merged;
}

/** Runs `lab-grader <args>` and resolves with its exit code and output. */
export function cli(args: string[], cwd = root, env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return run(args, { cwd, env });
}

export function run(args: string[], options: CliOptions = {}): Promise<Run> {
  return new Promise((resolve) => {
    const settings = { cwd: options.cwd ?? root, env: environment(options.env), ...(options.timeoutMs ? { timeout: options.timeoutMs } : {}) };
    execFile(process.execPath, [options.bin ?? bin(), ...args], settings, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? -1) : 0, stdout, stderr });
    });
  });
}

/** Starts `lab-grader <args>` with piped output, for a test that signals it while it runs. */
export function start(args: string[], options: Omit<CliOptions, 'timeoutMs'> = {}): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [bin(), ...args], { cwd: options.cwd ?? root, env: environment(options.env) });
}

/** A user error: the message, and no stack trace. */
export function expectUserError(run: Run, code: number): void {
  expect(run.code, run.stderr).toBe(code);
  expect(run.stderr).toMatch(/^lab-grader: /);
  expect(run.stderr).not.toMatch(/\n\s+at /);
}
