// What watch mode prints each round: the checklist, then what changed since the last round.
import type { Points } from '../grade/scorecard.js';
import { renderReport } from '../report/index.js';
import { formatPoints, formatScore, STATUS_WORDS } from '../report/steps.js';
import type { ScorecardDiff, StepChange } from './diff.js';
import type { WatchFrame, WatchSummary } from './loop.js';

/** Clears the screen and puts the cursor home, so each round replaces the last on a TTY. */
export const CLEAR_SCREEN = '\x1b[2J\x1b[3J\x1b[H';

export interface FrameOptions {
  color: boolean;
  /** Clear the screen first (on a TTY). */
  clear: boolean;
  /** Columns of the checklist (the terminal's). */
  width?: number;
  /** Only the steps that lost points or need a person (`--compact`). */
  missesOnly?: boolean;
  /** The AWS profile the account is read with (`--profile`), for the header. */
  awsProfile?: string;
  /** No checklist: only the round's line of what changed (`--quiet`). */
  changesOnly?: boolean;
}

function signed(delta: number): string {
  return `${delta > 0 ? '+' : delta < 0 ? '−' : '±'}${formatPoints(Math.abs(delta))}`;
}

function arrow(change: StepChange): string {
  return change.direction === 'up' ? '▲' : change.direction === 'down' ? '▼' : '•';
}

function pointsOf(points: Points | undefined): string {
  return points ? formatScore(points) : 'absent';
}

function changeLine(change: StepChange): string {
  const status = `${change.before ? STATUS_WORDS[change.before.status] : 'absent'} → ${change.after ? STATUS_WORDS[change.after.status] : 'absent'}`;
  const delta = change.delta === 0 ? '' : ` (${signed(change.delta)})`;
  return `  ${arrow(change)} ${change.id} ${change.title}: ${pointsOf(change.before?.points)} → ${pointsOf(change.after?.points)}${delta}, ${status}`;
}

export function changeLines(diff: ScorecardDiff | null, round: number): string[] {
  if (diff === null) return [`Round ${round}: first look at the account.`];
  const totals = `total ${formatScore(diff.total.after)} (${signed(diff.total.delta)}), bonus ${formatScore(diff.bonus.after)} (${signed(diff.bonus.delta)})`;
  if (diff.steps.length === 0) return [`Round ${round}: no change since round ${round - 1}; ${totals}.`];
  const up = diff.steps.filter((change) => change.direction === 'up').length;
  const down = diff.steps.filter((change) => change.direction === 'down').length;
  return [
    `Round ${round}: ${diff.steps.length} step${diff.steps.length === 1 ? '' : 's'} changed since round ${round - 1} (${up} up, ${down} down); ${totals}.`,
    ...diff.steps.map(changeLine),
  ];
}

export function renderFrame(frame: WatchFrame, options: FrameOptions): string {
  if (options.changesOnly) return `${changeLines(frame.diff, frame.round).join('\n')}\n`;
  const checklist = renderReport(frame.scorecard, 'console', {
    color: options.color,
    ...(options.width === undefined ? {} : { width: options.width }),
    ...(options.missesOnly ? { missesOnly: true } : {}),
    ...(options.awsProfile === undefined ? {} : { awsProfile: options.awsProfile }),
  });
  const footer = `Collected ${frame.scorecard.subject.collectedAt} in ${(frame.durationMs / 1000).toFixed(1)} s; next round in ${Math.round(frame.nextInMs / 1000)} s. Ctrl-C stops.`;
  return [
    options.clear ? CLEAR_SCREEN : '',
    checklist.endsWith('\n') ? checklist : `${checklist}\n`,
    '\n',
    changeLines(frame.diff, frame.round).join('\n'),
    '\n',
    footer,
    '\n',
  ].join('');
}

/** The line printed when watch mode stops. */
export function finalLine(summary: WatchSummary): string {
  const how = summary.stoppedBy === 'rounds' ? 'Done' : 'Stopped';
  const why = summary.reason === undefined ? '' : `\n${summary.reason}`;
  if (!summary.last) return `${how} before the first round finished.${why}`;
  const { total, bonusPoints } = summary.last;
  return `${how} after ${summary.rounds} round${summary.rounds === 1 ? '' : 's'}: ${formatPoints(total.earned)} / ${formatPoints(total.max)}, bonus ${formatPoints(bonusPoints.earned)} / ${formatPoints(bonusPoints.max)}.${why}`;
}
