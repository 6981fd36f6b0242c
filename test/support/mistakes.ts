// The one mistake-table harness of the check tests: every registered check runs on the
// complete lab with one typical mistake, and only the checks the table names may change.
import { expect } from 'vitest';
import { allChecks } from '../../checks/index.js';
import type { CheckDefinition, CheckStatus } from '../../src/check/define.js';
import type { Evaluation } from '../../src/grade/evaluate.js';
import type { Submission } from '../../src/resolve/lab.js';
import type { Snapshot } from '../../src/snapshot/types.js';
import { example, labOf, labParams, runChecks } from './fixtures.js';

export interface GradeOptions {
  /** The rubric profile whose params grade (own-account by default). */
  profile?: string;
  submission?: Submission | null;
  /** Which checks run; every registered check by default. */
  checks?: readonly CheckDefinition[];
}

/** What a mistake should do to one check: its status, share of points and words its hint or cause must hold. */
export interface Expected {
  status: CheckStatus;
  fraction?: number;
  says?: string[];
}

/** One row of a check's mistake table: the complete lab, one mutation, the checks it changes. */
export interface Mistake {
  name: string;
  mutate: (snapshot: Snapshot) => void;
  expected: Record<string, Expected>;
  profile?: string;
}

/** The checks on one snapshot as the engine grades them (the profile's params, the rubric's hints), by id. */
export function gradeChecks(snapshot: Snapshot, options: GradeOptions = {}): Record<string, Evaluation> {
  const params = labParams({}, options.profile);
  const lab = labOf(snapshot, { params, profile: options.profile, submission: options.submission ?? null });
  return runChecks(options.checks ?? allChecks, lab, params);
}

// The complete lab graded once per set of options: every row compares with it.
const baselines = new Map<string, Record<string, Evaluation>>();

function baseline(options: GradeOptions): Record<string, Evaluation> {
  const key = JSON.stringify([options.profile, options.submission, options.checks?.map((check) => check.id)]);
  let results = baselines.get(key);
  if (!results) {
    results = gradeChecks(example('complete-lab'), options);
    baselines.set(key, results);
  }
  return results;
}

/** Asserts the expected checks changed as described, and every other check graded as on the complete lab. */
export function expectOnly(snapshot: Snapshot, expected: Record<string, Expected>, options: GradeOptions = {}): Record<string, Evaluation> {
  const results = gradeChecks(snapshot, options);
  const complete = baseline(options);
  for (const [id, result] of Object.entries(results)) {
    const want = expected[id];
    if (!want) {
      expect({ id, status: result.status, fraction: result.fraction }).toEqual({ id, status: complete[id]?.status, fraction: complete[id]?.fraction });
      continue;
    }
    expect({ id, status: result.status }).toEqual({ id, status: want.status });
    if (want.fraction !== undefined) expect(result.fraction).toBeCloseTo(want.fraction);
    for (const words of want.says ?? []) expect(`${result.hint ?? ''} ${result.cause ?? ''}`).toContain(words);
  }
  expect(Object.keys(expected).filter((id) => !(id in results))).toEqual([]);
  return results;
}
