// The batch's progress on stderr: a bar on a terminal; in CI or piped, one line per finished
// student, so a log shows who is done, their score, how long it took and any flag.
import { flagNames } from '../integrity/apply.js';
import { formatPoints } from '../report/steps.js';
import type { BatchProgress } from './runner.js';

export interface BarStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

export interface ProgressBar {
  onProgress(progress: BatchProgress): void;
  /** Clears the bar so the summary starts on a clean line. */
  finish(): void;
}

const WIDTH = 24;

/** `[██████░░░░░░] 12/50 · 1 error · 3 skipped · 8 graded again · s0012` */
export function barLine(progress: Pick<BatchProgress, 'done' | 'total' | 'failed' | 'skipped' | 'regraded' | 'student'>): string {
  const filled = progress.total === 0 ? WIDTH : Math.round((progress.done / progress.total) * WIDTH);
  const parts = [`[${'█'.repeat(filled)}${'░'.repeat(WIDTH - filled)}] ${progress.done}/${progress.total}`];
  if (progress.failed > 0) parts.push(`${progress.failed} error${progress.failed === 1 ? '' : 's'}`);
  if (progress.skipped > 0) parts.push(`${progress.skipped} skipped`);
  if (progress.regraded > 0) parts.push(`${progress.regraded} graded again`);
  parts.push(progress.student);
  return parts.join(' · ');
}

function inCi(env: NodeJS.ProcessEnv): boolean {
  return env.CI !== undefined && env.CI !== '' && env.CI !== 'false';
}

/** `[12/48] s0012 9.50 / 10.00, bonus 1.00 · 0.8 s · flags: bundled-example` */
export function finishedLine(progress: BatchProgress): string {
  const { outcome } = progress;
  const card = outcome.scorecard;
  const result = card
    ? `${formatPoints(card.total.earned)} / ${formatPoints(card.total.max)}, bonus ${formatPoints(card.bonusPoints.earned)}${outcome.skipped ? ' (kept from an earlier run)' : ''}${outcome.regraded ? ` (graded again: ${outcome.regraded.join(', ')})` : ''}`
    : `could not be graded: ${outcome.error ?? 'unknown error'}`;
  const parts = [`[${progress.done}/${progress.total}] ${progress.student} ${result}`, `${outcome.seconds.toFixed(1)} s`];
  if (progress.flags.length > 0) parts.push(`flags: ${flagNames(progress.flags)}`);
  return parts.join(' · ');
}

/**
 * How long a finished student's line may wait to be written with the next ones. A write to a
 * pipe is a system call that wakes its reader: one per student cost the batch's own thread a
 * quarter of a millisecond each, and a log that reads its pipe every so often sees no difference.
 */
export const LINE_DELAY_MS = 100;

/** A line per finished student, written in groups: each group at most LINE_DELAY_MS after its first line, and the rest at finish. */
export function progressLines(stream: BarStream, delayMs = LINE_DELAY_MS): ProgressBar {
  let held = '';
  let timer: NodeJS.Timeout | undefined;
  const flush = (): void => {
    clearTimeout(timer);
    timer = undefined;
    if (held === '') return;
    const text = held;
    held = '';
    stream.write(text);
  };
  return {
    onProgress(progress) {
      held += `${finishedLine(progress)}\n`;
      // Unreferenced: a batch that is done never waits for its last lines' timer (finish writes them).
      timer ??= setTimeout(flush, delayMs).unref();
    },
    finish: flush,
  };
}

/** The bar on a terminal, a line per student in CI or when piped. */
export function batchProgress(stream: BarStream = process.stderr, env: NodeJS.ProcessEnv = process.env): ProgressBar {
  return progressBar(stream, env) ?? progressLines(stream);
}

export function progressBar(stream: BarStream = process.stderr, env: NodeJS.ProcessEnv = process.env): ProgressBar | undefined {
  if (!stream.isTTY || inCi(env)) return undefined;
  let shown = false;
  return {
    onProgress(progress) {
      const width = Math.max(20, (stream.columns ?? 80) - 1);
      const line = barLine(progress);
      stream.write(`\r\x1b[2K${line.length > width ? `${line.slice(0, width - 1)}…` : line}`);
      shown = true;
    },
    finish() {
      if (shown) stream.write('\r\x1b[2K');
      shown = false;
    },
  };
}
