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
    /** The lab resource the fact was read to find, in words (`the lab's VPC`), when the resolver read it. */
    readonly finding?: string,
  ) {
    super(`${call} failed (${code}): ${awsMessage}`);
    this.name = 'FactUnavailable';
  }

  /** The same failure, as the reason a resource of the lab could not be found. */
  whileFinding(resource: string): FactUnavailable {
    return this.finding === undefined ? new FactUnavailable(this.fact, this.call, this.code, this.awsMessage, this.hint, resource) : this;
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

/**
 * A reader over the snapshot's facts that throws `FactUnavailable` for anything not
 * collected, and tells `onRead` of every fact it is asked for, readable or not. A class, so
 * the many readers of a grade (one per check and two per resolver step) share their methods.
 */
export class FactsReader implements FactReader {
  constructor(
    private readonly facts: Facts,
    protected readonly onRead: (key: FactKey) => void = () => undefined,
  ) {}

  private keyed(key: FactKey): Record<string, Fact<never>> {
    this.onRead(key);
    const map = this.facts[key] as Record<string, Fact<never>> | undefined;
    if (map === undefined) return unwrap(key, undefined);
    return map;
  }

  // `never` stands for each fact's own type, which FactReader's signatures give per key.
  read(key: FactKey): never {
    this.onRead(key);
    return unwrap(key, this.facts[key] as Fact<never> | undefined);
  }

  readKeyed(key: FactKey, resourceKey: string): never {
    const map = this.keyed(key);
    return unwrap(key, Object.hasOwn(map, resourceKey) ? map[resourceKey] : undefined, resourceKey);
  }

  keysOf(key: FactKey): string[] {
    return Object.keys(this.keyed(key));
  }

  hasEntry(key: FactKey, resourceKey: string): boolean {
    return Object.hasOwn(this.keyed(key), resourceKey);
  }
}
