// Watch mode's loop: read and grade, show, wait; again until stopped. Everything that
// touches the world (the account, clock, sleep, screen) is passed in, so tests drive it.
import { classifyError } from '../snapshot/error-class.js';
import { AwsAccessError } from '../errors.js';
import type { Scorecard } from '../grade/scorecard.js';
import { SLOW_FACTS } from '../snapshot/facts.js';
import type { Fact, FactKey, Snapshot } from '../snapshot/types.js';
import { diffScorecards, type ScorecardDiff } from './diff.js';

/**
 * Slow facts (their definitions say so: CloudTrail event history, where LookupEvents allows
 * 2 calls a second per account and events arrive minutes late anyway, and budgets, which AWS
 * refreshes a few times a day) are re-read only every `SLOW_EVERY` rounds.
 */
export const SLOW_EVERY = 5;

/** Round 1 reads everything; later rounds skip the slow facts except every fifth round. */
export function refreshFor(round: number): (key: FactKey) => boolean {
  return (key) => round === 1 || round % SLOW_EVERY === 0 || !SLOW_FACTS.has(key);
}

export interface WatchFrame {
  round: number;
  scorecard: Scorecard;
  /** Null on the first round. */
  diff: ScorecardDiff | null;
  /** How long the round's collection and grading took. */
  durationMs: number;
  /** When the next round starts, from now. */
  nextInMs: number;
}

/** What a round reads and how it grades: the snapshot, and the scorecard graded from it. */
export interface WatchRound {
  snapshot: Snapshot;
  scorecard: Scorecard;
}

export interface WatchDependencies {
  /** Reads the account and grades it; `previous` is the last round's snapshot, `refresh` says what to read again. */
  grade(context: { round: number; previous?: Snapshot; refresh: (key: FactKey) => boolean }): Promise<WatchRound>;
  show(frame: WatchFrame): void;
  /** Resolves after `ms`, or as soon as `signal` aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  /** Milliseconds, monotonic. */
  now(): number;
}

export interface WatchOptions {
  intervalMs: number;
  /** Aborting stops the loop: during a wait at once, during a round without waiting for it. */
  signal: AbortSignal;
  /** Stop after this many rounds (tests, `--rounds`); unbounded when absent. */
  maxRounds?: number;
}

export interface WatchSummary {
  rounds: number;
  last: Scorecard | null;
  /** `unreadable`: the credentials expired, or the account refused every read. */
  stoppedBy: 'signal' | 'rounds' | 'unreadable';
  /** What made the account unreadable and what to do, with `unreadable`. */
  reason?: string;
}

/**
 * Why a round read nothing the grader can use, or undefined when it read something: every
 * fact failed, so grading on would only repeat a screen of errors.
 */
export function unreadableReason(snapshot: Snapshot): string | undefined {
  // The account-wide facts; per-resource maps follow from them, and the caller's identity was read before the rest.
  const facts = Object.entries(snapshot.facts)
    .filter(([key, fact]) => key !== 'callerIdentity' && typeof (fact as { ok?: unknown }).ok === 'boolean')
    .map(([, fact]) => fact as Fact<unknown>);
  if (facts.length === 0 || facts.some((fact) => fact.ok)) return undefined;
  const codes = new Map<string, number>();
  for (const fact of facts) if (!fact.ok) codes.set(fact.error.code, (codes.get(fact.error.code) ?? 0) + 1);
  const [code] = [...codes.entries()].sort((a, b) => b[1] - a[1])[0] ?? ['unknown'];
  if (classifyError(code) === 'credentials') {
    return `every read failed with ${code}: your AWS credentials have expired or were refused. Refresh them (a new Learner Lab session, \`aws sso login\`, new temporary keys) and start watch again.`;
  }
  return `every one of the ${facts.length} reads failed (mostly ${code}): the identity cannot read this account. Attach the policy \`lab-grader policy\` prints, check --region, and start watch again.`;
}

const ABORTED = Symbol('aborted');

/** The promise's value, or ABORTED as soon as the signal fires (the promise is left to settle unobserved). */
function unlessAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T | typeof ABORTED> {
  if (signal.aborted) return Promise.resolve(ABORTED);
  return new Promise((resolve, reject) => {
    const onAbort = (): void => resolve(ABORTED);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        // A round that failed after Ctrl-C no longer matters.
        if (signal.aborted) resolve(ABORTED);
        else reject(error);
      },
    );
  });
}

export async function watchLoop(deps: WatchDependencies, options: WatchOptions): Promise<WatchSummary> {
  let previous: Snapshot | undefined;
  let last: Scorecard | null = null;
  let rounds = 0;
  for (let round = 1; ; round += 1) {
    if (options.signal.aborted) break;
    const started = deps.now();
    let read: WatchRound | typeof ABORTED;
    try {
      read = await unlessAborted(deps.grade({ round, refresh: refreshFor(round), ...(previous ? { previous } : {}) }), options.signal);
    } catch (error) {
      // Expired or missing credentials: every later round would fail the same way.
      if (error instanceof AwsAccessError) return { rounds, last, stoppedBy: 'unreadable', reason: error.message };
      throw error;
    }
    if (read === ABORTED) break;
    const { snapshot, scorecard } = read;
    const reason = unreadableReason(snapshot);
    if (reason !== undefined) return { rounds, last, stoppedBy: 'unreadable', reason };
    const durationMs = deps.now() - started;
    const nextInMs = Math.max(0, options.intervalMs - durationMs);
    rounds = round;
    deps.show({ round, scorecard, diff: last ? diffScorecards(last, scorecard) : null, durationMs, nextInMs });
    previous = snapshot;
    last = scorecard;
    if (options.maxRounds !== undefined && round >= options.maxRounds) return { rounds, last, stoppedBy: 'rounds' };
    await deps.sleep(nextInMs, options.signal);
  }
  return { rounds, last, stoppedBy: 'signal' };
}

/** A real sleep that ends early when the signal aborts. */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
