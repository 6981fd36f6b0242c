// The snapshot: everything a check may read, as JSON. The facts' shapes come from their
// definitions (src/facts/, one module per AWS service), which take them from the AWS SDK v3.
import type { DefinedFacts } from '../facts/index.js';
import type { Json } from '../facts/define.js';
import type { Notification, Subscriber } from '@aws-sdk/client-budgets';

import type { RegionSurvey } from './region-search.js';
export type { CallerIdentity, Fact, FactError, FactMap, Json } from '../facts/define.js';

export interface BudgetNotification {
  Notification: Json<Notification>;
  Subscribers: Json<Subscriber>[];
}

/**
 * Every fact the checks can read, as its definition in src/facts/ says: list facts hold SDK
 * shapes, per-resource facts are maps keyed by the resource's name or ARN. `null` data means
 * "AWS answered that there is none" (e.g. NoSuchPublicAccessBlockConfiguration).
 */
export type Facts = DefinedFacts;

export type FactKey = keyof Facts;

/** One HTTP request the grader made to the lab's load balancer, and what came back. */
export interface ProbeResult {
  /** What the probe was for: `root`, `health`, `docs`, `openapi`, `predict.positive`, `predict.negative`, `get:/path`. */
  id: string;
  method: 'GET' | 'POST';
  url: string;
  /** JSON body sent, for POST probes. */
  requestBody?: string;
  status?: number;
  contentType?: string;
  /** Total time of the final attempt, ms. */
  latencyMs: number;
  attempts: number;
  /** Bytes received (up to the cap). */
  bodyBytes: number;
  /** The first bytes of the body, as text. */
  bodyExcerpt: string;
  /** The body was larger than the cap and was cut. */
  truncated: boolean;
  /** Why the request failed (timeout, refused address, redirect to another host...). */
  error?: { code: string; message: string };
}

/** The prediction endpoint as found in the app's OpenAPI document. */
export interface PredictEndpoint {
  path: string;
  /** The JSON body field (or, with `textIn: 'query'`, the query parameter) that takes the text. */
  textField: string;
  /** Where the text goes; absent means a JSON body field. */
  textIn?: 'body' | 'query';
  /** How it was found, in a sentence. */
  foundBy: string;
}

export interface Probes {
  /** Where the probes went; null when nothing was probed. */
  target: { url: string; source: 'alb-dns-name' | 'override'; loadBalancerArn?: string } | null;
  /** Why nothing (or not everything) was probed, e.g. "no internet-facing load balancer found". */
  skipped?: string;
  predictEndpoint?: PredictEndpoint | null;
  /** Why the app's OpenAPI document could not be read within the grader's bounds (so no prediction endpoint was found in it). */
  openapiNotUnderstood?: string;
  results: ProbeResult[];
}

/** The request id AWS returned for one call: evidence that the call was answered by AWS. */
export interface RequestId {
  /** The IAM action of the call (`sts:GetCallerIdentity`). */
  call: string;
  requestId: string;
}

/**
 * What a verifier needs beyond the account, region, caller and collection time: which rubric
 * the collecting grader had, and the request ids AWS returned for a few calls. Never a
 * credential. Absent in snapshots collected before it was recorded.
 */
export interface Provenance {
  /** SHA-256 (hex) of the rubric file's bytes the collecting grader was given. */
  rubricSha256?: string;
  /** The first answered call of a few services, in a fixed order of services. */
  requestIds: RequestId[];
}

export interface Snapshot {
  schemaVersion: 1;
  collectedAt: string;
  collector: {
    name: string;
    version: string;
    /** Number of AWS API calls made. */
    calls: number;
    /** Number of sequential rounds of concurrent calls. */
    rounds: number;
    durationMs: number;
  };
  account: string;
  region: string;
  /** The caller's ARN as STS reported it (never any credential). */
  caller: string;
  /** Absent in snapshots collected before provenance was recorded; they still load. */
  provenance?: Provenance;
  facts: Facts;
  probes: Probes;
  /**
   * When the graded region held none of the lab: what the search of the other enabled regions
   * found, and what bills by the hour where the lab appears to be. Absent when no search ran.
   */
  regionSearch?: RegionSurvey;
}
