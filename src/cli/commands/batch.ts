// `lab-grader batch ROSTER`: grade a class into one folder per student, a gradebook and a
// class overview. Exit 4 when some students could not be graded (the gradebook says who), else
// 5 when verification flagged some, else 1 when some scored below --min-score.
import { relative } from 'node:path';
import { batchProgress } from '../../batch/progress.js';
import { checkRoster } from '../../batch/precheck.js';
import { loadRoster, type Roster } from '../../batch/roster.js';
import { countReasons } from '../../batch/rerun.js';
import { COURSE_SECRET_ENV, courseWideWarning, readCourseSecret } from '../course-secret.js';
import { INTERRUPT_GRACE_MS, runBatch, type LiveCollector, type StudentOutcome } from '../../batch/runner.js';
import { commandWithout } from '../../command-line.js';
import type { BonusMode, LmsName } from '../../batch/lms.js';
import { flagNames } from '../../integrity/apply.js';
import { UsageError } from '../../errors.js';
import { parseFormats } from '../../report/index.js';
import { loadGradingRubric } from '../prepared.js';
import { rubricLocation } from '../paths.js';
import { verificationFrom, type VerificationFlags } from '../verification.js';
import { parseParams } from './grade.js';

/** Some students could not be graded; the others were, and the gradebook lists both. */
export const EXIT_NOT_ALL_GRADED = 4;
/** Everyone was graded, and verification flagged someone (under warn or strict): a person must look. */
export const EXIT_FLAGGED = 5;

export interface BatchCommandOptions extends VerificationFlags {
  out: string;
  concurrency: number;
  force: boolean;
  recollect?: boolean;
  /** Report formats per student besides scorecard.json. */
  format: string;
  rubric?: string;
  param: string[];
  /** Region for live students whose roster entry names none. */
  region?: string;
  minScore?: number;
  /** Seconds one student may take (default 600). */
  studentTimeout?: number;
  /** Seconds the students being graded may finish in after Ctrl-C (default 10). */
  grace?: number;
  /** Also write the file this LMS imports. */
  lms?: LmsName;
  lmsAssignment?: string;
  bonus?: BonusMode;
  /** The course secret's file (else LAB_GRADER_COURSE_SECRET): derives the external id of role students the roster gives none. */
  courseSecretFile?: string;
  /** A role in the grading credentials' own account is meant to be graded (a test account). */
  allowOwnAccount?: boolean;
}

/** What the roster's external ids allow, said before anyone is graded. */
function roleWarnings(roster: Roster, hasCourseSecret: boolean): string[] {
  const roles = roster.students.flatMap((student) => (student.source.kind === 'role' ? [{ student, source: student.source }] : []));
  const courseWide = roles.find(({ source }) => source.courseWide);
  const without = roles.filter(({ source }) => source.externalId === undefined);
  return [
    ...(courseWide ? [courseWideWarning(`${roster.file}: defaults.externalId`)] : []),
    ...(without.length > 0 && !hasCourseSecret
      ? [
          `${without.length === 1 ? `student "${without[0]!.student.id}" has` : `${without.length} students have`} a roleArn and no externalId, and no course secret is set: ` +
            `their roles are assumed without an external id, which any account that knows the role's ARN and is trusted by it can do too. Set ${COURSE_SECRET_ENV} to derive each student's.`,
        ]
      : []),
  ];
}

/**
 * The batch's Ctrl-C (and SIGTERM): the first stops starting students and lets those in flight
 * finish within the grace; a second ends the process at once (Node's own handling, as no
 * listener is left).
 */
