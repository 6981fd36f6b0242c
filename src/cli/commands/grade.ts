// `lab-grader grade`: collect (or load) a snapshot, grade it against the rubric, write the reports.
import { academyNudge, learnerLabShape } from '../../grade/academy.js';
import { commandWith } from '../../command-line.js';
import { performance } from 'node:perf_hooks';
import { checksById } from '../../../checks/index.js';
import { progressDisplay } from '../../collect/progress.js';
import { UsageError, unwritable } from '../../errors.js';
import { makeWritableFolder, writeFileAtomically } from '../../files.js';
import { settleGrading, type Grading } from '../../grade/grading.js';
import type { Submission } from '../../resolve/lab.js';
import type { Rubric } from '../../rubric/types.js';
import { loadSnapshot } from '../../snapshot/load.js';
import type { ProbeResult, Snapshot } from '../../snapshot/types.js';
import { probeBaseUrl } from '../../probe/target.js';
import type { GradingRole } from '../../aws/role.js';
import type { AccountAccess } from '../../student/account.js';
import { gradeStudent, readStudentAccount, type StudentSnapshot } from '../../student/grade.js';
import { rubricLocation } from '../paths.js';
import { loadGradingRubric } from '../prepared.js';
import { verificationFrom, type VerificationFlags } from '../verification.js';
import { studentRole } from '../course-secret.js';
import { ownAccountRefusal, roleAccount } from '../../role-names.js';
import { parseFormats, REPORTERS, renderReport, writeReports, type ManualPoints, type ReportFormat } from '../../report/index.js';
import { consoleWidth, diagnostics, probeOutcome, useColor, type Diagnostics } from '../terminal.js';

export interface GradeOptions extends Partial<VerificationFlags> {
  snapshot?: string;
  rubric?: string;
  /** The rubric profile (--lab-profile). */
  labProfile?: string;
  /** The AWS credentials profile (--profile). */
  awsProfile?: string;
  region?: string;
  /** `key.path=value`, as typed. */
  param: string[];
  format: string;
  out: string;
  /** `exclude` leaves the points a person judges out of the Gradescope and Classroom totals. */
  manualPoints?: ManualPoints;
  minScore?: number;
  saveSnapshot?: string;
  albUrl?: string;
  submission?: string;
  /** Seconds the whole grade may take (default 300). */
  timeout?: number;
  /** False with --no-color. */
  color: boolean;
  /** The student's account: a snapshot from any other is flagged. */
  account?: string;
  /** A read-only role in the student's account, assumed with the caller's own credentials. */
  roleArn?: string;
  externalId?: string;
  /** Whose account the role reads: names the role session and derives the external id from the course secret. */
  student?: string;
  /** The course secret's file (else LAB_GRADER_COURSE_SECRET). */
  courseSecretFile?: string;
  /** `--allow-own-account`: a role of `--student` in the grading credentials' own account is meant (a test account). */
  allowOwnAccount?: boolean;
  /** Errors only on stderr: no progress, no notes, no console checklist. */
  quiet?: boolean;
  /** Every AWS call and every probe on stderr. */
  verbose?: boolean;
}

/** A live grade ends within five minutes unless `--timeout` says otherwise. */
export const DEFAULT_TIMEOUT_SECONDS = 300;

/** `--param key.path=value` flags → overrides by key (commander has checked the `=`). */
export function parseParams(params: readonly string[]): Record<string, string> {
  // No prototype: a key such as `__proto__` stays a key, and is then refused as an unknown param.
  const overrides = Object.create(null) as Record<string, string>;
  for (const param of params) {
    const at = param.indexOf('=');
    overrides[param.slice(0, at).trim()] = param.slice(at + 1);
  }
  return overrides;
}

/** What `grade` and `watch` settle from their flags before any AWS call. */
export interface GradingSetup {
  /** The rubric, profile, params and checks, settled once. */
  grading: Grading;
  submission: Submission | null;
}

/** The profile names a message lists, at most: enough to spot a typo. */
const LISTED_PROFILES = 20;

