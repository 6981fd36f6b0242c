// Fixtures for check tests: the complete lab, and small mutations of it.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { paramsSchema, type LabParams } from '../../src/rubric/params.js';
import type { CheckDefinition } from '../../src/check/define.js';
import { evaluateCheck, type Evaluation } from '../../src/grade/evaluate.js';
import { resolveLab } from '../../src/resolve/index.js';
import type { Lab, Submission } from '../../src/resolve/lab.js';
import type { Snapshot } from '../../src/snapshot/types.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** A fresh deep copy of a bundled example snapshot (`complete-lab`, `mistakes`...). */
export function example(name: string): Snapshot {
  return JSON.parse(readFileSync(`${root}examples/${name}.snapshot.json`, 'utf8')) as Snapshot;
}

/** The complete lab with one mistake applied: `mutate(s => { ... })` edits a copy in place. */
export function completeLabWith(mutation: (snapshot: Snapshot) => void): Snapshot {
  const snapshot = example('complete-lab');
  mutation(snapshot);
  return snapshot;
}

/** The rubric's default params, with optional dotted overrides (`ecs.requiredRoleName`). */
export function labParams(overrides: Record<string, unknown> = {}): LabParams {
  const rubric = parse(readFileSync(`${root}rubric.yaml`, 'utf8')) as { params: unknown };
  const params = structuredClone(rubric.params) as Record<string, Record<string, unknown>>;
  for (const [path, value] of Object.entries(overrides)) {
    const [group, key] = path.split('.') as [string, string];
    params[group] = { ...params[group], [key]: value };
  }
  return paramsSchema.parse(params);
}

export function labOf(
  snapshot: Snapshot,
  options: { profile?: string; params?: LabParams; submission?: Submission | null } = {},
): Lab {
  return resolveLab(snapshot, options.params ?? labParams(), {
    profile: options.profile ?? 'own-account',
    submission: options.submission ?? null,
  });
}

/** Resolve the snapshot and run one check, as the engine would. */
export function runCheck(
  check: CheckDefinition,
  snapshot: Snapshot,
  options: { profile?: string; params?: LabParams; submission?: Submission | null } = {},
): Evaluation {
  const params = options.params ?? labParams();
  return evaluateCheck(check, labOf(snapshot, { ...options, params }), params);
}

/** Run several checks on one resolved lab, as the engine would, keyed by check id. */
export function runChecks(checks: readonly CheckDefinition[], lab: Lab, params: LabParams): Record<string, Evaluation> {
  return Object.fromEntries(checks.map((check) => [check.id, evaluateCheck(check, lab, params)]));
}

/** A readable fixture fact's data, for mutations that edit it in place. */
export function dataOf<T>(fact: { ok: true; data: T } | { ok: false }): T {
  if (!fact.ok) throw new Error('the fixture fact is unreadable');
  return fact.data;
}

/** Replace a fact with the error AWS would give, e.g. AccessDenied. */
export function denied(call: string, code = 'AccessDenied'): { ok: false; error: { call: string; code: string; message: string } } {
  return { ok: false, error: { call, code, message: `User is not authorized to perform: ${call}` } };
}