function interruptible(graceMs: number, clearProgress: () => void) {
  const controller = new AbortController();
  let received: NodeJS.Signals | undefined;
  const stop = (signal: NodeJS.Signals): void => {
    received = signal;
    release();
    clearProgress();
    const key = signal === 'SIGINT' ? 'Ctrl-C' : signal;
    process.stderr.write(
      `\n${key}: stopping. No more students are started; those being graded have up to ${graceMs / 1000} s to finish, ` +
        `then the gradebook and the class overview are written. ${key} again stops at once.\n`,
    );
    controller.abort();
  };
  const onInterrupt = (): void => stop('SIGINT');
  const onTerminate = (): void => stop('SIGTERM');
  const release = (): void => {
    process.removeListener('SIGINT', onInterrupt);
    process.removeListener('SIGTERM', onTerminate);
  };
  process.on('SIGINT', onInterrupt);
  process.on('SIGTERM', onTerminate);
  return {
    signal: controller.signal,
    release,
    /** 130 after Ctrl-C, 143 after SIGTERM, as shells report a process those signals ended. */
    exitCode: (): number => (received === 'SIGTERM' ? 143 : 130),
  };
}

/** The command that resumes an interrupted batch: the same one, without --force and --recollect (the class folder remembers whom they were for). */
export function resumeCommand(argv: readonly string[]): string {
  return commandWithout(argv, ['--force', '--recollect']);
}

/** Total and bonus, summed in hundredths as every score is. */
function scoreOf(outcome: StudentOutcome): number | undefined {
  const card = outcome.scorecard;
  return card ? Math.round((card.total.earned + card.bonusPoints.earned) * 100) / 100 : undefined;
}

