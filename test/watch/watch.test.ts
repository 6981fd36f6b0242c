import { describe, expect, it } from 'vitest';
import { AwsAccessError } from '../../src/errors.js';
import type { Scorecard } from '../../src/grade/scorecard.js';
import type { FactKey, Snapshot } from '../../src/snapshot/types.js';
import { diffScorecards } from '../../src/watch/diff.js';
import { abortableSleep, refreshFor, unreadableReason, watchLoop, type WatchDependencies, type WatchFrame, type WatchRound } from '../../src/watch/loop.js';
import { changeLines, CLEAR_SCREEN, finalLine, renderFrame } from '../../src/watch/render.js';
import { sampleScorecard } from '../html/sample-scorecard.js';
import { example } from '../support/fixtures.js';

// Earned points on 1.1, 1.2, 2.1 and the bonus, round by round, as a student fixes things.
const ROUNDS = [
  [0, 0.1, 0.25, 0],
  [0.25, 0.1, 0.25, 0],
  [0.25, 0.1, 0.25, 0],
  [0.25, 0, 0.5, 1],
];

describe('diffScorecards', () => {
  it('lists the steps that went up and down with exact deltas, in rubric order', () => {
    const diff = diffScorecards(sampleScorecard({ earned: ROUNDS[2] }), sampleScorecard({ earned: ROUNDS[3] }));
    expect(diff.steps.map((change) => [change.id, change.direction, change.delta, change.before?.status, change.after?.status])).toEqual([
      ['1.2', 'down', -0.1, 'partial', 'fail'],
      ['2.1', 'up', 0.25, 'partial', 'pass'],
      ['bonus', 'up', 1, 'unearned', 'pass'],
    ]);
    // 0.6 → 0.75: exactly 0.15, not 0.15000000000000002.
    expect(diff.total).toEqual({ before: { earned: 0.6, max: 1.75 }, after: { earned: 0.75, max: 1.75 }, delta: 0.15 });
    expect(diff.bonus.delta).toBe(1);
  });

  it('finds nothing between two gradings of an unchanged account', () => {
    const diff = diffScorecards(sampleScorecard(), sampleScorecard());
    expect(diff.steps).toEqual([]);
    expect(diff.total.delta).toBe(0);
  });

  it('reports a status change that moved no points', () => {
    const before = sampleScorecard({ earned: ROUNDS[0] });
    const after = structuredClone(before) as Scorecard;
    after.sections[0]!.steps[2]!.status = 'fail';
    const [change] = diffScorecards(before, after).steps;
    expect(change).toMatchObject({ id: '1.3', direction: 'same', delta: 0, before: { status: 'error' }, after: { status: 'fail' } });
  });
});

describe('the change display', () => {
  it('says what moved since the last round', () => {
    const lines = changeLines(diffScorecards(sampleScorecard({ earned: ROUNDS[2] }), sampleScorecard({ earned: ROUNDS[3] })), 4);
    expect(lines).toEqual([
      'Round 4: 3 steps changed since round 3 (2 up, 1 down); total 0.75/1.75 (+0.15), bonus 1.00/1.00 (+1.00).',
      '  ▼ 1.2 Create an admin IAM group and user: 0.10/0.25 → 0.00/0.25 (−0.10), partial → failed',
      '  ▲ 2.1 Create a private S3 bucket: 0.25/0.50 → 0.50/0.50 (+0.25), partial → passed',
      '  ▲ bonus A CloudWatch alarm on the lab: 0.00/1.00 → 1.00/1.00 (+1.00), bonus not earned → passed',
    ]);
    expect(changeLines(diffScorecards(sampleScorecard(), sampleScorecard()), 2)).toEqual([
      'Round 2: no change since round 1; total 0.85/1.75 (±0.00), bonus 0.00/1.00 (±0.00).',
    ]);
    expect(changeLines(null, 1)).toEqual(['Round 1: first look at the account.']);
  });

  it('redraws from a clear screen on a TTY only', () => {
    const frame: WatchFrame = { round: 1, scorecard: sampleScorecard(), diff: null, durationMs: 1234, nextInMs: 28766 };
    const tty = renderFrame(frame, { color: false, clear: true });
    expect(tty.startsWith(CLEAR_SCREEN)).toBe(true);
    expect(tty).toContain('0.85 / 1.75');
    expect(tty.trimEnd().split('\n').at(-1)).toBe('Collected 2026-11-20T16:30:00.000Z in 1.2 s; next round in 29 s. Ctrl-C stops.');
    expect(renderFrame(frame, { color: false, clear: false })).not.toContain('\x1b[');
  });
});

