// Grading through a read-only role in the student's account: short-lived credentials from
// STS AssumeRole with the course's external id, signed with the instructor's own credentials.
import { fromIni, fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { AwsAccessError } from '../errors.js';
import { CONNECTION_TIMEOUT_MS, CREDENTIAL_CHECK_ATTEMPTS, CREDENTIAL_CHECK_TIMEOUT_MS } from './clients.js';

export interface GradingRole {
  roleArn: string;
  externalId?: string;
}

/**
 * Credentials for the role, refreshed as they expire; the session name (`lab-grader-<who>`)
 * says in the student's CloudTrail who read what. `awsProfile` names the instructor's own
 * credentials (default: the standard chain).
 */
export function roleCredentials(role: GradingRole, who: string, region?: string, awsProfile?: string) {
  return fromTemporaryCredentials({
    params: {
      RoleArn: role.roleArn,
      // Student ids are already within the session name's alphabet; STS caps it at 64 characters.
      RoleSessionName: `lab-grader-${who}`.slice(0, 64),
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

/** Names the role in what went wrong, since a trust policy or external id is the usual cause. */
export function explainRoleFailure(error: unknown, role: GradingRole): unknown {
  if (!(error instanceof AwsAccessError)) return error;
  return new AwsAccessError(
    `could not grade through ${role.roleArn}${role.externalId ? ' (with its external id)' : ''}: ${error.message} ` +
      "Check that the role's trust policy lets your account assume it with this external id, and that it allows the grading policy (`lab-grader policy`).",
  );
}
