// A snapshot edited by hand (or by an attacker) can hold a number where AWS sends text, or
// null inside a list. Checks and the resolver trust the SDK's shapes; when one trips over a
// wrong type, the same pure code is run again over a traced copy of the facts to find the
// field it last read, so the person is told which field, not shown a stack trace.
import type { Snapshot } from '../snapshot/types.js';

/** A fact's field held a type AWS never sends there. */
export class MistypedFact extends Error {
  constructor(
    /** `$.facts.vpcs.data[0].CidrBlock` */
    readonly path: string,
    /** `a number (5)` */
    readonly found: string,
    cause: TypeError,
  ) {
    super(`${path} holds ${found}, which AWS never sends there`, { cause });
    this.name = 'MistypedFact';
  }
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (typeof value === 'object') return 'an object';
  const shown = JSON.stringify(value);
  return `${typeof value === 'number' ? 'a number' : typeof value === 'boolean' ? 'a boolean' : 'text'} (${shown.length > 40 ? `${shown.slice(0, 40)}…` : shown})`;
}

/** The last field of the facts `run` read before it threw a TypeError, if it did. */
function lastReadBeforeTypeError(snapshot: Snapshot, run: (snapshot: Snapshot, ready: () => void) => unknown): { path: string; value: unknown } | undefined {
  let last: { path: string; value: unknown } | undefined;
  // One proxy per object, so code comparing objects by identity behaves as it did.
  const proxies = new WeakMap<object, object>();
  const trace = (value: unknown, path: string): unknown => {
    if (value === null || typeof value !== 'object') return value;
    let proxy = proxies.get(value);
    if (!proxy) {
      proxy = new Proxy(value, {
        get(target, key, receiver) {
          const child: unknown = Reflect.get(target, key, receiver);
          if (typeof key !== 'string' || !Object.hasOwn(target, key) || (Array.isArray(target) && key === 'length')) return child;
          const childPath = Array.isArray(target) ? `${path}[${key}]` : `${path}.${key}`;
          last = { path: childPath, value: child };
          return trace(child, childPath);
        },
      });
      proxies.set(value, proxy);
    }
    return proxy;
  };
  // A thawed copy: a proxy may not hand out wrapped values of frozen properties.
  const copy = structuredClone(snapshot);
  try {
    // Reads before `ready` (resolving the lab a check is given) are not the check's: forgotten.
    run({ ...copy, facts: trace(copy.facts, '$.facts') as Snapshot['facts'] }, () => (last = undefined));
  } catch (error) {
    if (error instanceof TypeError) return last;
  }
  return undefined;
}

/**
 * Runs `run` (pure code over the snapshot's facts). A TypeError it throws becomes a
 * MistypedFact naming the field, when the traced re-run finds one read after `run` called
 * `ready`; anything else, and a TypeError with no field read before it, is rethrown.
 */
export function guardFactTypes<T>(snapshot: Snapshot, run: (snapshot: Snapshot, ready: () => void) => T): T {
  try {
    return run(snapshot, () => undefined);
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    const culprit = lastReadBeforeTypeError(snapshot, run);
    if (!culprit) throw error;
    throw new MistypedFact(culprit.path, describeValue(culprit.value), error);
  }
}
