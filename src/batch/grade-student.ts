// One student, graded into their folder: the snapshot, the scorecard, the reports, or the
// error that stopped it. Runs in the batch's own thread or in a grading worker.
import { mkdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { checksById } from '../../checks/index.js';
import { AwsAccessError, UsageError } from '../errors.js';
import { settleGrading, type Grading } from '../grade/grading.js';
import { summarizeScorecard, type ScorecardSummary } from '../grade/summary.js';
import { renderSafeReports, type ReportFormat } from '../report/index.js';
import { makeScorecardSafe, safeText } from '../report/safe-text.js';
import type { Submission } from '../resolve/lab.js';
import type { Rubric } from '../rubric/types.js';
import { parseSnapshot } from '../snapshot/load.js';
import type { Snapshot } from '../snapshot/types.js';
import { folderWriter, writeFileAtomically } from '../files.js';
import { snapshotEvidence } from '../integrity/evidence.js';
import type { Evidence } from '../integrity/types.js';
import { gradeStudent, type StudentSnapshot } from '../student/grade.js';
import { scanSubmission } from '../submission/scan.js';
import { INPUT_LIMITS, readLimited, readLimitedSync } from '../limits.js';

export const SCORECARD_FILE = 'scorecard.json';
export const ERROR_FILE = 'error.json';
export const SNAPSHOT_FILE = 'snapshot.json';
/** What verification needs of the snapshot, kept so a resumed batch compares students without reading snapshots again. */
export const EVIDENCE_FILE = 'evidence.json';

/** What every student of a batch is graded with; plain data, so a grading thread can be handed it. */
export interface GradingContext {
  rubric: Rubric;
  rubricFile: string;
  paramOverrides: Record<string, string>;
  /** Report files besides scorecard.json. */
  fileFormats: ReportFormat[];
  /** How long one student's snapshot may take to load or collect before they are recorded as failed. */
  studentTimeoutMs?: number;
}

/** A student's grading ran past its deadline: they are recorded as failed and the batch goes on. */
export class StudentDeadlineError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StudentDeadlineError';
  }
}

/** Rejects with a message naming the deadline when `work` has not settled by then; the work itself is abandoned. */
export async function withDeadline<T>(work: Promise<T>, timeoutMs: number | undefined, what: string): Promise<T> {
  if (timeoutMs === undefined) return work;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new StudentDeadlineError(`${what} did not finish within ${timeoutMs / 1000} s (--student-timeout); grade this student again on their own`)), timeoutMs);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A graded student's summary and evidence, which the batch keeps of everyone (the whole scorecard
 * is in their folder: a grading thread hands its batch a tenth of the data); or why they were not.
 */
export type GradeResult = { status: 'ok'; scorecard: ScorecardSummary; evidence: Evidence } | { status: 'error'; error: string };

/** The grading of one rubric profile, settled once per profile for the whole batch (once per grading thread). */
export function gradingsOf(context: Pick<GradingContext, 'rubric' | 'rubricFile' | 'paramOverrides'>): (labProfile: string | undefined) => Grading {
  const settled = new Map<string | undefined, Grading>();
  return (labProfile) => {
    let grading = settled.get(labProfile);
    if (!grading) {
      grading = settleGrading({ ...context, ...(labProfile === undefined ? {} : { labProfile }), checks: checksById });
      settled.set(labProfile, grading);
    }
    return grading;
  };
}

export interface StudentJob {
  studentId: string;
  dir: string;
  /** The roster's labProfile; the rubric's default when absent. */
  labProfile?: string;
  /** The student's project folder for step 6.2, from the roster. */
  submissionPath?: string;
}

/** Why a student could not be graded, on one line and safe to show (error.json, the gradebook, the overview, the summary). */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    // Errors a person can fix carry their own advice; anything else is named with its type.
    return safeText(error instanceof UsageError || error instanceof AwsAccessError || error instanceof StudentDeadlineError ? error.message : `${error.name}: ${error.message}`);
  }
  return safeText(String(error));
}

/** Where a student's snapshot file comes from: the roster, or the student's folder, where a live read kept it. */
export type SnapshotOrigin = 'roster' | 'kept';

/** A snapshot file that could not be read, named with what to do about it. */
function unreadableSnapshot(path: string, origin: SnapshotOrigin, error: unknown): unknown {
  if (error instanceof UsageError) return error;
  const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
  const fix = origin === 'roster' ? "fix the student's snapshot path in the roster, or collect it again" : 'run the batch with --recollect to read the account again';
  return new UsageError(`cannot read the snapshot ${path} (${code}): ${fix}`);
}

