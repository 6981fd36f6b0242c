import type { LabParams } from '../rubric/params.js';
import { FactUnavailable } from './facts.js';
import type { Choice, Lab, LabResource, LabResources } from './lab.js';

/** What a resolver step found, with a Choice for every decision it made. */
export interface StepResult<R extends LabResource> {
  resolved: Pick<LabResources, R>;
  choices: Choice[];
}

/** What a step reads from. */
export interface StepInput {
  /** The lab so far: every fact read through it is a fact the step's resources come from. */
  lab: Lab;
  params: LabParams;
  /**
   * The same lab, for the words of a choice only: what is read through it (where the load
   * balancer is, which service uses a target group) explains a choice it did not decide, so
   * the resources do not come from it. Read it through `unlessUnreadable`.
   */
  words: Lab;
}

/**
 * One step of resolution: the resources it finds, in the order of their choices. Steps run
 * in order and read what earlier steps chose from `lab`. A step reads facts strictly: when
 * a fact its decision rests on could not be read (`lab.read` or an earlier resource throws
 * `FactUnavailable`), every resource of the step is unreadable with that cause, never a guess.
 */
export interface Step<R extends LabResource> {
  resources: readonly R[];
  choose(input: StepInput): StepResult<R>;
}

/** Any step, as the resolver runs them in order. */
export interface AnyStep {
  resources: readonly LabResource[];
  choose(input: StepInput): { resolved: Partial<LabResources>; choices: Choice[] };
}

/**
 * For the words of a choice only, never for the decision (read through `words`): the value,
 * or `fallback` when it rests on a fact that could not be read.
 */
export function unlessUnreadable<T>(read: () => T, fallback: T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof FactUnavailable) return fallback;
    throw error;
  }
}
