// What `grade` and `batch` verify a snapshot against: the assignment window from their flags,
// and the bundled example snapshots (anyone can download these, so handing one in proves nothing).
import type { IntegrityMode } from '../integrity/types.js';
import type { VerifyOptions } from '../integrity/verify.js';
import { UsageError } from '../errors.js';
import { bundledExamples } from './prepared.js';

export interface VerificationFlags {
  integrity: IntegrityMode;
  collectedAfter?: string;
  collectedBefore?: string;
  /** The lab's resources may not be created or changed after this (ISO). */
  deadline?: string;
}

export function verificationFrom(flags: VerificationFlags): VerifyOptions {
  const { collectedAfter, collectedBefore, deadline } = flags;
  if (collectedAfter !== undefined && collectedBefore !== undefined && Date.parse(collectedAfter) >= Date.parse(collectedBefore)) {
    throw new UsageError(`--collected-after ${collectedAfter} is not before --collected-before ${collectedBefore}: give the window's opening first`);
  }
  return {
    ...(collectedAfter === undefined ? {} : { collectedAfter }),
    ...(collectedBefore === undefined ? {} : { collectedBefore }),
    ...(deadline === undefined ? {} : { deadline }),
    examples: bundledExamples(),
  };
}
