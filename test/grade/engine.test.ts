import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { defineCheck, fail, manual, partial, pass, type CheckDefinition } from '../../src/check/define.js';
import { UsageError } from '../../src/errors.js';
import { grade, type GradeInput } from '../../src/grade/engine.js';
import { combineStatus, type StepStatus } from '../../src/grade/status.js';
import { packageVersion } from '../../src/package.js';
import { parseRubric } from '../../src/rubric/load.js';
import { completeLabWith, denied, example, labParams } from '../support/fixtures.js';
import { usageMessage } from '../rubric/support.js';

let counterRuns = 0;
const checks: CheckDefinition[] = [
  defineCheck({ id: 't.pass', title: 'always passes', run: () => pass(['all good']) }),
  defineCheck({ id: 't.fail', title: 'always fails', run: () => fail('do the thing', ['thing not done']) }),
  defineCheck({ id: 't.third', title: 'a third done', run: () => partial(1 / 3, 'do the rest', ['one of three']) }),
  defineCheck({ id: 't.manual', title: 'a person judges', run: () => manual('look at the code', ['code is there']) }),
  defineCheck({ id: 't.nat', title: 'reads NAT gateways', run: (lab) => pass([`${lab.read('natGateways').length} NAT gateways`]) }),
  defineCheck({
    id: 't.counter',
    title: 'counts its runs',
    run: () => {
      counterRuns += 1;
      return pass(['counted']);
    },
  }),
  defineCheck({
    id: 't.role',
    title: 'tasks run as the required role',
    run: (_lab, params) =>
      params.ecs.requiredRoleName === 'LabRole' ? pass(['LabRole required']) : fail('use LabRole', [`required: ${params.ecs.requiredRoleName}`]),
  }),
];
const registry = new Map(checks.map((check) => [check.id, check]));

const rubricText = stringify({
  version: 1,
  lab: 'A test lab',
  params: labParams(),
  profiles: {
    own: { description: 'everything counts', default: true },
    reduced: { notApplicable: ['1.2'], maximum: 'reduce', params: { 'ecs.requiredRoleName': 'LabRole' } },
    kept: { notApplicable: ['1.2'], maximum: 'keep' },
  },
  sections: [
    {
      id: '1',
      title: 'First',
      points: 1,
      steps: [
        { id: '1.1', title: 'pass and a third', points: 0.5, checks: [{ check: 't.pass', points: 0.25 }, { check: 't.third', points: 0.25 }] },
        { id: '1.2', title: 'counted', points: 0.5, checks: [{ check: 't.counter', points: 0.5 }] },
      ],
    },
    {
      id: '2',
      title: 'Second',
      points: 1,
      steps: [
        { id: '2.1', title: 'fail and pass', points: 0.5, checks: [{ check: 't.fail', points: 0.25 }, { check: 't.pass', points: 0.25 }] },
        { id: '2.2', title: 'counted again', points: 0.25, checks: [{ check: 't.counter', points: 0.25 }] },
        { id: '2.3', title: 'NAT', points: 0.25, checks: [{ check: 't.nat', points: 0.25 }] },
      ],
    },
    {
      id: '3',
      title: 'Third',
      points: 1,
      steps: [{ id: '3.1', title: 'manual and pass', points: 1, checks: [{ check: 't.manual', points: 0.5 }, { check: 't.pass', points: 0.5 }] }],
    },
  ],
  bonus: [{ id: 'bonus', title: 'role', points: 1, checks: [{ check: 't.role', points: 1 }] }],
});
const rubric = parseRubric(rubricText, 'test-rubric.yaml');

function gradeWith(overrides: Partial<GradeInput> = {}) {
  return grade({ rubric, rubricFile: 'test-rubric.yaml', snapshot: example('complete-lab'), checks: registry, ...overrides });
}

const stepsOf = (scorecard: ReturnType<typeof gradeWith>) =>
  Object.fromEntries([...scorecard.sections.flatMap((section) => section.steps), ...scorecard.bonus].map((step) => [step.id, [step.status, step.points.earned, step.points.max]]));

