// `lab-grader batch ROSTER`: grade a class into one folder per student, a gradebook and a
// class overview. Exit 0 even when some students failed: the gradebook says who.
import { relative } from 'node:path';
import { progressBar } from '../../batch/progress.js';
import { loadRoster } from '../../batch/roster.js';
import { runBatch, type LiveCollector } from '../../batch/runner.js';
import { parseFormats } from '../../report/index.js';
import { loadRubric } from '../../rubric/load.js';
import { rubricLocation } from '../paths.js';
import { parseParams } from './grade.js';

export interface BatchCommandOptions {
  out: string;
  concurrency: number;
  force: boolean;
  /** Report formats per student besides scorecard.json. */
  format: string;
  rubric?: string;
  param: string[];
  /** Region for live students whose roster entry names none. */
  region?: string;
}

export async function batchCommand(rosterFile: string, options: BatchCommandOptions): Promise<number> {
  const formats = parseFormats(options.format);
  const roster = loadRoster(rosterFile);
  const location = rubricLocation(options.rubric);
  const rubric = loadRubric(location.path, location.name);

  let collect: LiveCollector | undefined;
  if (roster.students.some((student) => student.source.kind !== 'snapshot')) {
    // Imported only when someone is graded live, so a class of snapshot files never loads the AWS SDK.
    const { liveCollector } = await import('../../batch/live.js');
    collect = liveCollector(options.region === undefined ? {} : { region: options.region });
  }

  const bar = progressBar();
  let result;
  try {
    result = await runBatch({
      roster,
      rubric,
      rubricFile: location.name,
      outDir: options.out,
      concurrency: options.concurrency,
      force: options.force,
      formats,
      paramOverrides: parseParams(options.param),
      ...(collect ? { collect } : {}),
      ...(bar ? { onProgress: bar.onProgress } : {}),
    });
  } finally {
    bar?.finish();
  }

  const failed = result.outcomes.filter((outcome) => outcome.status === 'error');
  const skipped = result.outcomes.filter((outcome) => outcome.skipped).length;
  const graded = result.outcomes.length - failed.length - skipped;
  const lines = [
    `${result.outcomes.length} students: ${graded} graded, ${skipped} kept from an earlier run${skipped > 0 ? ' (--force regrades them)' : ''}, ${failed.length} could not be graded; ${(result.durationMs / 1000).toFixed(1)} s.`,
    ...failed.map((outcome) => `  ${outcome.student.id} (${relative(process.cwd(), roster.file) || roster.file}:${outcome.student.line}): ${outcome.error}`),
    `gradebook: ${result.gradebook}`,
    `class overview: ${result.overview}`,
  ];
  process.stderr.write(`${lines.join('\n')}\n`);
  return 0;
}
