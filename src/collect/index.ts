// TEMPORARY seam, replaced by the collector work (issue: Collect).
import { AwsAccessError } from '../errors.js';
import type { LabParams } from '../rubric/params.js';
import type { Snapshot } from '../snapshot/types.js';

export interface CollectOptions {
  params: LabParams;
  /** Named AWS profile (else the standard chain: environment, default profile, SSO, container...). */
  awsProfile?: string;
  region?: string;
  /** A person's override of the probe target (`--alb-url`). */
  albUrl?: string;
  /** Report progress (a TTY display); absent means quiet. */
  onProgress?: (event: { done: number; total: number; label: string }) => void;
}

export async function collectSnapshot(_options: CollectOptions): Promise<Snapshot> {
  throw new AwsAccessError('Live collection is not available in this build; grade a saved snapshot with --snapshot FILE.');
}
