// The promise "a fact that could not be read makes its check `error`, never `fail`", kept
// for every fact the definitions declare (a new fact is covered without editing this file):
// the complete lab with any one fact unreadable only moves points from pass into `error`,
// and the example with mistakes with any one fact unreadable gains no points.
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { allChecks, checksById } from '../../checks/index.js';
import { FACT_DEFINITIONS } from '../../src/facts/index.js';
import type { FactDefinition } from '../../src/facts/define.js';
import { grade } from '../../src/grade/engine.js';
import type { CheckResult, Scorecard } from '../../src/grade/scorecard.js';
import { parsePoints } from '../../src/rubric/points.js';
import type { Snapshot } from '../../src/snapshot/types.js';
import { denied, example, labRubric } from '../support/fixtures.js';
import { gradeChecks } from '../support/mistakes.js';

interface Denial {
  /** `vpcs`, or `bucketObjects[sentiment-models-123456789012]` for one entry of a per-resource fact. */
  name: string;
  fact: string;
  deny: (snapshot: Snapshot) => void;
}

/** AccessDenied on the fact's call, as the collector records it. */
function refusal(definition: FactDefinition) {
  return denied(definition.calls[definition.calls.length - 1]?.action ?? definition.key);
}

/** Every fact made unreadable whole, and each entry of a per-resource fact alone, in a copy of `name`'s example. */
function denials(name: string): Denial[] {
  const facts = example(name).facts as unknown as Record<string, unknown>;
  return FACT_DEFINITIONS.flatMap((definition): Denial[] => {
    const key = definition.key;
    if (definition.kind !== 'keyed') {
      return [{ name: key, fact: key, deny: (s) => void ((s.facts as unknown as Record<string, unknown>)[key] = refusal(definition)) }];
    }
    const entries = Object.keys((facts[key] ?? {}) as Record<string, unknown>);
    const denyEntries = (snapshot: Snapshot, keys: readonly string[]) => {
      const map = (snapshot.facts as unknown as Record<string, Record<string, unknown>>)[key]!;
      for (const entry of keys) map[entry] = refusal(definition);
    };
    return [
      { name: key, fact: key, deny: (s) => denyEntries(s, entries) },
      ...(entries.length > 1 ? entries.map((entry) => ({ name: `${key}[${entry}]`, fact: key, deny: (s: Snapshot) => denyEntries(s, [entry]) })) : []),
    ];
  });
}

function graded(snapshot: Snapshot): Scorecard {
  return grade({ rubric: labRubric, rubricFile: 'rubric.yaml', snapshot, checks: checksById });
}

function withDenial(name: string, denial: Denial): Snapshot {
  const snapshot = example(name);
  denial.deny(snapshot);
  return snapshot;
}

interface Graded {
  /** `4.3 vpc.internet-gateway` */
  at: string;
  bonus: boolean;
  result: CheckResult;
}

/** Every check of every step (a check grading two steps is there twice), bonus last. */
function checksOf(scorecard: Scorecard): Graded[] {
  const of = (bonus: boolean) => (step: Scorecard['bonus'][number]) =>
    step.checks.map((result) => ({ at: `${step.id} ${result.id}`, bonus, result }));
  return [...scorecard.sections.flatMap((section) => section.steps).flatMap(of(false)), ...scorecard.bonus.flatMap(of(true))];
}

const cents = (points: number): number => parsePoints(points) ?? Number.NaN;

/** The share of a check's points that is `error`: ungraded, neither earned nor withheld. */
const errorShare = ({ result }: Graded): number => (result.status === 'error' ? cents(result.points.max) - cents(result.points.earned) : 0);

const complete = graded(example('complete-lab'));
const mistakes = graded(example('mistakes'));

describe('the complete lab with one fact unreadable', () => {
  it('is a lab that earns its points: 9.30 of 10 and the bonus', () => {
    expect(complete.total).toEqual({ earned: 9.3, max: 10 });
    expect(complete.bonusPoints).toEqual({ earned: 1, max: 1 });
    expect(checksOf(complete).some(({ result }) => result.status === 'error')).toBe(false);
  });

  it.each(denials('complete-lab').map((denial) => [denial.name, denial] as const))('%s only moves points from pass into error', (_name, denial) => {
    const before = checksOf(complete);
    const after = checksOf(graded(withDenial('complete-lab', denial)));
    expect(after.map(({ at }) => at)).toEqual(before.map(({ at }) => at));
    after.forEach((check, index) => {
      const was = before[index]!;
      const shown = { at: check.at, status: check.result.status, points: check.result.points };
      if (check.result.status === 'error') {
        // The unread share is what the pass earned: nothing of it is held against the student.
        expect({ ...shown, graded: cents(check.result.points.earned) + errorShare(check) }).toEqual({ ...shown, graded: cents(was.result.points.earned) });
      } else {
        expect(shown).toEqual({ at: was.at, status: was.result.status, points: was.result.points });
      }
    });
    const sum = (checks: Graded[], bonus: boolean, of: (check: Graded) => number) =>
      checks.filter((check) => check.bonus === bonus).reduce((total, check) => total + of(check), 0);
    const earned = (check: Graded) => cents(check.result.points.earned);
    // earned + error shares = the complete lab's total (9.30), and its bonus.
    expect(sum(after, false, earned) + sum(after, false, errorShare)).toBe(cents(complete.total.earned));
    expect(sum(after, true, earned) + sum(after, true, errorShare)).toBe(cents(complete.bonusPoints.earned));
  });
});

