// The gradebooks of three LMSs, in their own CSV: an LMS's gradebook export read as a roster
// (its identity columns carried through, its grade columns offered as the lab's assignment),
// and the file each one imports as it is. Canvas: `Student, ID, SIS User ID, SIS Login ID,
// Section`, a "Points Possible" row, assignments as `Title (id)`. Blackboard Learn's Grade
// Center: rows keyed by `Username`, columns as `Title [Total Pts: 10 Score] |id`. Moodle: the
// columns are mapped when importing (an email or ID number to the user, a column to the item).
import { fixedTotal, formatPoints, hundredths } from '../report/steps.js';
import { csvLine } from './csv.js';
import type { GradebookRow } from './gradebook.js';

export const LMS_NAMES = ['canvas', 'blackboard', 'moodle'] as const;
export type LmsName = (typeof LMS_NAMES)[number];

/** How the bonus reaches the LMS: added to the lab's score, in a column of its own, or not at all. */
export type BonusMode = 'add' | 'separate' | 'ignore';

/** What a roster that is an LMS's gradebook export says about that LMS. */
export interface LmsExport {
  lms: LmsName;
  /** The export's assignment columns, as headed there (`AWS lab (4321)`): where the lab's score can go. */
  assignments: string[];
}

/** A row of the export, by column name (any case). */
type Cell = (column: string) => string | undefined;

/** What a column of an LMS's export is: who the student is, an assignment, or another of the LMS's own (totals, dates). */
export type LmsColumn = 'identity' | 'assignment' | 'lms';

interface LmsFormat {
  /** The columns that say who the student is, as the LMS heads them: carried to the gradebook and back to the LMS. */
  identity: readonly string[];
  /** Whether a CSV header is this LMS's export. */
  exports(header: readonly string[]): boolean;
  /** Rows of the export that are not a student (Canvas's "Points Possible" row). */
  notAStudent(cells: readonly string[], cell: Cell): boolean;
  /** The LMS's grade and bookkeeping columns (undefined: not the LMS's, such as a column the instructor added). */
  gradeColumn(header: string): 'assignment' | 'lms' | undefined;
  /** The assignment's own title, without what the LMS adds (`AWS lab (4321)` → `AWS lab`). */
  title(header: string): string;
  /** The roster fields the export gives when the roster has no column of its own for them. */
  student(cell: Cell): { id?: string; name?: string; email?: string };
}

/** A roster id from an LMS's user name or email: the letters, digits, dots, dashes and underscores an id may hold. */
function idFrom(value: string | undefined): string | undefined {
  const id = value
    ?.replace(/[^A-Za-z0-9._-]/g, '_')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, 64);
  return id ? id : undefined;
}

const joined = (...parts: (string | undefined)[]): string | undefined => parts.filter(Boolean).join(' ') || undefined;

const has = (header: readonly string[], ...names: string[]): boolean => names.every((name) => header.some((column) => column.trim().toLowerCase() === name.toLowerCase()));

const FORMATS: Record<LmsName, LmsFormat> = {
  canvas: {
    identity: ['Student', 'ID', 'SIS User ID', 'SIS Login ID', 'Integration ID', 'Root Account', 'Section'],
    // As Canvas's importer recognises its header: "Student" first, "ID" second, a "Section" column.
    exports: (header) => (header[0] ?? '').includes('Student') && (header[1] ?? '').trim() === 'ID' && has(header, 'Section'),
    notAStudent: (cells, cell) =>
      (cells[0] ?? '').includes('Points Possible') ||
      cells.every((value) => /^\s*(Muted|Manual Posting.*)?\s*$/i.test(value)) ||
      // Canvas's own test student (Student View), unless the instructor gave it something to grade.
      (/^(Student, Test|Test Student)$/.test(cell('Student') ?? '') && !cell('snapshot') && !cell('roleArn') && !cell('awsProfile')),
    // "Title (id)"; the totals ("Current Score", "Assignments Final Points", "Override Grade"...) are Canvas's own.
    gradeColumn: (header) => (/\s\(\d+\)$/.test(header) ? 'assignment' : /(Current|Final|Override) (Score|Points|Grade|Status)\b/.test(header) ? 'lms' : undefined),
    title: (header) => header.replace(/\s\(\d+\)$/, ''),
    student: (cell) => ({ id: cell('ID'), name: cell('Student') }),
  },
  blackboard: {
    identity: ['Last Name', 'First Name', 'Username', 'Student ID'],
    exports: (header) => has(header, 'Username', 'Last Name', 'First Name'),
    notAStudent: () => false,
    // A Grade Center column with its id; calculated columns ("Total [Total Pts: up to 11 Score] |7") are not assignments.
    gradeColumn: (header) =>
      /\[Total Pts: up to /.test(header) || /^(Last Access|Availability|Child Course ID)$/.test(header.trim())
        ? 'lms'
        : /\[Total Pts:[^\]]*\]|\|\d+$/.test(header)
          ? 'assignment'
          : undefined,
    title: (header) => header.replace(/\s*\[Total Pts:[^\]]*\]\s*\|\d+$/, '').replace(/\s*\|\d+$/, ''),
    student: (cell) => ({ id: idFrom(cell('Username')), name: joined(cell('First Name'), cell('Last Name')) }),
  },
  moodle: {
    identity: ['First name', 'Last name', 'Surname', 'ID number', 'Institution', 'Department', 'Email address', 'Username'],
    exports: (header) => has(header, 'First name', 'Email address'),
    notAStudent: () => false,
    // Grade items are "Assignment: Lab 1 (Real)" (module, name, display type); the course total, feedback and the download date are Moodle's own.
    gradeColumn: (header) =>
      /^(Course total|Feedback:|Last downloaded from this course)/i.test(header.trim())
        ? 'lms'
        : /^[^:]+: .+|\((Real|Percentage|Letter|Range)\)$/.test(header.trim())
          ? 'assignment'
          : undefined,
    title: (header) => header.replace(/^[^:]+:\s*/, '').replace(/\s*\((Real|Percentage|Letter|Range)\)$/, ''),
    student: (cell) => ({
      id: idFrom(cell('Username') ?? cell('Email address')) ?? idFrom(cell('ID number')),
      name: joined(cell('First name'), cell('Last name') ?? cell('Surname')),
      email: cell('Email address'),
    }),
  },
};

