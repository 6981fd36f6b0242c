// TEMPORARY seam, replaced by the probes work (issue: sections 5-6).
import type { LabParams } from '../rubric/params.js';
import type { Probes } from '../snapshot/types.js';

export interface ProbeOptions {
  /** Allow loopback/private/link-local addresses (only for a person's `--alb-url` override in testing). */
  allowPrivateAddresses?: boolean;
}

/** Probe the lab's ALB (or the override) and record every result. */
export async function probeLab(target: Probes['target'], _params: LabParams, _options: ProbeOptions = {}): Promise<Probes> {
  return { target, skipped: 'probing is not built yet', results: [] };
}
