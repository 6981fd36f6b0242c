// A settled grading + snapshot → Scorecard: resolve the lab once (or take a live read's), run
// each check once, award exact points, and total them. Same inputs, same bytes out.
import { checkTitle, type CheckDefinition, type CheckRegistry } from '../check/define.js';
import { estimateRunningCost } from '../cost/estimate.js';
import { UsageError } from '../errors.js';
import { resolveLab } from '../resolve/index.js';
import type { Lab, Submission } from '../resolve/lab.js';
import type { Rubric, RubricStep } from '../rubric/types.js';
import { describeResult, RESULT_ARROW } from '../probe/evidence.js';
import type { ProbeResult, Snapshot } from '../snapshot/types.js';
import { evaluateCheck, withRubricHint, type Evaluation } from './evaluate.js';
import { inLabRegion } from './elsewhere.js';
import { labElsewhere } from '../snapshot/region-search.js';
import { addPoints, sharePoints, toPoints, type Hundredths } from '../rubric/points.js';
import { guardFactTypes, MistypedFact } from './fact-types.js';
import type { CheckResult, Points, Scorecard, SectionResult, StepResult, StepStatus } from './scorecard.js';
import { settleGrading, type Grading } from './grading.js';
import { combineStatus, STEP_STATUSES } from './status.js';

export interface GradeInput {
  rubric: Rubric;
  /** The rubric file as the person gave it, for the scorecard. */
  rubricFile: string;
  snapshot: Snapshot;
  /** A rubric profile name; the rubric's default profile when absent. */
  profile?: string;
  /** `--param key.path=value` overrides, as text; coerced to each param's type. */
  paramOverrides?: Record<string, string>;
  submission?: Submission | null;
  /** The checks the rubric's ids name, composed by the caller. */
  checks: CheckRegistry;
  /**
   * Deep-freeze the scorecard (default true), so a reporter cannot change what the next one
   * reads. A caller that only renders it and passes it on (a batch's grading thread, which
   * sends a copy) skips the walk.
   */
  freeze?: boolean;
}

/** A probe with the words its result is cited by in evidence (describeResult), worded once per grade. */
interface DescribedProbe {
  probe: ProbeResult;
  described: string;
}

/** Milliseconds of the probes a check cites in its evidence: the requests it judged, as the snapshot timed them. */
function probeTime(evidence: readonly string[], probes: () => readonly DescribedProbe[]): number | undefined {
  // Most checks cite no probe: their lines are looked at once, not once per probe.
  const citing = evidence.filter((line) => line.includes(RESULT_ARROW));
  if (citing.length === 0) return undefined;
  const cited = probes().filter(({ described }) => citing.some((line) => line.includes(described)));
  return cited.length === 0 ? undefined : cited.reduce((sum, { probe }) => sum + probe.latencyMs, 0);
}

function points(earned: Hundredths, max: Hundredths): Points {
  return { earned: toPoints(earned), max: toPoints(max) };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

interface Tally {
  earned: Hundredths;
  max: Hundredths;
}

/** A wrong type under the whole grade (the resolver, the cost notice): the snapshot is bad input, exit 2. */
function snapshotTyped<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (!(error instanceof MistypedFact)) throw error;
    throw new UsageError(`the snapshot's ${error.message}: it was edited or damaged; collect it again`);
  }
}

/** A wrong type under one check: that check is `error`, naming the field; the rest is graded. */
function mistyped(error: MistypedFact): Evaluation {
  return {
    status: 'error',
    fraction: 0,
    evidence: [],
    cause: `could not read the snapshot: ${error.message}`,
    hint: 'Collect the snapshot again; if it came from lab-grader unedited, report this as a bug.',
  };
}

export function grade(input: GradeInput): Scorecard {
  const grading = settleGrading({
    rubric: input.rubric,
    rubricFile: input.rubricFile,
    ...(input.profile === undefined ? {} : { labProfile: input.profile }),
    ...(input.paramOverrides === undefined ? {} : { paramOverrides: input.paramOverrides }),
    checks: input.checks,
  });
  return gradeWith(grading, input.snapshot, {
    submission: input.submission ?? null,
    ...(input.freeze === undefined ? {} : { freeze: input.freeze }),
  });
}

/** What one student's grade needs besides the settled grading and their snapshot. */
export interface StudentInput {
  submission?: Submission | null;
  /**
   * The lab as a live read already resolved it from this snapshot's facts (with the same
   * params, profile and submission), so it is not resolved twice.
   */
  lab?: Lab;
  /** See GradeInput.freeze. */
  freeze?: boolean;
}

/** The lab a grading sees in a snapshot; a wrong-typed field under the resolver is the snapshot's fault (exit 2). */
function resolveForGrading(grading: Grading, snapshot: Snapshot, submission: Submission | null = null): Lab {
  const options = { profile: grading.profile.name, submission };
  return snapshotTyped(() => guardFactTypes(snapshot, (facts) => resolveLab(facts, grading.params, options)));
}

