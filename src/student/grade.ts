// Grading one student, composed once for `grade`, `watch` and `batch`: their snapshot loaded
// from a file or read live (collect, resolve the lab once, probe), kept as evidence before it
// is graded, verified, and graded with the grading settled once for every student.
import { setFlagsFromString } from 'node:v8';
import type { AwsClients } from '../aws/clients.js';
import { gradeWith } from '../grade/engine.js';
import type { Grading } from '../grade/grading.js';
import type { Scorecard } from '../grade/scorecard.js';
import { withIntegrity } from '../integrity/apply.js';
import { snapshotEvidence } from '../integrity/evidence.js';
import type { IntegrityFlag, IntegrityMode } from '../integrity/types.js';
import { verifySnapshot, type SubmittedEvidence, type VerifyOptions } from '../integrity/verify.js';
import type { LiveOptions } from '../live/index.js';
import type { Lab, Submission } from '../resolve/lab.js';
import type { Snapshot } from '../snapshot/types.js';
import type { AccountAccess } from './account.js';

/** The snapshot a student is graded from, with the lab when a live read already resolved it. */
export interface StudentSnapshot {
  snapshot: Snapshot;
  lab?: Lab;
}

/** What a live read takes besides the account and what the grading settled (params, profile, rubric). */
export type LiveReadOptions = Omit<LiveOptions, 'params' | 'profile' | 'submission' | 'rubricSha256' | 'clients' | 'awsProfile' | 'region'>;

/**
 * Reads the student's account live with clients the caller opened (and destroys): the
 * collection, the lab resolved once from it for the probe target and the grade, the probes.
 * A refusal through a role names the role and its trust policy.
 */
export async function readAccount(
  grading: Grading,
  account: { clients: AwsClients; access: AccountAccess },
  submission: Submission | null,
  options: LiveReadOptions = {},
): Promise<StudentSnapshot> {
  // undici parses HTTP with llhttp compiled to WebAssembly, and V8 recompiles its hot parser with
  // its optimizing compiler on a background thread: 100-200 ms of CPU for a grade's few kilobytes
  // of answers, which the process's exit then waits for. The baseline compiler's code is enough.
  // A V8 flag holds for the whole process, so it is set here, where the grader's own commands
  // read an account, and not in the prober, which the library exports to other programs. Never
  // in a regrade: the bin's code cache is made by one, and V8 refuses a cache made under other flags.
  setFlagsFromString('--liftoff-only');
  // Imported here so an offline regrade never loads the AWS SDK.
  const [{ readLiveAccount }, { explainAccessFailure }] = await Promise.all([import('../live/index.js'), import('./account.js')]);
  const { access } = account;
  const read = readLiveAccount({
    ...options,
    params: grading.params,
    profile: grading.profile.name,
    submission,
    rubricSha256: grading.rubric.sha256,
    clients: account.clients,
    ...(access.awsProfile === undefined ? {} : { awsProfile: access.awsProfile }),
    ...(access.region === undefined ? {} : { region: access.region }),
  });
  return read.catch((error: unknown) => {
    throw explainAccessFailure(error, access);
  });
}

/** Opens the account, reads it live (see readAccount), and closes it. */
export async function readStudentAccount(
  grading: Grading,
  access: AccountAccess,
  submission: Submission | null,
  options: LiveReadOptions = {},
): Promise<StudentSnapshot> {
  const { withAccount } = await import('./account.js');
  return withAccount(access, (clients) => readAccount(grading, { clients, access }, submission, options));
}

/** Verification of the student's snapshot on its own (a class compares classmates afterwards). */
export interface StudentVerification {
  /** Who the snapshot is for, the account the instructor's data gives, whether the grader read it itself. */
  submitted: Omit<SubmittedEvidence, 'evidence'>;
  options: VerifyOptions;
  mode: IntegrityMode;
}

export interface GradeStudentOptions {
  /** The student's project folder as scanned (step 6.2); null when none was given. */
  submission?: Submission | null;
  /** Keeps the snapshot before it is graded (`--save-snapshot`, a batch's snapshot.json), so evidence read is never lost to a failure after it. */
  keep?: (snapshot: Snapshot) => Promise<void>;
  verify?: StudentVerification;
  /** Deep-freeze the scorecard (default true); see GradeInput.freeze. */
  freeze?: boolean;
}

export interface StudentGrade {
  snapshot: Snapshot;
  scorecard: Scorecard;
  /** What verification found (none when not asked to verify). */
  flags: IntegrityFlag[];
}

/** One student: obtain their snapshot (and lab), keep it, verify it, grade it. */
export async function gradeStudent(grading: Grading, obtain: () => Promise<StudentSnapshot>, options: GradeStudentOptions = {}): Promise<StudentGrade> {
  const { snapshot, lab } = await obtain();
  await options.keep?.(snapshot);
  const { verify } = options;
  const graded = gradeWith(grading, snapshot, {
    submission: options.submission ?? null,
    ...(lab ? { lab } : {}),
    ...(options.freeze === undefined ? {} : { freeze: options.freeze }),
  });
  // The lab's resources, for --deadline, are those the grade chose.
  const flags = verify ? verifySnapshot({ ...verify.submitted, evidence: snapshotEvidence(snapshot, graded.choices) }, verify.options) : [];
  return { snapshot, scorecard: verify ? withIntegrity(graded, flags, verify.mode) : graded, flags };
}
