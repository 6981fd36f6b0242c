// The published bin, as npm installs it: the global setup (test/support/built-package.ts) has
// scripts/bundle.mjs build it into a bare package folder (package.json, rubric.yaml, policy/,
// examples/ and dist/bin, no node_modules), and these tests run it from that folder.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { builtMetafile, builtPackage, root, run as runCli, type Run } from '../support/cli.js';
import { readGradebook, writeClass } from '../batch/support.js';

const pkg = builtPackage();
const metafile = builtMetafile();
const work = mkdtempSync(join(tmpdir(), 'lab-grader-published-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function run(args: string[]): Promise<Run> {
  return runCli(args, { cwd: pkg });
}

/** The source files an output loads before it runs: its own and those of the chunks it imports statically. */
function loadedAtStart(output: string): string[] {
  const seen = new Set<string>();
  const visit = (path: string): void => {
    if (seen.has(path)) return;
    seen.add(path);
    for (const imported of metafile.outputs[path]?.imports ?? []) if (imported.kind === 'import-statement' && !imported.external) visit(imported.path);
  };
  visit(output);
  return [...seen].flatMap((path) => Object.keys(metafile.outputs[path]?.inputs ?? {}));
}

/** The output chunk that holds `source` (a path from the repository root). */
function chunkOf(source: string): string {
  const found = Object.entries(metafile.outputs).find(([path, output]) => !path.endsWith('.map') && source in output.inputs);
  if (!found) throw new Error(`${source} is in no output`);
  return found[0];
}

describe('the published bin', { timeout: 60_000 }, () => {
  it('regrades the complete example (the demo) with nothing but its own files: checklist, reports, exit 0', async () => {
    const out = join(work, 'reports');
    const result = await run(['grade', '--snapshot', join(root, 'examples/complete-lab.snapshot.json'), '--submission', join(root, 'examples/submission'), '--format', 'console,json,html', '--out', out]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Total 9.50 / 10.00');
    const scorecard = JSON.parse(readFileSync(join(out, 'scorecard.json'), 'utf8')) as { total: { earned: number } };
    expect(scorecard.total.earned).toBe(9.5);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('<title>Introduction to Cloud Computing for MLOps: 9.50 / 10.00');
  });

  it('prints its version, and the IAM policy the collector (the AWS SDK chunk) derives', async () => {
    const version = await run(['--version']);
    expect(version.stdout.trim()).toBe((JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version);
    const policy = await run(['policy']);
    expect(policy.code, policy.stderr).toBe(0);
    expect(JSON.parse(policy.stdout)).toEqual(JSON.parse(readFileSync(join(root, 'policy/lab-grader-policy.json'), 'utf8')));
  });

  it('grades a class in its grading threads (grading-thread.js beside the bin)', async () => {
    const { roster, broken } = await writeClass(join(work, 'class'), 42);
    const out = join(work, 'class-out');
    const result = await run(['batch', roster, '--out', out, '--format', 'html']);
    // Exit 4: the class is graded, but two students could not be.
    expect(result.code, result.stderr).toBe(4);
    expect(result.stdout + result.stderr).toContain('42 students: 40 graded, 0 graded again, 0 kept from an earlier run, 2 could not be graded');
    const gradebook = readGradebook(readFileSync(join(out, 'gradebook.csv'), 'utf8'));
    expect(gradebook.rows).toHaveLength(42);
    const errors = gradebook.rows.filter((row) => row.status === 'error').map((row) => row.student);
    expect(errors.sort()).toEqual([...broken].sort());
  });

  it('loads neither the AWS SDK nor undici nor the batch to start or to regrade, nor the YAML parser (the rubric is prepared)', () => {
    // esbuild names outputs relative to the repository root.
    // The bin is the start (src/cli/start.ts, test/cli/start.test.ts), which runs the command line's chunk.
    const regrade = [...loadedAtStart(chunkOf('src/cli/main.ts')), ...loadedAtStart(chunkOf('src/cli/commands/grade.ts'))];
    expect(regrade).toContain('src/grade/engine.ts');
    expect(regrade.filter((input) => /node_modules\/(@aws-sdk|@smithy|undici|yaml)\/|^src\/(batch|aws)\/|^src\/rubric\/load\.ts$/.test(input))).toEqual([]);
    // The live path does load the SDK, and a rubric given with --rubric the parser: the test above could fail.
    expect(loadedAtStart(chunkOf('src/collect/index.ts')).some((input) => input.includes('node_modules/@aws-sdk/client-ec2/'))).toBe(true);
    expect(loadedAtStart(chunkOf('src/rubric/load.ts'))).toContain('node_modules/yaml/dist/index.js');
  });

  it('holds the AWS SDK schemas of the operations it calls, not of every operation of the client', () => {
    const ec2Chunk = chunkOf('node_modules/@aws-sdk/client-ec2/dist-es/schemas/schemas_0.js');
    const text = readFileSync(join(root, ec2Chunk), 'utf8');
    expect(text).toContain('"DescribeVpcsRequest"');
    expect(text).not.toContain('"RunInstancesRequest"');
  });

  it('compiles only the zod it uses: its schema builders and English messages, not every locale', () => {
    const zod = Object.values(metafile.outputs).flatMap((output) =>
      Object.entries(output.inputs).flatMap(([input, { bytesInOutput }]) => (input.includes('node_modules/zod/') && bytesInOutput > 0 ? [input] : [])),
    );
    expect(zod).toContain('node_modules/zod/v4/classic/schemas.js');
    expect(zod).toContain('node_modules/zod/v4/locales/en.js');
    // The locales' index is no locale: the grading thread's script (one CommonJS script, no
    // chunks) keeps it as an initializer with an empty body.
    expect(zod.filter((input) => input.includes('/locales/') && !/\/locales\/(en|index)\.js$/.test(input))).toEqual([]);
  });

  it('runs nothing when installed: the build is prepack (npm pack builds dist/), no install-time script', () => {
    const { scripts } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    // npm runs these when the tarball is installed (prepare too, for a tarball or git source) and warns about each.
    expect(Object.keys(scripts).filter((name) => ['preinstall', 'install', 'postinstall', 'prepare'].includes(name))).toEqual([]);
    expect(scripts.prepack).toMatch(/npm run build$/);
  });
});
