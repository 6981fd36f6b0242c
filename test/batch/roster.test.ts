import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { csvCell, csvLine, parseCsv } from '../../src/batch/csv.js';
import { parseRoster } from '../../src/batch/roster.js';
import { UsageError } from '../../src/errors.js';

const YAML_ROSTER = `# Spring class
defaults:
  region: eu-west-1
students:
  - id: alice
    name: Alice Example
    email: alice@example.com
    snapshot: snapshots/alice.json
  - id: bob
    awsProfile: bob-readonly
    labProfile: academy
  - id: carol
    roleArn: arn:aws:iam::123456789012:role/lab-grader-readonly
    externalId: course-2026
    region: us-east-1
  - id: 1004
    snapshot: /archive/1004.json
`;

function problemsOf(text: string, file = 'class/roster.yaml'): string {
  try {
    parseRoster(text, file);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).exitCode).toBe(2);
    return (error as Error).message;
  }
  throw new Error('expected the roster to be refused');
}

describe('parseRoster (YAML)', () => {
  it('reads every kind of source, applies defaults, and resolves snapshots against the roster folder', () => {
    const roster = parseRoster(YAML_ROSTER, 'class/roster.yaml');
    expect(roster.students).toEqual([
      {
        id: 'alice',
        name: 'Alice Example',
        email: 'alice@example.com',
        source: { kind: 'snapshot', file: 'snapshots/alice.json', path: resolve('class/snapshots/alice.json') },
        line: 5,
      },
      { id: 'bob', source: { kind: 'awsProfile', awsProfile: 'bob-readonly', region: 'eu-west-1' }, labProfile: 'academy', line: 9 },
      {
        id: 'carol',
        source: { kind: 'role', roleArn: 'arn:aws:iam::123456789012:role/lab-grader-readonly', externalId: 'course-2026', region: 'us-east-1' },
        line: 12,
      },
      { id: '1004', source: { kind: 'snapshot', file: '/archive/1004.json', path: '/archive/1004.json' }, line: 16 },
    ]);
  });

  it('accepts a bare list of students, and a default role that a student overrides with a snapshot', () => {
    const roster = parseRoster(
      'defaults:\n  roleArn: arn:aws:iam::123456789012:role/grader\n  externalId: x-2026\nstudents:\n  - id: a\n  - id: b\n    snapshot: b.json\n',
      'r.yaml',
    );
    expect(roster.students.map((student) => student.source.kind)).toEqual(['role', 'snapshot']);
    expect(parseRoster('- id: solo\n  awsProfile: solo\n', 'r.yml').students).toHaveLength(1);
  });

  it.each([
    ['no source', 'students:\n  - id: dave\n', 'class/roster.yaml:2: student "dave": no way to reach the account: give exactly one of snapshot'],
    [
      'two sources',
      'students:\n  - id: dave\n    awsProfile: d\n    snapshot: d.json\n',
      'class/roster.yaml:3: student "dave": snapshot and awsProfile both given',
    ],
    [
      'the ambiguous "profile"',
      'students:\n  - id: dave\n    snapshot: d.json\n    profile: academy\n',
      'class/roster.yaml:4: student "dave": unknown field "profile": write awsProfile for a named AWS credentials profile, or labProfile',
    ],
    ['a bad role ARN', 'students:\n  - id: e\n    roleArn: arn:aws:iam::12:user/x\n', 'class/roster.yaml:3: student "e": roleArn: not an IAM role ARN'],
    ['externalId without a role', 'students:\n  - id: e\n    awsProfile: e\n    externalId: abc\n', 'class/roster.yaml:4: student "e": externalId only applies with roleArn'],
    ['an id that is not a folder name', 'students:\n  - id: ../etc\n    snapshot: x.json\n', 'class/roster.yaml:2: student "../etc": id: use 1-64 letters'],
    ['a duplicate id', 'students:\n  - id: f\n    snapshot: 1.json\n  - id: f\n    snapshot: 2.json\n', 'class/roster.yaml:4: student "f": the id is already used on line 2'],
    ['a missing id', 'students:\n  - snapshot: 1.json\n', 'class/roster.yaml:2: students[0]: id: every student needs an id'],
    ['broken YAML', 'students:\n  - id: [a\n', 'class/roster.yaml:'],
    ['no students', 'students: []\n', 'the roster lists no students'],
    ['an unknown top-level key', 'studnets:\n  - id: a\n', 'class/roster.yaml:1: unknown top-level key "studnets"'],
  ])('refuses %s, naming file:line and the fix', (_case, text, message) => {
    expect(problemsOf(text)).toContain(message);
  });

  it('lists every problem at once', () => {
    const message = problemsOf('students:\n  - id: a\n  - id: b\n    email: nope\n    snapshot: b.json\n');
    expect(message).toMatch(/^The roster has 2 problems; fix and run again:\n/);
    expect(message).toContain('class/roster.yaml:4: student "b": email: not an email address');
  });
});

describe('external ids: one per student, or one for the course said as such', () => {
  const role = (account: string) => `arn:aws:iam::${account}:role/lab-grader-readonly`;

  it("refuses a student's own externalId that a classmate has too, naming both lines (exit 2)", () => {
    const csv = `id,roleArn,externalId\nalice,${role('210987654321')},course-2026\nbob,${role('310987654321')},course-2026\n`;
    expect(problemsOf(csv, 'class/roster.csv')).toContain(
      'class/roster.csv:3: student "bob": externalId is also student "alice"\'s (line 2); one student\'s external id must trust only their own role',
    );
  });

  it('marks a default externalId as course-wide (warned about by batch), and accepts students without one (derived from the course secret)', () => {
    const roster = parseRoster(
      `defaults:\n  externalId: course-2026\nstudents:\n  - id: alice\n    roleArn: ${role('210987654321')}\n  - id: bob\n    roleArn: ${role('310987654321')}\n`,
      'r.yaml',
    );
    expect(roster.students.map((student) => student.source)).toEqual([
      { kind: 'role', roleArn: role('210987654321'), externalId: 'course-2026', courseWide: true },
      { kind: 'role', roleArn: role('310987654321'), externalId: 'course-2026', courseWide: true },
    ]);
    const derived = parseRoster(`id,roleArn\nalice,${role('210987654321')}\n`, 'r.csv');
    expect(derived.students[0]!.source).toEqual({ kind: 'role', roleArn: role('210987654321') });
  });
});

