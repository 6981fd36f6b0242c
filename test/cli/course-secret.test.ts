// Per-student trust: each student's external id is derived from the course secret, so a role
// made for one student trusts no classmate's grade; the flags that ask for one are checked first.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCourseSecret, studentRole } from '../../src/cli/course-secret.js';
import { quickCreateUrl, roleSetup } from '../../src/cli/commands/role.js';
import { UsageError } from '../../src/errors.js';
import { EXTERNAL_ID, roleSessionName, studentExternalId } from '../../src/role-names.js';

const SECRET = '4f1c9a0e5b7d2c3e8f6a1b0c9d8e7f6a';
const ROLE = 'arn:aws:iam::210987654321:role/lab-grader-readonly';
const work = mkdtempSync(join(tmpdir(), 'lab-grader-secret-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('studentExternalId', () => {
  it('is stable, printable, an external id STS accepts, and differs by student and by secret', () => {
    const alice = studentExternalId(SECRET, 'alice');
    expect(alice).toMatch(/^lg1-[0-9a-f]{32}$/);
    expect(EXTERNAL_ID.test(alice)).toBe(true);
    expect(studentExternalId(SECRET, 'alice')).toBe(alice);
    expect(studentExternalId(SECRET, 'bob')).not.toBe(alice);
    expect(studentExternalId(`${SECRET}x`, 'alice')).not.toBe(alice);
  });

  it('folds case, as roster ids are unique ignoring case (and emails are)', () => {
    expect(studentExternalId(SECRET, 'Alice@Example.com')).toBe(studentExternalId(SECRET, 'alice@example.com'));
  });
});

describe('roleSessionName', () => {
  it.each([
    ['alice', 'lab-grader-alice'],
    ['alice@example.com', 'lab-grader-alice@example.com'],
    ['12345', 'lab-grader-12345'],
  ])('%s → %s', (student, name) => expect(roleSessionName(student)).toBe(name));

  it('keeps a long id within the 64 characters STS allows, and two long ids apart', () => {
    const long = `${'a'.repeat(70)}1`;
    const other = `${'a'.repeat(70)}2`;
    expect(roleSessionName(long)).toHaveLength(64);
    expect(roleSessionName(long)).toMatch(/^[\w+=,.@-]{2,64}$/);
    expect(roleSessionName(long)).not.toBe(roleSessionName(other));
  });
});

describe('readCourseSecret', () => {
  it('reads the file (without its final newline), else the environment, else nothing', () => {
    const file = join(work, 'course-secret');
    writeFileSync(file, `${SECRET}\n`);
    expect(readCourseSecret(file, {})).toBe(SECRET);
    expect(readCourseSecret(undefined, { LAB_GRADER_COURSE_SECRET: SECRET })).toBe(SECRET);
    expect(readCourseSecret(undefined, {})).toBeUndefined();
  });

  it('refuses a short secret and an unreadable file (exit 2), never printing the secret', () => {
    expect(() => readCourseSecret(undefined, { LAB_GRADER_COURSE_SECRET: 'course-2026' })).toThrow(UsageError);
    expect(() => readCourseSecret(undefined, { LAB_GRADER_COURSE_SECRET: 'course-2026' })).toThrow(/at least 16 characters.*openssl rand -hex 32/);
    expect(() => readCourseSecret(undefined, { LAB_GRADER_COURSE_SECRET: 'course-2026' })).not.toThrow(/course-2026/);
    expect(() => readCourseSecret(join(work, 'missing'), {})).toThrow(/cannot read --course-secret-file .*missing \(ENOENT\)/);
  });
});

describe('studentRole (grade --role-arn)', () => {
  const env = { LAB_GRADER_COURSE_SECRET: SECRET };

  it("--student derives the student's external id from the course secret", () => {
    expect(studentRole({ roleArn: ROLE, student: 'alice' }, env)).toEqual({ role: { roleArn: ROLE, externalId: studentExternalId(SECRET, 'alice') }, warnings: [] });
  });

  it('an external id given by hand wins; without --student it is course-wide, which is said', () => {
    expect(studentRole({ roleArn: ROLE, student: 'alice', externalId: 'given-id' }, env)).toEqual({ role: { roleArn: ROLE, externalId: 'given-id' }, warnings: [] });
    const courseWide = studentRole({ roleArn: ROLE, externalId: 'course-2026' }, env);
    expect(courseWide.role).toEqual({ roleArn: ROLE, externalId: 'course-2026' });
    expect(courseWide.warnings).toEqual([expect.stringMatching(/one external id for the whole course: any student's role that trusts it can be assumed while grading any other/)]);
  });

  it.each([
    [{ roleArn: ROLE, student: 'alice' }, {}, /derived from the course secret: set LAB_GRADER_COURSE_SECRET or pass --course-secret-file/],
    [{ student: 'alice' }, env, /--student names whose account is read through --role-arn/],
    [{ roleArn: ROLE, courseSecretFile: 'x' }, env, /add --student ID/],
    [{ roleArn: ROLE, student: 'alice', externalId: 'x-1', courseSecretFile: 'x' }, env, /keep one/],
  ])('refuses %o (exit 2)', (flags, environment, message) => {
    expect(() => studentRole(flags, environment)).toThrow(UsageError);
    expect(() => studentRole(flags, environment)).toThrow(message);
  });
});

describe('lab-grader role: the set-up a student is sent', () => {
  const externalId = studentExternalId(SECRET, 'alice');

  it('gives the external id and the one-step deploy with the template parameters', () => {
    const text = roleSetup('alice', externalId, { graderAccount: '111122223333', roleName: 'lab-grader-readonly' });
    expect(text).toContain(`External id: ${externalId}`);
    expect(text).toContain(`--parameter-overrides GraderAccountId=111122223333 ExternalId=${externalId}`);
    expect(text).not.toContain('quickcreate');
  });

  it('adds a CloudFormation quick-create link whose parameters are the template\'s', () => {
    const link = quickCreateUrl('https://example-bucket.s3.amazonaws.com/lab-grader-role.cfn.yaml', 'eu-west-1', { GraderAccountId: '111122223333', ExternalId: externalId });
    const [base, fragment] = link.split('#');
    expect(base).toBe('https://console.aws.amazon.com/cloudformation/home?region=eu-west-1');
    const query = new URLSearchParams(fragment!.split('?')[1]);
    expect(fragment).toMatch(/^\/stacks\/quickcreate\?/);
    expect(Object.fromEntries(query)).toEqual({
      templateURL: 'https://example-bucket.s3.amazonaws.com/lab-grader-role.cfn.yaml',
      stackName: 'lab-grader-role',
      param_GraderAccountId: '111122223333',
      param_ExternalId: externalId,
    });
  });
});