describe('the example with mistakes with one fact unreadable', () => {
  it.each(denials('mistakes').map((denial) => [denial.name, denial] as const))('%s gains no points, and loses only to error', (_name, denial) => {
    const before = checksOf(mistakes);
    const after = checksOf(graded(withDenial('mistakes', denial)));
    after.forEach((check, index) => {
      const was = before[index]!;
      const shown = { at: check.at, status: check.result.status, earned: check.result.points.earned };
      expect(cents(check.result.points.earned), `${check.at} gains points`).toBeLessThanOrEqual(cents(was.result.points.earned));
      if (check.result.status !== 'error') expect(shown).toEqual({ at: was.at, status: was.result.status, earned: was.result.points.earned });
    });
  });
});

/** The lab with these facts read and empty: a student who left those parts out. */
function leftOut(keys: readonly string[]): Snapshot {
  const snapshot = example('complete-lab');
  type Stored = { ok: boolean; data?: unknown };
  const facts = snapshot.facts as unknown as Record<string, Stored | Record<string, Stored>>;
  const empty = (fact: Stored) => {
    if (fact.ok && Array.isArray(fact.data)) fact.data = [];
  };
  for (const key of keys) {
    const fact = facts[key]!;
    if ('ok' in fact && typeof fact.ok === 'boolean') empty(fact as Stored);
    else for (const entry of Object.values(fact as Record<string, Stored>)) empty(entry);
  }
  return snapshot;
}

// `npm test` runs a bounded number of labs; `npm run test:fuzz` runs FUZZ_RUNS (10,000).
const RUNS = Number(process.env.FUZZ_RUNS ?? 100);
vi.setConfig({ testTimeout: Math.max(20_000, RUNS * 200) });

describe('any lab with parts left out, with one fact unreadable', () => {
  // The examples reach only some of the checks' paths: labs missing any set of parts reach the others.
  it('gains no points, and loses only to error', () => {
    const keys = FACT_DEFINITIONS.map((definition) => definition.key);
    const denialsOf = new Map(denials('complete-lab').map((denial) => [denial.name, denial]));
    fc.assert(
      fc.property(fc.subarray(keys), fc.constantFrom(...denialsOf.keys()), (missing, deniedName) => {
        const base = leftOut(missing);
        const before = checksOf(graded(base));
        const unreadable = leftOut(missing);
        denialsOf.get(deniedName)!.deny(unreadable);
        checksOf(graded(unreadable)).forEach((check, index) => {
          const was = before[index]!;
          const shown = { at: check.at, status: check.result.status, earned: check.result.points.earned };
          expect(cents(check.result.points.earned), `${check.at} gains points`).toBeLessThanOrEqual(cents(was.result.points.earned));
          if (check.result.status !== 'error') expect(shown).toEqual({ at: was.at, status: was.result.status, earned: was.result.points.earned });
        });
      }),
      { numRuns: RUNS },
    );
  });
});

describe('DescribeVpcs denied on the complete lab', () => {
  it('scores 9.30 minus only error shares: no network check is fail or partial', () => {
    const scorecard = graded(withDenial('complete-lab', denials('complete-lab').find((denial) => denial.name === 'vpcs')!));
    const checks = checksOf(scorecard).filter((check) => !check.bonus);
    const unread = checks.reduce((total, check) => total + errorShare(check), 0);
    expect(cents(scorecard.total.earned)).toBe(cents(9.3) - unread);
    // The security groups are the lab's by their rules in the lab VPC, so they rest on it too: 4.6 is error.
    expect(scorecard.total.earned).toBe(6.66);
    const network = checks.filter(({ result }) => /^(vpc|elb)\./.test(result.id));
    expect(network.filter(({ result }) => result.status !== 'pass' && result.status !== 'error')).toEqual([]);
    expect(network.filter(({ result }) => result.status === 'error').map(({ result }) => result.cause)).toContain(
      "could not read vpcs to find the lab's VPC: ec2:DescribeVpcs answered AccessDenied: User is not authorized to perform: ec2:DescribeVpcs",
    );
  });
});

describe('the facts a verdict rests on', () => {
  // Each check's verdict names the facts it read, itself or through the resources it read: any other fact unreadable leaves it as it was.
  it.each(['complete-lab', 'mistakes'])('%s: a fact no verdict of a check rests on cannot change it', (name) => {
    const results = gradeChecks(example(name), { submission: null });
    for (const denial of denials(name)) {
      const after = gradeChecks(withDenial(name, denial), { submission: null });
      for (const check of allChecks) {
        const was = results[check.id]!;
        if (was.restsOn?.has(denial.fact as never)) continue;
        const { restsOn: _before, ...verdict } = was;
        const { restsOn: _after, ...now } = after[check.id]!;
        expect({ check: check.id, denied: denial.name, ...now }).toEqual({ check: check.id, denied: denial.name, ...verdict });
      }
    }
  });
});

describe('the load balancer or the services unreadable on the complete lab', () => {
  // The network's roles come from what its resources are: the load balancer and the service only break ties, which the complete lab has none of.
  it.each([
    ['loadBalancers', 8.05],
    ['services', 7.55],
  ])('%s: steps 4.1 to 4.6 keep their points, and the lab keeps %s', (name, total) => {
    const scorecard = graded(withDenial('complete-lab', denials('complete-lab').find((denial) => denial.name === name)!));
    const network = scorecard.sections.find((section) => section.id === '4')!.steps.filter((step) => step.id !== '4.7');
    expect(network.map((step) => [step.id, step.status])).toEqual(network.map((step) => [step.id, 'pass']));
    expect(scorecard.total.earned).toBe(total);
  });
});
