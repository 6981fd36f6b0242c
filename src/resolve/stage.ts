import type { LabParams } from '../rubric/params.js';
import type { Snapshot } from '../snapshot/types.js';
import type { Choice, FactReader, Lab } from './lab.js';

/** What a resolver stage adds to the lab, with a Choice for every decision it made. */
export interface StageResult<K extends keyof Lab> {
  resolved: Pick<Lab, K>;
  choices: Choice[];
}

/**
 * One step of resolution. Stages run in order and see what earlier stages chose; they
 * never throw on a missing fact: an unreadable fact means "not found here", and the
 * checks that need it report `error` themselves.
 */
export type Stage<K extends keyof Lab> = (input: {
  snapshot: Snapshot;
  facts: FactReader;
  params: LabParams;
  lab: Partial<Lab>;
}) => StageResult<K>;
