// The CI and LMS examples under docs/ci: they install a pinned release of lab-grader (never a
// registry name this project does not own), and the GitHub Classroom template's grading step,
// run as GitHub would run it, hands the grading reporter a payload it can read.
import { execFile } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { ClassroomResults } from '../../src/report/classroom.js';
import { bin as builtBin } from '../support/cli.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const read = (path: string): string => readFileSync(join(root, path), 'utf8');

/** Every user-facing document and CI example: the README, docs/ and docs/ci/. */
function documents(dir = 'docs'): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? documents(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

interface Workflow {
  name: string;
  env: Record<string, string>;
  jobs: Record<string, { steps: { name?: string; id?: string; uses?: string; run?: string; env?: Record<string, string>; with?: Record<string, string> }[] }>;
}

describe('the install path in the docs and CI examples', () => {
  it.each(['README.md', ...documents()])('%s never runs lab-grader through npx or a registry name', (path) => {
    expect(read(path)).not.toMatch(/npx\s+(--yes\s+|-y\s+)?lab-grader|npm (install|i|exec)\s+(-g\s+|--global\s+)?lab-grader(@|\s|$)/m);
  });

  it.each(['docs/ci/github-actions.yml', 'docs/ci/classroom/classroom.yml'])('%s installs a pinned release tarball checked against its SHA-256', (path) => {
    const workflow = parse(read(path)) as Workflow;
    expect(workflow.env.LAB_GRADER_URL).toMatch(/\/releases\/download\/v\d+\.\d+\.\d+\/lab-grader-\d+\.\d+\.\d+\.tgz$/);
    const install = Object.values(workflow.jobs).flatMap((job) => job.steps).find((step) => step.run?.includes('LAB_GRADER_URL'));
    expect(install?.run).toContain('sha256sum --check --strict');
    expect(install?.run).toMatch(/npm install --global --omit=dev .*lab-grader\.tgz"/);
  });

  it('the Gradescope setup installs the tarball shipped in the autograder zip, checked against its checksum', () => {
    const setup = read('docs/ci/gradescope/setup.sh');
    expect(setup).toContain('sha256sum --check --strict lab-grader.sha256');
    expect(setup).toMatch(/npm install --global --omit=dev .*"\.\/\$tarball"/);
  });
});

describe('the GitHub Classroom template', () => {
  const workflow = parse(read('docs/ci/classroom/classroom.yml')) as Workflow;
  const steps = workflow.jobs['run-autograding-tests']?.steps ?? [];
  const gradeStep = steps.find((step) => step.id === 'labgrader')!;
  const work = mkdtempSync(join(tmpdir(), 'lab-grader-classroom-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  // `lab-grader` on PATH runs this checkout's CLI as the installed package does: its built bin.
  const bin = join(work, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'lab-grader'), `#!/bin/sh\nexec "${process.execPath}" "${builtBin()}" "$@"\n`);
  chmodSync(join(bin, 'lab-grader'), 0o755);

  /** Runs the grading step's script in a student's repository and decodes what the reporter reads. */
  function gradeRepository(name: string, files: Record<string, string>, env: NodeJS.ProcessEnv = {}): Promise<{ results: ClassroomResults; summary: string }> {
    const repo = join(work, name);
    mkdirSync(repo);
    for (const [file, source] of Object.entries(files)) copyFileSync(source, join(repo, file));
    const output = join(repo, 'github-output');
    const summary = join(repo, 'step-summary');
    writeFileSync(output, '');
    writeFileSync(summary, '');
    return new Promise((resolve, reject) => {
      execFile(
        'bash',
        ['-e', '-c', gradeStep.run!],
        { cwd: repo, env: { ...process.env, ...workflow.env, PATH: `${bin}:${process.env.PATH}`, GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: summary, NO_COLOR: '1', ...env } },
        (error) => {
          if (error) return reject(error);
          const line = readFileSync(output, 'utf8').split('\n').find((candidate) => candidate.startsWith('result='))!;
          // As the reporter does: process.env[`${runner.toUpperCase()}_RESULTS`], base64, JSON.
          const results = JSON.parse(Buffer.from(line.slice('result='.length), 'base64').toString('utf-8')) as ClassroomResults;
          resolve({ results, summary: readFileSync(summary, 'utf8') });
        },
      );
    });
  }

  it('is named and shaped as GitHub Classroom requires, and hands the payload to the reporter under its runner id', () => {
    expect(workflow.name).toBe('Autograding Tests');
    expect(Object.keys(workflow.jobs)).toEqual(['run-autograding-tests']);
    const reporter = steps.find((step) => step.uses?.startsWith('classroom-resources/autograding-grading-reporter@'))!;
    const runner = reporter.with!.runners!;
    expect(runner).toMatch(/^[a-zA-Z0-9]+$/);
    expect(reporter.env).toEqual({ [`${runner.toUpperCase()}_RESULTS`]: `\${{ steps.${runner}.outputs.result }}` });
    expect(gradeStep.id).toBe(runner);
  });

  it('grades a committed snapshot into the payload and the job summary', async () => {
    const { results, summary } = await gradeRepository('complete', {
      'snapshot.json': join(root, 'examples/complete-lab.snapshot.json'),
      'test_endpoints.py': join(root, 'examples/submission/test_endpoints.py'),
    });
    expect(results).toMatchObject({ version: 1, status: 'pass', max_score: 10 });
    // Added as the reporter adds them before posting "Points <sum>/<max_score>" to the gradebook:
    // 9.50 (2.3's review waits for a person) and the bonus point as extra credit.
    let points = 0;
    for (const test of results.tests) points += test.score;
    expect(`Points ${points}/${results.max_score}`).toBe('Points 10.5/10');
    expect(results.tests.find((test) => test.name.startsWith('2.3 '))?.message).toMatch(/^manual review, 0\.50\/1\.00 earned so far/);
    expect(summary).toContain('**9.50 / 10.00 points, bonus 1.00 / 1.00**');
  }, 60_000);

  it('still hands the reporter a payload, with the reason, when there is nothing to grade', async () => {
    const { results } = await gradeRepository('empty', {});
    expect(results).toMatchObject({ version: 1, status: 'error', max_score: 10 });
    expect(results.tests).toEqual([expect.objectContaining({ status: 'error', score: 0, max_score: 10 })]);
    expect(results.tests[0]?.message).toContain('nothing to grade in the repository: commit role-arn.txt');
  }, 60_000);

  it("takes the student from the repository's name, never from its files, and assumes their role with that student's external id", async () => {
    writeFileSync(join(work, 'role-arn.txt'), 'arn:aws:iam::210987654321:role/lab-grader-readonly\n');
    const secret = '9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f';
    const { results } = await gradeRepository(
      'identity',
      { 'role-arn.txt': join(work, 'role-arn.txt') },
      {
        GITHUB_REPOSITORY: 'example-class/mlops-lab-bob',
        LAB_GRADER_COURSE_SECRET: secret,
        LAB_GRADER_AWS_ACCESS_KEY_ID: 'AKIAEXAMPLEKEYTESTS1',
        LAB_GRADER_AWS_SECRET_ACCESS_KEY: 'fakeSecretForTheClassroomTemplateTest00',
        // Nothing answers here: the grade stops at the role, naming whose grade it was.
        AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
        AWS_REGION: 'eu-west-1',
        AWS_CONFIG_FILE: join(work, 'none'),
        AWS_SHARED_CREDENTIALS_FILE: join(work, 'none'),
      },
    );
    expect(results).toMatchObject({ version: 1, status: 'error' });
    expect(results.tests[0]?.message).toMatch(/^lab-grader: could not grade through arn:aws:iam::210987654321:role\/lab-grader-readonly for student bob /);
    expect(JSON.stringify(results)).not.toContain(secret);
  }, 60_000);

  it('says why when the snapshot is broken', async () => {
    cpSync(join(root, 'rubric.yaml'), join(work, 'not-a-snapshot.json'));
    const { results } = await gradeRepository('broken', { 'snapshot.json': join(work, 'not-a-snapshot.json') });
    expect(results.status).toBe('error');
    expect(results.tests[0]?.message).toMatch(/^lab-grader: .*snapshot\.json/);
  }, 60_000);
});
