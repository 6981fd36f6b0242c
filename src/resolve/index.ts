// Snapshot + params → Lab: which of the account's resources are the student's lab, and why.
import type { LabParams } from '../rubric/params.js';
import type { FactKey, Snapshot } from '../snapshot/types.js';
import { computeSteps } from './compute.js';
import { entrySteps } from './entry.js';
import { FactUnavailable } from './facts.js';
import {
  labView,
  RESOURCE_WORDS,
  resolvedValue,
  type Choice,
  type Lab,
  type LabResource,
  type ProfileName,
  type Resolved,
  type ResolvedResources,
  type Submission,
} from './lab.js';
import { networkSteps } from './network.js';
import type { AnyStep } from './stage.js';
import { storageSteps } from './storage.js';

// Order matters: a step reads what earlier steps chose. The load balancer leads to the
// service, the service to its task definition and image, the image to the repository; the
// network's roles come from what its resources are, and the load balancer and the service
// are asked only to break ties.
const STEPS: readonly AnyStep[] = [...entrySteps, ...computeSteps, ...networkSteps, ...storageSteps];

/** The choice of a resource whose decision rests on a fact that could not be read. */
function unreadableChoice(resource: Exclude<LabResource, 'listeners'>, unread: FactUnavailable): Choice {
  return { resource, chosen: null, candidates: 0, why: `${unread.call} could not be read (${unread.code}), so nothing was chosen` };
}

export function resolveLab(
  snapshot: Snapshot,
  params: LabParams,
  options: { profile: ProfileName; submission?: Submission | null },
): Lab {
  const resolved: Partial<Record<LabResource, Resolved<unknown>>> = {};
  const choices: Choice[] = [];
  const core = { snapshot, profile: options.profile, submission: options.submission ?? null, resolved: resolved as ResolvedResources, choices };
  for (const step of STEPS) {
    // What the step reads, itself or through the resources it builds on, is what its resources come from.
    const read = new Set<FactKey>();
    const lab = labView(core, (key) => read.add(key));
    try {
      const result = step.choose({ lab, params, words: labView(core) });
      const from = [...read].sort();
      for (const resource of step.resources) resolved[resource] = resolvedValue(result.resolved[resource], from);
      choices.push(...result.choices);
    } catch (error) {
      if (!(error instanceof FactUnavailable)) throw error;
      const from = [...read].sort();
      for (const resource of step.resources) {
        const unread = error.whileFinding(RESOURCE_WORDS[resource]);
        resolved[resource] = { state: 'unreadable', unread, from };
        if (resource !== 'listeners') choices.push(unreadableChoice(resource, unread));
      }
    }
  }
  return labView(core);
}