/** The LMS whose gradebook export this CSV header is, if any. */
export function lmsOfExport(header: readonly string[]): LmsName | undefined {
  return LMS_NAMES.find((lms) => FORMATS[lms].exports(header));
}

/** How a roster reads one LMS's export: what each column is, which rows to skip, what a row gives. */
export function lmsExportReader(lms: LmsName): Pick<LmsFormat, 'notAStudent' | 'student'> & { column(header: string): LmsColumn | undefined } {
  const format = FORMATS[lms];
  const identity = new Set(format.identity.map((name) => name.toLowerCase()));
  return {
    notAStudent: format.notAStudent,
    student: format.student,
    column: (header) => (identity.has(header.trim().toLowerCase()) ? 'identity' : format.gradeColumn(header)),
  };
}

export interface LmsGradebookOptions {
  lms: LmsName;
  /** The assignment as the LMS names it; default: the export's column with the lab's title, else the lab's title. */
  assignment?: string;
  bonus: BonusMode;
  /** The lab's title, the default name of its assignment. */
  lab: string;
  /** What the assignment is worth: the rubric's points, the same for every profile (as Gradescope and Classroom count them). */
  pointsPossible: number;
  /** The roster, when it is an LMS's export: its assignment columns. */
  export?: LmsExport;
}

export interface LmsGradebook {
  /** `canvas.csv`, `blackboard.csv`, `moodle.csv`. */
  file: string;
  text: string;
  /** The column the scores went to, as headed in the file. */
  column: string;
  /** What a person should know before importing (students the LMS cannot match, a new column). */
  warnings: string[];
}

/** A column of the roster's other columns, any case. */
function extraCell(student: GradebookRow, column: string): string {
  const wanted = column.toLowerCase();
  return Object.entries(student.extra ?? {}).find(([name]) => name.trim().toLowerCase() === wanted)?.[1] ?? '';
}

/** The export's column for this name (as headed, or by its title), or undefined. */
function exportColumn(format: LmsFormat, columns: readonly string[], name: string): string | undefined {
  const wanted = name.trim().toLowerCase();
  return columns.find((column) => column.trim().toLowerCase() === wanted) ?? columns.find((column) => format.title(column).trim().toLowerCase() === wanted);
}

interface Scores {
  lab: string;
  bonus: string;
}

/**
 * The student's points out of the fixed total: 0 when --integrity strict withheld them for a
 * flag that convicts; empty when not graded, or held for review (shared evidence: nothing shows
 * who copied, so the LMS keeps what it has until a person decides).
 */
function scoresOf(student: GradebookRow, bonus: BonusMode): Scores {
  const card = student.scorecard;
  if (!card || card.integrity?.heldForReview) return { lab: '', bonus: '' };
  const withheld = card.integrity?.withheld !== undefined;
  const lab = withheld ? 0 : hundredths(fixedTotal(card).earned);
  const extra = withheld ? 0 : hundredths(card.bonusPoints.earned);
  return { lab: formatPoints((bonus === 'add' ? lab + extra : lab) / 100), bonus: formatPoints(extra / 100) };
}

