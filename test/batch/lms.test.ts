// An LMS's own gradebook export as the roster, and the file `batch --lms` writes, read back the
// way each LMS's importer reads it: Canvas (its GradebookImporter's rules: "Student" and "ID"
// first, the SIS columns, "Section" last, a "Points Possible" row, assignments as `Title (id)`),
// Blackboard Learn (rows keyed by Username, columns by `|id`), Moodle (columns mapped at import).
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/batch/csv.js';
import type { GradebookRow } from '../../src/batch/gradebook.js';
import { renderLmsGradebook, type LmsGradebookOptions } from '../../src/batch/lms.js';
import { parseRoster } from '../../src/batch/roster.js';
import { runBatch } from '../../src/batch/runner.js';
import { withIntegrity } from '../../src/integrity/apply.js';
import { loadRubric } from '../../src/rubric/load.js';
import { cli } from '../support/cli.js';
import { completeLabWith, example } from '../support/fixtures.js';
import { scorecard } from '../report/support.js';
import { readGradebook } from './support.js';

const rubric = loadRubric(fileURLToPath(new URL('../../rubric.yaml', import.meta.url)), 'rubric.yaml');

// As each LMS exports its gradebook, with the instructor's `snapshot` column added at the end.
const CANVAS_EXPORT = [
  'Student,ID,SIS User ID,SIS Login ID,Section,AWS MLOps lab (4321),Quiz 1 (4322),Assignments Current Score,Current Score,Unposted Current Score,Final Score,snapshot',
  '    Points Possible,,,,,10.00,5.00,(read only),(read only),(read only),(read only),',
  '"Example, Alice",1001,S-1001,alice,Section A,,4.00,80.00,80.00,80.00,80.00,snapshots/alice.json',
  '"Example, Bob",1002,S-1002,bob,Section A,,3.00,60.00,60.00,60.00,60.00,snapshots/bob.json',
  '"Student, Test",1003,,,Section A,,,,,,,',
].join('\n');

const BLACKBOARD_EXPORT = [
  '"Last Name","First Name","Username","Student ID","Last Access","Availability","AWS lab [Total Pts: 10 Score] |80001","Total [Total Pts: up to 10 Score] |80003","snapshot"',
  '"Example","Alice","alice01","S-1001","2026-11-20 10:00:00","Yes","","","snapshots/alice.json"',
  '"Example","Bob","bob@example.edu","S-1002","2026-11-20 10:00:00","Yes","","","snapshots/bob.json"',
].join('\n');

const MOODLE_EXPORT = [
  '"First name","Last name","ID number",Institution,Department,"Email address","Assignment: AWS lab (Real)","Course total (Real)","Last downloaded from this course",snapshot',
  'Alice,Example,S-1001,,,alice@example.com,-,-,1763632800,snapshots/alice.json',
  'Bob,Example,S-1002,,,bob@example.com,-,-,1763632800,snapshots/bob.json',
].join('\n');

/** The class's snapshots: alice the complete lab, bob the complete lab without its NAT gateway. */
async function writeSnapshots(dir: string): Promise<void> {
  await mkdir(join(dir, 'snapshots'), { recursive: true });
  await writeFile(join(dir, 'snapshots/alice.json'), JSON.stringify(example('complete-lab')));
  const bob = completeLabWith((snapshot) => {
    snapshot.facts.natGateways = { ok: true, data: [] };
    snapshot.facts.alarms = { ok: true, data: [] };
  });
  await writeFile(join(dir, 'snapshots/bob.json'), JSON.stringify(bob));
}

const table = (text: string): string[][] => parseCsv(text).map((record) => record.cells);

