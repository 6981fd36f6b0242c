// `lab-grader watch`: for a student building the lab, grade the live account every N
// seconds and show what changed; Ctrl-C stops after printing the last score.
import { performance } from 'node:perf_hooks';
import { createClients } from '../../aws/clients.js';
import { grade } from '../../grade/engine.js';
import { readLiveAccount } from '../../live/index.js';
import { abortableSleep, watchLoop } from '../../watch/loop.js';
import { finalLine, renderFrame } from '../../watch/render.js';
import { consoleWidth, diagnostics, useColor } from '../terminal.js';
import { prepareGrading, resolveRegion } from './grade.js';

export interface WatchCommandOptions {
  /** Seconds between the starts of two rounds. */
  interval: number;
  /** Stop after this many rounds; unbounded when absent. */
  rounds?: number;
  rubric?: string;
  /** The rubric profile (--lab-profile). */
  labProfile?: string;
  /** The AWS credentials profile (--profile). */
  awsProfile?: string;
  region?: string;
  param: string[];
  albUrl?: string;
  submission?: string;
  color: boolean;
  /** Only the steps that lost points or need a person. */
  compact?: boolean;
  /** Every AWS call on stderr. */
  verbose?: boolean;
}

export async function watchCommand(options: WatchCommandOptions): Promise<number> {
  const { rubric, rubricFile, paramOverrides, profile, params, submission, checks } = await prepareGrading(options);
  const log = diagnostics(options);
  const region = await resolveRegion(options, log);

  // One set of clients for every round: connections and resolved credentials are reused.
  const clients = createClients({
    ...(options.awsProfile === undefined ? {} : { awsProfile: options.awsProfile }),
    ...(region === undefined ? {} : { region }),
    ...(log.onCall ? { onCall: log.onCall } : {}),
  });
  const controller = new AbortController();
  const stop = (): void => {
    process.stderr.write('\nstopping (Ctrl-C again to quit at once)...\n');
    controller.abort();
  };
  // Only the first Ctrl-C is ours; a second one finds no listener and ends the process.
  process.once('SIGINT', stop);
  const color = useColor(options.color);
  try {
    const summary = await watchLoop(
      {
        collect: ({ previous, refresh }) =>
          readLiveAccount({
            params,
            profile: profile.name,
            clients,
            refresh,
            rubricSha256: rubric.sha256,
            ...(previous ? { previous } : {}),
            ...(options.awsProfile === undefined ? {} : { awsProfile: options.awsProfile }),
            ...(region === undefined ? {} : { region }),
            ...(options.albUrl === undefined ? {} : { albUrl: options.albUrl }),
            ...(log.onProbe ? { onProbe: log.onProbe } : {}),
          }),
        grade: (snapshot) => grade({ rubric, rubricFile, snapshot, profile: profile.name, paramOverrides, submission, checks }),
        show: (frame) =>
          process.stdout.write(
            renderFrame(frame, {
              color,
              clear: process.stdout.isTTY === true,
              width: consoleWidth(),
              missesOnly: options.compact === true,
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
    );
    process.stderr.write(`${finalLine(summary)}\n`);
    return summary.stoppedBy === 'unreadable' ? 3 : 0;
  } finally {
    process.removeListener('SIGINT', stop);
    clients.destroy();
  }
}
