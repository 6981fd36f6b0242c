// Grades a class: every student of the roster in their own folder, a bounded number at a
// time, one student's failure recorded without stopping the others; resumable.
import { access, mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { grade, paramsFor, pickProfile } from '../grade/engine.js';
import type { Scorecard } from '../grade/scorecard.js';
import { AwsAccessError, UsageError } from '../errors.js';
import { renderClassOverview } from '../report/class-overview.js';
import { REPORTERS, renderReport, writeReports, type ReportFormat } from '../report/index.js';
import type { LabParams } from '../rubric/params.js';
import type { Rubric, RubricProfile } from '../rubric/types.js';
import { loadSnapshot } from '../snapshot/load.js';
import type { Snapshot } from '../snapshot/types.js';
import { gradebookSteps, renderGradebook, writeFileAtomically } from './gradebook.js';
import type { Roster, Student } from './roster.js';

/** Reads a live account for one student; the CLI passes the real collector, tests their own. */
export type LiveCollector = (student: Student, context: { params: LabParams; profile: string }) => Promise<Snapshot>;

export interface BatchProgress {
  done: number;
  total: number;
  failed: number;
  skipped: number;
  /** The student just finished. */
  student: string;
}

export interface BatchOptions {
  roster: Roster;
  rubric: Rubric;
  /** The rubric as the person named it, for the scorecards. */
  rubricFile: string;
  outDir: string;
  /** Students graded at once (live collection waits on AWS, so more than the cores). */
  concurrency: number;
  /** Regrade students whose scorecard.json already exists. */
  force: boolean;
  /** Report files per student besides scorecard.json (console has no file and is ignored). */
  formats: readonly ReportFormat[];
  paramOverrides?: Record<string, string>;
  /** Needed when the roster has students without a snapshot file. */
  collect?: LiveCollector;
  onProgress?: (progress: BatchProgress) => void;
}

export interface StudentOutcome {
  student: Student;
  status: 'ok' | 'error';
  /** Graded by an earlier run: its scorecard.json was kept. */
  skipped: boolean;
  scorecard?: Scorecard;
  error?: string;
  dir: string;
}

export interface BatchResult {
  outcomes: StudentOutcome[];
  gradebook: string;
  overview: string;
  durationMs: number;
}

export const SCORECARD_FILE = 'scorecard.json';
export const ERROR_FILE = 'error.json';
export const SNAPSHOT_FILE = 'snapshot.json';

/** Checked before anything is graded: a roster naming an unknown rubric profile is bad input (exit 2). */
function profilesOf(roster: Roster, rubric: Rubric): Map<string | undefined, RubricProfile> {
  const profiles = new Map<string | undefined, RubricProfile>();
  for (const student of roster.students) {
    if (profiles.has(student.labProfile)) continue;
    try {
      profiles.set(student.labProfile, pickProfile(rubric, student.labProfile));
    } catch (error) {
      if (error instanceof UsageError) {
        const known = rubric.profiles.map((profile) => profile.name).join(', ');
        throw new UsageError(`${roster.file}:${student.line}: student "${student.id}": labProfile "${student.labProfile}" is not a profile of ${rubric.file} (its profiles: ${known})`);
      }
      throw error;
    }
  }
  return profiles;
}

function describeError(error: unknown): string {
  if (error instanceof Error) {
    // Errors a person can fix carry their own advice; anything else is named with its type.
    return error instanceof UsageError || error instanceof AwsAccessError ? error.message : `${error.name}: ${error.message}`;
  }
  return String(error);
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

async function previousScorecard(dir: string): Promise<Scorecard | undefined> {
  try {
    return JSON.parse(await readFile(join(dir, SCORECARD_FILE), 'utf8')) as Scorecard;
  } catch {
    // Missing or half-written: the student is graded again.
    return undefined;
  }
}

export async function runBatch(options: BatchOptions): Promise<BatchResult> {
  const started = performance.now();
  const { roster, rubric } = options;
  const profiles = profilesOf(roster, rubric);
  const paramsByProfile = new Map([...profiles].map(([key, profile]) => [key, paramsFor(rubric, profile, options.paramOverrides ?? {})]));
  const live = roster.students.filter((student) => student.source.kind !== 'snapshot');
  if (live.length > 0 && !options.collect) {
    throw new UsageError(`${roster.file}:${live[0]!.line}: student "${live[0]!.id}" is graded live, but live collection is not available here; give a snapshot file instead`);
  }
  const fileFormats = options.formats.filter((format) => format !== 'console' && format !== 'json');
  await mkdir(options.outDir, { recursive: true });

  const gradeOne = async (student: Student): Promise<StudentOutcome> => {
    const dir = join(options.outDir, student.id);
    if (!options.force) {
      const kept = await previousScorecard(dir);
      if (kept) {
        // A format asked for now but not in the earlier run is rendered from the kept scorecard.
        const missing: ReportFormat[] = [];
        for (const format of fileFormats) {
          if (!(await exists(join(dir, REPORTERS[format].file!)))) missing.push(format);
        }
        if (missing.length > 0) await writeReports(kept, missing, dir);
        return { student, status: 'ok', skipped: true, scorecard: kept, dir };
      }
    }
    const profile = profiles.get(student.labProfile)!;
    const params = paramsByProfile.get(student.labProfile)!;
    try {
      await mkdir(dir, { recursive: true });
      let snapshot: Snapshot;
      if (student.source.kind === 'snapshot') {
        snapshot = loadSnapshot(student.source.path);
      } else {
        snapshot = await options.collect!(student, { params, profile: profile.name });
        await writeFileAtomically(join(dir, SNAPSHOT_FILE), `${JSON.stringify(snapshot, null, 2)}\n`);
      }
      const scorecard = grade({
        rubric,
        rubricFile: options.rubricFile,
        snapshot,
        profile: profile.name,
        paramOverrides: options.paramOverrides ?? {},
      });
      await writeReports(scorecard, fileFormats, dir);
      await rm(join(dir, ERROR_FILE), { force: true });
      // Written last: its presence means the student is completely graded.
      await writeFileAtomically(join(dir, SCORECARD_FILE), renderReport(scorecard, 'json'));
      return { student, status: 'ok', skipped: false, scorecard, dir };
    } catch (error) {
      const message = describeError(error);
      await rm(join(dir, SCORECARD_FILE), { force: true });
      await writeFileAtomically(join(dir, ERROR_FILE), `${JSON.stringify({ student: student.id, error: message }, null, 2)}\n`);
      return { student, status: 'error', skipped: false, error: message, dir };
    }
  };

  const outcomes: StudentOutcome[] = new Array(roster.students.length);
  let next = 0;
  let done = 0;
  let failed = 0;
  let skipped = 0;
  const worker = async (): Promise<void> => {
    while (next < roster.students.length) {
      const index = next++;
      const outcome = await gradeOne(roster.students[index]!);
      outcomes[index] = outcome;
      done += 1;
      if (outcome.status === 'error') failed += 1;
      if (outcome.skipped) skipped += 1;
      options.onProgress?.({ done, total: roster.students.length, failed, skipped, student: outcome.student.id });
    }
  };
  const workers = Math.max(1, Math.min(options.concurrency, roster.students.length));
  await Promise.all(Array.from({ length: workers }, worker));

  const gradebook = join(options.outDir, 'gradebook.csv');
  await writeFileAtomically(
    gradebook,
    renderGradebook(
      gradebookSteps(rubric),
      outcomes.map((outcome) => ({
        student: outcome.student.id,
        ...(outcome.student.name === undefined ? {} : { name: outcome.student.name }),
        ...(outcome.scorecard ? { scorecard: outcome.scorecard } : {}),
        ...(outcome.error === undefined ? {} : { error: outcome.error }),
      })),
    ),
  );

  const overview = join(options.outDir, 'index.html');
  const linked = options.formats.includes('html');
  await writeFileAtomically(
    overview,
    renderClassOverview({
      lab: rubric.lab,
      steps: [...rubric.sections.flatMap((section) => section.steps), ...rubric.bonus].map(({ id, title }) => ({ id, title })),
      students: outcomes.map((outcome) => ({
        id: outcome.student.id,
        ...(outcome.student.name === undefined ? {} : { name: outcome.student.name }),
        ...(outcome.scorecard ? { scorecard: outcome.scorecard } : {}),
        ...(outcome.error === undefined ? {} : { error: outcome.error }),
        ...(linked && outcome.scorecard ? { reportHref: `${encodeURIComponent(outcome.student.id)}/report.html` } : {}),
      })),
    }),
  );

  return { outcomes, gradebook, overview, durationMs: performance.now() - started };
}
