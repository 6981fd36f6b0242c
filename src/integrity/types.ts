// What verification finds in a snapshot someone else collected: named flags with their
// evidence, and what the grade did about them.

export type IntegrityFlagKind = 'roster-account' | 'outside-window' | 'bundled-example' | 'shared-evidence' | 'inconsistent';

export interface IntegrityFlag {
  kind: IntegrityFlagKind;
  /** One line a person can act on. */
  summary: string;
  /** What was observed, one item a line (ids, times, files). */
  evidence: string[];
  /** For `shared-evidence`: the other students whose snapshots hold the same evidence. */
  students?: string[];
}

/** `warn` shows flags and keeps the points; `strict` gives a flagged student 0, naming the flags. */
export type IntegrityMode = 'warn' | 'strict';

export const INTEGRITY_MODES: readonly IntegrityMode[] = ['warn', 'strict'];

/** Carried by a scorecard once its snapshot was verified. */
export interface IntegrityResult {
  mode: IntegrityMode;
  flags: IntegrityFlag[];
  /** Under `strict` with flags: the points the checks gave, withheld (the totals are 0). */
  withheld?: { total: { earned: number; max: number }; bonusPoints: { earned: number; max: number } };
}

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
