// The app checks (HTTP probes through the ALB, the student's test script) on fixtures: the
// complete lab passes, each typical mistake changes only the checks that grade it, and a probe
// the grader could not make is an error, not a fail.
import { describe, expect, it } from 'vitest';
import { appChecks } from './index.js';
import type { Submission } from '../../src/resolve/lab.js';
import { completeLabWith, denied, example, runCheck } from '../../test/support/fixtures.js';
import { gradeChecks, type Mistake, testMistakes } from '../../test/support/mistakes.js';

const mistakes: Mistake[] = [
  {
    name: 'the prediction endpoint answering the same label for everything',
    mutate: (s) => s.probes.results.filter((r) => r.id.startsWith('predict.')).forEach((r) => (r.bodyExcerpt = '{"prediction":"positive","score":0.5}')),
    expected: { 'app.predicts-sentiment': { status: 'fail' } },
  },
  {
    name: 'a GET endpoint that fails',
    mutate: (s) => Object.assign(s.probes.results.find((r) => r.id === 'get:/health')!, { status: 500 }),
    expected: { 'app.get-endpoints': { status: 'partial', says: ['failing: /health'] } },
  },
  {
    name: 'an ALB answering 503 (no healthy target)',
    mutate: (s) => s.probes.results.forEach((r) => (r.status = 503)),
    expected: { 'app.alb-responds': { status: 'fail', says: ['no healthy target'] }, 'app.page-or-docs': { status: 'fail' }, 'app.get-endpoints': { status: 'fail' }, 'app.predicts-sentiment': { status: 'fail' } },
  },
];

describe('app checks on the complete lab', () => {
  it('pass every check', () => {
    const results = gradeChecks(example('complete-lab'), { checks: appChecks });
    expect(Object.values(results).map((result) => result.status)).toEqual(appChecks.map(() => 'pass'));
  });
});

describe('each mistake misses only its own step', () => {
  testMistakes(mistakes);
});

describe('app.test-script', () => {
  const testScript = appChecks.find((check) => check.id === 'app.test-script')!;
  it('is manual without --submission', () => {
    const result = runCheck(testScript, example('complete-lab'));
    expect(result.status).toBe('manual');
    expect(result.hint).toContain('--submission DIR');
  });
  const cases: [Submission['pythonTests'], string][] = [
    [[{ path: 'test_api.py', endpoints: ['/health'] }], 'partial'],
    [[{ path: 'test_math.py', endpoints: [] }], 'fail'],
    [[], 'fail'],
  ];
  it.each(cases)('grades tests calling %j as %s', (pythonTests, status) => {
    expect(runCheck(testScript, example('complete-lab'), { submission: { dir: 'work', pythonTests } }).status).toBe(status);
  });
});

describe('whose fault a failed probe is', () => {
  const albResponds = appChecks.find((check) => check.id === 'app.alb-responds')!;
  it('is error, not fail, when the existing ALB was not probed', () => {
    const snapshot = completeLabWith((s) => void (s.probes = { target: null, skipped: 'probing was turned off', results: [] }));
    const result = runCheck(albResponds, snapshot);
    expect(result.status).toBe('error');
    expect(result.cause).toContain('probing was turned off');
    expect(result.hint).toContain('--alb-url');
  });

  it('is fail when the account has no load balancer', () => {
    const snapshot = completeLabWith((s) => {
      s.facts.loadBalancers = { ok: true, data: [] };
      s.probes = { target: null, skipped: 'no internet-facing application load balancer found in the account', results: [] };
    });
    expect(runCheck(albResponds, snapshot)).toMatchObject({ status: 'fail', hint: expect.stringContaining('Create an internet-facing Application Load Balancer') });
  });

  it('is error when nothing was probed and the load balancers could not be read', () => {
    const snapshot = completeLabWith((s) => {
      s.facts.loadBalancers = denied('elasticloadbalancing:DescribeLoadBalancers');
      s.probes = { target: null, skipped: 'no load balancer of the lab was found in the account', results: [] };
    });
    expect(runCheck(albResponds, snapshot)).toMatchObject({ status: 'error', cause: expect.stringContaining('DescribeLoadBalancers') });
  });

  it('is error when the ALB name did not resolve from the grader', () => {
    const snapshot = completeLabWith((s) =>
      s.probes.results.forEach((r) => {
        delete r.status;
        r.error = { code: 'dns', message: "the name did not resolve from the grader's network (EAI_AGAIN)" };
      }),
    );
    const results = gradeChecks(snapshot, { checks: appChecks });
    expect(Object.fromEntries(Object.entries(results).map(([id, result]) => [id, result.status]))).toMatchObject({
      'app.alb-responds': 'error',
      'app.page-or-docs': 'error',
      'app.get-endpoints': 'error',
      'app.predicts-sentiment': 'error',
    });
    // A live grade and a regrade of its snapshot say the same, so the hint holds for both: no "without --snapshot".
    expect(results['app.alb-responds']?.hint).toMatch(/^The load balancer's DNS name did not resolve .* Grade again in a few minutes, or probe a URL you choose with --alb-url URL\.$/);
    expect(Object.values(results).map((result) => result.hint ?? '').join(' ')).not.toContain('--snapshot');
  });

  it('gives each reason the grader could not probe its own hint', () => {
    const hintFor = (code: string) =>
      runCheck(
        albResponds,
        completeLabWith((s) =>
          s.probes.results.forEach((r) => {
            delete r.status;
            r.error = { code, message: code };
          }),
        ),
      ).hint;
    expect(hintFor('refused-address')).toContain('an address the grader never probes');
    expect(hintFor('budget-spent')).toContain('--timeout');
    expect(new Set(['dns', 'refused-address', 'budget-spent'].map(hintFor)).size).toBe(3);
  });

  it('says in the evidence that the target was overridden', () => {
    const snapshot = completeLabWith((s) => void (s.probes.target = { url: 'http://127.0.0.1:8000', source: 'override' }));
    expect(runCheck(albResponds, snapshot).evidence[0]).toContain('overridden with --alb-url');
  });
});
