// What the person's terminal and environment ask of the console output: colour and width.
import type { ProbeResult } from '../snapshot/types.js';

export interface OutputStream {
  isTTY?: boolean;
  columns?: number;
}

/**
 * Colour as the ecosystem decides it: --no-color wins; then FORCE_COLOR (`0` or `false`
 * turns colour off, any other value on, even when piped), as Node and chalk read it; then
 * a non-empty NO_COLOR turns it off (no-color.org); else colour on a terminal only.
 */
export function useColor(flag: boolean, stream: OutputStream = process.stdout, env: NodeJS.ProcessEnv = process.env): boolean {
  if (!flag) return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return stream.isTTY === true;
}

/** Width used when the output is not a terminal (a file, a pipe, CI logs). */
export const DEFAULT_WIDTH = 100;

/** The terminal's width, kept between 60 and 160 columns so lines stay readable; 100 when piped. */
export function consoleWidth(stream: OutputStream = process.stdout): number {
  if (!stream.isTTY || !stream.columns) return DEFAULT_WIDTH;
  return Math.min(160, Math.max(60, stream.columns));
}

/** One AWS call as `--verbose` prints it (the shape of the clients' call record). */
export interface CallLine {
  action: string;
  region: string;
  ms: number;
  outcome: string;
}

/** Where a command's notes and `--verbose` lines go: stderr, never into a report on stdout. */
export interface Diagnostics {
  /** A note for the person (files written, what was found); silent with --quiet. */
  note(text: string): void;
  /** A warning that the grade may not be what the person meant (the lab is in another region); printed even with --quiet. */
  warn(text: string): void;
  /** Set with --verbose: prints every AWS call. */
  onCall?: (call: CallLine) => void;
  /** Set with --verbose: prints every probe. */
  onProbe?: (result: ProbeResult) => void;
}

/** `GET /health 200` or `GET /health ECONNREFUSED`: what a probe got, in a few words. */
export function probeOutcome(result: ProbeResult): string {
  return `${result.method} ${new URL(result.url).pathname} ${result.status ?? result.error?.code ?? 'no answer'}`;
}

export function diagnostics(
  options: { quiet?: boolean; verbose?: boolean },
  stream: { write(text: string): unknown } = process.stderr,
): Diagnostics {
  return {
    note: (text) => {
      if (!options.quiet) stream.write(`${text}\n`);
    },
    warn: (text) => stream.write(`warning: ${text}\n`),
    ...(options.verbose
      ? {
          onCall: (call: CallLine) => stream.write(`aws ${call.action} ${call.region} ${call.ms} ms ${call.outcome}\n`),
          onProbe: (result: ProbeResult) =>
            stream.write(
              `probe ${result.id} ${result.method} ${result.url} ${result.latencyMs} ms ${result.status ?? result.error?.code ?? 'no answer'}` +
                `${result.attempts > 1 ? ` (${result.attempts} attempts)` : ''}\n`,
            ),
        }
      : {}),
  };
}

/**
 * Libraries that write to the console on their own (the SDK's endpoint resolver prints an
 * 11-line stack trace when it cannot form S3 Control's URL from AWS_ENDPOINT_URL) would
 * break into the checklist: their lines are dropped, or shown as one `sdk:` line each with
 * --verbose. lab-grader itself writes only to process.stdout and process.stderr.
 */
export function captureLibraryConsole(verbose: boolean, stream: { write(text: string): unknown } = process.stderr): void {
  const show = (...args: unknown[]): void => {
    if (!verbose) return;
    const first = args.map((arg) => (arg instanceof Error ? `${arg.name}: ${arg.message}` : String(arg))).join(' ');
    stream.write(`sdk: ${first.split('\n')[0]}\n`);
  };
  for (const method of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) console[method] = show;
}
