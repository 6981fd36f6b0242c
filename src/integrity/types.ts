// What verification finds in a snapshot someone else collected: named flags with their
// evidence, and what the grade did about them.

// The flag and result types live with the Scorecard that carries them (the grade layer, below this one).
import type { IntegrityMode } from '../grade/scorecard.js';
import type { ResourceTime } from './timeline.js';

export type { IntegrityFlag, IntegrityFlagKind, IntegrityMode, IntegrityResult } from '../grade/scorecard.js';

export const INTEGRITY_MODES: readonly IntegrityMode[] = ['warn', 'strict'];

/**
 * What verification needs of one snapshot, small enough to keep beside the scorecard so a
 * resumed batch can compare students without reading their snapshots again.
 */
export interface Evidence {
  account: string;
  region: string;
  collectedAt: string;
  /** SHA-256 of the snapshot as parsed and re-serialised: equal for an unchanged copy. */
  sha256: string;
  /**
   * Every resource id or ARN the snapshot holds that AWS makes unique (random per account, or
   * global, as bucket names are), so the same one in two snapshots means shared evidence.
   * Evidence saved by an earlier grader holds only the first four kinds.
   */
  ids: { [kind in EvidenceIdKind]?: string[] };
  /** Ids or ARNs that contradict the snapshot's own account or region. */
  inconsistencies: string[];
  /**
   * The request ids AWS returned to the collector (provenance). AWS never returns one twice,
   * so the same id in two snapshots means one was copied. Empty when the snapshot carries
   * none; absent in evidence saved before they were recorded.
   */
  requestIds?: string[];
  /**
   * When the lab's own resources (the resolver's choices) were created or changed, for
   * `--deadline`; absent when the evidence was read without a grade, or saved before it was kept.
   */
  labTimes?: ResourceTime[];
}

/** The kinds of id compared between students, in the order their labels are listed. */
export const EVIDENCE_ID_KINDS = [
  // The four kinds compared before every resource id was: listed first, as the most telling.
  'vpcs',
  'loadBalancers',
  'natGateways',
  'tasks',
  'subnets',
  'routeTables',
  'securityGroups',
  'internetGateways',
  'addresses',
  'networkInterfaces',
  'targetGroups',
  'listeners',
  'repositories',
  'buckets',
  'logGroups',
  'clusters',
  'services',
  'taskDefinitions',
] as const;

export type EvidenceIdKind = (typeof EVIDENCE_ID_KINDS)[number];
