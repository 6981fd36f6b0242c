import type { LabParams } from '../rubric/params.js';
import { FactUnavailable } from './facts.js';
import type { Choice, Lab, LabResource, LabResources } from './lab.js';

/** What a resolver step found, with a Choice for every decision it made. */
export interface StepResult<R extends LabResource> {
  resolved: Pick<LabResources, R>;
  choices: Choice[];
}

/**
 * One step of resolution: the resources it finds, in the order of their choices. Steps run
 * in order and read what earlier steps chose from `lab`. A step reads facts strictly: when
 * a fact its decision rests on could not be read (`lab.read` or an earlier resource throws
 * `FactUnavailable`), every resource of the step is unreadable with that cause, never a guess.
 */
export interface Step<R extends LabResource> {
  resources: readonly R[];
  choose(input: { lab: Lab; params: LabParams }): StepResult<R>;
}

/** Any step, as the resolver runs them in order. */
export interface AnyStep {
  resources: readonly LabResource[];
  choose(input: { lab: Lab; params: LabParams }): { resolved: Partial<LabResources>; choices: Choice[] };
}

/**
 * For the words of a choice only, never for the decision: the value, or `fallback` when it
 * rests on a fact that could not be read.
 */
export function unlessUnreadable<T>(read: () => T, fallback: T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof FactUnavailable) return fallback;
    throw error;
  }
}
