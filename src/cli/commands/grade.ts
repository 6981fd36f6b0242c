// `lab-grader grade`: collect (or load) a snapshot, grade it against the rubric, write the reports.
import { performance } from 'node:perf_hooks';
import { checksById } from '../../../checks/index.js';
import type { CheckRegistry } from '../../check/define.js';
import { progressDisplay } from '../../collect/progress.js';
import { UsageError, unwritable } from '../../errors.js';
import { makeWritableFolder, writeFileAtomically } from '../../files.js';
import { assertGradable, grade, paramsFor, pickProfile } from '../../grade/engine.js';
import type { Submission } from '../../resolve/lab.js';
import type { LabParams } from '../../rubric/params.js';
import type { Rubric, RubricProfile } from '../../rubric/types.js';
import { loadSnapshot } from '../../snapshot/load.js';
import type { ProbeResult, Snapshot } from '../../snapshot/types.js';
import type { ClientOptions } from '../../aws/clients.js';
import type { GradingRole } from '../../aws/role.js';
import { probeBaseUrl } from '../../probe/target.js';
import { rubricLocation } from '../paths.js';
import { loadGradingRubric } from '../prepared.js';
import { verificationFrom, type VerificationFlags } from '../verification.js';
import { withIntegrity } from '../../integrity/apply.js';
import { snapshotEvidence } from '../../integrity/evidence.js';
import { verifySnapshot } from '../../integrity/verify.js';
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
  rubric: Rubric;
  /** The rubric as the person named it, for the scorecard. */
  rubricFile: string;
  paramOverrides: Record<string, string>;
  profile: RubricProfile;
  params: LabParams;
  submission: Submission | null;
  /** The lab's check registry, which the engine grades with. */
  checks: CheckRegistry;
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
  const paramOverrides = parseParams(options.param);
  assertGradable(rubric, checksById);
  await assertAwsProfileExists(rubric, options.awsProfile);
  const profile = pickProfile(rubric, options.labProfile);
  const params = paramsFor(rubric, profile, paramOverrides);
  let submission: Submission | null = null;
  if (options.submission !== undefined) {
    const { scanSubmission } = await import('../../submission/scan.js');
    submission = await scanSubmission(options.submission);
  }
  return { rubric, rubricFile: location.name, paramOverrides, profile, params, submission, checks: checksById };
}

/** `--region auto`: grade the region that holds the lab. */
export const AUTO_REGION = 'auto';

/**
 * The region to grade: `--region auto` searches every enabled region for the lab (a
 * UsageError when none holds it), any other value is used as given.
 */