/** A watch run on fake snapshots: round N's snapshot grades as ROUNDS[N-1]; the clock moves 2 s per collection. */
function fakeWorld(options: { hangOnRound?: number } = {}) {
  let clock = 0;
  const frames: WatchFrame[] = [];
  const collected: { round: number; previousCollectedAt?: string; readsTrail: boolean; readsVpcs: boolean }[] = [];
  const sleeps: number[] = [];
  const controller = new AbortController();
  const deps: WatchDependencies = {
    async grade({ round, previous, refresh }) {
      collected.push({
        round,
        ...(previous ? { previousCollectedAt: previous.collectedAt } : {}),
        readsTrail: refresh('userEvents'),
        readsVpcs: refresh('vpcs'),
      });
      if (round === options.hangOnRound) return new Promise<WatchRound>(() => {});
      clock += 2000;
      const snapshot = { ...example('complete-lab'), collectedAt: `round-${round}` };
      return { snapshot, scorecard: sampleScorecard({ earned: ROUNDS[(round - 1) % ROUNDS.length] }) };
    },
    show: (frame) => frames.push(frame),
    async sleep(ms) {
      sleeps.push(ms);
      clock += ms;
    },
    now: () => clock,
  };
  return { deps, frames, collected, sleeps, controller };
}

describe('watchLoop', () => {
  it('collects, grades and shows each round with the change since the last, passing the previous snapshot', async () => {
    const world = fakeWorld();
    const summary = await watchLoop(world.deps, { intervalMs: 30_000, signal: world.controller.signal, maxRounds: 4 });
    expect(summary).toMatchObject({ rounds: 4, stoppedBy: 'rounds' });
    expect(summary.last?.total.earned).toBe(0.75);
    expect(world.frames.map((frame) => [frame.round, frame.diff?.steps.map((change) => change.id) ?? null, frame.diff?.total.delta ?? null])).toEqual([
      [1, null, null],
      [2, ['1.1'], 0.25],
      [3, [], 0],
      [4, ['1.2', '2.1', 'bonus'], 0.15],
    ]);
    expect(world.collected.map((call) => call.previousCollectedAt)).toEqual([undefined, 'round-1', 'round-2', 'round-3']);
    // Each wait is the interval minus the round's 2 s.
    expect(world.sleeps).toEqual([28_000, 28_000, 28_000]);
    expect(world.frames[0]!.nextInMs).toBe(28_000);
  });

  it('re-reads CloudTrail and budgets on the first round and every fifth, everything else every round', async () => {
    const world = fakeWorld();
    await watchLoop(world.deps, { intervalMs: 1000, signal: world.controller.signal, maxRounds: 10 });
    expect(world.collected.filter((call) => call.readsTrail).map((call) => call.round)).toEqual([1, 5, 10]);
    expect(world.collected.every((call) => call.readsVpcs)).toBe(true);
    const slow: FactKey[] = ['userEvents', 'ecrLoginEvents', 'budgets', 'budgetNotifications'];
    expect(slow.map((key) => refreshFor(3)(key))).toEqual([false, false, false, false]);
  });

  it('stops with the fix when the credentials expire between rounds', async () => {
    const world = fakeWorld();
    const round = world.deps.grade;
    world.deps.grade = async (context) => {
      if (context.round === 3) throw new AwsAccessError('Your AWS credentials have expired (ExpiredToken). Start the lab again.');
      return round(context);
    };
    const summary = await watchLoop(world.deps, { intervalMs: 30_000, signal: world.controller.signal });
    expect(summary).toMatchObject({ rounds: 2, stoppedBy: 'unreadable' });
    expect(world.frames).toHaveLength(2);
    expect(finalLine(summary)).toBe(
      'Stopped after 2 rounds: 0.60 / 1.75, bonus 0.00 / 1.00.\nYour AWS credentials have expired (ExpiredToken). Start the lab again.',
    );
  });

  it('stops when every read of a round was refused, instead of showing a screen of errors', async () => {
    const world = fakeWorld();
    const denied = (snapshot: Snapshot, code: string): Snapshot => ({
      ...snapshot,
      facts: Object.fromEntries(
        Object.keys(snapshot.facts).map((key) => [key, { ok: false, error: { code, message: 'no', call: 'ec2:DescribeVpcs' } }]),
      ) as unknown as Snapshot['facts'],
    });
    const round = world.deps.grade;
    world.deps.grade = async (context) => {
      const read = await round(context);
      return context.round === 2 ? { ...read, snapshot: denied(read.snapshot, 'AccessDenied') } : read;
    };
    const summary = await watchLoop(world.deps, { intervalMs: 30_000, signal: world.controller.signal });
    expect(summary).toMatchObject({ rounds: 1, stoppedBy: 'unreadable' });
    expect(summary.reason).toMatch(/^every one of the \d+ reads failed \(mostly AccessDenied\): .*lab-grader policy/);
    expect(unreadableReason(denied(example('complete-lab'), 'ExpiredToken'))).toMatch(/^every read failed with ExpiredToken: your AWS credentials have expired/);
    expect(unreadableReason(example('complete-lab'))).toBeUndefined();
  });

  it('shows only the misses in the compact view', () => {
    const frame: WatchFrame = { round: 1, scorecard: sampleScorecard({ earned: [0.25, 0.1, 0.25, 0] }), diff: null, durationMs: 1000, nextInMs: 29000 };
    const full = renderFrame(frame, { color: false, clear: false });
    const compact = renderFrame(frame, { color: false, clear: false, missesOnly: true });
    expect(compact.split('\n').length).toBeLessThan(full.split('\n').length);
    expect(compact).not.toMatch(/✔/);
    expect(compact).toMatch(/Round 1: first look/);
  });

  it('stops cleanly when Ctrl-C comes during the wait', async () => {
    const world = fakeWorld();
    world.deps.sleep = async () => {
      if (world.frames.length === 2) world.controller.abort();
    };
    const summary = await watchLoop(world.deps, { intervalMs: 30_000, signal: world.controller.signal });
    expect(summary).toMatchObject({ rounds: 2, stoppedBy: 'signal' });
    expect(world.collected).toHaveLength(2);
    expect(finalLine(summary)).toBe('Stopped after 2 rounds: 0.60 / 1.75, bonus 0.00 / 1.00.');
  });

  it('abandons a round that is still collecting when Ctrl-C comes, keeping the last shown score', async () => {
    const world = fakeWorld({ hangOnRound: 3 });
    const running = watchLoop(world.deps, { intervalMs: 10, signal: world.controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(world.collected.map((call) => call.round)).toEqual([1, 2, 3]);
    world.controller.abort();
    const summary = await running;
    expect(summary).toMatchObject({ rounds: 2, stoppedBy: 'signal' });
    expect(world.frames).toHaveLength(2);
  });

  it('passes a collection failure on (e.g. expired credentials), unless the user already stopped', async () => {
    const world = fakeWorld();
    world.deps.grade = async () => {
      throw new Error('ExpiredToken');
    };
    await expect(watchLoop(world.deps, { intervalMs: 10, signal: world.controller.signal })).rejects.toThrow('ExpiredToken');
    expect(finalLine({ rounds: 0, last: null, stoppedBy: 'signal' })).toBe('Stopped before the first round finished.');
  });
});

describe('abortableSleep', () => {
  it('ends at once when aborted', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const sleeping = abortableSleep(60_000, controller.signal);
    controller.abort();
    await sleeping;
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
