// Grades a class: every student of the roster in their own folder, a bounded number at a
// time, one student's failure recorded without stopping the others; resumable, and when
// interrupted it writes the class so far, with the rest marked not graded yet.
import { access, readdir, readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Grading } from '../grade/grading.js';
import type { Scorecard } from '../grade/scorecard.js';
import { summarizeScorecard, type ScorecardSummary } from '../grade/summary.js';
import { UsageError } from '../errors.js';
import { renderClassOverview } from '../report/class-overview.js';
import { renderReport, REPORTERS, writeReports, type ReportFormat } from '../report/index.js';
import type { Submission } from '../resolve/lab.js';
import { addPoints } from '../rubric/points.js';
import type { Rubric } from '../rubric/types.js';
import type { StudentSnapshot } from '../student/grade.js';
import { snapshotEvidence } from '../integrity/evidence.js';
import { withIntegrity } from '../integrity/apply.js';
import type { Evidence, IntegrityFlag, IntegrityMode } from '../integrity/types.js';
import { verifyClass, verifySnapshot, type SubmittedEvidence, type VerifyOptions } from '../integrity/verify.js';
import {
  describeError,
  EVIDENCE_FILE,
  gradeIntoFolder,
  gradingsOf,
  readSnapshotFile,
  SCORECARD_FILE,
  SNAPSHOT_FILE,
  type GradeResult,
  type GradingContext,
  type StudentJob,
} from './grade-student.js';
import { ensureWritableFolder, removeIfEmpty, writeFileAtomically } from '../files.js';
import { gradebookSteps, renderGradebook, type GradebookRow } from './gradebook.js';
import { renderLmsGradebook, type BonusMode, type LmsName } from './lms.js';
import { GradingPool } from './pool.js';
import { staleBecause, type KeptScorecard } from './rerun.js';
import { clearResume, readResume, writeResume } from './resume.js';
import type { Roster, Student } from './roster.js';

/**
 * Reads a live account for one student with the grading of their profile (the lab resolved
 * with their submission); the CLI passes the real collector, tests their own.
 */
export type LiveCollector = (student: Student, context: { grading: Grading; submission: Submission | null; deadline?: number }) => Promise<StudentSnapshot>;

export interface BatchProgress {
  done: number;
  total: number;
  failed: number;
  skipped: number;
  /** Graded again: what graded them changed, or --force / --recollect. */
  regraded: number;
  /** The student just finished. */
  student: string;
  outcome: StudentOutcome;
  /**
   * What verification found in this student's snapshot on its own; evidence shared with
   * classmates is known once the whole class is in (BatchResult).
   */
  flags: IntegrityFlag[];
}

export interface BatchOptions {
  roster: Roster;
  rubric: Rubric;
  /** The rubric as the person named it, for the scorecards. */
  rubricFile: string;
  outDir: string;
  /** Students graded at once (live collection waits on AWS, so more than the cores). */
  concurrency: number;
  /** Grade every student again from the evidence kept, even when their kept scorecard still holds. */
  force: boolean;
  /** Read every live student's account again (a new snapshot), instead of grading the one kept. */
  recollect?: boolean;
  /** Report files per student besides scorecard.json (console has no file and is ignored). */
  formats: readonly ReportFormat[];
  paramOverrides?: Record<string, string>;
  /** How long one student may take (default STUDENT_TIMEOUT_MS); then they are recorded as failed. */
  studentTimeoutMs?: number;
  /** Needed when the roster has students without a snapshot file. */
  collect?: LiveCollector;
  onProgress?: (progress: BatchProgress) => void;
  /**
   * Grading threads for snapshot-file students (at most `concurrency`); default: one per core
   * but one (gradingThreads) when there are at least THREADS_FROM of them, else 0 (graded in
   * this thread).
   */
  threads?: number;
  /** The grading thread's code: worker.js beside the bin by default (worker.ts through tsx from source); tests give the built one. */
  threadEntry?: URL;
  /** `warn` (default) shows verification's flags; `strict` gives a flagged student 0. */
  integrity?: IntegrityMode;
  /** The assignment window and the bundled examples; without it only the roster accounts and shared evidence are checked. */
  verify?: VerifyOptions;
  /** Also write the file this LMS imports, beside gradebook.csv. */
  lms?: { lms: LmsName; assignment?: string; bonus: BonusMode };
  /**
   * Aborted on Ctrl-C or SIGTERM: no student is started after it, those in flight get
   * `graceMs` to finish, and the gradebook and the overview are written with everyone else
   * not graded yet.
   */
  signal?: AbortSignal;
  /** How long students in flight may finish once `signal` aborts (default INTERRUPT_GRACE_MS). */
  graceMs?: number;
}

