// What grading is settled on before any student: the rubric, checked once; the profile,
// picked by name once; the params, derived once from the rubric, the profile and --param.
// Every student graded after that (one, a watch's rounds, a class) uses the same Grading.
import { createHash } from 'node:crypto';
import type { CheckRegistry } from '../check/define.js';
import { UsageError } from '../errors.js';
import { packageVersion } from '../package.js';
import { GRADING_RULES, formatProblem, lintRubric } from '../rubric/lint.js';
import type { LabParams } from '../rubric/params.js';
import { paramsFor, pickProfile } from '../rubric/profile.js';
import type { Rubric, RubricProfile } from '../rubric/types.js';

export interface Grading {
  rubric: Rubric;
  /** The rubric file as the person gave it, for the scorecard. */
  rubricFile: string;
  profile: RubricProfile;
  /** The rubric's params, then the profile's, then `--param`'s. */
  params: LabParams;
  /** SHA-256 of the params as canonical JSON: a kept grade made with other params is graded again. */
  paramsSha256: string;
  /** The lab-grader release grading: a kept grade made by another is graded again. */
  graderVersion: string;
  /** The checks the rubric's ids name, composed by the caller. */
  checks: CheckRegistry;
}

/** The rubric and registry pairs already found gradable (a parsed rubric is not changed afterwards). */
const gradable = new WeakMap<Rubric, WeakSet<CheckRegistry>>();

/** Refuses a rubric whose points cannot be computed: sums that disagree, unknown checks, duplicate ids. */
export function assertGradable(rubric: Rubric, registry: CheckRegistry): void {
  // A batch grades a whole class with one rubric and registry: lint them once.
  if (gradable.get(rubric)?.has(registry)) return;
  const blocking = lintRubric(rubric, registry.keys()).filter((problem) => GRADING_RULES.has(problem.rule));
  if (blocking.length > 0) {
    throw new UsageError(`${rubric.file} cannot be used for grading; fix it and run again:\n${blocking.map(formatProblem).join('\n')}`);
  }
  if (!gradable.has(rubric)) gradable.set(rubric, new WeakSet());
  gradable.get(rubric)!.add(registry);
}

export interface GradingChoice {
  rubric: Rubric;
  rubricFile: string;
  /** A rubric profile name (`--lab-profile`, the roster's labProfile); the rubric's default when absent. */
  labProfile?: string;
  /** `--param key.path=value` overrides, as text; coerced to each param's type. */
  paramOverrides?: Record<string, string>;
  checks: CheckRegistry;
}

/** JSON with every object's keys in order, so equal params always hash the same. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, child]) => `${JSON.stringify(key)}:${canonicalJson(child)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Checks the rubric against the checks, picks the profile and derives the params: bad input fails here, before any student. */
export function settleGrading(choice: GradingChoice): Grading {
  assertGradable(choice.rubric, choice.checks);
  const profile = pickProfile(choice.rubric, choice.labProfile);
  const params = paramsFor(choice.rubric, profile, choice.paramOverrides ?? {});
  return {
    rubric: choice.rubric,
    rubricFile: choice.rubricFile,
    profile,
    params,
    paramsSha256: createHash('sha256').update(canonicalJson(params)).digest('hex'),
    graderVersion: packageVersion(),
    checks: choice.checks,
  };
}
