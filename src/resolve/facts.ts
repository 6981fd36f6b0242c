import { FACT_CALLS } from '../snapshot/facts.js';
import type { Fact, FactKey, Facts } from '../snapshot/types.js';
import type { FactReader } from './lab.js';

/** Thrown by the fact reader when a fact could not be collected; the engine turns it into `error`. */
export class FactUnavailable extends Error {
  constructor(
    readonly fact: string,
    readonly call: string,
    readonly code: string,
    readonly awsMessage: string,
    /** What a person can do about it, when granting the call is not the fix (e.g. a probe that was not run). */
    readonly hint?: string,
  ) {
    super(`${call} failed (${code}): ${awsMessage}`);
    this.name = 'FactUnavailable';
  }
}

function unwrap<T>(key: FactKey, fact: Fact<T> | undefined, resourceKey?: string): T {
  const call = FACT_CALLS[key];
  if (fact === undefined) {
    const what = resourceKey === undefined ? key : `${key}[${resourceKey}]`;
    throw new FactUnavailable(what, call, 'NotCollected', `the snapshot has no ${what}`);
  }
  if (!fact.ok) throw new FactUnavailable(key, fact.error.call, fact.error.code, fact.error.message);
  return fact.data;
}

/** A reader over the snapshot's facts that throws `FactUnavailable` for anything not collected. */
export function factReader(facts: Facts): FactReader {
  return {
    read(key) {
      return unwrap(key, facts[key] as Fact<never> | undefined);
    },
    readKeyed(key, resourceKey) {
      const map = facts[key] as Record<string, Fact<never>> | undefined;
      if (map === undefined) return unwrap(key, undefined);
      return unwrap(key, Object.hasOwn(map, resourceKey) ? map[resourceKey] : undefined, resourceKey);
    },
    has(key, resourceKey) {
      const fact = facts[key] as Fact<unknown> | Record<string, Fact<unknown>> | undefined;
      if (fact === undefined) return false;
      if (resourceKey === undefined) return 'ok' in fact ? fact.ok === true : true;
      // A resource may be called `constructor` or `__proto__`: only the map's own entries count.
      const entry = Object.hasOwn(fact, resourceKey) ? (fact as Record<string, Fact<unknown>>)[resourceKey] : undefined;
      return entry !== undefined && entry.ok;
    },
  } as FactReader;
}
