// What STS accepts as a role to assume, an external id and a session name, and what a region
// name looks like: checked where they are read (the roster, the command line) without loading
// the AWS SDK; and each student's own external id, derived from the course secret so a role
// made for one student trusts no other.
import { createHash, createHmac } from 'node:crypto';

/** An IAM role ARN as STS takes it. */
export const ROLE_ARN = /^arn:aws(-[a-z]+)*:iam::\d{12}:role\/[\w+=,.@/-]+$/;
/** STS accepts 2-1224 characters of [\w+=,.@:/-]. */
export const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;
/**
 * An AWS region name (`eu-west-1`, `us-gov-west-1`, `cn-north-1`): the SDK puts it in every
 * endpoint's host name, so anything else (`eu-west-1.evil.example`) is refused before a call.
 */
export const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
/** A student as `--student` names them: a roster id, a Gradescope user id or email, a GitHub login. */
export const STUDENT_ID = /^[\w+=,.@-]{1,128}$/;
/** Shorter secrets could be guessed from one student's external id. */
export const COURSE_SECRET_MIN_LENGTH = 16;

/** The account a role ARN lives in. */
export function roleAccount(roleArn: string): string {
  return roleArn.split(':')[4] ?? '';
}

/**
 * Why a role in the grading credentials' own account is refused (`what` names it, `whose` is
 * the student's possessive): graded as a student's, it would put the instructor's own account
 * into that student's report.
 */
export function ownAccountRefusal(what: string, roleArn: string, whose = "the student's"): string {
  return (
    `${what} is in account ${roleAccount(roleArn)}, the account of the credentials you grade with: it would grade your own account as ${whose}. ` +
    `Name the role in ${whose} account, or pass --allow-own-account if this account is meant to be graded`
  );
}

/**
 * The student's external id: an HMAC-SHA256 of their id (case folded, as roster ids are
 * unique ignoring case) under the course secret, 128 bits in hex. Stable, printable, and
 * without the secret nobody can compute a classmate's.
 */
export function studentExternalId(courseSecret: string, student: string): string {
  const digest = createHmac('sha256', courseSecret).update(`lab-grader external id v1\n${student.toLowerCase()}`).digest('hex');
  return `lg1-${digest.slice(0, 32)}`;
}

const SESSION_NAME_MAX = 64;

/**
 * `lab-grader-<student>`: the name the student's CloudTrail shows for every read of their
 * account. STS allows 2-64 characters of [\w+=,.@-]; a longer id keeps its start and a hash of
 * the whole, so two students never share a name.
 */
export function roleSessionName(student: string): string {
  const name = `lab-grader-${student.replace(/[^\w+=,.@-]/g, '-')}`;
  if (name.length <= SESSION_NAME_MAX) return name;
  const hash = createHash('sha256').update(student).digest('hex').slice(0, 8);
  return `${name.slice(0, SESSION_NAME_MAX - hash.length - 1)}-${hash}`;
}
