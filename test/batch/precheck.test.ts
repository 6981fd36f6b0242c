// The roster checked before anything is graded: every way a roster could grade one student on
// another's account or evidence stops with exit 2, naming both lines.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkRoster } from '../../src/batch/precheck.js';
import { parseRoster } from '../../src/batch/roster.js';
import { UsageError } from '../../src/errors.js';

const work = mkdtempSync(join(tmpdir(), 'lab-grader-precheck-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const folder = join(work, 'class');
mkdirSync(folder);
writeFileSync(join(folder, 'alice.json'), '{}');
writeFileSync(join(folder, 'bob.json'), '{}');
writeFileSync(join(work, 'elsewhere.json'), '{}');
symlinkSync(join(folder, 'alice.json'), join(folder, 'link.json'));

const role = (account: string, name = 'lab-grader-readonly') => `arn:aws:iam::${account}:role/${name}`;
const file = join(folder, 'roster.csv');

function problems(csv: string, options: Parameters<typeof checkRoster>[1] = {}): string {
  try {
    checkRoster(parseRoster(csv, file), options);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).exitCode).toBe(2);
    return (error as Error).message;
  }
  return '';
}

describe('checkRoster', () => {
  it('accepts a roster where every student has their own account, role and file', () => {
    expect(problems(`id,roleArn,account,snapshot\nalice,${role('210987654321')},210987654321,\nbob,,310987654321,bob.json\ncarol,,,alice.json\n`, { graderAccount: '111122223333' })).toBe('');
  });

  it.each([
    ['the same role for two students', `id,roleArn\nalice,${role('210987654321')}\nbob,${role('210987654321')}\n`, `roster.csv:3: student "bob": roleArn ${role('210987654321')} is also student "alice"'s (line 2)`],
    ['the same account for two students', 'id,account,snapshot\nalice,210987654321,alice.json\nbob,210987654321,bob.json\n', 'roster.csv:3: student "bob": account 210987654321 is also student "alice"\'s (line 2)'],
    [
      'two roles in one account',
      `id,roleArn\nalice,${role('210987654321')}\nbob,${role('210987654321', 'other-role')}\n`,
      'roster.csv:3: student "bob": account 210987654321 is also student "alice"\'s (line 2)',
    ],
    ['the same snapshot through a symbolic link', 'id,snapshot\nalice,alice.json\nbob,link.json\n', 'roster.csv:3: student "bob": snapshot link.json is also student "alice"\'s (line 2)'],
    ['the same snapshot by two paths', 'id,snapshot\nalice,alice.json\nbob,./sub/../alice.json\n', 'roster.csv:3: student "bob": snapshot ./sub/../alice.json is also student "alice"\'s (line 2)'],
    ['the same awsProfile for two students', 'id,awsProfile\nalice,shared\nbob,shared\n', 'roster.csv:3: student "bob": awsProfile shared is also student "alice"\'s (line 2)'],
  ])('refuses %s, naming both lines', (_, csv, message) => {
    const text = problems(csv);
    expect(text).toMatch(/^The roster would grade a student on what is not theirs; nobody was graded/);
    expect(text).toContain(`${file.replace(/roster\.csv$/, '')}${message}`);
  });

  it("refuses a role whose account is not the roster's account for the student", () => {
    expect(problems(`id,roleArn,account\nalice,${role('210987654321')},310987654321\n`)).toContain(
      `roster.csv:2: student "alice": roleArn ${role('210987654321')} is in account 210987654321, not the student's account 310987654321`,
    );
  });

  it("refuses a role in the grading credentials' own account, unless --allow-own-account", () => {
    const csv = `id,roleArn\nalice,${role('111122223333')}\n`;
    expect(problems(csv, { graderAccount: '111122223333' })).toContain('is in account 111122223333, the account of the credentials you grade with');
    expect(problems(csv, { graderAccount: '111122223333', allowOwnAccount: true })).toBe('');
  });

  it("refuses a snapshot path that is a symbolic link or leads outside the roster's folder", () => {
    expect(problems('id,snapshot\nbob,link.json\n')).toContain(`roster.csv:2: student "bob": snapshot link.json is a symbolic link (to ${join(folder, 'alice.json')})`);
    expect(problems(`id,snapshot\nbob,../elsewhere.json\n`)).toContain(`roster.csv:2: student "bob": snapshot ../elsewhere.json leads outside the roster's folder ${folder}`);
    expect(problems(`id,snapshot\nbob,${join(work, 'elsewhere.json')}\n`)).toContain('leads outside the roster\'s folder');
  });

  it('leaves a missing snapshot file to that student (graded as their error, the others go on)', () => {
    expect(problems('id,snapshot\nbob,missing.json\n')).toBe('');
  });
});