/** Grades one snapshot with a settled grading: the profile and params as settled, the lab resolved once. */
export function gradeWith(grading: Grading, snapshot: Snapshot, input: StudentInput = {}): Scorecard {
  const { rubric, profile, params, checks: registry } = grading;
  const notApplicable = new Set(profile.notApplicable);
  const resolveOptions = { profile: profile.name, submission: input.submission ?? null };
  const lab: Lab = input.lab ?? resolveForGrading(grading, snapshot, resolveOptions.submission);
  // The graded region holds none of the lab, which the search found in another.
  const elsewhere = snapshotTyped(() => guardFactTypes(snapshot, (traced) => labElsewhere(traced)));

  // Worded when a check first cites a probe.
  let described: readonly DescribedProbe[] | undefined;
  const probes = () => (described ??= snapshot.probes.results.map((probe): DescribedProbe => ({ probe, described: describeResult(probe) })));

  // A check may grade two steps (s3.model-files in 2.2 and 2.3): it runs once.
  const evaluations = new Map<string, Evaluation>();
  const evaluate = (check: CheckDefinition): Evaluation => {
    let evaluation = evaluations.get(check.id);
    if (!evaluation) {
      try {
        // Re-resolved over the traced copy only when the check trips over a wrong type.
        evaluation = guardFactTypes(snapshot, (facts, ready) => {
          const checked = facts === snapshot ? lab : resolveLab(facts, params, resolveOptions);
          ready();
          return evaluateCheck(check, checked, params);
        });
      } catch (error) {
        if (error instanceof MistypedFact) evaluation = mistyped(error);
        else throw new Error(`check ${check.id} threw while grading; this is a bug in the check`, { cause: error });
      }
      evaluations.set(check.id, evaluation);
    }
    return evaluation;
  };

  const gradeStep = (step: RubricStep, bonus: boolean): { result: StepResult; tally: Tally } => {
    const skipped = notApplicable.has(step.id);
    const keptMax = skipped && profile.maximum === 'reduce' ? 0 : step.points;
    const checks = step.checks.map((ref): { result: CheckResult; earned: Hundredths; max: Hundredths } => {
      const check = registry.get(ref.check)!;
      if (skipped) {
        return {
          earned: 0,
          max: 0,
          result: {
            id: check.id,
            title: checkTitle(check, params),
            status: 'skip',
            points: points(0, profile.maximum === 'reduce' ? 0 : ref.points),
            evidence: [],
            notes: [`not applicable with the ${profile.name} profile`],
          },
        };
      }
      const evaluation = inLabRegion(withRubricHint(evaluate(check), ref.hint), elsewhere);
      const earned = sharePoints(ref.points, evaluation.fraction);
      const probeMs = probeTime(evaluation.evidence, probes);
      // Field by field, in the scorecard's order: conditional spreads are V8's slow, generic copy.
      const result: CheckResult = {
        id: check.id,
        title: checkTitle(check, params),
        status: evaluation.status,
        points: points(earned, ref.points),
        evidence: [...evaluation.evidence],
      };
      if (evaluation.hint !== undefined) result.hint = evaluation.hint;
      if (evaluation.notes?.length) result.notes = [...evaluation.notes];
      if (evaluation.cause !== undefined) result.cause = evaluation.cause;
      if (probeMs !== undefined) result.probeMs = probeMs;
      return { earned, max: ref.points, result };
    });
    const earned = addPoints(...checks.map((check) => check.earned));
    // Field by field, in the scorecard's order (see the check's result above).
    const result: Omit<StepResult, 'checks'> & Partial<Pick<StepResult, 'checks'>> = {
      id: step.id,
      title: step.title,
      status: combineStatus(
        checks.map((check) => ({ status: check.result.status, earned: check.earned, max: check.max })),
        { bonus },
      ),
      points: points(earned, keptMax),
    };
    if (skipped && keptMax === 0) result.notApplicablePoints = toPoints(step.points);
    result.checks = checks.map((check) => check.result);
    return { tally: { earned, max: keptMax }, result: result as StepResult };
  };

  const total: Tally = { earned: 0, max: 0 };
  const counts = Object.fromEntries(STEP_STATUSES.map((status) => [status, 0])) as Record<StepStatus, number>;
  const sections = rubric.sections.map((section): SectionResult => {
    const steps = section.steps.map((step) => gradeStep(step, false));
    const earned = addPoints(...steps.map((step) => step.tally.earned));
    const max = addPoints(...steps.map((step) => step.tally.max));
    total.earned += earned;
    total.max += max;
    for (const step of steps) counts[step.result.status] += 1;
    return {
      id: section.id,
      title: section.title,
      status: combineStatus(steps.map((step) => ({ status: step.result.status, earned: step.tally.earned, max: step.tally.max }))),
      points: points(earned, max),
      steps: steps.map((step) => step.result),
    };
  });
  const bonus = rubric.bonus.map((step) => gradeStep(step, true));
  for (const step of bonus) counts[step.result.status] += 1;

  const target = snapshot.probes.target;
  const scorecard: Scorecard = {
    schemaVersion: 2,
    lab: rubric.lab,
    rubric: { file: grading.rubricFile, sha256: rubric.sha256, paramsSha256: grading.paramsSha256 },
    grader: { version: grading.graderVersion },
    profile: profile.name,
    subject: {
      account: snapshot.account,
      region: snapshot.region,
      caller: snapshot.caller,
      collectedAt: snapshot.collectedAt,
    },
    collection: { durationMs: snapshot.collector.durationMs },
    target: target ? { url: target.url, overridden: target.source === 'override' } : null,
    sections,
    bonus: bonus.map((step) => step.result),
    total: points(total.earned, total.max),
    rubricMax: toPoints(addPoints(...rubric.sections.map((section) => addPoints(...section.steps.map((step) => step.points))))),
    bonusPoints: points(
      addPoints(...bonus.map((step) => step.tally.earned)),
      addPoints(...bonus.map((step) => step.tally.max)),
    ),
    counts,
    choices: lab.choices.map((choice) => ({ ...choice })),
    cost: snapshotTyped(() => guardFactTypes(snapshot, (facts) => estimateRunningCost(facts, params.prices))),
    ...(elsewhere === undefined ? {} : { labElsewhere: elsewhere }),
  };
  return input.freeze === false ? scorecard : deepFreeze(scorecard);
}
