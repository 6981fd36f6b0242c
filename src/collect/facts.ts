// The account → Facts: a small scheduler over the fact definitions (src/facts/). Each item
// starts as soon as the facts it needs are read, not after a whole round; per-resource facts
// are asked for their keys again after every answer, so what was found meanwhile (a service's
// older task definition, the log group it names) is read in a follow-up. A call's round is
// one more than that of the answer it waited on, and the snapshot counts the rounds.
import type { AwsClients } from '../aws/clients.js';
import {
  EarlierFailure,
  type CallerIdentity,
  type CollectItem,
  type Fact,
  type KeyedFact,
  type Lookup,
  type NameHints,
  type NoneAnswer,
  type ReadContext,
} from '../facts/define.js';
import { COLLECT_ITEMS, FACT_DEFINITIONS } from '../facts/index.js';
import type { FactKey, Facts } from '../snapshot/types.js';
import { readFact, type CallContext } from './calls.js';
import { SDK } from './sdk.js';

/** The collector's view of the clients: every `send` goes through the CallContext. */
export type CollectClients = Omit<AwsClients, 'destroy' | 'billingIn'>;

export interface FactsInput {
  ctx: CallContext;
  clients: CollectClients;
  caller: CallerIdentity;
  region: string;
  /** The rubric's name hints (LabParams), which rank the resources read per resource. */
  params: NameHints;
  /** Facts of an earlier collection, copied instead of read when `refresh` says so. */
  previous?: Facts;
  refresh?: (key: FactKey) => boolean;
  /** One event per fact read. */
  onFact?: (event: { done: number; total: number; label: string }) => void;
  /** Told each fact read with one read (not per resource) once it is read or copied: a later stage may start on it. */
  onRead?: (key: FactKey, fact: Fact<unknown>) => void;
  /** Items whose calls go before the others ready at the same time (the probes wait on the load balancers). */
  first?: readonly FactKey[];
}

/** Rounds after the credentials check at most: follow-ups stop here even if a definition keeps finding keys. */
const MAX_ROUNDS = 8;

type PerResource = KeyedFact | (Lookup & { keys: NonNullable<Lookup['keys']> });

/**
 * How many reads wait on each item, one after another, its own included: of the items ready
 * at once, those heading the longest chains are started first, so that the calls left
 * waiting for a free slot are ones nothing else waits on.
 */
function chainLengths(items: readonly CollectItem[]): Map<string, number> {
  const lengths = new Map<string, number>();
  const lengthOf = (item: CollectItem): number => {
    const known = lengths.get(item.key);
    if (known !== undefined) return known;
    const own = item.kind === 'derived' ? 0 : item.kind === 'keyed' && item.list ? 2 : 1;
    const length = own + Math.max(0, ...items.filter((other) => other.after?.includes(item.key)).map(lengthOf));
    lengths.set(item.key, length);
    return length;
  };
  for (const item of items) lengthOf(item);
  return lengths;
}

const CHAIN_LENGTHS = chainLengths(COLLECT_ITEMS);

/** The IAM action a failed read is named by when the error itself does not say: the item's last call. */
const actionOf = (item: CollectItem) => item.calls[item.calls.length - 1]?.action ?? '';

