// A one-line progress display for a live grade on a terminal; nothing in CI or when piped.
// From the first second it says what the grade waits for: the AWS call in flight the longest,
// where it went and for how long, so a stalled endpoint is never silence.
import { performance } from 'node:perf_hooks';
import type { PendingCall } from '../aws/pending.js';

export interface ProgressEvent {
  done: number;
  total: number;
  label: string;
}

/** The stage after collection: each probe of the load balancer as it ends. */
export interface ProbeProgress {
  /** Probes ended so far. */
  done: number;
  /** `GET /health 200` or `GET /health ECONNREFUSED`. */
  label: string;
}

export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

export interface ProgressDisplay {
  /** Pass as `onProgress` to collectSnapshot. */
  onProgress(event: ProgressEvent): void;
  /** The probing stage, which follows collection. */
  onProbe(event: ProbeProgress): void;
  /** Clears the line for a message of its own line; the next redraw shows it again below. */
  clear(): void;
  /** Clears the line and stops the clock, so the reports start on a clean one. */
  finish(): void;
}

export interface ProgressOptions {
  /** The calls in flight (src/aws/clients.ts PendingCalls): the line names the one waiting longest. */
  pending?: { oldest(): PendingCall | undefined };
  /** performance.now() by default; tests move their own clock. */
  now?: () => number;
  /** How often the line is redrawn while nothing else happens (default 250 ms): the seconds count up. */
  tickMs?: number;
}

/** Until a call has waited this long, the line shows the stage alone (most calls answer sooner). */
const WAIT_SHOWN_AFTER_MS = 1000;
const DEFAULT_TICK_MS = 250;

/** `waiting 3 s for sts:GetCallerIdentity (sts.eu-west-1.amazonaws.com)`. */
function waitingText(call: PendingCall, now: number): string {
  const seconds = Math.max(0, Math.floor((now - call.startedAt) / 1000));
  const host = call.endpoint !== undefined && URL.canParse(call.endpoint) ? ` (${new URL(call.endpoint).host})` : '';
  return `waiting ${seconds} s for ${call.action}${host}`;
}

/**
 * The display for `stream` (stderr by default), or undefined when it should stay quiet:
 * not a terminal, or CI set (GitHub Actions, GitLab CI and most others set CI=true).
 */
export function progressDisplay(
  stream: ProgressStream = process.stderr,
  env: NodeJS.ProcessEnv = process.env,
  options: ProgressOptions = {},
): ProgressDisplay | undefined {
  if (!stream.isTTY || (env.CI !== undefined && env.CI !== '' && env.CI !== 'false')) return undefined;
  const now = options.now ?? (() => performance.now());
  /** What the grade is doing: collecting, probing, or nothing yet. */
  let stage: string | undefined;
  let shown: string | undefined;
  const draw = (): void => {
    const waiting = options.pending?.oldest();
    const parts = [stage, waiting && (stage === undefined || now() - waiting.startedAt >= WAIT_SHOWN_AFTER_MS) ? waitingText(waiting, now()) : undefined];
    const line = parts.filter((part) => part !== undefined).join(' · ') || 'connecting to AWS';
    // A terminal that reports no size (0 columns) gets the usual 80.
    const width = Math.max(20, (stream.columns || 80) - 1);
    const cut = line.length > width ? `${line.slice(0, width - 1)}…` : line;
    if (cut === shown) return;
    stream.write(`\r\x1b[2K${cut}`);
    shown = cut;
  };
  const clear = (): void => {
    if (shown !== undefined) stream.write('\r\x1b[2K');
    shown = undefined;
  };
  // Unref'd: the clock never keeps a finished grade's process alive.
  const clock = setInterval(draw, options.tickMs ?? DEFAULT_TICK_MS);
  clock.unref?.();
  draw();
  return {
    onProgress: (event) => {
      stage = `collecting ${event.done}/${event.total} ${event.label}`;
      draw();
    },
    onProbe: (event) => {
      stage = `probing the load balancer: ${event.done} request${event.done === 1 ? '' : 's'} done, last ${event.label}`;
      draw();
    },
    clear,
    finish() {
      clearInterval(clock);
      clear();
    },
  };
}
