// Reaching a student's account for a live batch: their named AWS profile, or a role in
// their account assumed with the instructor's own credentials (and the external id).
import { readStudentAccount } from '../student/grade.js';
import type { LiveCollector } from './runner.js';

export interface LiveCollectorOptions {
  /** `--region`, for students whose roster entry names none. */
  region?: string;
}

export function liveCollector(options: LiveCollectorOptions = {}): LiveCollector {
  return async (student, { grading, submission, deadline }) => {
    const { source } = student;
    if (source.kind === 'snapshot') throw new Error(`student ${student.id} has a snapshot file, not a live account`);
    const region = source.region ?? options.region;
    return readStudentAccount(
      grading,
      {
        who: student.id,
        ...(region === undefined ? {} : { region }),
        ...(source.kind === 'awsProfile' ? { awsProfile: source.awsProfile } : { role: { roleArn: source.roleArn, ...(source.externalId === undefined ? {} : { externalId: source.externalId }) } }),
      },
      submission,
      deadline === undefined ? {} : { deadline },
    );
  };
}
