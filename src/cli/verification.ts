// What `grade` and `batch` verify a snapshot against: the assignment window from their flags,
// and the bundled example snapshots (anyone can download these, so handing one in proves nothing).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { snapshotEvidence } from '../integrity/evidence.js';
import type { Evidence, IntegrityMode } from '../integrity/types.js';
import type { VerifyOptions } from '../integrity/verify.js';
import { UsageError } from '../errors.js';
import { parseSnapshot } from '../snapshot/load.js';
import { packageRoot } from './paths.js';

export function bundledExamples(): { name: string; evidence: Evidence }[] {
  const dir = join(packageRoot(), 'examples');
  return readdirSync(dir)
    .filter((file) => file.endsWith('.snapshot.json'))
    .sort()
    .map((file) => ({ name: `examples/${file}`, evidence: snapshotEvidence(parseSnapshot(readFileSync(join(dir, file), 'utf8'), `examples/${file}`)) }));
}

export interface VerificationFlags {
  integrity: IntegrityMode;
  collectedAfter?: string;
  collectedBefore?: string;
}

export function verificationFrom(flags: VerificationFlags): VerifyOptions {
  const { collectedAfter, collectedBefore } = flags;
  if (collectedAfter !== undefined && collectedBefore !== undefined && Date.parse(collectedAfter) >= Date.parse(collectedBefore)) {
    throw new UsageError(`--collected-after ${collectedAfter} is not before --collected-before ${collectedBefore}: give the window's opening first`);
  }
  return {
    ...(collectedAfter === undefined ? {} : { collectedAfter }),
    ...(collectedBefore === undefined ? {} : { collectedBefore }),
    examples: bundledExamples(),
  };
}