/** A Canvas import file read as Canvas's GradebookImporter reads it: student id → assignment id → grade. */
function asCanvas(text: string): { pointsPossible: Record<string, string>; grades: Record<string, Record<string, string>> } {
  const [header, ...rows] = table(text);
  expect(header![0]).toContain('Student');
  expect(header![1]).toContain('ID');
  // Three columns of names and ids, then SIS User ID and SIS Login ID, then Section, the last student column.
  expect(header!.slice(2, 5)).toEqual(['SIS User ID', 'SIS Login ID', 'Section']);
  const assignments = header!.slice(5).map((column) => /^(.*)\s\((\d+)\)$/.exec(column)?.[2] ?? `new: ${column}`);
  const pointsPossible: Record<string, string> = {};
  const grades: Record<string, Record<string, string>> = {};
  for (const row of rows) {
    if (row[0]!.includes('Points Possible')) {
      assignments.forEach((assignment, index) => (pointsPossible[assignment] = row[5 + index]!));
      continue;
    }
    grades[row[1] || row[2] || row[3] || row[0]!] = Object.fromEntries(assignments.map((assignment, index) => [assignment, row[5 + index]!]));
  }
  return { pointsPossible, grades };
}

/** A Blackboard upload read as the Grade Center reads it: every value quoted, Username → column id → grade. */
function asBlackboard(text: string): Record<string, Record<string, string>> {
  for (const line of text.split('\r\n').filter(Boolean)) expect(line).toMatch(/^"(?:[^"]|"")*"(?:,"(?:[^"]|"")*")*$/);
  const [header, ...rows] = table(text);
  const username = header!.indexOf('Username');
  expect(username).toBeGreaterThanOrEqual(0);
  const columns = header!.map((column) => /\|(\d+)$/.exec(column)?.[1] ?? (['Last Name', 'First Name', 'Username', 'Student ID'].includes(column) ? undefined : `new: ${column}`));
  return Object.fromEntries(rows.map((row) => [row[username]!, Object.fromEntries(columns.flatMap((column, index) => (column ? [[column, row[index]!]] : [])))]));
}

/** A Moodle import mapped as its form offers: "Email address" to the user's email, a column to the grade item. */
function asMoodle(text: string, item: string): Record<string, string> {
  const [header, ...rows] = table(text);
  const email = header!.indexOf('Email address');
  const column = header!.indexOf(item);
  expect([email, column].every((index) => index >= 0)).toBe(true);
  return Object.fromEntries(rows.map((row) => [row[email]!, row[column]!]));
}