/** Long enough for a student's snapshot file or the end of a live read; short enough to wait for after Ctrl-C. */
export const INTERRUPT_GRACE_MS = 10_000;

/** A live collection is bounded by the grade's own deadlines well within this. */
export const STUDENT_TIMEOUT_MS = 10 * 60_000;

/** Below this many snapshot files, starting threads costs more than it saves. */
export const THREADS_FROM = 40;

/**
 * One grading thread per core but one, and at least one. The core left is the batch's own
 * thread's, which takes every student's summary and evidence, writes the gradebook and the
 * progress and verifies the class, and V8's, which compiles the threads' hot code and collects
 * their garbage: together about a third of what a grading thread does per student. On two
 * cores, one grading thread instead of two took 10-25% off a class's CPU (alternating runs:
 * 1,000 students 4.1-4.9 s against 4.8-5.5 s, 100 students 0.93-1.18 against 1.18-1.33 s, 40
 * students 0.57-0.73 against 0.79-0.93 s), for 0.8-1.2 s more wall time at 1,000 (3.5-4.1 s
 * against 2.6-2.9 s), 0.1-0.3 s at 100 and none at 40: two threads and the batch's own
 * overfilled the two cores, and each paid for it. Grading in the batch's own thread instead
 * costs more than one grading thread does (6.0-6.4 s for 1,000): a grading thread runs its code
 * as one script with a code cache, under the compiler settings of compiler.ts.
 */
export function gradingThreads(cores: number): number {
  return Math.max(1, cores - 1);
}

/**
 * The grading threads a batch starts for `fromFiles` students graded from a file, at most
 * `concurrency` and never more than the students: `threads` when given, else gradingThreads from
 * THREADS_FROM of them on, and none below (graded in the batch's own thread).
 */
export function threadsFor(fromFiles: number, concurrency: number, threads = fromFiles >= THREADS_FROM ? gradingThreads(availableParallelism()) : 0): number {
  return Math.min(threads, fromFiles, concurrency);
}

export interface StudentOutcome {
  student: Student;
  /** `pending`: not graded yet, the batch was interrupted first. */
  status: 'ok' | 'error' | 'pending';
  /** Graded by an earlier run: its scorecard.json was kept. */
  skipped: boolean;
  /** Graded again over a kept scorecard, and why (the rubric changed, `--force`...). */
  regraded?: string[];
  /** What the class's reports need of the scorecard; the whole one is the folder's scorecard.json. */
  scorecard?: ScorecardSummary;
  /** What verification read from the snapshot; absent when it could not be read. */
  evidence?: Evidence;
  error?: string;
  dir: string;
  /** Time spent on this student, wall clock. */
  seconds: number;
}

export interface BatchResult {
  outcomes: StudentOutcome[];
  gradebook: string;
  /** The LMS's import file, the column the scores went to, and what to know before importing. */
  lms?: { file: string; column: string; warnings: string[] };
  overview: string;
  durationMs: number;
  /** The signal stopped the run before every student was graded; the pending ones are marked not graded yet. */
  interrupted: boolean;
}

/**
 * The grading of each rubric profile the roster uses, settled before anything is graded: a
 * roster naming a profile the rubric lacks is bad input (exit 2), at its line.
 */