/**
 * A `--profile` that neither AWS file defines stops here (exit 2), naming the files searched and
 * the profiles found, before the credential chain would fail with a message about something
 * else ("no region", "no credentials"). `--profile academy` was the rubric profile before 0.2.0:
 * when a rubric profile has the name, the person almost surely meant --lab-profile.
 */
async function assertAwsProfileExists(rubric: Rubric, awsProfile: string | undefined): Promise<void> {
  if (awsProfile === undefined) return;
  // Imported here so a regrade (no --profile) loads nothing from src/aws/.
  const { awsProfileFiles, awsProfileNames, homeRelative } = await import('../../aws/profiles.js');
  const names = awsProfileNames();
  if (names.has(awsProfile)) return;
  const files = awsProfileFiles();
  const listed = [...names].sort();
  const searched =
    `searched ${homeRelative(files.config)} and ${homeRelative(files.credentials)}, ` +
    (listed.length === 0
      ? 'which define no profile'
      : `which define ${listed.slice(0, LISTED_PROFILES).join(', ')}${listed.length > LISTED_PROFILES ? ` and ${listed.length - LISTED_PROFILES} more` : ''}`);
  if (rubric.profiles.some((profile) => profile.name === awsProfile)) {
    throw new UsageError(
      `--profile names the AWS credentials profile, and no AWS profile is called "${awsProfile}" (${searched}). ` +
        `For the rubric's ${awsProfile} profile, pass --lab-profile ${awsProfile}.`,
    );
  }
  throw new UsageError(
    `no AWS profile is called "${awsProfile}" (${searched}). Check the spelling, or create it: ` +
      `\`aws configure --profile ${awsProfile}\` (access keys) or \`aws configure sso --profile ${awsProfile}\`; ` +
      'without --profile, the standard credential chain is used (environment variables, the default profile, CloudShell).',
  );
}

/** Reads the rubric, profile, params and submission; bad input fails here, so a typo costs no collection. */
export async function prepareGrading(
  options: Pick<GradeOptions, 'rubric' | 'labProfile' | 'awsProfile' | 'param' | 'albUrl' | 'submission'>,
): Promise<GradingSetup> {
  if (options.albUrl !== undefined) probeBaseUrl(options.albUrl);
  const location = rubricLocation(options.rubric);
  const rubric = await loadGradingRubric(options.rubric);
  await assertAwsProfileExists(rubric, options.awsProfile);
  const grading = settleGrading({
    rubric,
    rubricFile: location.name,
    ...(options.labProfile === undefined ? {} : { labProfile: options.labProfile }),
    paramOverrides: parseParams(options.param),
    checks: checksById,
  });
  let submission: Submission | null = null;
  if (options.submission !== undefined) {
    const { scanSubmission } = await import('../../submission/scan.js');
    submission = await scanSubmission(options.submission);
  }
  return { grading, submission };
}

/** `--region auto`: grade the region that holds the lab. */
export const AUTO_REGION = 'auto';

/** The flags that reach a live account, as `grade` and `watch` share them. */
export type LiveFlags = Pick<GradeOptions, 'awsProfile' | 'region' | 'roleArn' | 'externalId' | 'student' | 'courseSecretFile' | 'allowOwnAccount' | 'quiet' | 'verbose'>;

/** Refuses live flags that contradict each other (and a missing or short course secret), before anything is read. */
export function assertLiveFlags(options: LiveFlags): void {
  studentRole(options);
  if (options.quiet && options.verbose) throw new UsageError('--quiet and --verbose contradict each other: pick one.');
}

/**
 * A student's role in the grading credentials' own account is refused (exit 2) before it is
 * assumed: a role-arn.txt naming one, or a typo, would grade the instructor's account as theirs.
 */
