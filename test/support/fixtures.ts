// Fixtures for check tests: the complete lab, and small mutations of it.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CheckDefinition } from '../../src/check/define.js';
import { paramsFor, pickProfile } from '../../src/rubric/profile.js';
import { evaluateCheck, withRubricHint, type Evaluation } from '../../src/grade/evaluate.js';
import { loadRubric } from '../../src/rubric/load.js';
import { applyParamOverrides } from '../../src/rubric/overrides.js';
import type { LabParams } from '../../src/rubric/params.js';
import { resolveLab } from '../../src/resolve/index.js';
import type { Lab, Submission } from '../../src/resolve/lab.js';
import { withoutCredentials } from '../../src/snapshot/credentials.js';
import { parseSnapshot } from '../../src/snapshot/load.js';
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

/** Names AWS allows for groups, users, buckets, repositories, clusters or log groups that are also keys of every object's prototype. */
export const PROTOTYPE_NAMES = ['__proto__', 'constructor', 'prototype'] as const;

/**
 * The complete lab with each resource called `name` called `to` everywhere (its name, ARNs,
 * references), as a live collection leaves it (credential cleaning) and `--snapshot` loads it:
 * the JSON text is edited, so a key `__proto__` is a key, as in a file.
 */
export function completeLabRenamed(...renames: (readonly [name: string, to: string])[]): Snapshot {
  let text = readFileSync(`${root}examples/complete-lab.snapshot.json`, 'utf8');
  for (const [name, to] of renames) {
    text = text.replace(new RegExp(`(?<![\\w.-])${name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}(?![\\w.-])`, 'g'), to);
    if (text.includes(`"${name}"`)) throw new Error(`${name} was not renamed everywhere`);
  }
  return parseSnapshot(JSON.stringify(withoutCredentials(JSON.parse(text))), 'renamed.snapshot.json');
}

/** The bundled rubric.yaml, parsed once: check tests grade with its params and its hints. */
export const labRubric = loadRubric(`${root}rubric.yaml`, 'rubric.yaml');

/** The params a rubric profile grades with (own account by default), with optional dotted overrides (`ecs.requiredRoleName`). */
export function labParams(overrides: Record<string, unknown> = {}, profile = 'own-account'): LabParams {
  return applyParamOverrides(paramsFor(labRubric, pickProfile(labRubric, profile), {}), overrides);
}

/** The rubric's words for a check (its first entry in rubric.yaml), which the engine adds after the check's hint. */
function rubricHintOf(id: string): string | undefined {
  const steps = [...labRubric.sections.flatMap((section) => section.steps), ...labRubric.bonus];
  return steps.flatMap((step) => step.checks).find((entry) => entry.check === id)?.hint;
}

/** One check on a resolved lab as the engine grades it: needs read first, then the rubric's hint added. */
export function evaluateAsGraded(check: CheckDefinition, lab: Lab, params: LabParams): Evaluation {
  return withRubricHint(evaluateCheck(check, lab, params), rubricHintOf(check.id));
}

export function labOf(
  snapshot: Snapshot,
  options: { profile?: string; params?: LabParams; submission?: Submission | null } = {},
): Lab {
  const profile = options.profile ?? 'own-account';
  return resolveLab(snapshot, options.params ?? labParams({}, profile), {
    profile,
    submission: options.submission ?? null,
  });
}

/** Resolve the snapshot and run one check, as the engine would. */
export function runCheck(
  check: CheckDefinition,
  snapshot: Snapshot,
  options: { profile?: string; params?: LabParams; submission?: Submission | null } = {},
): Evaluation {
  const params = options.params ?? labParams({}, options.profile);
  return evaluateAsGraded(check, labOf(snapshot, { ...options, params }), params);
}

/** Run several checks on one resolved lab, as the engine would, keyed by check id. */
export function runChecks(checks: readonly CheckDefinition[], lab: Lab, params: LabParams): Record<string, Evaluation> {
  return Object.fromEntries(checks.map((check) => [check.id, evaluateAsGraded(check, lab, params)]));
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

/**
 * The complete lab as another account would hold it: the account and every id AWS makes
 * random (VPC, subnet, gateway, load balancer and task ids...) replaced, derived from `seed`.
 */
export function anotherAccount(seed: number, snapshot: Snapshot = example('complete-lab')): Snapshot {
  const account = String(210000000000 + seed * 7919).padStart(12, '0');
  const fresh = (original: string): string => createHash('sha256').update(`${seed}:${original}`).digest('hex').slice(0, original.length);
  const text = JSON.stringify(snapshot)
    .replaceAll(snapshot.account, account)
    .replace(/\b((?:vpc|subnet|igw|nat|rtb|sg|eipalloc|eni|vpc-cidr-assoc|rtbassoc)-)([0-9a-f]{8,17})\b/g, (_, prefix: string, id: string) => `${prefix}${fresh(id)}`)
    .replace(/\/([0-9a-f]{16}|[0-9a-f]{32})\b/g, (_, id: string) => `/${fresh(id)}`)
    // CloudFormation's bucket for templates has a random part per account.
    .replace(/\bcf-templates-([0-9a-z]{12})-/g, (_, id: string) => `cf-templates-${fresh(id)}-`);
  return JSON.parse(text) as Snapshot;
}

/**
 * The snapshot as if collected at `collectedAt`: every time in it (ISO date-times, and the
 * epoch milliseconds CloudWatch Logs gives) moved by the same amount, so its resources are
 * still older than the snapshot, as in one really collected then.
 */
export function collectedOn(snapshot: Snapshot, collectedAt: string): Snapshot {
  const shift = Date.parse(collectedAt) - Date.parse(snapshot.collectedAt);
  const text = JSON.stringify(snapshot)
    .replace(/"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{3})?Z)"/g, (_, time: string) => `"${new Date(Date.parse(time) + shift).toISOString()}"`)
    .replace(/"creationTime":(\d+)/g, (_, time: string) => `"creationTime":${Number(time) + shift}`);
  return JSON.parse(text) as Snapshot;
}
