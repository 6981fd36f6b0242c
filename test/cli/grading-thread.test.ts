// A grading thread of the published bin (src/cli/grading-thread.ts): the thread's code is one
// script, start/thread.js, run with the code cache a grading thread left at build time under the
// batch's compiler settings; every other way of starting it grades the class the same.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GRADING_COMPILER_FLAGS } from '../../src/batch/compiler.js';
import { THREADS_FROM } from '../../src/batch/runner.js';
import { VARIANTS } from '../batch/support.js';
import { builtMetafile, builtPackage, builtPackageWith, run } from '../support/cli.js';
import { anotherAccount } from '../support/fixtures.js';

const work = mkdtempSync(join(tmpdir(), 'lab-grader-thread-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const start = join(builtPackage(), 'dist/bin/start');
const threadSource = readFileSync(join(start, 'thread.js'), 'utf8');

/** A copy of the built package whose start/ `edit` changed; returns its bin. */
const packageWith = (name: string, edit: (start: string) => void): string => builtPackageWith(work, name, edit);

/** Every file under `dir`, by its path there, with its text. */
function filesUnder(dir: string): Record<string, string> {
  const found: Record<string, string> = {};
  const visit = (path: string): void => {
    if (statSync(path).isDirectory()) for (const entry of readdirSync(path)) visit(join(path, entry));
    else found[relative(dir, path)] = readFileSync(path, 'utf8');
  };
  visit(dir);
  return found;
}

/**
 * Enough students for the batch to start its grading threads, each in an account of their own,
 * so that nothing is flagged and every report is the one a grading thread wrote (the batch's
 * own thread writes a flagged student's again, with the flags).
 */
function writeClass(dir: string, count: number): string {
  mkdirSync(join(dir, 'snapshots'), { recursive: true });
  const rows = ['id,snapshot,labProfile'];
  for (let index = 0; index < count; index += 1) {
    const variant = VARIANTS[index % VARIANTS.length]!;
    const id = `s${String(index + 1).padStart(4, '0')}`;
    writeFileSync(join(dir, 'snapshots', `${id}.json`), JSON.stringify(anotherAccount(index + 1, variant.snapshot())));
    rows.push(`${id},snapshots/${id}.json,${variant.labProfile ?? ''}`);
  }
  writeFileSync(join(dir, 'roster.csv'), `${rows.join('\n')}\n`);
  return join(dir, 'roster.csv');
}

const STUDENTS = THREADS_FROM + 2;
const roster = writeClass(join(work, 'class'), STUDENTS);

/** The class graded by `bin` (the built package's by default): every file the batch wrote. */
async function gradeClass(bin: string | undefined, name: string): Promise<Record<string, string>> {
  const out = join(work, `${name}-out`);
  const result = await run(['batch', roster, '--out', out, '--format', 'html,junit'], bin === undefined ? {} : { bin });
  expect(result.code, result.stderr).toBe(0);
  expect(result.stdout + result.stderr).toContain(`${STUDENTS} students: ${STUDENTS} graded, 0 graded again, 0 kept from an earlier run, 0 could not be graded, 0 flagged`);
  return filesUnder(out);
}

/** Whether V8 refuses thread.cache for thread.js in a grading thread of a Node started as the bin is, after `flags` were set as the batch sets them. */
function refusedInThread(flags: readonly string[]): string {
  const check = `const { setFlagsFromString } = require('node:v8'); const { Worker } = require('node:worker_threads');
    for (const flag of JSON.parse(process.argv[1])) setFlagsFromString(flag);
    new Worker(\`const { Script } = require('node:vm'); const { readFileSync } = require('node:fs');
      process.stdout.write(String(new Script(readFileSync(\${JSON.stringify(process.argv[2])}, 'utf8'), { cachedData: readFileSync(\${JSON.stringify(process.argv[3])}) }).cachedDataRejected));\`, { eval: true });`;
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  return execFileSync(process.execPath, ['-e', check, JSON.stringify(flags), join(start, 'thread.js'), join(start, 'thread.cache')], { env, encoding: 'utf8' });
}

describe('a grading thread of the bin', { timeout: 60_000 }, () => {
  it('runs from thread.js the grading of a student and its reports, not the AWS SDK, undici, the YAML parser or the command line', () => {
    const metafile = builtMetafile();
    const output = Object.keys(metafile.outputs).find((path) => path.endsWith('/dist/bin/start/thread.js'));
    expect(output).toBeDefined();
    const inputs = Object.keys(metafile.outputs[output!]!.inputs);
    expect(inputs).toContain('src/batch/worker.ts');
    expect(inputs).toContain('src/grade/engine.ts');
    expect(inputs).toContain('src/report/html.ts');
    expect(inputs.filter((input) => /node_modules\/(@aws-sdk|@smithy|undici|yaml|commander)\/|^src\/(aws|cli)\//.test(input))).toEqual([]);
  });

  it('ships a code cache that V8 takes in a grading thread under the batch\'s compiler settings, for the bytes of thread.js it records', () => {
    const made = JSON.parse(readFileSync(join(start, 'thread.json'), 'utf8')) as { sha256: string; node: string };
    expect(made).toEqual({ sha256: createHash('sha256').update(threadSource).digest('hex'), node: process.version });
    expect(refusedInThread(GRADING_COMPILER_FLAGS)).toBe('false');
    // Made under those settings, the cache is of no use to a thread without them.
    expect(refusedInThread([])).toBe('true');
  });

  it('grades a class the same, byte for byte, with the cache, with a cache V8 refuses, and with the bundle\'s worker.js when there is no thread.js', async () => {
    const cached = await gradeClass(undefined, 'cached');
    const refused = await gradeClass(
      packageWith('refused', (dir) => writeFileSync(join(dir, 'thread.cache'), 'not a code cache')),
      'refused',
    );
    const modules = await gradeClass(
      packageWith('modules', (dir) => rmSync(join(dir, 'thread.js'))),
      'modules',
    );
    expect(Object.keys(cached)).toContain('s0001/report.html');
    expect(Object.keys(cached)).toContain('s0001/junit.xml');
    expect(refused).toEqual(cached);
    expect(modules).toEqual(cached);
  });

  it('is what grades the class: an edit of thread.js shows in the reports (run as it is: its bytes are not those the cache was made from)', async () => {
    expect(threadSource).toContain('<h2>Running cost</h2>');
    const edited = await gradeClass(
      packageWith('edited', (dir) => writeFileSync(join(dir, 'thread.js'), threadSource.replace('<h2>Running cost</h2>', '<h2>RUNNING COST</h2>'))),
      'edited',
    );
    const reports = Object.entries(edited).filter(([file]) => file.endsWith('/report.html'));
    expect(reports).toHaveLength(STUDENTS);
    for (const [file, html] of reports) expect(html, file).toContain('<h2>RUNNING COST</h2>');
  });
});