describe('an LMS gradebook export as the roster, and the file batch --lms writes', { timeout: 60_000 }, () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lab-grader-lms-'));
    await writeSnapshots(dir);
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function batch(name: string, text: string, lms: 'canvas' | 'blackboard' | 'moodle', assignment: string, bonus: 'add' | 'separate' | 'ignore' = 'add') {
    const file = join(dir, name);
    await writeFile(file, text);
    const roster = parseRoster(text, file);
    const out = join(dir, `out-${name}`);
    const result = await runBatch({ roster, rubric, rubricFile: 'rubric.yaml', outDir: out, concurrency: 2, force: true, formats: [], lms: { lms, assignment, bonus } });
    return { roster, result, written: await readFile(result.lms!.file, 'utf8'), gradebook: readGradebook(await readFile(result.gradebook, 'utf8')) };
  }

  it('Canvas: skips the Points Possible row and the test student, carries the ids, and writes the scores into the assignment by its id', async () => {
    const { roster, result, written, gradebook } = await batch('canvas.csv', CANVAS_EXPORT, 'canvas', 'AWS MLOps lab');
    expect(roster.students.map((student) => [student.id, student.name, student.line])).toEqual([
      ['1001', 'Example, Alice', 3],
      ['1002', 'Example, Bob', 4],
    ]);
    expect(roster.export).toEqual({ lms: 'canvas', assignments: ['AWS MLOps lab (4321)', 'Quiz 1 (4322)'] });
    expect(result.outcomes.map((outcome) => outcome.status)).toEqual(['ok', 'ok']);
    // The gradebook carries Canvas's identity columns, not its grades.
    expect(gradebook.header.slice(0, 8)).toEqual(['student', 'name', 'email', 'Student', 'ID', 'SIS User ID', 'SIS Login ID', 'Section']);
    expect(gradebook.header).not.toContain('Current Score');
    expect(result.lms).toEqual({ file: join(dir, 'out-canvas.csv', 'canvas.csv'), column: 'AWS MLOps lab (4321)', warnings: [] });
    expect(table(written)[0]).toEqual(['Student', 'ID', 'SIS User ID', 'SIS Login ID', 'Section', 'AWS MLOps lab (4321)']);
    // The complete lab: 9.30 (2.3's review and 6.2's script wait for a person) and the bonus, added.
    expect(asCanvas(written)).toEqual({ pointsPossible: { '4321': '10.00' }, grades: { '1001': { '4321': '10.30' }, '1002': { '4321': '9.05' } } });
  });

  it('Blackboard: rows keyed by the Username, the column by its Grade Center id, every value quoted', async () => {
    const { roster, written, result } = await batch('blackboard.csv', BLACKBOARD_EXPORT, 'blackboard', 'AWS lab');
    expect(roster.students.map((student) => student.id)).toEqual(['alice01', 'bob_example.edu']);
    expect(roster.export).toEqual({ lms: 'blackboard', assignments: ['AWS lab [Total Pts: 10 Score] |80001'] });
    expect(result.lms?.column).toBe('AWS lab [Total Pts: 10 Score] |80001');
    expect(table(written)[0]).toEqual(['Last Name', 'First Name', 'Username', 'Student ID', 'AWS lab [Total Pts: 10 Score] |80001']);
    expect(asBlackboard(written)).toEqual({ alice01: { '80001': '10.30' }, 'bob@example.edu': { '80001': '9.05' } });
  });

  it('Moodle: the email and ID number to map users by, the grade item column as exported', async () => {
    const { roster, written } = await batch('moodle.csv', MOODLE_EXPORT, 'moodle', 'AWS lab', 'separate');
    expect(roster.students.map((student) => [student.id, student.name, student.email])).toEqual([
      ['alice_example.com', 'Alice Example', 'alice@example.com'],
      ['bob_example.com', 'Bob Example', 'bob@example.com'],
    ]);
    expect(table(written)[0]).toEqual(['First name', 'Last name', 'ID number', 'Email address', 'Assignment: AWS lab (Real)', 'AWS lab bonus']);
    expect(asMoodle(written, 'Assignment: AWS lab (Real)')).toEqual({ 'alice@example.com': '9.30', 'bob@example.com': '9.05' });
    expect(asMoodle(written, 'AWS lab bonus')).toEqual({ 'alice@example.com': '1.00', 'bob@example.com': '0.00' });
  });

  it('a Canvas row with nothing to grade is still refused with its line', () => {
    const text = `${CANVAS_EXPORT.split('\n').slice(0, 3).join('\n')}\n"Example, Carol",1004,S-1004,carol,Section A,,,,,,,`;
    expect(() => parseRoster(text, 'canvas.csv')).toThrow(/canvas\.csv:4: student "1004": no way to reach the account/);
  });
});