/**
 * A student's snapshot file; a missing one, or a named pipe, folder or device in its place, is
 * named with what to do about it (a pipe nobody writes to is never waited for).
 */
export async function readSnapshotFile(path: string, origin: SnapshotOrigin = 'roster'): Promise<StudentSnapshot> {
  let text: string;
  try {
    text = (await readLimited(path, INPUT_LIMITS.snapshotBytes, 'snapshot', { regularFile: true })).toString('utf8');
  } catch (error) {
    throw unreadableSnapshot(path, origin, error);
  }
  return { snapshot: parseSnapshot(text, path) };
}

/**
 * readSnapshotFile with synchronous calls, for a grading thread, which waits for nothing else:
 * its open, stat, read and close each went through libuv's thread pool and woke two threads.
 */
export function readSnapshotFileSync(path: string, origin: SnapshotOrigin = 'roster'): StudentSnapshot {
  let text: string;
  try {
    text = readLimitedSync(path, INPUT_LIMITS.snapshotBytes, 'snapshot', { regularFile: true }).toString('utf8');
  } catch (error) {
    throw unreadableSnapshot(path, origin, error);
  }
  return { snapshot: parseSnapshot(text, path) };
}

/** The batch stopped waiting for this student (interrupted, and the grace ran out): nothing more is written. */
export class Abandoned extends Error {
  constructor(student: string) {
    super(`student ${student} was abandoned when the batch was interrupted`);
    this.name = 'Abandoned';
  }
}

/**
 * Grades one student into `dir`. `obtain` gives the snapshot: loaded from a file, or read live
 * (the lab resolved with their submission), in which case `save` keeps it as evidence in the
 * folder before it is graded. The folder is made only when a file goes into it, and once
 * `abandoned` aborts nothing more is written, so an interrupted batch leaves no empty folder.
 */
export async function gradeIntoFolder(
  context: GradingContext,
  grading: Grading,
  job: StudentJob,
  obtain: (submission: Submission | null) => Promise<StudentSnapshot>,
  save: boolean,
  abandoned?: AbortSignal,
): Promise<GradeResult> {
  const { dir } = job;
  let made = false;
  // The folder is made with the first file that goes into it; once abandoned, nothing more is written.
  const writable = (): void => {
    if (abandoned?.aborted) throw new Abandoned(job.studentId);
    // Synchronous: a fifth of the CPU of the promise call (see folderWriter).
    if (!made) mkdirSync(dir, { recursive: true });
    made = true;
  };
  const write = async (file: string, text: string): Promise<void> => {
    writable();
    await writeFileAtomically(join(dir, file), text);
  };
  try {
    // Read first: a missing submission folder costs no collection.
    const submission = job.submissionPath === undefined ? null : await scanSubmission(job.submissionPath);
    const { snapshot, scorecard } = await gradeStudent(
      grading,
      // Raced here, so the abandoned work can never write into the folder after error.json.
      () => withDeadline(obtain(submission), context.studentTimeoutMs, `student ${job.studentId}`),
      {
        submission,
        ...(save ? { keep: (kept: Snapshot) => write(SNAPSHOT_FILE, `${JSON.stringify(kept, null, 2)}\n`) } : {}),
        // Only rendered here, then sent on (a copy) or kept by the runner, which reads it.
        freeze: false,
      },
    );
    // The lab's resources, for --deadline, are those the grade chose.
    const evidence = snapshotEvidence(snapshot, scorecard.choices);
    // Every format from the scorecard made safe in place (it is this function's own, graded
    // unfrozen: no copy), scorecard.json last. The summary handed on holds the same safe text as
    // scorecard.json, as a kept student's summary, read from it, does.
    const reports = renderSafeReports(makeScorecardSafe(scorecard), [...context.fileFormats, 'json']);
    writable();
    // Checked once: folderWriter writes the files with synchronous calls, one after another.
    const folder = await folderWriter(dir);
    for (const report of reports.slice(0, -1)) await folder.write(report.file!, report.text);
    await folder.remove(ERROR_FILE);
    await folder.write(EVIDENCE_FILE, `${JSON.stringify(evidence, null, 2)}\n`);
    // Written last: its presence means the student is completely graded.
    await folder.write(SCORECARD_FILE, reports.at(-1)!.text);
    return { status: 'ok', scorecard: summarizeScorecard(scorecard), evidence };
  } catch (error) {
    if (abandoned?.aborted) return { status: 'error', error: new Abandoned(job.studentId).message };
    const message = describeError(error);
    await rm(join(dir, SCORECARD_FILE), { force: true });
    await write(ERROR_FILE, `${JSON.stringify({ student: job.studentId, error: message }, null, 2)}\n`);
    return { status: 'error', error: message };
  }
}