describe('parseRoster (CSV)', () => {
  it('reads a header with loose spellings, quoted cells and blank cells', () => {
    const roster = parseRoster(
      'ID,Name,aws_profile,Role ARN,external-id,snapshot\r\nalice,"Example, Alice",,,,snaps/alice.json\r\n\r\nbob,Bob,,arn:aws:iam::123456789012:role/grader,ext-1,\r\n',
      'class/roster.csv',
    );
    expect(roster.students.map((student) => [student.id, student.name, student.source.kind, student.line])).toEqual([
      ['alice', 'Example, Alice', 'snapshot', 2],
      ['bob', 'Bob', 'role', 4],
    ]);
  });

  it('names the line of a bad row and of a missing header', () => {
    expect(problemsOf('id,snapshot\na,a.json\nb,\n', 'r.csv')).toContain('r.csv:3: student "b": no way to reach the account');
    expect(problemsOf('name,snapshot\nAlice,a.json\n', 'r.csv')).toContain('r.csv:1: the first line must name the columns, including id');
    expect(problemsOf('id,snapshot\na,"unclosed\n', 'r.csv')).toBe('r.csv:2: a quoted cell is never closed (a " is missing)');
  });
});

describe('roster columns for verification, step 6.2 and the gradebook', () => {
  it('reads the account, a submission folder relative to the roster, and passes unknown CSV columns through', () => {
    const roster = parseRoster(
      'id,email,account,submission,snapshot,SIS id,Section\nalice,alice@example.com,012345678901,work/alice,snaps/alice.json,S-1001,\n',
      'class/roster.csv',
    );
    const [alice] = roster.students;
    expect(alice).toMatchObject({
      id: 'alice',
      email: 'alice@example.com',
      account: '012345678901',
      submission: { folder: 'work/alice', path: resolve('class/work/alice') },
      // Empty extra cells still give the column, so every gradebook row has it.
      extra: { 'SIS id': 'S-1001', Section: '' },
    });
  });

  it('takes extra columns in YAML as a map, and refuses an account that is not 12 digits', () => {
    const roster = parseRoster('students:\n  - id: bob\n    snapshot: b.json\n    account: "210987654321"\n    extra: { sisId: 12345 }\n', 'r.yaml');
    expect(roster.students[0]).toMatchObject({ account: '210987654321', extra: { sisId: '12345' } });
    expect(problemsOf('students:\n  - id: bob\n    snapshot: b.json\n    account: 12345\n', 'r.yaml')).toContain(
      'r.yaml:4: student "bob": account: an AWS account id is 12 digits',
    );
  });

  it('refuses a CSV column named twice, and still refuses the ambiguous "profile"', () => {
    expect(problemsOf('id,snapshot,Snapshot\na,a.json,b.json\n', 'r.csv')).toBe('r.csv:1: the column "snapshot" is named twice: rename or remove one');
    expect(problemsOf('id,snapshot,profile\na,a.json,academy\n', 'r.csv')).toContain('unknown field "profile"');
  });
});

describe('CSV cells', () => {
  it('parses quotes, doubled quotes and line breaks inside quotes, with the starting line of each record', () => {
    expect(parseCsv('a,"b ""q"", c"\n"multi\nline",x\n')).toEqual([
      { line: 1, cells: ['a', 'b "q", c'] },
      { line: 2, cells: ['multi\nline', 'x'] },
    ]);
  });

  it('quotes per RFC 4180, keeps every cell on one line and makes formulas inert', () => {
    expect(csvLine(['plain', 'with,comma', 'say "hi"', 'two\nlines\u2028here', 0.25, undefined])).toBe(
      'plain,"with,comma","say ""hi""",two\\nlines\\u2028here,0.25,\r\n',
    );
    expect(['=1+1', '+cmd', '-2', '@SUM(A1)', '\tx'].map(csvCell)).toEqual(["'=1+1", "'+cmd", "'-2", "'@SUM(A1)", "'\tx"]);
    // Points, ids, times and versions go through as they are; a dash only starts a formula.
    expect(['0.25', 's00001', '2026-12-06T10:00:00.000Z', '0.2.0', 'a-b', '_x', '.5', ':x', '-0.25', 'a b', 'x\ny'].map(csvCell)).toEqual([
      '0.25',
      's00001',
      '2026-12-06T10:00:00.000Z',
      '0.2.0',
      'a-b',
      '_x',
      '.5',
      ':x',
      "'-0.25",
      'a b',
      'x\\ny',
    ]);
    expect(csvCell('=HYPERLINK("http://example.com")')).toBe(`"'=HYPERLINK(""http://example.com"")"`);
  });

  it('round-trips what it writes, a line break as the characters \\r\\n', () => {
    const row = ['x,y', 'a "b"', 'c\r\nd', '=e'];
    expect(parseCsv(csvLine(row))[0]?.cells).toEqual(['x,y', 'a "b"', 'c\\r\\nd', "'=e"]);
  });
});
