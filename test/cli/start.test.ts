// The bin's start (src/cli/start.ts): the chunks a regrade runs come from one script with V8's
// code cache, given to V8 only for the exact bytes it was made from; every other way of
// starting runs the same code and writes the same reports.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bin, builtMetafile, builtPackage, builtPackageWith, root, run } from '../support/cli.js';

const work = mkdtempSync(join(tmpdir(), 'lab-grader-start-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const start = join(builtPackage(), 'dist/bin/start');
const hotSource = readFileSync(join(start, 'hot.js'), 'utf8');

/** The chunks hot.js holds, by file name. */
function hotChunks(source: string): string[] {
  return [...source.matchAll(/(?:^\(\{|,\n)("[^"\n]+"):function\(/g)].map((match) => JSON.parse(match[1]!) as string);
}

/** A copy of the built package whose start/ `edit` changed; returns its bin. */
const packageWith = (name: string, edit: (start: string) => void): string => builtPackageWith(work, name, edit);

const REGRADE = ['grade', '--snapshot', join(root, 'examples/mistakes.snapshot.json'), '--submission', join(root, 'examples/submission'), '--format', 'console,json,html,junit,markdown,gradescope,classroom'];

/** The regrade's console output and every report it wrote, by file name. */
async function regrade(bin: string | undefined, name: string): Promise<{ stdout: string; reports: Record<string, string> }> {
  const out = join(work, `${name}-reports`);
  const result = await run([...REGRADE, '--out', out], bin === undefined ? {} : { bin });
  expect(result.code, result.stderr).toBe(0);
  const reports = Object.fromEntries(readdirSync(out).map((file) => [file, readFileSync(join(out, file), 'utf8')]));
  return { stdout: result.stdout.replaceAll(out, 'OUT'), reports };
}

describe('the bin\'s start', { timeout: 60_000 }, () => {
  it('holds in hot.js the chunks a regrade runs: the command line and the grading, not the AWS SDK, undici, the batch or the YAML parser', () => {
    const metafile = builtMetafile();
    const inputs = hotChunks(hotSource).flatMap((name) => {
      const output = Object.keys(metafile.outputs).find((path) => path.endsWith(`/dist/bin/esm/${name}`));
      expect(output, name).toBeDefined();
      return Object.keys(metafile.outputs[output!]!.inputs);
    });
    expect(inputs).toContain('src/cli/main.ts');
    expect(inputs).toContain('src/cli/commands/grade.ts');
    expect(inputs).toContain('src/grade/engine.ts');
    expect(inputs.filter((input) => /node_modules\/(@aws-sdk|@smithy|undici|yaml)\/|^src\/(batch|aws)\//.test(input))).toEqual([]);
  });

  it('loads neither child_process nor what it loads to regrade: commander requires it only where it spawns (scripts/bundle.mjs)', () => {
    const preload = join(work, 'loaded.cjs');
    writeFileSync(preload, "process.on('exit', () => process.stderr.write(`\\nLOADED ${process.moduleLoadList.join(',')}\\n`));\n");
    const regrade = spawnSync(process.execPath, ['-r', preload, bin(), 'grade', '--snapshot', join(root, 'examples/complete-lab.snapshot.json'), '--format', 'console,json', '--out', join(work, 'loaded-reports')], { encoding: 'utf8' });
    expect(regrade.status, regrade.stderr).toBe(0);
    const loaded = regrade.stderr.split('\nLOADED ')[1]!.trim().split(',');
    expect(loaded).toContain('NativeModule fs');
    expect(loaded.filter((name) => /^NativeModule (child_process|dgram|internal\/child_process)$/.test(name))).toEqual([]);
  });

  it('ships a code cache that this Node takes for the bytes of hot.js it records', () => {
    const made = JSON.parse(readFileSync(join(start, 'hot.json'), 'utf8')) as { sha256: string; node: string };
    expect(made).toEqual({ sha256: createHash('sha256').update(hotSource).digest('hex'), node: process.version });
    // In a Node started as the bin is, without this test worker's flags (V8 refuses a cache made under other flags).
    const check = `const { Script } = require('node:vm'); const { readFileSync } = require('node:fs');
      process.stdout.write(String(new Script(readFileSync(process.argv[1], 'utf8'), { cachedData: readFileSync(process.argv[2]) }).cachedDataRejected));`;
    const env = { ...process.env };
    delete env.NODE_OPTIONS;
    const rejected = execFileSync(process.execPath, ['-e', check, join(start, 'hot.js'), join(start, 'hot.cache')], { env, encoding: 'utf8' });
    expect(rejected).toBe('false');
  });

  it('writes the same reports, byte for byte, with the cache, with a cache V8 refuses, and with every chunk from its own file', async () => {
    const cached = await regrade(undefined, 'cached');
    const refused = await regrade(
      packageWith('refused', (dir) => writeFileSync(join(dir, 'hot.cache'), 'not a code cache')),
      'refused',
    );
    const separate = await regrade(
      packageWith('separate', (dir) => rmSync(join(dir, 'hot.js'))),
      'separate',
    );
    expect(cached.stdout).toContain('Total 8.45 / 10.00');
    expect(Object.keys(cached.reports).sort()).toEqual(['classroom.b64', 'junit.xml', 'report.html', 'results.json', 'scorecard.json', 'summary.md']);
    expect(refused).toEqual(cached);
    expect(separate).toEqual(cached);
  });

  it('runs hot.js as it is when it is not the bytes the cache was made from, though V8 would take that cache (it checks only the length)', async () => {
    expect(hotSource).toContain(':"Total"}');
    const edit = (dir: string): void => writeFileSync(join(dir, 'hot.js'), hotSource.replace(':"Total"}', ':"TOTAL"}'));
    const edited = await run(['grade', '--snapshot', join(root, 'examples/mistakes.snapshot.json'), '--out', join(work, 'edited-reports')], { bin: packageWith('edited', edit) });
    expect(edited.code, edited.stderr).toBe(0);
    expect(edited.stdout).toContain('TOTAL 8.25 / 10.00');
    // Recorded as made from the edited bytes, the old cache runs the old code: the check above is what keeps it out.
    const mislabelled = packageWith('mislabelled', (dir) => {
      edit(dir);
      const made = JSON.parse(readFileSync(join(dir, 'hot.json'), 'utf8')) as { sha256: string };
      writeFileSync(join(dir, 'hot.json'), JSON.stringify({ ...made, sha256: createHash('sha256').update(readFileSync(join(dir, 'hot.js'))).digest('hex') }));
    });
    const stale = await run(['grade', '--snapshot', join(root, 'examples/mistakes.snapshot.json'), '--out', join(work, 'stale-reports')], { bin: mislabelled });
    expect(stale.stdout).toContain('Total 8.25 / 10.00');
  });
});
