// The one mistake-table harness of the check tests: every registered check runs on the
// complete lab with one typical mistake, and only the checks the table names may change.
import { expect, it } from 'vitest';
import { allChecks, checksById } from '../../checks/index.js';
import type { CheckDefinition, CheckStatus } from '../../src/check/define.js';
import type { Evaluation } from '../../src/grade/evaluate.js';
import type { Submission } from '../../src/resolve/lab.js';
import { permissionsFor } from '../../src/resolve/rules.js';
import type { Snapshot } from '../../src/snapshot/types.js';
import { completeLabRenamed, completeLabWith, example, labOf, labParams, PROTOTYPE_NAMES, runCheck, runChecks } from './fixtures.js';
import { submission as studentTests } from './submission.js';

export interface GradeOptions {
  /** The rubric profile whose params grade (own-account by default). */
  profile?: string;
  /** What `--submission` found; a student's Python tests by default, `null` for none. */
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
  const submission = options.submission === undefined ? studentTests : options.submission;
  const lab = labOf(snapshot, { params, profile: options.profile, submission });
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

/**
 * The groups of the snapshot that admit the app port from another group: resource groups by
 * their own rules, whatever the load balancer or the service is attached to.
 */
export function resourceGroupIds(snapshot: Snapshot, appPort: number): string[] {
  const groups = snapshot.facts.securityGroups.ok ? snapshot.facts.securityGroups.data : [];
  const fromAnotherGroup = (group: (typeof groups)[number]) =>
    permissionsFor(group, appPort).some((permission) => (permission.UserIdGroupPairs ?? []).some((pair) => pair.GroupId !== undefined && pair.GroupId !== group.GroupId));
  return groups.filter(fromAnotherGroup).map((group) => group.GroupId ?? '');
}

/** A hint's clauses: its sentences, and the parts of each between semicolons. */
export function clauses(hint: string): string[] {
  return hint.split(/(?<=\.)\s+|;\s*/).map((clause) => clause.trim()).filter(Boolean);
}

/**
 * Hints never weaken security: no clause of any hint names a resource group together with
 * `0.0.0.0/0` or `::/0` unless it asks to remove that rule; what a group already has is said
 * in a clause of its own, without the group's id.
 */
export function expectSafeHints(snapshot: Snapshot, results: Record<string, Evaluation>, appPort = labParams().network.appPort): void {
  const resourceGroups = resourceGroupIds(snapshot, appPort);
  for (const [id, result] of Object.entries(results)) {
    for (const clause of clauses(result.hint ?? '')) {
      if (!/0\.0\.0\.0\/0|::\/0/.test(clause) || clause.startsWith('Remove ')) continue;
      const opened = resourceGroups.filter((group) => clause.includes(group));
      expect({ check: id, clause, opens: opened }).toEqual({ check: id, clause, opens: [] });
    }
  }
}

/** Asserts the expected checks changed as described, and every other check graded as on the complete lab, with the same hint (none for a pass). */
export function expectOnly(snapshot: Snapshot, expected: Record<string, Expected>, options: GradeOptions = {}): Record<string, Evaluation> {
  const results = gradeChecks(snapshot, options);
  expectSafeHints(snapshot, results, labParams({}, options.profile).network.appPort);
  const complete = baseline(options);
  for (const [id, result] of Object.entries(results)) {
    const want = expected[id];
    if (!want) {
      expect({ id, status: result.status, fraction: result.fraction, hint: result.hint }).toEqual({
        id,
        status: complete[id]?.status,
        fraction: complete[id]?.fraction,
        hint: complete[id]?.hint,
      });
      continue;
    }
    expect({ id, status: result.status }).toEqual({ id, status: want.status });
    if (want.fraction !== undefined) expect(result.fraction).toBeCloseTo(want.fraction);
    for (const words of want.says ?? []) expect(`${result.hint ?? ''} ${result.cause ?? ''}`).toContain(words);
  }
  expect(Object.keys(expected).filter((id) => !(id in results))).toEqual([]);
  return results;
}

/** One test per row of a mistake table: the mutation changes only the checks the row names. */
export function testMistakes(mistakes: readonly Mistake[]): void {
  it.each(mistakes)('$name changes only the checks that grade it', ({ mutate, expected, profile }) => {
    expectOnly(completeLabWith(mutate), expected, profile === undefined ? {} : { profile });
  });
}

/** One test per denied fact: the check that needs it grades `error` naming the call, never `fail`. */
export function testUnreadable(cases: readonly (readonly [check: string, mutate: (snapshot: Snapshot) => void, call: string])[]): void {
  it.each(cases)('%s', (id, mutate, call) => {
    const result = runCheck(checksById.get(id)!, completeLabWith(mutate));
    expect(result.status).toBe('error');
    expect(result.cause).toContain(call);
  });
}

/** A resource of the complete lab by its name there, to be renamed. */
export interface NamedResource {
  resource: string;
  name: string;
}

/**
 * Names are data: one test per resource and per name of PROTOTYPE_NAMES, in which the complete
 * lab with that resource so named grades exactly as with an ordinary name (its policies, members,
 * objects, images or streams kept, never dropped or taken from Object.prototype).
 */
export function testNamesAreData(resources: readonly NamedResource[]): void {
  const cases = resources.flatMap((named) => PROTOTYPE_NAMES.map((to) => ({ ...named, to })));
  it.each(cases)('$resource named $to grades as with an ordinary name', ({ name, to }) => {
    const ordinary = JSON.stringify(gradeChecks(completeLabRenamed([name, 'ordinary-name'])));
    const named = JSON.stringify(gradeChecks(completeLabRenamed([name, to])));
    expect(named).toContain(to);
    expect(JSON.parse(named.replaceAll(to, 'ordinary-name'))).toEqual(JSON.parse(ordinary));
  });
}