describe('renderLmsGradebook', () => {
  const base: LmsGradebookOptions = { lms: 'canvas', bonus: 'add', lab: 'Introduction to Cloud Computing for MLOps', pointsPossible: 10 };
  const rows: GradebookRow[] = [
    { student: 'alice', name: 'Alice Example', extra: { ID: '1001', 'SIS Login ID': 'alice' }, scorecard: scorecard('complete') },
    { student: 'bob', name: 'Bob Example', extra: { ID: '1002' }, scorecard: withIntegrity(scorecard('complete'), [{ kind: 'bundled-example', summary: 'the example', evidence: [] }], 'strict') },
    { student: 'carol', name: 'Carol Example', error: 'cannot read the snapshot' },
    // The academy profile: out of the same 10 points, the steps it makes not applicable counted as earned.
    { student: 'dave', name: 'Dave Example', extra: { ID: '1004' }, scorecard: scorecard('mixed') },
    // Shared evidence alone under strict: held for review, not 0.
    { student: 'erin', name: 'Erin Example', extra: { ID: '1005' }, scorecard: withIntegrity(scorecard('complete'), [{ kind: 'shared-evidence', summary: 'the same evidence as fred', evidence: [], students: ['fred'] }], 'strict') },
  ];
  const column = (options: Partial<LmsGradebookOptions>, index: number): string[] => table(renderLmsGradebook(rows, { ...base, ...options }).text).slice(2).map((row) => row[index]!);

  it('adds the bonus by default, or writes it apart, or leaves it out', () => {
    expect(column({}, 5)).toEqual(['10.50', '0.00', '', '8.29', '']);
    expect(column({ bonus: 'separate' }, 5)).toEqual(['9.50', '0.00', '', '8.29', '']);
    expect(column({ bonus: 'separate' }, 6)).toEqual(['1.00', '0.00', '', '0.00', '']);
    expect(column({ bonus: 'ignore' }, 5)).toEqual(['9.50', '0.00', '', '8.29', '']);
    const separate = table(renderLmsGradebook(rows, { ...base, bonus: 'separate' }).text);
    expect(separate[0]!.slice(5)).toEqual(['Introduction to Cloud Computing for MLOps', 'Introduction to Cloud Computing for MLOps bonus']);
    // The bonus is extra credit: Canvas counts an assignment worth 0 points so.
    expect(separate[1]!.slice(5)).toEqual(['10.00', '0']);
  });

  it('says what the LMS cannot match, and who has an empty cell', () => {
    const { warnings, column: written } = renderLmsGradebook(rows, { ...base, export: { lms: 'canvas', assignments: ['Quiz 1 (4322)'] } });
    expect(written).toBe('Introduction to Cloud Computing for MLOps');
    expect(warnings).toEqual([
      'the roster\'s canvas export has no assignment "Introduction to Cloud Computing for MLOps", so importing creates one; its assignments: Quiz 1 (4322) (name one with --lms-assignment)',
      '1 student(s) could not be graded: their cell is empty, so the LMS keeps what it has',
      '1 student(s) held for review under --integrity strict (shared evidence): their cell is empty, so the LMS keeps what it has until you decide',
      '1 student(s) have no Canvas ID, SIS User ID or SIS Login ID, so Canvas can only match them by name (Carol Example): use Canvas\'s gradebook export as the roster',
    ]);
    expect(renderLmsGradebook(rows, { ...base, lms: 'blackboard' }).warnings).toContain(
      '5 student(s) have no Blackboard Username in the roster, so their roster id is written as it (alice, bob, carol, dave, erin): use the Grade Center\'s download as the roster',
    );
  });

  it('keeps a formula-looking name inert', () => {
    const text = renderLmsGradebook([{ student: 'eve', name: '=HYPERLINK("http://example.com")', scorecard: scorecard('complete') }], { ...base, lms: 'moodle' }).text;
    expect(table(text)[1]![0]).toBe('\'=HYPERLINK("http://example.com")');
  });
});

describe('lab-grader batch --lms', () => {
  it('refuses --bonus or --lms-assignment without --lms (exit 2)', async () => {
    const run = await cli(['batch', 'roster.csv', '--bonus', 'separate']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('lab-grader: --bonus applies to the file --lms writes: add --lms canvas, blackboard or moodle.\n');
    const unknown = await cli(['batch', 'roster.csv', '--lms', 'sakai']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Allowed choices are canvas, blackboard, moodle');
  });

  it('writes the import file beside gradebook.csv and names it, with its column', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lab-grader-lms-cli-'));
    try {
      await writeSnapshots(dir);
      await writeFile(join(dir, 'canvas-export.csv'), CANVAS_EXPORT);
      const run = await cli(['batch', join(dir, 'canvas-export.csv'), '--out', join(dir, 'class'), '--lms', 'canvas', '--lms-assignment', 'AWS MLOps lab (4321)', '--format', 'json']);
      // Everyone graded; the bundled example and a copy of it are flagged, which exits 5.
      expect(run.code, run.stderr).toBe(5);
      expect(run.stderr).toContain(`canvas import file: ${join(dir, 'class', 'canvas.csv')} (column "AWS MLOps lab (4321)")`);
      expect(asCanvas(await readFile(join(dir, 'class', 'canvas.csv'), 'utf8')).grades['1001']).toEqual({ '4321': '10.30' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
