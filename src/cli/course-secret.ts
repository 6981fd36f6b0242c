// The instructor's course secret, from which each student's external id is derived: read from
// `--course-secret-file` or LAB_GRADER_COURSE_SECRET, never printed, never written.
import { readFileSync } from 'node:fs';
import { UsageError } from '../errors.js';
import { COURSE_SECRET_MIN_LENGTH, studentExternalId } from '../role-names.js';

export const COURSE_SECRET_ENV = 'LAB_GRADER_COURSE_SECRET';

const MAKE_ONE = 'make one with `openssl rand -hex 32 > course-secret` and keep it where only instructors can read it';

/** The course secret, or undefined when none is given; a short or unreadable one is bad input (exit 2). */
export function readCourseSecret(file: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  let secret: string | undefined;
  let where: string;
  if (file !== undefined) {
    where = `--course-secret-file ${file}`;
    try {
      // A secret is a line: the newline an editor or `>` adds is not part of it.
      secret = readFileSync(file, 'utf8').replace(/\r?\n$/, '');
    } catch (error) {
      throw new UsageError(`cannot read ${where} (${(error as NodeJS.ErrnoException).code ?? 'unreadable'}): check the path, or ${MAKE_ONE}`);
    }
  } else {
    where = COURSE_SECRET_ENV;
    secret = env[COURSE_SECRET_ENV];
    if (secret === undefined || secret === '') return undefined;
  }
  if (secret.length < COURSE_SECRET_MIN_LENGTH || /\s/.test(secret)) {
    throw new UsageError(`${where}: the course secret must be at least ${COURSE_SECRET_MIN_LENGTH} characters without spaces or line breaks; ${MAKE_ONE}`);
  }
  return secret;
}

/** What `grade` is told about whose account it reads through a role. */
export interface StudentRoleFlags {
  roleArn?: string;
  externalId?: string;
  /** Whose account: names the role session and derives the external id. */
  student?: string;
  courseSecretFile?: string;
}

/** Said wherever one external id serves a whole class. */
export function courseWideWarning(externalIdSource: string): string {
  return (
    `${externalIdSource} is one external id for the whole course: any student's role that trusts it can be assumed while grading any other, ` +
    "so nothing but the role ARN you were given keeps one student's grade off a classmate's account. " +
    `Per-student ids: keep a course secret in ${COURSE_SECRET_ENV} (or --course-secret-file) and give each student the set-up \`lab-grader role --student ID\` prints.`
  );
}

/**
 * The role to grade through and the warnings to print, from the flags: the student's external
 * id is the one given, or derived from the course secret for `--student`. Bad combinations are
 * bad input (exit 2).
 */
export function studentRole(flags: StudentRoleFlags, env: NodeJS.ProcessEnv = process.env): { role?: { roleArn: string; externalId?: string }; warnings: string[] } {
  const { roleArn, externalId, student, courseSecretFile } = flags;
  if (roleArn === undefined) {
    if (student !== undefined) throw new UsageError('--student names whose account is read through --role-arn: add the role to assume, or drop --student.');
    if (externalId !== undefined) throw new UsageError('--external-id only applies with --role-arn: add the role to assume, or drop --external-id.');
    if (courseSecretFile !== undefined) throw new UsageError('--course-secret-file derives a student\'s external id: add --role-arn and --student, or drop it.');
    return { warnings: [] };
  }
  if (student === undefined) {
    if (courseSecretFile !== undefined) throw new UsageError('--course-secret-file derives the external id of the student named by --student: add --student ID.');
    return { role: { roleArn, ...(externalId === undefined ? {} : { externalId }) }, warnings: externalId === undefined ? [] : [courseWideWarning('--external-id without --student')] };
  }
  if (externalId !== undefined) {
    if (courseSecretFile !== undefined) throw new UsageError(`--external-id and --course-secret-file both give ${student}'s external id: keep one.`);
    return { role: { roleArn, externalId }, warnings: [] };
  }
  const secret = readCourseSecret(courseSecretFile, env);
  if (secret === undefined) {
    throw new UsageError(
      `--student ${student} with --role-arn assumes the role with ${student}'s external id, derived from the course secret: ` +
        `set ${COURSE_SECRET_ENV} or pass --course-secret-file FILE (or give the id itself with --external-id).`,
    );
  }
  return { role: { roleArn, externalId: studentExternalId(secret, student) }, warnings: [] };
}
