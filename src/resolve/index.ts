// Snapshot + params → Lab: which of the account's resources are the student's lab, and why.
import type { LabParams } from '../rubric/params.js';
import type { Snapshot } from '../snapshot/types.js';
import { resolveCompute } from './compute.js';
import { resolveEntry } from './entry.js';
import { factReader } from './facts.js';
import type { Lab, ProfileName, Submission } from './lab.js';
import { resolveNetwork } from './network.js';
import type { Stage } from './stage.js';
import { resolveStorage } from './storage.js';

// Order matters: the load balancer leads to the service, the service to the private
// subnets and the image, the image to the repository.
const STAGES: readonly Stage<never>[] = [resolveEntry, resolveCompute, resolveNetwork, resolveStorage];

export function resolveLab(
  snapshot: Snapshot,
  params: LabParams,
  options: { profile: ProfileName; submission?: Submission | null },
): Lab {
  const facts = factReader(snapshot.facts);
  const lab: Partial<Lab> = {
    ...facts,
    snapshot,
    profile: options.profile,
    submission: options.submission ?? null,
    listeners: [],
    publicSubnets: [],
    privateSubnets: [],
    choices: [],
  };
  for (const stage of STAGES) {
    const { resolved, choices } = stage({ snapshot, facts, params, lab });
    Object.assign(lab, resolved);
    lab.choices = [...(lab.choices ?? []), ...choices];
  }
  return lab as Lab;
}
