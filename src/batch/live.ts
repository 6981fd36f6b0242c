// Reaching a student's account for a live batch: their named AWS profile, or a role in
// their account assumed with the instructor's own credentials and the student's external id
// (the roster's, else derived from the course secret).
import { studentExternalId } from '../role-names.js';
import { readStudentAccount } from '../student/grade.js';
import type { LiveCollector } from './runner.js';

export interface LiveCollectorOptions {
  /** `--region`, for students whose roster entry names none. */
  region?: string;
  /** Derives the external id of a role student whose roster entry gives none. */
  courseSecret?: string;
}

export function liveCollector(options: LiveCollectorOptions = {}): LiveCollector {
  return async (student, { grading, submission, deadline }) => {
    const { source } = student;
    if (source.kind === 'snapshot') throw new Error(`student ${student.id} has a snapshot file, not a live account`);
    const region = source.region ?? options.region;
    const externalId = source.kind === 'role' ? (source.externalId ?? (options.courseSecret === undefined ? undefined : studentExternalId(options.courseSecret, student.id))) : undefined;
    return readStudentAccount(
      grading,
      {
        who: student.id,
        student: student.id,
        ...(region === undefined ? {} : { region }),
        ...(source.kind === 'awsProfile' ? { awsProfile: source.awsProfile } : { role: { roleArn: source.roleArn, ...(externalId === undefined ? {} : { externalId }) } }),
      },
      submission,
      deadline === undefined ? {} : { deadline },
    );
  };
}