/** The rows an LMS imports: who (its own identity columns) and the scores. */
function layout(options: LmsGradebookOptions, students: readonly GradebookRow[], columns: { lab: string; bonus?: string }): { lines: string[][]; warnings: string[] } {
  const warnings: string[] = [];
  const scores = students.map((student) => scoresOf(student, options.bonus));
  const scoreCells = (index: number): string[] => (columns.bonus === undefined ? [scores[index]!.lab] : [scores[index]!.lab, scores[index]!.bonus]);
  const header = [columns.lab, ...(columns.bonus === undefined ? [] : [columns.bonus])];
  const possible = [formatPoints(options.pointsPossible), ...(columns.bonus === undefined ? [] : ['0'])];
  switch (options.lms) {
    case 'canvas': {
      const rows = students.map((student, index) => {
        const canvasId = extraCell(student, 'ID');
        return [extraCell(student, 'Student') || student.name || student.student, canvasId, extraCell(student, 'SIS User ID'), extraCell(student, 'SIS Login ID'), extraCell(student, 'Section'), ...scoreCells(index)];
      });
      const byName = rows.filter((row) => !row[1] && !row[2] && !row[3]).map((row) => row[0]!);
      if (byName.length > 0) {
        warnings.push(`${byName.length} student(s) have no Canvas ID, SIS User ID or SIS Login ID, so Canvas can only match them by name (${byName.slice(0, 5).join('; ')}${byName.length > 5 ? '; ...' : ''}): use Canvas's gradebook export as the roster`);
      }
      // The Points Possible row, as Canvas's export has it: what the assignment is worth (the bonus, extra credit, 0).
      return { lines: [['Student', 'ID', 'SIS User ID', 'SIS Login ID', 'Section', ...header], ['Points Possible', '', '', '', '', ...possible], ...rows], warnings };
    }
    case 'blackboard': {
      const fallback: string[] = [];
      const rows = students.map((student, index) => {
        const username = extraCell(student, 'Username');
        if (!username) fallback.push(student.student);
        return [extraCell(student, 'Last Name'), extraCell(student, 'First Name') || (extraCell(student, 'Last Name') ? '' : (student.name ?? '')), username || student.student, extraCell(student, 'Student ID'), ...scoreCells(index)];
      });
      if (fallback.length > 0) {
        warnings.push(`${fallback.length} student(s) have no Blackboard Username in the roster, so their roster id is written as it (${fallback.slice(0, 5).join(', ')}${fallback.length > 5 ? ', ...' : ''}): use the Grade Center's download as the roster`);
      }
      return { lines: [['Last Name', 'First Name', 'Username', 'Student ID', ...header], ...rows], warnings };
    }
    case 'moodle': {
      const unmatched: string[] = [];
      const rows = students.map((student, index) => {
        const email = extraCell(student, 'Email address') || student.email || '';
        const idNumber = extraCell(student, 'ID number');
        if (!email && !idNumber) unmatched.push(student.student);
        const first = extraCell(student, 'First name') || (extraCell(student, 'Last name') ? '' : (student.name ?? student.student));
        return [first, extraCell(student, 'Last name') || extraCell(student, 'Surname'), idNumber, email, ...scoreCells(index)];
      });
      if (unmatched.length > 0) {
        warnings.push(`${unmatched.length} student(s) have neither an email address nor an ID number, which Moodle maps users by (${unmatched.slice(0, 5).join(', ')}${unmatched.length > 5 ? ', ...' : ''})`);
      }
      return { lines: [['First name', 'Last name', 'ID number', 'Email address', ...header], ...rows], warnings };
    }
  }
}

/**
 * The file the LMS imports as it is: its identity columns and the lab's assignment column
 * (the export's own, with its id, when the roster is that LMS's export), and with
 * `--bonus separate` a bonus column. Students who could not be graded have an empty cell.
 */
export function renderLmsGradebook(students: readonly GradebookRow[], options: LmsGradebookOptions): LmsGradebook {
  const format = FORMATS[options.lms];
  const exported = options.export?.lms === options.lms ? options.export.assignments : [];
  const warnings: string[] = [];
  const name = options.assignment ?? options.lab;
  const found = exportColumn(format, exported, name);
  if (!found && exported.length > 0) {
    warnings.push(`the roster's ${options.lms} export has no assignment "${name}", so importing creates one; its assignments: ${exported.join(', ')} (name one with --lms-assignment)`);
  }
  const lab = found ?? name;
  const bonusName = `${format.title(lab)} bonus`;
  const columns = { lab, ...(options.bonus === 'separate' ? { bonus: exportColumn(format, exported, bonusName) ?? bonusName } : {}) };
  const { lines, warnings: rowWarnings } = layout(options, students, columns);
  const notGraded = students.filter((student) => !student.scorecard && !student.notGradedYet).length;
  if (notGraded > 0) warnings.push(`${notGraded} student(s) could not be graded: their cell is empty, so the LMS keeps what it has`);
  const held = students.filter((student) => student.scorecard?.integrity?.heldForReview).length;
  if (held > 0) warnings.push(`${held} student(s) held for review under --integrity strict (shared evidence): their cell is empty, so the LMS keeps what it has until you decide`);
  const notYet = students.filter((student) => student.notGradedYet).length;
  if (notYet > 0) warnings.push(`${notYet} student(s) not graded yet (the batch was interrupted): their cell is empty; resume the batch before importing`);
  // Blackboard asks for every value of a comma-separated file in quotes.
  const text = lines.map((values) => csvLine(values, options.lms === 'blackboard')).join('');
  return { file: `${options.lms}.csv`, text, column: lab, warnings: [...warnings, ...rowWarnings] };
}
