// What verification finds in a snapshot someone else collected: named flags with their
// evidence, and what the grade did about them.

// The flag and result types live with the Scorecard that carries them (the grade layer, below this one).
import type { IntegrityMode } from '../grade/scorecard.js';

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
  /** Ids AWS makes random per account, so the same id in two snapshots means shared evidence. */
  ids: {
    vpcs: string[];
    loadBalancers: string[];
    natGateways: string[];
    tasks: string[];
  };
  /** Ids or ARNs that contradict the snapshot's own account or region. */
  inconsistencies: string[];
  /**
   * The request ids AWS returned to the collector (provenance). AWS never returns one twice,
   * so the same id in two snapshots means one was copied. Empty when the snapshot carries
   * none; absent in evidence saved before they were recorded.
   */
  requestIds?: string[];
}

export type EvidenceIdKind = keyof Evidence['ids'];