export async function collectFacts(input: FactsInput): Promise<Facts> {
  const { ctx, previous, refresh } = input;
  const single = new Map<string, Fact<unknown>>();
  const perResource = new Map<string, Map<string, Fact<unknown>>>();
  /** The round each item was first taken up in; 0 for items copied from `previous` or not needed. */
  const roundOf = new Map<string, number>();
  /** Each item's tasks started and not finished: the items after it wait until it has none. */
  const busy = new Map<string, number>();
  const requested = new Map<string, Set<string>>();
  /** Second steps waiting to start: item → key → what the first step listed. */
  const listed = new Map<string, Map<string, Fact<unknown>>>();
  /** The round each fact and entry was read in (0: copied), by fact key and by `item key` + NUL + resource key. */
  const readIn = new Map<string, number>();
  /**
   * While `keys` are asked for a round, they see only what earlier rounds read, as if every
   * round had waited for the one before: a key found from a later answer is a follow-up,
   * read (and counted) in the round after that answer's.
   */
  let visibleBefore = Infinity;
  let planned = 0;
  let done = 0;

  const refreshes = (key: string) => previous?.[key as FactKey] === undefined || (refresh?.(key as FactKey) ?? true);
  const entries = (name: string) => perResource.get(name) ?? perResource.set(name, new Map()).get(name)!;
  const context: ReadContext = {
    sdk: SDK,
    aws: input.clients,
    caller: input.caller,
    region: input.region,
    hints: input.params,
    get: <T>(name: string) => (visible(name) ? (single.get(name) as Fact<T> | undefined) : undefined),
    entry: <T>(name: string, key: string) => (visible(`${name}\0${key}`) ? (perResource.get(name)?.get(key) as Fact<T> | undefined) : undefined),
    keysOf: (name) => [...(perResource.get(name)?.keys() ?? [])].filter((key) => visible(`${name}\0${key}`)),
  };
  function visible(read: string): boolean {
    return visibleBefore === Infinity || (readIn.get(read) ?? Infinity) < visibleBefore;
  }
  /** What a task of round `round` reads with: its calls are counted in that round. */
  const contexts = new Map<number, ReadContext>();
  function contextIn(round: number): ReadContext {
    const known = contexts.get(round);
    if (known) return known;
    const { s3, ec2In, ...global } = input.clients;
    const aws = {
      ...Object.fromEntries(Object.entries(global).map(([name, client]) => [name, ctx.inRound(round, client)])),
      s3: (region: string) => ctx.inRound(round, s3(region)),
      ec2In: (region: string) => ctx.inRound(round, ec2In(region)),
    } as CollectClients;
    const inRound = { ...context, aws };
    contexts.set(round, inRound);
    return inRound;
  }

  /** Reads one fact or entry and records it; facts (not lookups) are reported as progress. */
  async function record<T>(item: CollectItem, key: string | undefined, round: number, read: () => Promise<T>, none: NoneAnswer<unknown> | undefined) {
    const counted = item.kind !== 'lookup';
    if (counted) planned += 1;
    const fact = await readFact(actionOf(item), read, none as never);
    if (key === undefined) {
      single.set(item.key, fact);
      readIn.set(item.key, round);
      if (counted) input.onRead?.(item.key as FactKey, fact);
    } else {
      const stored = fact.ok && item.kind === 'keyed' && item.storeAs ? item.storeAs(key, fact.data) : key;
      entries(item.key).set(stored, fact);
      readIn.set(`${item.key}\0${stored}`, round);
    }
    if (counted) {
      done += 1;
      input.onFact?.({ done, total: planned, label: key === undefined ? item.key : `${item.key} ${key}` });
    }
  }

  /** The tasks of round `round` for a per-resource item: second steps listed since, then keys not asked yet. */
  function resourceTasks(item: PerResource, round: number): (() => Promise<unknown>)[] {
    const tasks: (() => Promise<unknown>)[] = [];
    for (const [key, first] of listed.get(item.key) ?? []) {
      tasks.push(() =>
        record(item, key, round, async () => {
          if (!first.ok) throw new EarlierFailure(first.error);
          return item.read(contextIn(round), key, first.data as never);
        }, item.none),
      );
    }
    listed.delete(item.key);
    const asked = requested.get(item.key) ?? requested.set(item.key, new Set()).get(item.key)!;
    visibleBefore = round;
    let keys: string[];
    try {
      keys = item.keys(context);
    } finally {
      visibleBefore = Infinity;
    }
    for (const key of keys) {
      if (asked.has(key) || perResource.get(item.key)?.has(key)) continue;
      asked.add(key);
      const list = item.kind === 'keyed' ? item.list : undefined;
      tasks.push(
        list
          ? async () => {
              const first = await readFact(item.calls[0]?.action ?? '', () => list.read(contextIn(round), key), list.none as never);
              (listed.get(item.key) ?? listed.set(item.key, new Map()).get(item.key)!).set(key, first);
            }
          : () => record(item, key, round, () => item.read(contextIn(round), key, undefined as never), item.none),
      );
    }
    return tasks;
  }

  // Facts not to be refreshed are copied; lookups serving none of the refreshed facts are skipped.
  for (const item of COLLECT_ITEMS) {
    if (item.kind === 'lookup') {
      if (!item.serves.some(refreshes)) roundOf.set(item.key, 0);
      else if (item.reuse && !refreshes(item.reuse.fact)) {
        const copied = previous?.[item.reuse.fact as FactKey] as Fact<never> | undefined;
        single.set(item.key, { ok: true, data: item.reuse.value((copied?.ok ? copied.data : undefined) as never) });
        readIn.set(item.key, 0);
        roundOf.set(item.key, 0);
      }
    } else if (!refreshes(item.key)) {
      const copied = previous?.[item.key as FactKey];
      if (item.kind === 'keyed') {
        perResource.set(item.key, new Map(Object.entries(copied as Record<string, Fact<unknown>>)));
        for (const key of perResource.get(item.key)!.keys()) readIn.set(`${item.key}\0${key}`, 0);
      } else {
        single.set(item.key, copied as Fact<unknown>);
        readIn.set(item.key, 0);
        if (copied !== undefined) input.onRead?.(item.key as FactKey, copied as Fact<unknown>);
      }
      roundOf.set(item.key, 0);
    }
  }

  // Of the items ready at once, those asked for first, then those heading the longest chains.
  const first = new Set<string>(input.first ?? []);
  const order = [...COLLECT_ITEMS].sort(
    (a, b) => Number(first.has(b.key)) - Number(first.has(a.key)) || (CHAIN_LENGTHS.get(b.key) ?? 0) - (CHAIN_LENGTHS.get(a.key) ?? 0),
  );
  const settled = (name: string) => roundOf.has(name) && !busy.get(name) && !listed.has(name);

  await new Promise<void>((resolve, reject) => {
    let running = 0;
    const start = (item: CollectItem, round: number, task: () => Promise<unknown>) => {
      // Follow-ups stop here even if a definition keeps finding keys.
      if (round > MAX_ROUNDS) return;
      running += 1;
      busy.set(item.key, (busy.get(item.key) ?? 0) + 1);
      task().then(() => {
        running -= 1;
        busy.set(item.key, (busy.get(item.key) ?? 1) - 1);
        schedule(round);
      }, reject);
    };
    /** Starts what an answer of round `answered` (0: none yet) made ready; resolves when nothing is left running. */
    const schedule = (answered: number) => {
      for (let changed = true; changed; ) {
        changed = false;
        for (const item of order) {
          const since = roundOf.get(item.key);
          if (since === 0) continue;
          let round: number;
          if (since === undefined) {
            const after = item.after ?? [];
            if (!after.every(settled)) continue;
            round = 1 + Math.max(0, ...after.map((name) => roundOf.get(name) ?? 0));
            roundOf.set(item.key, round);
            changed = true;
            if (item.kind === 'derived') continue;
            if (item.kind === 'single' || (item.kind === 'lookup' && !item.keys)) {
              start(item, round, () => record(item, undefined, round, () => item.read(contextIn(round), ''), item.none));
              continue;
            }
          } else {
            if (item.kind === 'derived' || item.kind === 'single' || (item.kind === 'lookup' && !item.keys)) continue;
            round = Math.max(since, answered + 1);
          }
          for (const task of resourceTasks(item as PerResource, round)) start(item, round, task);
        }
      }
      if (running === 0) resolve();
    };
    schedule(0);
  });

  // Assembled facts, then every fact in the definitions' order; keyed facts never read are empty.
  for (const item of FACT_DEFINITIONS) {
    if (item.kind === 'derived' && roundOf.get(item.key) !== 0) single.set(item.key, item.derive([...entries(item.from).values()]));
  }
  const facts = Object.fromEntries(
    FACT_DEFINITIONS.map((item) => [item.key, item.kind === 'keyed' ? Object.fromEntries(entries(item.key)) : single.get(item.key)]),
  );
  // Dates become ISO strings and undefined fields disappear, exactly as in a saved snapshot.
  return JSON.parse(JSON.stringify(facts)) as Facts;
}