async function refuseOwnAccount(role: GradingRole, student: string, awsProfile: string | undefined): Promise<void> {
  const [{ callerAccount }, { explainRoleFailure }] = await Promise.all([import('../../aws/credentials.js'), import('../../aws/role.js')]);
  // Credentials that cannot be checked fail as the role's assumption would, naming the role and the student.
  const grader = await callerAccount(awsProfile).catch((error: unknown) => {
    throw explainRoleFailure(error, role, student);
  });
  if (grader === roleAccount(role.roleArn)) throw new UsageError(`${ownAccountRefusal(`--role-arn ${role.roleArn}`, role.roleArn, `${student}'s`)}.`);
}

/**
 * How to reach the account the flags name: the caller's credentials (`--profile` or the
 * chain), or the student's role assumed with them; `--region auto` searched through that access.
 */
export async function accountAccess(options: LiveFlags, log: Diagnostics, who: string, pending?: AccountAccess['pending']): Promise<AccountAccess> {
  // The student's external id: given, or derived from the course secret for --student.
  const { role, warnings } = studentRole(options);
  warnings.forEach((warning) => log.warn(warning));
  if (role !== undefined && options.student !== undefined && !options.allowOwnAccount) await refuseOwnAccount(role, options.student, options.awsProfile);
  const access: AccountAccess = {
    who: options.student ?? who,
    ...(options.student === undefined ? {} : { student: options.student }),
    ...(options.awsProfile === undefined ? {} : { awsProfile: options.awsProfile }),
    ...(role === undefined ? {} : { role }),
    ...(log.onCall ? { onCall: log.onCall } : {}),
    ...(pending === undefined ? {} : { pending }),
  };
  if (options.region !== AUTO_REGION) return { ...access, ...(options.region === undefined ? {} : { region: options.region }) };
  // Imported here so an offline regrade never loads the AWS SDK.
  const { chooseRegion } = await import('../../student/account.js');
  return { ...access, region: await chooseRegion(access, log.note) };
}

/** `--out -` prints one report on stdout instead of writing files. */
export const STDOUT = '-';

/** The one format `--out -` prints, or a UsageError naming what to change. */
function stdoutFormat(formats: readonly ReportFormat[]): ReportFormat {
  const [only, ...more] = formats;
  if (only === undefined || more.length > 0) {
    throw new UsageError(`--out - writes a single format to stdout, and --format asks for ${formats.join(',')}: pick one, such as --format json --out -.`);
  }
  return only;
}

/** The live read of `grade`: the account the flags name, with the progress line, `--verbose` and the wrong-region warning. */
async function liveRead(options: GradeOptions, grading: Grading, submission: Submission | null, log: Diagnostics, deadline: number): Promise<StudentSnapshot> {
  // From the first second the progress line says which AWS call the grade waits for, and how long.
  const { PendingCalls } = await import('../../aws/pending.js');
  const pending = new PendingCalls();
  const progress = options.quiet ? undefined : progressDisplay(process.stderr, process.env, { pending });
  let probes = 0;
  try {
    const access = await accountAccess(options, log, 'grade', pending);
    const { explainLabElsewhere } = await import('../../collect/region.js');
    return await readStudentAccount(grading, access, submission, {
      ...(options.albUrl === undefined ? {} : { albUrl: options.albUrl }),
      ...(progress ? { onProgress: progress.onProgress } : {}),
      deadline,
      onProbe: (result: ProbeResult) => {
        probes += 1;
        progress?.onProbe({ done: probes, label: probeOutcome(result) });
        log.onProbe?.(result);
      },
      onLabElsewhere: (search, graded) => {
        progress?.clear();
        log.warn(explainLabElsewhere(graded, search, process.argv.slice(2)));
      },
    });
  } finally {
    progress?.finish();
  }
}

/** Exit code of a grade whose region holds none of the lab while another enabled region does (the reports say which). */
export const EXIT_LAB_ELSEWHERE = 6;

/** The rubric profile for AWS Academy / Learner Lab accounts. */
const ACADEMY_PROFILE = 'academy';

/** One warning line when an account of Learner Lab's shape is graded with another lab profile, with the command that grades it right. */
function nudgeToAcademy(grading: Grading, snapshot: Snapshot, log: Diagnostics): void {
  if (grading.profile.name === ACADEMY_PROFILE || !grading.rubric.profiles.some((profile) => profile.name === ACADEMY_PROFILE)) return;
  const signs = learnerLabShape(snapshot);
  if (signs) log.warn(academyNudge(signs, grading.profile.name, commandWith(process.argv.slice(2), '--lab-profile', ACADEMY_PROFILE)));
}

/**
 * Grades and writes the reports; the exit code is 6 when the graded region holds none of the
 * lab and another region does, else 1 when the score is below --min-score.
 */
export async function gradeCommand(options: GradeOptions): Promise<number> {
  const started = performance.now();
  const deadline = Date.now() + (options.timeout ?? DEFAULT_TIMEOUT_SECONDS) * 1000;
  const formats = parseFormats(options.format);
  if (options.snapshot !== undefined && options.albUrl !== undefined) {
    throw new UsageError('--alb-url sets where a live collection probes; a saved snapshot keeps the probes it was collected with. Drop --snapshot or --alb-url.');
  }
  if (options.snapshot !== undefined && options.roleArn !== undefined) {
    throw new UsageError('--role-arn grades the account live through the role; a saved snapshot needs no role. Drop --snapshot or --role-arn.');
  }
  assertLiveFlags(options);
  const toStdout = options.out === STDOUT ? stdoutFormat(formats) : undefined;
  const { grading, submission } = await prepareGrading(options);
  // A folder that cannot hold the reports fails now, not after a minute of collection.
  if (toStdout === undefined && formats.some((format) => REPORTERS[format].file !== undefined)) {
    await makeWritableFolder(options.out).catch((error: unknown) => {
      throw unwritable(error, `--out ${options.out}`);
    });
  }
  const log = diagnostics(options);
  const live = options.snapshot === undefined;

  const obtain = live ? () => liveRead(options, grading, submission, log, deadline) : async () => ({ snapshot: loadSnapshot(options.snapshot!) });
  const { snapshot, scorecard } = await gradeStudent(grading, obtain, {
    submission,
    ...(options.saveSnapshot === undefined
      ? {}
      : {
          keep: (snapshot: Snapshot) =>
            writeFileAtomically(options.saveSnapshot!, `${JSON.stringify(snapshot, null, 2)}\n`).catch((error: unknown) => {
              throw unwritable(error, `--save-snapshot ${options.saveSnapshot}`);
            }),
        }),
    // A saved snapshot may come from someone else: verify it (a live collection is only checked against --account and --deadline).
    verify: {
      submitted: { student: 'this snapshot', live, ...(options.account === undefined ? {} : { expectedAccount: options.account }) },
      options: verificationFrom({ integrity: options.integrity ?? 'warn', ...options }),
      mode: options.integrity ?? 'warn',
    },
  });

  nudgeToAcademy(grading, snapshot, log);

  const color = useColor(options.color);
  const reportOptions = {
    executionTimeSeconds: Math.round(performance.now() - started) / 1000,
    color,
    width: consoleWidth(),
    ...(options.manualPoints === undefined ? {} : { manualPoints: options.manualPoints }),
    // The header names the AWS profile the account was read with; a regrade read none.
    ...(options.awsProfile === undefined || options.snapshot !== undefined ? {} : { awsProfile: options.awsProfile }),
  };
  if (toStdout !== undefined) {
    const text = renderReport(scorecard, toStdout, reportOptions);
    process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  } else {
    const reports = await writeReports(scorecard, formats, options.out, reportOptions).catch((error: unknown) => {
      throw unwritable(error, `--out ${options.out}`);
    });
    for (const report of reports) {
      if (report.text !== undefined && !options.quiet) process.stdout.write(report.text.endsWith('\n') ? report.text : `${report.text}\n`);
    }
    const files = reports.flatMap((report) => (report.file === undefined ? [] : [report.file]));
    if (files.length > 0) log.note(`reports written: ${files.join(', ')}`);
  }

  // A grade of a region without the lab is no grade of the lab: a script or CI must not take it for one.
  if (scorecard.labElsewhere !== undefined) return EXIT_LAB_ELSEWHERE;
  // Summed in hundredths, as every score is.
  const score = Math.round((scorecard.total.earned + scorecard.bonusPoints.earned) * 100) / 100;
  if (options.minScore !== undefined && score < options.minScore) {
    process.stderr.write(`lab-grader: score ${score} is below --min-score ${options.minScore}\n`);
    return 1;
  }
  return 0;
}
