// A small hand-made scorecard with every step status, so the HTML pages can be tested
// without the engine; `hostileHint` puts markup where a student's resource name could.
import { estimateRunningCost } from '../../src/cost/estimate.js';
import type { CheckResult, Scorecard, StepResult, StepStatus } from '../../src/grade/scorecard.js';
import { example, labParams } from '../support/fixtures.js';

export const hostileHint = 'Rename the bucket <script>alert("x")</script> & "retry" \'now\'';

function step(id: string, title: string, status: StepStatus, earned: number, max: number, extra: Partial<CheckResult> = {}): StepResult {
  return {
    id,
    title,
    status,
    points: { earned, max },
    checks: [{ id: `check.${id}`, title, status: status === 'unearned' ? 'fail' : status, points: { earned, max }, evidence: [`observed for ${id}`], ...extra }],
  };
}

export function sampleScorecard(overrides: { earned?: number[] } = {}): Scorecard {
  const [a = 0.25, b = 0.1, c = 0.5, d = 0] = overrides.earned ?? [];
  const sectionOne = [
    step('1.1', 'Enable MFA for the root account', a === 0.25 ? 'pass' : a > 0 ? 'partial' : 'fail', a, 0.25),
    step('1.2', 'Create an admin IAM group and user', b === 0.25 ? 'pass' : b > 0 ? 'partial' : 'fail', b, 0.25, {
      hint: 'Add the admin user to the group admin.',
    }),
    step('1.3', 'Connect to AWS using the CLI', 'error', 0, 0.25, {
      cause: 'could not read userEvents: cloudtrail:LookupEvents answered AccessDenied: not authorized',
      hint: 'Grant cloudtrail:LookupEvents to the grading identity.',
    }),
    step('1.4', 'Set up billing and cost alerts', 'skip', 0, 0, { notes: ['not applicable with the academy profile'] }),
  ];
  const sectionTwo = [
    step('2.1', 'Create a private S3 bucket', c === 0.5 ? 'pass' : c > 0 ? 'partial' : 'fail', c, 0.5, c === 0.5 ? {} : { hint: hostileHint }),
    step('2.3', 'Integrate S3 into the ML workflow', 'manual', 0, 0.5, { hint: 'A person checks that the app loads its model from S3.' }),
  ];
  const bonus = [step('bonus', 'A CloudWatch alarm on the lab', d > 0 ? 'pass' : 'unearned', d, 1, d > 0 ? {} : { hint: 'Create an alarm.' })];
  const sum = (steps: StepResult[], key: 'earned' | 'max'): number =>
    Math.round(steps.reduce((total, s) => total + s.points[key] * 100, 0)) / 100;
  const all = [...sectionOne, ...sectionTwo];
  const counts: Record<StepStatus, number> = { pass: 0, partial: 0, fail: 0, unearned: 0, error: 0, manual: 0, skip: 0 };
  for (const s of [...all, ...bonus]) counts[s.status] += 1;
  return {
    schemaVersion: 2,
    lab: 'Introduction to Cloud Computing for MLOps',
    rubric: { file: 'rubric.yaml', sha256: 'a'.repeat(64), paramsSha256: 'b'.repeat(64) },
    grader: { version: '0.2.0' },
    profile: 'own-account',
    subject: {
      account: '123456789012',
      region: 'eu-west-1',
      caller: 'arn:aws:iam::123456789012:user/grader',
      collectedAt: '2026-11-20T16:30:00.000Z',
    },
    collection: { durationMs: 4200 },
    target: { url: 'http://sentiment-app-alb-1234567890.eu-west-1.elb.amazonaws.com', overridden: false },
    sections: [
      { id: '1', title: 'Account setup & IAM configuration', status: 'error', points: { earned: sum(sectionOne, 'earned'), max: sum(sectionOne, 'max') }, steps: sectionOne },
      { id: '2', title: 'Amazon S3 setup and file management', status: 'manual', points: { earned: sum(sectionTwo, 'earned'), max: sum(sectionTwo, 'max') }, steps: sectionTwo },
    ],
    bonus,
    total: { earned: sum(all, 'earned'), max: sum(all, 'max') },
    rubricMax: 10,
    bonusPoints: { earned: d, max: 1 },
    counts,
    choices: [
      { resource: 'loadBalancer', chosen: 'sentiment-app-alb', candidates: 2, why: 'internet-facing, its target group serves port 8000' },
      { resource: 'natGateway', chosen: null, candidates: 0, why: 'no NAT gateway in the lab VPC' },
    ],
    cost: estimateRunningCost(example('complete-lab'), labParams().prices),
  };
}
