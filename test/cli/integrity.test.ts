// `grade --snapshot` verifies what it is given, end to end through the real entry point.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, root } from '../support/cli.js';

const completeLab = join(root, 'examples/complete-lab.snapshot.json');
const work = mkdtempSync(join(tmpdir(), 'lab-grader-cli-integrity-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('lab-grader grade --snapshot verifies it', { timeout: 60_000 }, () => {
  it('flags the bundled example, the wrong account and an early collection, and keeps the points under warn', async () => {
    const run = await cli(['grade', '--snapshot', completeLab, '--account', '210987654321', '--collected-after', '2026-11-21', '--format', 'console,gradescope', '--out', work]);
    expect(run.code, run.stderr).toBe(0);
    // The console wraps long lines.
    const flat = run.stdout.replace(/\s+/g, ' ');
    expect(flat).toContain('3 integrity flags (roster-account, outside-window, bundled-example): points kept under --integrity warn');
    expect(flat).toContain("- roster-account: the snapshot is from account 123456789012, not the student's account 210987654321 in the roster");
    expect(run.stdout).toContain('    window: --collected-after 2026-11-21T00:00:00.000Z');
    expect(run.stdout).toMatch(/Total 9\.30 \/ 10\.00/);
    const results = JSON.parse(readFileSync(join(work, 'results.json'), 'utf8')) as { score: number; output: string };
    expect(results.score).toBe(10.3);
    expect(results.output).toContain('- bundled-example: the bundled example examples/complete-lab.snapshot.json, unchanged');
  });

  it('gives 0 under --integrity strict, which --min-score then fails', async () => {
    const out = join(work, 'strict');
    const run = await cli(['grade', '--snapshot', completeLab, '--integrity', 'strict', '--min-score', '5', '--format', 'console,gradescope,classroom,junit', '--out', out]);
    expect(run.code).toBe(1);
    const headline = 'Integrity flag (bundled-example): 0 points under --integrity strict; the checks gave 9.30 / 10.00, bonus 1.00.';
    expect(run.stdout.replace(/\s+/g, ' ')).toContain(headline);
    expect(run.stdout).toMatch(/Total 0\.00 \/ 10\.00 +Bonus 0\.00 \/ 1\.00/);
    expect(run.stderr).toContain('score 0 is below --min-score 5');
    // Every LMS format gives the 0 and says why; the steps still show what the checks found.
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as { score: number; output: string; tests: { score: number }[] };
    expect(results.score).toBe(0);
    expect(results.output).toContain('**0.00/10.00 points**');
    expect(results.output).toContain('0 points under --integrity strict');
    expect(results.tests.some((test) => test.score > 0)).toBe(true);
    const classroom = JSON.parse(Buffer.from(readFileSync(join(out, 'classroom.b64'), 'utf8'), 'base64').toString('utf8')) as { status: string; tests: { name: string; status: string; score: number }[] };
    expect(classroom.tests.reduce((sum, test) => sum + test.score, 0)).toBe(0);
    expect(classroom.status).toBe('fail');
    expect(classroom.tests.at(-1)).toMatchObject({ name: `Grade: Points 0/10 (lab 0.00/10.00, bonus 0.00/1.00). ${headline}`, status: 'fail' });
    const junit = readFileSync(join(out, 'junit.xml'), 'utf8');
    expect(junit).toContain('[0.00/10.00 points, bonus 0.00/1.00]');
    expect(junit).toContain(headline);
  });

  it('refuses a window that is not a date, an unknown mode and a bad account (exit 2)', async () => {
    const runs = await Promise.all([
      cli(['grade', '--snapshot', completeLab, '--collected-before', 'next week']),
      cli(['grade', '--snapshot', completeLab, '--integrity', 'lenient']),
      cli(['grade', '--snapshot', completeLab, '--account', '1234']),
      cli(['grade', '--snapshot', completeLab, '--collected-after', '2026-12-01', '--collected-before', '2026-11-01']),
    ]);
    expect(runs.map((run) => run.code)).toEqual([2, 2, 2, 2]);
    expect(runs[0]!.stderr).toContain('expected a date or date-time such as 2026-11-01');
    expect(runs[1]!.stderr).toContain("Allowed choices are warn, strict");
    expect(runs[2]!.stderr).toContain('expected a 12-digit AWS account id');
    expect(runs[3]!.stderr).toContain('is not before --collected-before');
  });
});

describe('lab-grader grade --deadline', { timeout: 60_000 }, () => {
  it("flags the lab's resources built after the deadline, naming each with its time; a date means the end of that day", async () => {
    const late = await cli(['grade', '--snapshot', completeLab, '--deadline', '2026-11-13', '--format', 'json', '--out', '-']);
    expect(late.code, late.stderr).toBe(0);
    const flags = (JSON.parse(late.stdout) as { integrity: { flags: { kind: string; evidence: string[] }[] } }).integrity.flags;
    const builtLate = flags.find((flag) => flag.kind === 'built-late')!;
    expect(builtLate.evidence).toContain('NAT gateway nat-0e1f2a3b4c5d6e7f8 (sentiment-app-nat): created 2026-11-14T12:00:00.000Z');
    expect(builtLate.evidence).toContain('deadline: --deadline 2026-11-13T23:59:59.999Z');
    const onTime = await cli(['grade', '--snapshot', completeLab, '--deadline', '2026-11-16T00:00:00+01:00', '--format', 'json', '--out', '-']);
    expect((JSON.parse(onTime.stdout) as { integrity: { flags: { kind: string }[] } }).integrity.flags.map((flag) => flag.kind)).toEqual(['bundled-example']);
  });

  it('refuses a deadline that is not a time (exit 2)', async () => {
    const run = await cli(['grade', '--snapshot', completeLab, '--deadline', 'friday']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('expected a date or date-time');
  });
});
