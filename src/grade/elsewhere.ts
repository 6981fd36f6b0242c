// A graded region that holds none of the lab, when the search found it in another: the steps
// that rest on that region's resources say where the lab is instead of how to build it.
import { FACT_DEFINITIONS } from '../facts/index.js';
import type { LabElsewhere } from '../snapshot/region-search.js';
import type { FactKey } from '../snapshot/types.js';
import type { Evaluation } from './evaluate.js';

/** Clients whose answers are about one region (IAM, Budgets, STS and S3's bucket list are the account's). */
const REGIONAL_CLIENTS: ReadonlySet<string> = new Set(['ec2', 'elb', 'ecs', 'ecr', 'logs', 'cloudwatch', 'cloudtrail']);

/** The facts read from a regional endpoint: what a region without the lab has none of. */
export const REGIONAL_FACTS: ReadonlySet<FactKey> = new Set(
  FACT_DEFINITIONS.filter((definition) => definition.calls.some((call) => REGIONAL_CLIENTS.has(call.client))).map((definition) => definition.key as FactKey),
);

/** `Not in eu-west-1 (the lab is in us-east-1).`: where a regional step's resources are; the report's first and last lines say how to grade them. */
export function notInGradedRegion(elsewhere: LabElsewhere): string {
  return `Not in ${elsewhere.graded} (the lab is in ${elsewhere.region}).`;
}

/**
 * A verdict that missed points on the graded region's resources, when the lab is in another
 * region: its hint (build instructions, the rubric's quote) gives way to where the lab is. The
 * evidence and the points stand, since they are what the graded region holds.
 */
export function inLabRegion(evaluation: Evaluation, elsewhere: LabElsewhere | undefined): Evaluation {
  if (elsewhere === undefined || (evaluation.status !== 'fail' && evaluation.status !== 'partial')) return evaluation;
  if (![...(evaluation.restsOn ?? [])].some((key) => REGIONAL_FACTS.has(key))) return evaluation;
  return { ...evaluation, hint: notInGradedRegion(elsewhere) };
}