export async function resolveRegion(
  options: Pick<GradeOptions, 'region' | 'awsProfile'>,
  log: Diagnostics,
  role?: GradingRole,
): Promise<string | undefined> {
  if (options.region !== AUTO_REGION) return options.region;
  const { createClients, GLOBAL_REGION } = await import('../../aws/clients.js');
  const { chooseLabRegion } = await import('../../collect/region.js');
  const onCall = log.onCall ? { onCall: log.onCall } : {};
  const awsProfile = options.awsProfile === undefined ? {} : { awsProfile: options.awsProfile };
  // Through the student's role when grading through one: the regions searched are theirs.
  const clients = role
    ? await clientsForRole(role, { ...awsProfile, region: GLOBAL_REGION }, onCall)
    : createClients({ ...awsProfile, region: GLOBAL_REGION, ...onCall });
  try {
    const chosen = await chooseLabRegion(clients, options.awsProfile);
    const others = chosen.search.found.slice(1).map((found) => found.region);
    log.note(
      `--region auto: grading ${chosen.region}, which holds non-default VPC ${chosen.search.found[0]?.vpcIds.join(', ')}` +
        `${others.length > 0 ? ` (also found in ${others.join(', ')}: name one with --region to grade it)` : ''}.`,
    );
    return chosen.region;
  } finally {
    clients.destroy();
  }
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

/** Clients that read the student's account through their role, signed with the caller's own credentials (`--profile` or the chain). */
async function clientsForRole(role: GradingRole, options: Pick<GradeOptions, 'region' | 'awsProfile'>, extra: Pick<ClientOptions, 'onCall'>) {
  const [{ createClients }, { roleCredentials }] = await Promise.all([import('../../aws/clients.js'), import('../../aws/role.js')]);
  return createClients({ ...(options.region === undefined ? {} : { region: options.region }), credentials: roleCredentials(role, 'grade', options.region, options.awsProfile), ...extra });
}

/** Grades and writes the reports; the exit code is 1 when the score is below --min-score. */
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
  if (options.externalId !== undefined && options.roleArn === undefined) {
    throw new UsageError('--external-id only applies with --role-arn: add the role to assume, or drop --external-id.');
  }
  if (options.quiet && options.verbose) throw new UsageError('--quiet and --verbose contradict each other: pick one.');
  const toStdout = options.out === STDOUT ? stdoutFormat(formats) : undefined;
  const { rubric, rubricFile, paramOverrides, profile, params, submission, checks } = await prepareGrading(options);
  // A folder that cannot hold the reports fails now, not after a minute of collection.
  if (toStdout === undefined && formats.some((format) => REPORTERS[format].file !== undefined)) {
    await makeWritableFolder(options.out).catch((error: unknown) => {
      throw unwritable(error, `--out ${options.out}`);
    });
  }
  const log = diagnostics(options);

  let snapshot: Snapshot;
  if (options.snapshot !== undefined) {
    snapshot = loadSnapshot(options.snapshot);
  } else {
    // Imported here so an offline regrade never loads the AWS SDK.
    const { readLiveAccount } = await import('../../live/index.js');
    const { createClients } = await import('../../aws/clients.js');
    const { explainLabElsewhere } = await import('../../collect/region.js');
    const role = options.roleArn === undefined ? undefined : { roleArn: options.roleArn, ...(options.externalId === undefined ? {} : { externalId: options.externalId }) };
    const onCall = log.onCall ? { onCall: log.onCall } : {};
    const region = await resolveRegion(options, log, role);
    const clients = role
      ? await clientsForRole(role, { ...(options.awsProfile === undefined ? {} : { awsProfile: options.awsProfile }), ...(region === undefined ? {} : { region }) }, onCall)
      : createClients({
          ...(options.awsProfile === undefined ? {} : { awsProfile: options.awsProfile }),
          ...(region === undefined ? {} : { region }),
          ...onCall,
        });
    const progress = options.quiet ? undefined : progressDisplay();
    let probes = 0;
    const onProbe = (result: ProbeResult): void => {
      probes += 1;
      progress?.onProbe({ done: probes, label: probeOutcome(result) });
      log.onProbe?.(result);
    };
    try {
      snapshot = await readLiveAccount({
        params,
        profile: profile.name,
        rubricSha256: rubric.sha256,
        clients,
        ...(options.awsProfile === undefined ? {} : { awsProfile: options.awsProfile }),
        ...(region === undefined ? {} : { region }),
        ...(options.albUrl === undefined ? {} : { albUrl: options.albUrl }),
        ...(progress ? { onProgress: progress.onProgress } : {}),
        deadline,
        onProbe,
        onLabElsewhere: (search, graded) => {
          progress?.finish();
          log.warn(explainLabElsewhere(graded, search, process.argv.slice(2)));
        },
      });
    } catch (error) {
      throw role ? (await import('../../aws/role.js')).explainRoleFailure(error, role) : error;
    } finally {
      progress?.finish();
      clients.destroy();
    }
  }
  if (options.saveSnapshot !== undefined) {
    await writeFileAtomically(options.saveSnapshot, `${JSON.stringify(snapshot, null, 2)}\n`).catch((error: unknown) => {
      throw unwritable(error, `--save-snapshot ${options.saveSnapshot}`);
    });
  }

  // A saved snapshot may come from someone else: verify it (a live collection is only checked against --account).
  const flags = verifySnapshot(
    { student: 'this snapshot', evidence: snapshotEvidence(snapshot), live: options.snapshot === undefined, ...(options.account === undefined ? {} : { expectedAccount: options.account }) },
    verificationFrom({ integrity: options.integrity ?? 'warn', ...options }),
  );
  const scorecard = withIntegrity(
    grade({ rubric, rubricFile, snapshot, profile: profile.name, paramOverrides, submission, checks }),
    flags,
    options.integrity ?? 'warn',
  );

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

  // Summed in hundredths, as every score is.
  const score = Math.round((scorecard.total.earned + scorecard.bonusPoints.earned) * 100) / 100;
  if (options.minScore !== undefined && score < options.minScore) {
    process.stderr.write(`lab-grader: score ${score} is below --min-score ${options.minScore}\n`);
    return 1;
  }
  return 0;
}
