// The score reports as the consumers' own code shows them: GitHub Classroom's grading reporter,
// mikepenz/action-junit-report and dorny/test-reporter, their published builds run from
// ../shared/consumers by its run-action.mjs as a GitHub runner would (inputs, job summary,
// outputs, and a local stand-in for the GitHub API that records what they send).
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Scorecard, StepResult } from '../../src/grade/scorecard.js';
import { cli, root } from '../support/cli.js';

/** The consumers folder beside the repository, as `.ci/run` finds `../shared/aws-standin`; LAB_GRADER_CONSUMERS points elsewhere. */
const consumers = resolve(root, process.env.LAB_GRADER_CONSUMERS ?? '../shared/consumers');
const runAction = join(consumers, 'run-action.mjs');
const present = existsSync(runAction);
const HOW_TO_RUN = `put the consumers' folder at ${consumers} or set LAB_GRADER_CONSUMERS to it`;
// CI has the folder and requires the suite: there, a missing folder is a failure, not a skip.
if (!present && process.env.LAB_GRADER_CONSUMERS_REQUIRED) throw new Error(`LAB_GRADER_CONSUMERS_REQUIRED is set but there is no ${runAction}: ${HOW_TO_RUN}`);
if (!present) console.log(`consumer suite skipped: to run it, ${HOW_TO_RUN}`);