function gradingsFor(roster: Roster, gradingOf: (labProfile: string | undefined) => Grading, rubric: Rubric): void {
  for (const student of roster.students) {
    if (student.labProfile !== undefined && !rubric.profiles.some((profile) => profile.name === student.labProfile)) {
      const known = rubric.profiles.map((profile) => profile.name).join(', ');
      throw new UsageError(`${roster.file}:${student.line}: student "${student.id}": labProfile "${student.labProfile}" is not a profile of ${rubric.file} (its profiles: ${known})`);
    }
    gradingOf(student.labProfile);
  }
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

/**
 * A kept student's evidence: saved beside the scorecard, or read again from the snapshot graded
 * (also when it was saved before the lab's resource times were kept, which --deadline reads).
 */
async function previousEvidence(student: Student, dir: string, kept: Scorecard): Promise<Evidence | undefined> {
  const saved = await readFile(join(dir, EVIDENCE_FILE), 'utf8').then(
    (text) => JSON.parse(text) as Evidence,
    () => undefined,
  );
  if (saved?.labTimes !== undefined) return saved;
  const file = student.source.kind === 'snapshot' ? student.source.path : join(dir, SNAPSHOT_FILE);
  return readSnapshotFile(file).then(
    ({ snapshot }) => snapshotEvidence(snapshot, kept.choices),
    () => saved,
  );
}

function submittedEvidence(outcome: StudentOutcome): SubmittedEvidence | undefined {
  const { student, evidence } = outcome;
  if (!evidence) return undefined;
  return {
    student: student.id,
    evidence,
    ...(student.account === undefined ? {} : { expectedAccount: student.account }),
    live: student.source.kind !== 'snapshot',
  };
}

/** The whole scorecard a student's folder holds; the batch itself keeps only its summary. */
async function folderScorecard(dir: string): Promise<Scorecard> {
  return JSON.parse(await readFile(join(dir, SCORECARD_FILE), 'utf8')) as Scorecard;
}

async function previousScorecard(dir: string): Promise<KeptScorecard | undefined> {
  try {
    const kept: unknown = await folderScorecard(dir);
    return kept !== null && typeof kept === 'object' && !Array.isArray(kept) ? (kept as KeptScorecard) : undefined;
  } catch {
    // Missing or half-written: the student is graded again.
    return undefined;
  }
}

/**
 * Verifies the class as a whole (shared evidence needs everyone) and puts each student's
 * flags on their scorecard; the reports of a student whose flags changed are written again,
 * from the whole scorecard in their folder.
 */
async function applyVerification(outcomes: StudentOutcome[], verifyOptions: VerifyOptions, mode: IntegrityMode, fileFormats: ReportFormat[]): Promise<void> {
  const entries = outcomes.flatMap((outcome) => submittedEvidence(outcome) ?? []);
  const flags = verifyClass(entries, verifyOptions);
  for (const outcome of outcomes) {
    if (!outcome.scorecard) continue;
    const studentFlags = flags.get(outcome.student.id) ?? [];
    if (JSON.stringify(withIntegrity(outcome.scorecard, studentFlags, mode).integrity) === JSON.stringify(outcome.scorecard.integrity)) continue;
    try {
      const verified = withIntegrity(await folderScorecard(outcome.dir), studentFlags, mode);
      await writeReports(verified, fileFormats, outcome.dir);
      await writeFileAtomically(join(outcome.dir, SCORECARD_FILE), renderReport(verified, 'json'));
      outcome.scorecard = summarizeScorecard(verified);
    } catch (error) {
      // Their folder changed under the batch: no points stand without the flags, so none are given.
      delete outcome.scorecard;
      outcome.status = 'error';
      outcome.error = `verification flagged this student, but their folder could not be written again (${describeError(error)}): grade them again`;
    }
  }
}

/**
 * Waits for `work`; once `signal` aborts, for at most `graceMs` more. True when the work
 * finished, false when the grace ran out first.
 */
function withinGrace(work: Promise<unknown>, signal: AbortSignal | undefined, graceMs: number): Promise<boolean> {
  if (!signal) return work.then(() => true);
  return new Promise((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const onAbort = (): void => {
      timer = setTimeout(() => resolve(false), graceMs);
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    work
      .then(() => resolve(true), reject)
      .finally(() => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
      });
  });
}

export async function runBatch(options: BatchOptions): Promise<BatchResult> {
  const started = performance.now();
  const { roster, rubric } = options;
  const gradingOf = gradingsOf({ rubric, rubricFile: options.rubricFile, paramOverrides: options.paramOverrides ?? {} });
  gradingsFor(roster, gradingOf, rubric);
  const live = roster.students.filter((student) => student.source.kind !== 'snapshot');
  if (live.length > 0 && !options.collect) {
    throw new UsageError(`${roster.file}:${live[0]!.line}: student "${live[0]!.id}" is graded live, but live collection is not available here; give a snapshot file instead`);
  }
  const fileFormats = options.formats.filter((format) => format !== 'console' && format !== 'json');
  await ensureWritableFolder(options.outDir, '--out');
  const studentTimeoutMs = options.studentTimeoutMs ?? STUDENT_TIMEOUT_MS;
  const context: GradingContext = { rubric, rubricFile: options.rubricFile, paramOverrides: options.paramOverrides ?? {}, fileFormats, studentTimeoutMs };
  // Live students are graded from a file too when their folder kept their snapshot (unless --recollect).
  const fromFiles = options.recollect ? roster.students.filter((student) => student.source.kind === 'snapshot').length : roster.students.length;
  const threads = threadsFor(fromFiles, options.concurrency, options.threads);
  // Started on the first student to grade, so a resumed batch with nothing left starts no thread.
  let pool: GradingPool | undefined;

  // What an interrupted --force or --recollect run left to do, done now for those it had not reached.
  const resume = options.force || options.recollect ? undefined : await readResume(options.outDir);
  const left = new Set(resume?.notGradedYet ?? []);
  const forced = (student: Student): boolean => options.force || (resume?.force === true && left.has(student.id));
  const recollected = (student: Student): boolean => options.recollect === true || (resume?.recollect === true && left.has(student.id));
  // Once the grace after an interruption runs out, the students still in flight write nothing more.
  const abandoned = new AbortController();

  const mode = options.integrity ?? 'warn';
  const verifyOptions: VerifyOptions = options.verify ?? { examples: [] };

  // The folders an earlier run left, listed once: a student with none keeps no scorecard, and their
  // folder is not looked into (a failed open each, through the thread pool). Compared in lower
  // case, as a folder on a case-insensitive disk answers to either.
  const earlier = new Set((await readdir(options.outDir)).map((name) => name.toLowerCase()));

  const gradeOne = async (student: Student): Promise<StudentOutcome> => {
    const started = performance.now();
    const seconds = (): number => (performance.now() - started) / 1000;
    const dir = join(options.outDir, student.id);
    const grading = gradingOf(student.labProfile);
    const kept = earlier.has(student.id.toLowerCase()) ? await previousScorecard(dir) : undefined;
    const recollect = recollected(student);
    const regraded = kept ? (recollect ? ['--recollect'] : forced(student) ? ['--force'] : staleBecause(kept, grading)) : undefined;
    if (kept && regraded?.length === 0) {
      // Still holds: kept. A format asked for now but not in the earlier run is rendered from it.
      const card = kept as Scorecard;
      const missing: ReportFormat[] = [];
      for (const format of fileFormats) {
        if (!(await exists(join(dir, REPORTERS[format].file!)))) missing.push(format);
      }
      if (missing.length > 0) await writeReports(card, missing, dir);
      const evidence = await previousEvidence(student, dir, card);
      return { student, status: 'ok', skipped: true, scorecard: summarizeScorecard(card), ...(evidence ? { evidence } : {}), dir, seconds: seconds() };
    }
    const again = regraded ? { regraded } : {};
    const job: StudentJob = {
      studentId: student.id,
      dir,
      ...(student.labProfile === undefined ? {} : { labProfile: student.labProfile }),
      ...(student.submission ? { submissionPath: student.submission.path } : {}),
    };
    const { source } = student;
    // The evidence to grade from: the roster's file, the snapshot a live read kept in the folder, or (only for
    // a student with none kept, or with --recollect) a new read of the account.
    const keptSnapshot = join(dir, SNAPSHOT_FILE);
    const file =
      source.kind === 'snapshot'
        ? { path: source.path, origin: 'roster' as const }
        : !recollect && (await exists(keptSnapshot))
          ? { path: keptSnapshot, origin: 'kept' as const }
          : undefined;
    if (!file && kept && !recollect) {
      const error = `graded again (${regraded!.join(', ')}), but ${dir} keeps no snapshot to grade from: run the batch with --recollect to read the account again`;
      return { student, status: 'error', skipped: false, ...again, error, dir, seconds: seconds() };
    }
    let result: GradeResult;
    if (file) {
      result =
        threads > 0
          ? await (pool ??= new GradingPool(context, threads, options.threadEntry)).run({ ...job, snapshotPath: file.path, origin: file.origin })
          : await gradeIntoFolder(context, grading, job, () => readSnapshotFile(file.path, file.origin), false, abandoned.signal);
    } else {
      // The collector stops its own calls at the deadline; gradeIntoFolder stops waiting for it then too.
      const deadline = Date.now() + studentTimeoutMs;
      result = await gradeIntoFolder(context, grading, job, (submission) => options.collect!(student, { grading, submission, deadline }), true, abandoned.signal);
    }
    return result.status === 'ok'
      ? { student, status: 'ok', skipped: false, ...again, scorecard: result.scorecard, evidence: result.evidence, dir, seconds: seconds() }
      : { student, status: 'error', skipped: false, ...again, error: result.error, dir, seconds: seconds() };
  };

  const finished: (StudentOutcome | undefined)[] = new Array(roster.students.length);
  const inFlight = new Set<number>();
  let next = 0;
  let done = 0;
  let failed = 0;
  let skipped = 0;
  let regraded = 0;
  const worker = async (): Promise<void> => {
    while (next < roster.students.length && !options.signal?.aborted) {
      const index = next++;
      inFlight.add(index);
      const outcome = await gradeOne(roster.students[index]!);
      // Abandoned after an interruption: the class was written without this student.
      if (abandoned.signal.aborted) return;
      inFlight.delete(index);
      finished[index] = outcome;
      done += 1;
      if (outcome.status === 'error') failed += 1;
      if (outcome.skipped) skipped += 1;
      if (outcome.regraded) regraded += 1;
      const submitted = submittedEvidence(outcome);
      const flags = submitted ? verifySnapshot(submitted, verifyOptions) : [];
      options.onProgress?.({ done, total: roster.students.length, failed, skipped, regraded, student: outcome.student.id, outcome, flags });
    }
  };
  const workers = Math.max(1, Math.min(options.concurrency, roster.students.length));
  try {
    const completed = await withinGrace(Promise.all(Array.from({ length: workers }, worker)), options.signal, options.graceMs ?? INTERRUPT_GRACE_MS);
    if (!completed) abandoned.abort();
  } finally {
    await pool?.close();
  }
  // A student abandoned in flight leaves no empty folder (nor a grading thread's half-written file).
  for (const index of inFlight) await removeIfEmpty(join(options.outDir, roster.students[index]!.id));
  const interrupted = finished.includes(undefined);
  const outcomes = Array.from(
    finished,
    (outcome, index): StudentOutcome => outcome ?? { student: roster.students[index]!, status: 'pending', skipped: false, dir: join(options.outDir, roster.students[index]!.id), seconds: 0 },
  );
  if (interrupted) {
    await writeResume(options.outDir, {
      force: options.force || resume?.force === true,
      recollect: options.recollect === true || resume?.recollect === true,
      // The students this run was asked to do again and did not reach.
      notGradedYet: outcomes.filter((outcome) => outcome.status === 'pending' && (options.force || options.recollect || left.has(outcome.student.id))).map((outcome) => outcome.student.id),
    });
  } else {
    await clearResume(options.outDir);
  }

  await applyVerification(outcomes, verifyOptions, mode, fileFormats);

  const gradebook = join(options.outDir, 'gradebook.csv');
  const rows = outcomes.map(
    (outcome): GradebookRow => ({
      student: outcome.student.id,
      ...(outcome.student.name === undefined ? {} : { name: outcome.student.name }),
      ...(outcome.student.email === undefined ? {} : { email: outcome.student.email }),
      ...(outcome.student.extra === undefined ? {} : { extra: outcome.student.extra }),
      ...(outcome.scorecard ? { scorecard: outcome.scorecard } : {}),
      ...(outcome.error === undefined ? {} : { error: outcome.error }),
      ...(outcome.status === 'pending' ? { notGradedYet: true } : {}),
    }),
  );
  await writeFileAtomically(gradebook, renderGradebook(gradebookSteps(rubric), rows));
  let lms: BatchResult['lms'];
  if (options.lms) {
    const pointsPossible = addPoints(...rubric.sections.flatMap((section) => section.steps.map((step) => step.points))) / 100;
    const written = renderLmsGradebook(rows, { ...options.lms, lab: rubric.lab, pointsPossible, ...(roster.export ? { export: roster.export } : {}) });
    const file = join(options.outDir, written.file);
    await writeFileAtomically(file, written.text);
    lms = { file, column: written.column, warnings: written.warnings };
  }

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
        ...(outcome.status === 'pending' ? { notGradedYet: true } : {}),
        ...(linked && outcome.scorecard ? { reportHref: `${encodeURIComponent(outcome.student.id)}/report.html` } : {}),
      })),
    }),
  );

  return { outcomes, gradebook, ...(lms ? { lms } : {}), overview, durationMs: performance.now() - started, interrupted };
}
