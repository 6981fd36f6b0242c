// Output folders: made when missing, refused at once when they cannot be written.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError, unwritable } from '../src/errors.js';
import { makeWritableFolder } from '../src/files.js';

const work = mkdtempSync(join(tmpdir(), 'lab-grader-files-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const codeOf = (promise: Promise<unknown>) => promise.then(
  () => 'made',
  (error: NodeJS.ErrnoException) => error.code,
);

describe('makeWritableFolder', () => {
  it('creates missing parents and leaves no test file behind', async () => {
    const dir = join(work, 'a', 'b', 'c');
    await makeWritableFolder(dir);
    expect(existsSync(dir)).toBe(true);
    await makeWritableFolder(dir);
    expect(existsSync(join(dir, '.lab-grader-write-test'))).toBe(false);
  });

  it('refuses a folder inside /proc at once, where a recursive mkdir never returns', async () => {
    expect(await codeOf(makeWritableFolder('/proc/lab-grader-out'))).toBe('ENOENT');
    expect(await codeOf(makeWritableFolder('/proc/lab-grader-out/deeper'))).toBe('ENOENT');
  });

  it('refuses a path under a file', async () => {
    const file = join(work, 'a-file');
    writeFileSync(file, '');
    expect(await codeOf(makeWritableFolder(join(file, 'reports')))).toBe('ENOTDIR');
  });

  it('turns a file-system refusal into a usage error naming the flag', async () => {
    const error = await makeWritableFolder('/proc/x').catch((caught: unknown) => unwritable(caught, '--out /proc/x'));
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toBe('cannot write --out /proc/x (ENOENT): choose a folder you can write to');
  });
});