interface ActionRun {
  exit: number;
  /** What the action printed, colours removed. */
  log: string;
  summary: string;
  requests: { method: string; url: string; body?: { output?: { title: string; annotations: { path: string; title: string; message: string; annotation_level: string }[] } } }[];
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

const work = mkdtempSync(join(tmpdir(), 'lab-grader-consumers-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs one action on a workspace, as a runner would, within a minute. */
function run(action: string, inputs: Record<string, string>, workspace: string, env: Record<string, string> = {}): Promise<ActionRun> {
  const out = join(work, `${action}-${Math.random().toString(36).slice(2)}`);
  const extra = Object.entries(env).map(([name, value]) => `${name}=${value}`);
  return new Promise((done, fail) => {
    execFile(process.execPath, [runAction, action, JSON.stringify(inputs), workspace, out, ...extra], { timeout: 60_000 }, (error) => {
      if (!existsSync(join(out, 'exit.txt'))) return fail(error ?? new Error(`${action} left no exit.txt`));
      done({
        exit: Number(readFileSync(join(out, 'exit.txt'), 'utf8')),
        log: readFileSync(join(out, 'log.txt'), 'utf8').replace(ANSI, ''),
        summary: readFileSync(join(out, 'summary.md'), 'utf8'),
        requests: JSON.parse(readFileSync(join(out, 'requests.json'), 'utf8')) as ActionRun['requests'],
      });
    });
  });
}

/** Grades a bundled example with the CLI into `<work>/<name>/reports`, a git checkout as the actions expect. */
async function graded(name: string, args: string[]): Promise<{ workspace: string; scorecard: Scorecard; classroom: string }> {
  const workspace = join(work, name);
  const reports = join(workspace, 'reports');
  mkdirSync(workspace, { recursive: true });
  const result = await cli(['grade', ...args, '--format', 'json,junit,classroom', '--out', reports]);
  expect(result.code, result.stderr).toBe(0);
  await new Promise<void>((done, fail) => execFile('sh', ['-c', 'git init -q && git add -A'], { cwd: workspace }, (error) => (error ? fail(error) : done())));
  return {
    workspace,
    scorecard: JSON.parse(readFileSync(join(reports, 'scorecard.json'), 'utf8')) as Scorecard,
    classroom: readFileSync(join(reports, 'classroom.b64'), 'utf8'),
  };
}

const steps = (card: Scorecard): StepResult[] => [...card.sections.flatMap((section) => section.steps), ...card.bonus];
const oneLine = (text: string): string => text.replace(/\s*\n\s*/g, ' ');

interface Workflow {
  jobs: Record<string, { steps: { uses?: string; with?: Record<string, string | boolean> }[] }>;
}

/** The `with:` of the step that uses this action in one of our CI templates, as the runner passes it (strings). */
function templateInputs(file: string, action: string): Record<string, string> {
  const workflow = parse(readFileSync(join(root, file), 'utf8')) as Workflow;
  const step = Object.values(workflow.jobs)
    .flatMap((job) => job.steps)
    .find((candidate) => candidate.uses?.startsWith(`${action}@`));
  if (!step) throw new Error(`${file} has no step using ${action}`);
  return Object.fromEntries(Object.entries(step.with ?? {}).map(([name, value]) => [name, String(value)]));
}

describe.skipIf(!present)("the reports as the consumers' own code shows them", { timeout: 180_000 }, () => {
  // The academy mistakes example: partial, failed, manual, not applicable and bonus-not-earned steps.
  let academy: Awaited<ReturnType<typeof graded>>;
  beforeAll(async () => {
    academy = await graded('academy', ['--snapshot', join(root, 'examples/mistakes.snapshot.json'), '--lab-profile', 'academy']);
  });

  describe('GitHub Classroom grading reporter', () => {
    let reporter: ActionRun;
    beforeAll(async () => {
      reporter = await run('classroom-grading-reporter', { runners: 'labgrader' }, academy.workspace, { LABGRADER_RESULTS: academy.classroom });
    });

    it('posts the grade to the gradebook with at most two decimals', () => {
      expect(reporter.log).toContain('::notice title=Autograding complete::Points 8.54/10\n');
      expect(reporter.log).toContain('::notice title=Autograding report::{"totalPoints":8.54,"maxPoints":10}\n');
    });

    it('prints no "line undefined", and each step with its points', () => {
      expect(reporter.log).not.toContain('line undefined');
      expect(reporter.log).toContain('✅ 1.3 Connect to AWS using the CLI [0.25/0.25]\n');
      expect(reporter.log).toContain('❌ 4.6 Configure security groups [0.12/0.25]\n');
      expect(reporter.log).toContain('✅ 2.3 Integrate S3 into the ML workflow [0.50/1.00, so far: manual review]\n');
    });

    it('prints the hint of every missed step', () => {
      const missed = steps(academy.scorecard).filter((step) => step.status !== 'pass' && step.status !== 'skip');
      expect(missed.map((step) => step.id)).toEqual(['2.1', '2.3', '3.1', '4.6', '5.2', '6.2', 'bonus']);
      for (const step of missed) {
        for (const check of step.checks.filter((candidate) => candidate.status !== 'pass' && candidate.hint)) {
          expect(reporter.log, `${step.id}'s hint`).toContain(oneLine(check.hint!));
        }
      }
    });

    it('says which printed line is the grade: its own "Total points" counts tests passed', () => {
      expect(reporter.log).toContain('This is the grade GitHub Classroom records: Points 8.54/10.\n');
      // Our sentence and the reporter's own line agree on its number.
      expect(reporter.log).toContain('count tests passed (24 of 28) × 10 = 8.57, not points.\n');
      expect(reporter.log).toContain('Total points for labgrader: 8.57/10\n');
    });

    it('fails the job for the lost points, and prints no workflow command of its own', () => {
      expect(reporter.exit).toBe(1);
      const commands = reporter.log.split('\n').filter((line) => line.trimStart().startsWith('::'));
      expect(commands).toEqual([
        '::notice title=Autograding complete::Points 8.54/10',
        '::notice title=Autograding report::{"totalPoints":8.54,"maxPoints":10}',
        '::error::Some tests failed.',
      ]);
    });

    it('under --integrity strict, on the bundled example: fails the job, posts 0 and names the flag', async () => {
      const strict = await graded('strict', ['--snapshot', join(root, 'examples/complete-lab.snapshot.json'), '--integrity', 'strict']);
      const result = await run('classroom-grading-reporter', { runners: 'labgrader' }, strict.workspace, { LABGRADER_RESULTS: strict.classroom });
      expect(result.exit).toBe(1);
      expect(result.log).toContain('::notice title=Autograding complete::Points 0/10\n');
      expect(result.log).toMatch(/❌ Grade: Points 0\/10 \(lab 0\.00\/10\.00, bonus 0\.00\/1\.00\)\. Integrity flag \(bundled-example\): 0 points under --integrity strict/);
      expect(result.log).toContain('Flag: bundled-example: the bundled example examples/complete-lab.snapshot.json, unchanged');
      expect(result.log).toContain('::error::Some tests failed.');
    });
  });

  describe('mikepenz/action-junit-report with the GitHub Actions template inputs', () => {
    let report: ActionRun;
    beforeAll(async () => {
      report = await run('mikepenz-action-junit-report', templateInputs('docs/ci/github-actions.yml', 'mikepenz/action-junit-report'), academy.workspace);
    });

    it('shows the total, the passed and the skipped steps in the job summary', () => {
      expect(report.summary).toContain('Total: 7.79/9.25 points, bonus 0.00/1.00</td><td>✅ passed');
      expect(report.summary).toContain('1.3 Connect to AWS using the CLI [0.25/0.25]</td><td>✅ passed');
      expect(report.summary).toContain('1.4 Set up billing and cost alerts [not applicable with the academy profile]</td><td>⚠️ skipped');
    });

    it('annotates each miss at its section, with the hint', () => {
      const check = report.requests.find((request) => request.method === 'POST' && request.url.endsWith('/check-runs'));
      const failures = check?.body?.output?.annotations.filter((annotation) => annotation.annotation_level === 'failure') ?? [];
      expect(failures.map((annotation) => annotation.path)).toEqual([
        '2 Amazon S3 setup and file management',
        '3 Elastic Container Registry (ECR) & Docker',
        '4 Virtual Private Cloud (VPC) configuration',
        '5 AWS Fargate deployment & CloudWatch configuration',
      ]);
      expect(failures[0]?.title).toBe('2 Amazon S3 setup and file management.2.1 Create a private S3 bucket [0.00/0.25]');
      expect(failures[0]?.message).toMatch(/^Make bucket sentiment-models-123456789012 private/);
    });
  });

  describe('dorny/test-reporter (java-junit)', () => {
    let report: ActionRun;
    beforeAll(async () => {
      report = await run('dorny-test-reporter', { name: 'AWS lab steps', path: 'reports/junit.xml', reporter: 'java-junit' }, academy.workspace);
    });

    it('shows a reason for each skipped step', () => {
      const skippedLines = report.summary.split('\n').filter((line) => line.trimStart().startsWith('⚪'));
      expect(skippedLines.map((line) => line.trim())).toEqual([
        '⚪ 1.1 Enable MFA for the root account [not applicable with the academy profile]',
        '⚪ 1.2 Create an admin IAM group and user [not applicable with the academy profile]',
        '⚪ 1.4 Set up billing and cost alerts [not applicable with the academy profile]',
        '⚪ 2.3 Integrate S3 into the ML workflow [0.50/1.00 so far, manual review]',
        '⚪ 6.2 Test the endpoints [0.30/0.50 so far, manual review]',
        "⚪ bonus A CloudWatch alarm on the lab's service, target group or load balancer [0.00/1.00, bonus not earned]",
        '⚪ Integrity flag (bundled-example): points kept under --integrity warn; a person should look before the grade counts.',
      ]);
    });

    it('shows each miss with its hint, and the total', () => {
      expect(report.summary).toMatch(/❌ 4\.6 Configure security groups \[0\.12\/0\.25\]\n\tpartial: Add an inbound rule to sentiment-app-sg/);
      expect(report.summary).toContain('✅ Total: 7.79/9.25 points, bonus 0.00/1.00');
    });
  });
});
