// The state the build prepares (src/cli/prepared.ts) is what a run would compute itself, and a
// run uses it only for the bytes it was prepared from.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bundledExamples, loadGradingRubric, PREPARED_FILE, prepareState, type PreparedState } from '../../src/cli/prepared.js';
import { loadRubric } from '../../src/rubric/load.js';
import { builtPackage, root, run } from '../support/cli.js';

const work = mkdtempSync(join(tmpdir(), 'lab-grader-prepared-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** What the build writes, as a run reads it back. */
const prepared = JSON.parse(JSON.stringify(await prepareState(root))) as PreparedState;

describe('the prepared state', () => {
  it('is the bundled rubric as loadRubric parses it, and survives the trip through JSON unchanged', () => {
    expect(prepared.rubric).toEqual(loadRubric(join(root, 'rubric.yaml'), 'rubric.yaml'));
  });

  it('holds each bundled example\'s evidence as verification computes it from the file', () => {
    expect(prepared.examples.map((example) => example.name)).toEqual(['examples/complete-lab.snapshot.json', 'examples/mistakes.snapshot.json']);
    expect(prepared.examples.map(({ name, evidence }) => ({ name, evidence }))).toEqual(bundledExamples(null));
  });

  it('gives the prepared rubric for the bundled rubric\'s bytes, and parses any other rubric', async () => {
    expect(await loadGradingRubric(undefined, prepared)).toBe(prepared.rubric);
    // Prepared from other bytes (an edited installation): parsed, to the same rubric here.
    const stale = { ...prepared, rubric: { ...prepared.rubric, sha256: '0'.repeat(64) } };
    const parsed = await loadGradingRubric(undefined, stale);
    expect(parsed).not.toBe(stale.rubric);
    expect(parsed).toEqual(prepared.rubric);
    // --rubric always parses the file given.
    expect(await loadGradingRubric(join(root, 'rubric.yaml'), prepared)).not.toBe(prepared.rubric);
  });

  it('gives an example\'s prepared evidence only for the file it was prepared from', () => {
    const marked = (sha256: string): PreparedState => ({
      ...prepared,
      examples: prepared.examples.map((example) => ({ ...example, sha256, evidence: { ...example.evidence, account: '000000000000' } })),
    });
    const sameFiles = marked(prepared.examples[0]!.sha256);
    expect(bundledExamples(sameFiles).map((example) => example.evidence.account)).toEqual(['000000000000', prepared.examples[1]!.evidence.account]);
    expect(bundledExamples(marked('0'.repeat(64)))).toEqual(bundledExamples(null));
  });
});

describe('the built bin', { timeout: 60_000 }, () => {
  it('ships the prepared state beside it', () => {
    const shipped = JSON.parse(readFileSync(join(builtPackage(), 'dist/bin/esm', PREPARED_FILE), 'utf8')) as PreparedState;
    expect(shipped).toEqual(prepared);
  });

  it('grades with an edited rubric.yaml of its installation as edited, not with what the build prepared', async () => {
    const copy = join(work, 'package');
    cpSync(builtPackage(), copy, { recursive: true });
    const rubric = readFileSync(join(copy, 'rubric.yaml'), 'utf8');
    writeFileSync(join(copy, 'rubric.yaml'), rubric.replace('title: Create a private S3 bucket', 'title: Create a private S3 bucket (edited)'));
    const shown = await run(['rubric', 'show'], { bin: join(copy, 'dist/bin/lab-grader.js') });
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain('Create a private S3 bucket (edited)');
    const original = await run(['rubric', 'show']);
    expect(original.stdout).toContain('Create a private S3 bucket');
    expect(original.stdout).not.toContain('(edited)');
  });
});
