// Grading through a read-only role in the student's account: short-lived credentials from
// STS AssumeRole with the student's external id, signed with the instructor's own credentials.
import { fromIni, fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { AwsAccessError } from '../errors.js';
import { roleSessionName } from '../role-names.js';
import { CONNECTION_TIMEOUT_MS, CREDENTIAL_CHECK_ATTEMPTS, CREDENTIAL_CHECK_TIMEOUT_MS } from './clients.js';

export interface GradingRole {
  roleArn: string;
  externalId?: string;
}

/**
 * Credentials for the role, refreshed as they expire; the session name (`lab-grader-<student>`)
 * says in the student's CloudTrail whose grade read their account. `awsProfile` names the
 * instructor's own credentials (default: the standard chain).
 */
export function roleCredentials(role: GradingRole, student: string, region?: string, awsProfile?: string) {
  return fromTemporaryCredentials({
    params: {
      RoleArn: role.roleArn,
      RoleSessionName: roleSessionName(student),
      ...(role.externalId === undefined ? {} : { ExternalId: role.externalId }),
      DurationSeconds: 900,
    },
    ...(awsProfile === undefined ? {} : { masterCredentials: fromIni({ profile: awsProfile }) }),
    // AssumeRole comes before the credentials check can answer: bounded like it, so an STS
    // endpoint that does not answer is named within seconds (the SDK's own client would wait on).
    clientConfig: {
      ...(region === undefined ? {} : { region }),
      maxAttempts: CREDENTIAL_CHECK_ATTEMPTS,
      requestHandler: { connectionTimeout: CONNECTION_TIMEOUT_MS, requestTimeout: CREDENTIAL_CHECK_TIMEOUT_MS, throwOnRequestTimeout: true },
    },
  });
}

/** STS said no to the AssumeRole itself (not to a read made with the role). */
function refusedAssume(error: AwsAccessError): boolean {
  return /sts:AssumeRole\b/.test(error.message) && /AccessDenied/.test(error.message);
}

/**
 * Names the role in what went wrong. A refused AssumeRole says the role does not trust this
 * student's external id: with per-student ids, that is what a classmate's role answers.
 */
export function explainRoleFailure(error: unknown, role: GradingRole, student?: string): unknown {
  if (!(error instanceof AwsAccessError)) return error;
  const whose = student === undefined ? '' : ` for student ${student}`;
  if (refusedAssume(error)) {
    return new AwsAccessError(
      `could not assume ${role.roleArn}${whose} (AccessDenied): ${error.message} ` +
        (student === undefined
          ? "Check that the role's trust policy lets your account assume it with this external id."
          : `The role's trust policy does not let your account assume it with ${student}'s external id: a role made for another student, ` +
            `or made before the course secret changed, is refused. ${student} makes their own with the set-up \`lab-grader role --student ${student}\` prints.`),
    );
  }
  return new AwsAccessError(
    `could not grade through ${role.roleArn}${whose}${role.externalId ? ' (with its external id)' : ''}: ${error.message} ` +
      "Check that the role's trust policy lets your account assume it with this external id, and that it allows the grading policy (`lab-grader policy`).",
  );
}
