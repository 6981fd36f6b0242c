// Reaching a student's account for a live batch: their named AWS profile, or a role in
// their account assumed with the instructor's own credentials (and the external id).
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { createClients } from '../aws/clients.js';
import { AwsAccessError } from '../errors.js';
import { readLiveAccount, type LiveOptions } from '../live/index.js';
import type { StudentSource } from './roster.js';
import type { LiveCollector } from './runner.js';

type RoleSource = Extract<StudentSource, { kind: 'role' }>;

/** Short-lived credentials for the student's role; the session name says who graded what in their CloudTrail. */
export function roleCredentials(source: RoleSource, studentId: string, defaultRegion?: string) {
  const region = source.region ?? defaultRegion;
  return fromTemporaryCredentials({
    params: {
      RoleArn: source.roleArn,
      // Student ids are already within the session name's alphabet; STS caps it at 64 characters.
      RoleSessionName: `lab-grader-${studentId}`.slice(0, 64),
      ...(source.externalId === undefined ? {} : { ExternalId: source.externalId }),
      DurationSeconds: 900,
    },
    ...(region === undefined ? {} : { clientConfig: { region } }),
  });
}

/** Names the role in what went wrong, since a trust policy or external id is the usual cause. */
function explainRoleFailure(error: unknown, source: RoleSource): unknown {
  if (!(error instanceof AwsAccessError)) return error;
  return new AwsAccessError(
    `could not grade through ${source.roleArn}${source.externalId ? ' (with its external id)' : ''}: ${error.message} ` +
      "Check that the role's trust policy lets your account assume it with this external id, and that it allows the grading policy (`lab-grader policy`).",
  );
}

export interface LiveCollectorOptions {
  /** `--region`, for students whose roster entry names none. */
  region?: string;
}

export function liveCollector(options: LiveCollectorOptions = {}): LiveCollector {
  return async (student, { params, profile }) => {
    const { source } = student;
    const region = (source.kind === 'snapshot' ? undefined : source.region) ?? options.region;
    const base: LiveOptions = { params, profile, ...(region === undefined ? {} : { region }) };
    if (source.kind === 'awsProfile') return readLiveAccount({ ...base, awsProfile: source.awsProfile });
    if (source.kind !== 'role') throw new Error(`student ${student.id} has a snapshot file, not a live account`);
    const clients = createClients({ ...(region === undefined ? {} : { region }), credentials: roleCredentials(source, student.id, region) });
    try {
      return await readLiveAccount({ ...base, clients });
    } catch (error) {
      throw explainRoleFailure(error, source);
    } finally {
      clients.destroy();
    }
  };
}