describe('grade', () => {
  it('scores every step from its points and checks, points rounded down per check', () => {
    const scorecard = gradeWith();
    expect(stepsOf(scorecard)).toEqual({
      '1.1': ['partial', 0.33, 0.5],
      '1.2': ['pass', 0.5, 0.5],
      // Some points: partial, however badly one of its checks failed.
      '2.1': ['partial', 0.25, 0.5],
      '2.2': ['pass', 0.25, 0.25],
      '2.3': ['pass', 0.25, 0.25],
      '3.1': ['manual', 0.5, 1],
      bonus: ['unearned', 0, 1],
    });
    expect(scorecard.sections.map((section) => [section.status, section.points])).toEqual([
      ['partial', { earned: 0.83, max: 1 }],
      ['partial', { earned: 0.75, max: 1 }],
      ['manual', { earned: 0.5, max: 1 }],
    ]);
    expect(scorecard.total).toEqual({ earned: 2.08, max: 3 });
    expect(scorecard.bonusPoints).toEqual({ earned: 0, max: 1 });
    expect(scorecard.counts).toEqual({ pass: 3, partial: 2, fail: 0, unearned: 1, error: 0, manual: 1, skip: 0 });
  });

  it('keeps evidence and hints per check', () => {
    const step = gradeWith().sections[1]!.steps[0]!;
    expect(step.checks).toEqual([
      { id: 't.fail', title: 'always fails', status: 'fail', points: { earned: 0, max: 0.25 }, evidence: ['thing not done'], hint: 'do the thing' },
      { id: 't.pass', title: 'always passes', status: 'pass', points: { earned: 0.25, max: 0.25 }, evidence: ['all good'] },
    ]);
  });

  it('runs a check used by two steps once', () => {
    counterRuns = 0;
    const scorecard = gradeWith();
    expect(counterRuns).toBe(1);
    expect(scorecard.sections[0]!.steps[1]!.checks[0]!.evidence).toEqual(['counted']);
    expect(scorecard.sections[1]!.steps[1]!.checks[0]!.points).toEqual({ earned: 0.25, max: 0.25 });
  });

  it('grades an unreadable fact as error with its cause, never fail', () => {
    const snapshot = completeLabWith((s) => {
      s.facts.natGateways = denied('ec2:DescribeNatGateways');
    });
    const step = gradeWith({ snapshot }).sections[1]!.steps[2]!;
    expect(step).toMatchObject({ status: 'error', points: { earned: 0, max: 0.25 } });
    expect(step.checks[0]!.cause).toContain('ec2:DescribeNatGateways answered AccessDenied');
    expect(gradeWith({ snapshot }).sections[1]!.status).toBe('error');
  });

  it('a profile skips its not-applicable steps and, with maximum: reduce, takes them out of the maximum', () => {
    const scorecard = gradeWith({ profile: 'reduced' });
    expect(scorecard.profile).toBe('reduced');
    expect(stepsOf(scorecard)['1.2']).toEqual(['skip', 0, 0]);
    expect(scorecard.sections[0]!.steps[1]!.checks[0]).toMatchObject({ status: 'skip', points: { earned: 0, max: 0 } });
    expect(scorecard.total).toEqual({ earned: 1.58, max: 2.5 });
    expect(scorecard.counts.skip).toBe(1);
    // The profile's params apply: its LabRole makes the bonus check pass.
    expect(scorecard.bonusPoints).toEqual({ earned: 1, max: 1 });
  });

  it('with maximum: keep, a not-applicable step stays in the maximum and earns nothing', () => {
    const scorecard = gradeWith({ profile: 'kept' });
    expect(stepsOf(scorecard)['1.2']).toEqual(['skip', 0, 0.5]);
    expect(scorecard.total).toEqual({ earned: 1.58, max: 3 });
  });

  it('applies --param overrides after the profile, coerced to the param’s type', () => {
    expect(gradeWith({ paramOverrides: { 'ecs.requiredRoleName': 'LabRole' } }).bonusPoints.earned).toBe(1);
    expect(gradeWith({ profile: 'reduced', paramOverrides: { 'ecs.requiredRoleName': 'null' } }).bonus[0]!.checks[0]!.evidence).toEqual(['required: null']);
  });

  it.each([
    [{ 'ecs.requiredRole': 'LabRole' }, '--param ecs.requiredRole: no such param; the params are: iam.adminGroup,'],
    [{ 'ecs.cpu': 'lots' }, '--param ecs.cpu: expected a number, got "lots"'],
    [{ 'network.publicSubnetCidrs': '10.0.1.0/24' }, '--param network.publicSubnetCidrs: expected a JSON array'],
    [{ 'network.publicSubnetCidrs': '["10.0.1.0/24"]' }, '--param network.publicSubnetCidrs: Too small: expected array to have exactly 2 items (got ["10.0.1.0/24"])'],
    [{ 'ecs.cpu': 'null' }, '--param ecs.cpu: expected a number, got "null"'],
  ])('refuses the override %j, naming the key', (paramOverrides, message) => {
    expect(usageMessage(() => gradeWith({ paramOverrides }))).toContain(message);
  });

  it('an unknown rubric profile suggests --profile, the AWS profile', () => {
    expect(usageMessage(() => gradeWith({ profile: 'student' }))).toBe(
      '"student" is not a lab profile of test-rubric.yaml (its profiles: own, reduced, kept). To use the AWS credentials profile "student", pass --profile student.',
    );
  });

  it('refuses a rubric using a check that is not registered, at its line', () => {
    const withoutManual = new Map(registry);
    withoutManual.delete('t.manual');
    const message = usageMessage(() => gradeWith({ checks: withoutManual }));
    expect(message).toMatch(/^test-rubric\.yaml cannot be used for grading/);
    expect(message).toMatch(/\ntest-rubric\.yaml:\d+:\d+: step 3\.1 uses check "t\.manual", which is not registered/);
  });

  it('names the check whose code threw, keeping the cause', () => {
    const broken = new Map(registry);
    broken.set('t.pass', defineCheck({ id: 't.pass', title: 'broken', run: () => { throw new TypeError('boom'); } }));
    expect(() => gradeWith({ checks: broken })).toThrow(expect.objectContaining({ message: expect.stringContaining('check t.pass threw'), cause: expect.any(TypeError) }));
    expect(() => gradeWith({ checks: broken })).not.toThrow(UsageError);
  });

  it('is deterministic: the same inputs give byte-identical JSON', () => {
    expect(JSON.stringify(gradeWith())).toBe(JSON.stringify(gradeWith()));
  });

  it('returns a deeply frozen scorecard with the subject, what graded it (rubric, params, release) and choices', () => {
    const scorecard = gradeWith();
    expect(Object.isFrozen(scorecard.sections[0]!.steps[0]!.checks[0]!.evidence)).toBe(true);
    expect(scorecard.rubric).toEqual({ file: 'test-rubric.yaml', sha256: rubric.sha256, paramsSha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(scorecard.grader).toEqual({ version: packageVersion() });
    // The params' hash follows the params graded with, whatever the order of their keys.
    expect(gradeWith({ paramOverrides: { 'network.appPort': '8080' } }).rubric.paramsSha256).not.toBe(scorecard.rubric.paramsSha256);
    expect(gradeWith({ paramOverrides: { 'network.appPort': '8000' } }).rubric.paramsSha256).toBe(scorecard.rubric.paramsSha256);
    expect(scorecard.subject).toEqual({ account: '123456789012', region: 'eu-west-1', caller: 'arn:aws:iam::123456789012:user/student-admin', collectedAt: '2026-11-20T16:30:00.000Z' });
    expect(scorecard.choices.length).toBeGreaterThan(0);
  });

  it('skips the freezing when the caller asks (a batch thread only renders and sends it), grading the same', () => {
    const unfrozen = gradeWith({ freeze: false });
    expect(Object.isFrozen(unfrozen)).toBe(false);
    expect(Object.isFrozen(unfrozen.sections[0]!.steps[0]!.checks[0]!.evidence)).toBe(false);
    expect(JSON.stringify(unfrozen)).toBe(JSON.stringify(gradeWith()));
  });

  it('grades with the params of the profile and overrides asked for, also when an earlier grade used others', () => {
    const plain = JSON.stringify(gradeWith());
    const otherPort = JSON.stringify(gradeWith({ paramOverrides: { 'network.appPort': '9999' } }));
    expect(otherPort).not.toBe(plain);
    expect(JSON.stringify(gradeWith())).toBe(plain);
    expect(JSON.stringify(gradeWith({ paramOverrides: { 'network.appPort': '9999' } }))).toBe(otherPort);
  });

  it('reports where the probes went, and whether a person overrode it', () => {
    expect(gradeWith().target).toEqual({ url: 'http://sentiment-app-alb-1234567890.eu-west-1.elb.amazonaws.com', overridden: false });
    const overridden = completeLabWith((s) => {
      s.probes.target = { url: 'http://127.0.0.1:8080', source: 'override' };
    });
    expect(gradeWith({ snapshot: overridden }).target).toEqual({ url: 'http://127.0.0.1:8080', overridden: true });
    const unprobed = completeLabWith((s) => {
      s.probes.target = null;
    });
    expect(gradeWith({ snapshot: unprobed }).target).toBeNull();
  });
});

describe('combineStatus', () => {
  // [status, earned, max] of each part, in hundredths.
  it.each([
    [[['pass', 25, 25], ['error', 0, 25], ['fail', 0, 25]], 'error'],
    [[['pass', 25, 25], ['fail', 0, 25]], 'partial'],
    [[['fail', 0, 25], ['fail', 0, 25]], 'fail'],
    [[['partial', 15, 25]], 'partial'],
    [[['manual', 0, 50], ['partial', 10, 25]], 'partial'],
    [[['manual', 0, 50], ['pass', 50, 50]], 'manual'],
    [[['manual', 0, 50]], 'manual'],
    [[['pass', 25, 25], ['skip', 0, 0]], 'pass'],
    [[['skip', 0, 0], ['skip', 0, 0]], 'skip'],
    [[], 'skip'],
  ] as const)('%j → %s', (parts, status) => {
    expect(combineStatus(parts.map(([part, earned, max]) => ({ status: part as StepStatus, earned, max })))).toBe(status);
  });

  it('calls a bonus that earned nothing unearned, never failed', () => {
    expect(combineStatus([{ status: 'fail', earned: 0, max: 100 }], { bonus: true })).toBe('unearned');
    expect(combineStatus([{ status: 'pass', earned: 100, max: 100 }], { bonus: true })).toBe('pass');
    expect(combineStatus([{ status: 'error', earned: 0, max: 100 }], { bonus: true })).toBe('error');
  });
});
