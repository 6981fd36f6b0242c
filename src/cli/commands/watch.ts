// `lab-grader watch`: for a student building the lab, grade the live account every N
// seconds and show what changed; Ctrl-C stops after printing the last score.
import { performance } from 'node:perf_hooks';
import { withAccount } from '../../student/account.js';
import { gradeStudent, readAccount } from '../../student/grade.js';
import { abortableSleep, watchLoop } from '../../watch/loop.js';
import { finalLine, renderFrame } from '../../watch/render.js';
import { consoleWidth, diagnostics, useColor } from '../terminal.js';
import { accountAccess, assertLiveFlags, DEFAULT_TIMEOUT_SECONDS, prepareGrading, type LiveFlags } from './grade.js';

export interface WatchCommandOptions extends LiveFlags {
  /** Seconds between the starts of two rounds. */
  interval: number;
  /** Stop after this many rounds; unbounded when absent. */
  rounds?: number;
  rubric?: string;
  /** The rubric profile (--lab-profile). */
  labProfile?: string;
  param: string[];
  albUrl?: string;
  submission?: string;
  /** Seconds one round may take (default 300); facts not read by then are errors and the round is still shown. */
  timeout?: number;
  color: boolean;
  /** Only the steps that lost points or need a person. */
  compact?: boolean;
}

export async function watchCommand(options: WatchCommandOptions): Promise<number> {
  assertLiveFlags(options);
  const { grading, submission } = await prepareGrading(options);
  const log = diagnostics(options);
  const access = await accountAccess(options, log, 'watch');
  const timeoutMs = (options.timeout ?? DEFAULT_TIMEOUT_SECONDS) * 1000;

  const controller = new AbortController();
  const stop = (): void => {
    process.stderr.write('\nstopping (Ctrl-C again to quit at once)...\n');
    controller.abort();
  };
  // Only the first Ctrl-C is ours; a second one finds no listener and ends the process.
  process.once('SIGINT', stop);
  const color = useColor(options.color);
  try {
    // One set of clients for every round: connections and resolved credentials (the role's too) are reused.
    const summary = await withAccount(access, (clients) =>
      watchLoop(
        {
          grade: ({ previous, refresh }) =>
            gradeStudent(
              grading,
              () =>
                readAccount(grading, { clients, access }, submission, {
                  refresh,
                  deadline: Date.now() + timeoutMs,
                  ...(previous ? { previous } : {}),
                  ...(options.albUrl === undefined ? {} : { albUrl: options.albUrl }),
                  ...(log.onProbe ? { onProbe: log.onProbe } : {}),
                }),
              { submission },
            ),
          show: (frame) =>
            process.stdout.write(
              renderFrame(frame, {
                color,
                clear: process.stdout.isTTY === true && !options.quiet,
                width: consoleWidth(),
                missesOnly: options.compact === true,
                changesOnly: options.quiet === true,
                ...(options.awsProfile === undefined ? {} : { awsProfile: options.awsProfile }),
              }),
            ),
          sleep: abortableSleep,
          now: () => performance.now(),
        },
        {
          intervalMs: options.interval * 1000,
          signal: controller.signal,
          ...(options.rounds === undefined ? {} : { maxRounds: options.rounds }),
        },
      ),
    );
    process.stderr.write(`${finalLine(summary)}\n`);
    return summary.stoppedBy === 'unreadable' ? 3 : 0;
  } finally {
    process.removeListener('SIGINT', stop);
  }
}
