// The account → Facts: a small scheduler over the fact definitions (src/facts/). Each item
// runs in the round after the facts it needs; per-resource facts are asked for their keys
// again every round, so what earlier rounds found (a service's older task definition, the
// log group it names) is read in a follow-up round.
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
}

/** Rounds after the credentials check at most: follow-ups stop here even if a definition keeps finding keys. */
const MAX_ROUNDS = 8;

type PerResource = KeyedFact | (Lookup & { keys: NonNullable<Lookup['keys']> });

/** The IAM action a failed read is named by when the error itself does not say: the item's last call. */
const actionOf = (item: CollectItem) => item.calls[item.calls.length - 1]?.action ?? '';

export async function collectFacts(input: FactsInput): Promise<Facts> {
  const { ctx, previous, refresh } = input;
  const single = new Map<string, Fact<unknown>>();
  const perResource = new Map<string, Map<string, Fact<unknown>>>();
  /** The round each item was first taken up in; 0 for items copied from `previous` or not needed. */
  const roundOf = new Map<string, number>();
  const requested = new Map<string, Set<string>>();
  /** Second steps waiting for the next round: item → key → what the first step listed. */
  const listed = new Map<string, Map<string, Fact<unknown>>>();
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
    get: <T>(name: string) => single.get(name) as Fact<T> | undefined,
    entry: <T>(name: string, key: string) => perResource.get(name)?.get(key) as Fact<T> | undefined,
    keysOf: (name) => [...(perResource.get(name)?.keys() ?? [])],
  };

  /** Reads one fact or entry and records it; facts (not lookups) are reported as progress. */
  async function record<T>(item: CollectItem, key: string | undefined, read: () => Promise<T>, none: NoneAnswer<unknown> | undefined) {
    const counted = item.kind !== 'lookup';
    if (counted) planned += 1;
    const fact = await readFact(actionOf(item), read, none as never);
    if (key === undefined) single.set(item.key, fact);
    else entries(item.key).set(fact.ok && item.kind === 'keyed' && item.storeAs ? item.storeAs(key, fact.data) : key, fact);
    if (counted) {
      done += 1;
      input.onFact?.({ done, total: planned, label: key === undefined ? item.key : `${item.key} ${key}` });
    }
  }

  /** The tasks for a per-resource item this round: second steps listed last round, then keys not asked yet. */
  function resourceTasks(item: PerResource): (() => Promise<unknown>)[] {
    const tasks: (() => Promise<unknown>)[] = [];
    for (const [key, first] of listed.get(item.key) ?? []) {
      tasks.push(() =>
        record(item, key, async () => {
          if (!first.ok) throw new EarlierFailure(first.error);
          return item.read(context, key, first.data as never);
        }, item.none),
      );
    }
    listed.delete(item.key);
    const asked = requested.get(item.key) ?? requested.set(item.key, new Set()).get(item.key)!;
    for (const key of item.keys(context)) {
      if (asked.has(key) || perResource.get(item.key)?.has(key)) continue;
      asked.add(key);
      const list = item.kind === 'keyed' ? item.list : undefined;
      tasks.push(
        list
          ? async () => {
              const first = await readFact(item.calls[0]?.action ?? '', () => list.read(context, key), list.none as never);
              (listed.get(item.key) ?? listed.set(item.key, new Map()).get(item.key)!).set(key, first);
            }
          : () => record(item, key, () => item.read(context, key, undefined as never), item.none),
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
        roundOf.set(item.key, 0);
      }
    } else if (!refreshes(item.key)) {
      const copied = previous?.[item.key as FactKey];
      if (item.kind === 'keyed') perResource.set(item.key, new Map(Object.entries(copied as Record<string, Fact<unknown>>)));
      else single.set(item.key, copied as Fact<unknown>);
      roundOf.set(item.key, 0);
    }
  }

  for (let round = 1; round <= MAX_ROUNDS; round += 1) {
    const tasks: (() => Promise<unknown>)[] = [];
    const takenUp: string[] = [];
    for (const item of COLLECT_ITEMS) {
      const since = roundOf.get(item.key);
      if (since === 0) continue;
      if (since === undefined) {
        if (!(item.after ?? []).every((name) => (roundOf.get(name) ?? Infinity) < round)) continue;
        takenUp.push(item.key);
      }
      if (item.kind === 'derived') continue;
      if (item.kind === 'keyed' || (item.kind === 'lookup' && item.keys)) tasks.push(...resourceTasks(item as PerResource));
      else if (since === undefined) tasks.push(() => record(item, undefined, () => item.read(context, ''), item.none));
    }
    if (tasks.length === 0 && takenUp.length === 0) break;
    await ctx.round(tasks);
    for (const key of takenUp) roundOf.set(key, round);
  }

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
