// What the fact definitions say about each fact, as the rest of the grader reads it.
import { FACT_DEFINITIONS } from '../facts/index.js';
import type { FactKey } from './types.js';

/**
 * The API call behind each fact, as an IAM action: its definition's last call. Error
 * messages name it when a fact was not collected.
 */
export const FACT_CALLS = Object.fromEntries(
  FACT_DEFINITIONS.map((definition) => [definition.key, definition.calls[definition.calls.length - 1]?.action ?? '']),
) as Record<FactKey, string>;

/** Facts that hold one entry per resource (keyed by name or ARN) rather than one list. */
export const KEYED_FACTS: ReadonlySet<FactKey> = new Set(
  FACT_DEFINITIONS.flatMap((definition) => (definition.kind === 'keyed' ? [definition.key as FactKey] : [])),
);

/** Facts that change slowly (CloudTrail history, budgets): watch re-reads them only every few rounds. */
export const SLOW_FACTS: ReadonlySet<FactKey> = new Set(
  FACT_DEFINITIONS.flatMap((definition) => (definition.slow ? [definition.key as FactKey] : [])),
);