export async function batchCommand(rosterFile: string, options: BatchCommandOptions): Promise<number> {
  const formats = parseFormats(options.format);
  if (options.out === '-') throw new UsageError('batch writes a folder per student: --out - (stdout) only works with grade; give a folder.');
  if (options.lms === undefined && (options.lmsAssignment !== undefined || options.bonus !== undefined)) {
    throw new UsageError(`--${options.bonus !== undefined ? 'bonus' : 'lms-assignment'} applies to the file --lms writes: add --lms canvas, blackboard or moodle.`);
  }
  const roster = loadRoster(rosterFile);
  // Whose account each line reads is settled before anyone is graded: first what the roster
  // alone shows (no credentials needed), then a role in the grading credentials' own account,
  // which would grade the instructor's account as a student's (one sts:GetCallerIdentity).
  checkRoster(roster);
  if (!options.allowOwnAccount && roster.students.some((student) => student.source.kind === 'role')) {
    checkRoster(roster, { graderAccount: await (await import('../../aws/credentials.js')).callerAccount() });
  }
  const location = rubricLocation(options.rubric);
  const rubric = await loadGradingRubric(options.rubric);
  const verify = verificationFrom(options);

  const courseSecret = readCourseSecret(options.courseSecretFile);
  for (const warning of roleWarnings(roster, courseSecret !== undefined)) process.stderr.write(`warning: ${warning}\n`);

  let collect: LiveCollector | undefined;
  if (roster.students.some((student) => student.source.kind !== 'snapshot')) {
    // Imported only when someone is graded live, so a class of snapshot files never loads the AWS SDK.
    const { liveCollector } = await import('../../batch/live.js');
    collect = liveCollector({ ...(options.region === undefined ? {} : { region: options.region }), ...(courseSecret === undefined ? {} : { courseSecret }) });
  }

  const progress = batchProgress();
  const graceMs = (options.grace ?? INTERRUPT_GRACE_MS / 1000) * 1000;
  const interrupt = interruptible(graceMs, progress.finish);
  let result;
  try {
    result = await runBatch({
      roster,
      rubric,
      rubricFile: location.name,
      outDir: options.out,
      concurrency: options.concurrency,
      force: options.force,
      recollect: options.recollect === true,
      formats,
      paramOverrides: parseParams(options.param),
      ...(options.studentTimeout === undefined ? {} : { studentTimeoutMs: options.studentTimeout * 1000 }),
      ...(collect ? { collect } : {}),
      onProgress: progress.onProgress,
      integrity: options.integrity,
      verify,
      ...(options.lms === undefined
        ? {}
        : { lms: { lms: options.lms, bonus: options.bonus ?? 'add', ...(options.lmsAssignment === undefined ? {} : { assignment: options.lmsAssignment }) } }),
      signal: interrupt.signal,
      graceMs,
    });
  } finally {
    interrupt.release();
    progress.finish();
  }

  const where = (outcome: StudentOutcome): string => `${relative(process.cwd(), roster.file) || roster.file}:${outcome.student.line}`;
  const failed = result.outcomes.filter((outcome) => outcome.status === 'error');
  const flagged = result.outcomes.filter((outcome) => outcome.scorecard?.integrity);
  // A total held for review is not a score yet: the summary lists those students with their flags, not as below.
  const below =
    options.minScore === undefined
      ? []
      : result.outcomes.filter((outcome) => !outcome.scorecard?.integrity?.heldForReview && (scoreOf(outcome) ?? Infinity) < options.minScore!);
  const skipped = result.outcomes.filter((outcome) => outcome.skipped).length;
  const regraded = result.outcomes.filter((outcome) => outcome.status === 'ok' && outcome.regraded);
  const pending = result.outcomes.filter((outcome) => outcome.status === 'pending').length;
  const graded = result.outcomes.length - failed.length - skipped - regraded.length - pending;
  const again = regraded.length > 0 ? ` (${countReasons(regraded.map((outcome) => outcome.regraded!))})` : '';
  const keptHint = skipped > 0 ? ' (--force grades them again from the evidence kept, --recollect reads their accounts again)' : '';
  const lines = [
    `${result.outcomes.length} students: ${graded} graded, ${regraded.length} graded again${again}, ${skipped} kept from an earlier run${keptHint}, ` +
      `${failed.length} could not be graded, ${flagged.length} flagged${pending > 0 ? `, ${pending} not graded yet` : ''}; ${(result.durationMs / 1000).toFixed(1)} s.`,
    ...failed.map((outcome) => `  ${outcome.student.id} (${where(outcome)}): ${outcome.error}`),
    ...(flagged.length > 0
      ? [
          `Integrity flags (--integrity ${options.integrity}${
            options.integrity === 'strict' ? ': a flag that convicts gives 0; shared evidence alone is held for review, not counted' : ': points kept, look before the grades count'
          }):`,
        ]
      : []),
    ...flagged.flatMap((outcome) => [
      `  ${outcome.student.id} (${where(outcome)}): ${flagNames(outcome.scorecard!.integrity!.flags)}${outcome.scorecard!.integrity!.heldForReview ? ' — held for review' : outcome.scorecard!.integrity!.withheld ? ' — 0 points' : ''}`,
      ...outcome.scorecard!.integrity!.flags.map((flag) => `    ${flag.kind}: ${flag.summary}`),
    ]),
    ...(below.length > 0 ? [`Below --min-score ${options.minScore}: ${below.map((outcome) => `${outcome.student.id} (${scoreOf(outcome)})`).join(', ')}`] : []),
    `gradebook: ${result.gradebook}`,
    ...(result.lms ? [`${options.lms} import file: ${result.lms.file} (column "${result.lms.column}")`, ...result.lms.warnings.map((warning) => `  ${warning}`)] : []),
    `class overview: ${result.overview}`,
    ...(result.interrupted
      ? [`Interrupted: ${pending} student${pending === 1 ? '' : 's'} not graded yet, marked so in the gradebook and the overview. Resume with:`, `  ${resumeCommand(process.argv.slice(2))}`]
      : []),
  ];
  process.stderr.write(`${lines.join('\n')}\n`);
  if (result.interrupted) return interrupt.exitCode();
  // The first that holds wins: students left ungraded, then students a person must look at, then low scores.
  if (failed.length > 0) return EXIT_NOT_ALL_GRADED;
  if (flagged.length > 0) return EXIT_FLAGGED;
  return below.length > 0 ? 1 : 0;
}
