// The class roster: who to grade and how to reach each account (a named AWS profile, a
// role to assume, or a saved snapshot). YAML or CSV; every error names file:line and the fix.
import { dirname, extname, resolve } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node as YamlNode } from 'yaml';
import * as z from 'zod';
import { EXTERNAL_ID, REGION, ROLE_ARN } from '../role-names.js';
import { UsageError } from '../errors.js';
import { assertShallow, INPUT_LIMITS, readLimitedSync } from '../limits.js';
import { parseCsv } from './csv.js';
import { lmsExportReader, lmsOfExport, type LmsExport } from './lms.js';

export type StudentSource =
  | { kind: 'snapshot'; /** As written in the roster. */ file: string; /** Resolved against the roster's folder. */ path: string }
  | { kind: 'awsProfile'; awsProfile: string; region?: string }
  | {
      kind: 'role';
      roleArn: string;
      externalId?: string;
      /** The externalId came from the roster's defaults: one id for the whole course. */
      courseWide?: true;
      region?: string;
    };

export interface Student {
  /** Names the student's folder and gradebook row. */
  id: string;
  name?: string;
  email?: string;
  source: StudentSource;
  /** The rubric profile (`own-account`, `academy`); the rubric's default when absent. */
  labProfile?: string;
  /** The student's 12-digit AWS account: a snapshot from any other is flagged. */
  account?: string;
  /** The student's project folder for step 6.2, as `grade --submission` takes it. */
  submission?: { /** As written in the roster. */ folder: string; /** Resolved against the roster's folder. */ path: string };
  /** Columns the grader does not use (an LMS or SIS id...), passed through to the gradebook in roster order. */
  extra?: Record<string, string>;
  /** Line of the roster where the student is written. */
  line: number;
}

export interface Roster {
  file: string;
  students: Student[];
  /** When the roster is an LMS's gradebook export (Canvas, Blackboard, Moodle): which, and its assignment columns. */
  export?: LmsExport;
}

const FIELDS = ['id', 'name', 'email', 'awsProfile', 'roleArn', 'externalId', 'region', 'snapshot', 'labProfile', 'account', 'submission', 'extra'] as const;
type Field = (typeof FIELDS)[number];

const optionalText = z.string().trim().min(1).optional();

const entrySchema = z
  .object({
    id: z
      .string({ error: 'every student needs an id' })
      // An email is an id too, so a class graded on Gradescope (which knows students by email) derives the same external ids.
      .regex(/^[A-Za-z0-9][A-Za-z0-9._@+-]{0,63}$/, 'use 1-64 letters, digits, dots, dashes, underscores, @ or +, starting with a letter or digit (it names the student\'s folder)'),
    name: optionalText,
    email: z.email('not an email address').optional(),
    awsProfile: optionalText,
    roleArn: z
      .string()
      .regex(ROLE_ARN, 'not an IAM role ARN (arn:aws:iam::123456789012:role/NAME)')
      .optional(),
    externalId: z.string().regex(EXTERNAL_ID, 'an external id is 2-1224 letters, digits or +=,.@:/-').optional(),
    region: z.string().regex(REGION, 'not an AWS region such as eu-west-1').optional(),
    snapshot: optionalText,
    labProfile: optionalText,
    account: z.string().regex(/^\d{12}$/, 'an AWS account id is 12 digits (quote it in YAML so a leading 0 is kept)').optional(),
    submission: optionalText,
    extra: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String), 'extra is a map of column names to values (e.g. sisId: 12345)').optional(),
  })
  .strict();

type Entry = z.infer<typeof entrySchema>;

const SOURCE_FIX =
  'give exactly one of snapshot (a saved snapshot file), awsProfile (a named AWS profile) or roleArn (a role to assume, with externalId if the role requires one)';

function sourceProblems(entry: Entry): { field: Field; message: string }[] {
  const sources = (['snapshot', 'awsProfile', 'roleArn'] as const).filter((field) => entry[field] !== undefined);
  if (sources.length === 0) return [{ field: 'id', message: `no way to reach the account: ${SOURCE_FIX}` }];
  if (sources.length > 1) return [{ field: sources[1]!, message: `${sources.join(' and ')} both given: ${SOURCE_FIX}` }];
  if (entry.externalId !== undefined && entry.roleArn === undefined) {
    return [{ field: 'externalId', message: 'externalId only applies with roleArn: add the role to assume or drop externalId' }];
  }
  return [];
}

function toStudent(entry: Entry, line: number, rosterDir: string, inherited: ReadonlySet<string>): Student {
  const region = entry.region === undefined ? {} : { region: entry.region };
  const source: StudentSource =
    entry.snapshot !== undefined
      ? { kind: 'snapshot', file: entry.snapshot, path: resolve(rosterDir, entry.snapshot) }
      : entry.awsProfile !== undefined
        ? { kind: 'awsProfile', awsProfile: entry.awsProfile, ...region }
        : {
            kind: 'role',
            roleArn: entry.roleArn!,
            ...(entry.externalId === undefined ? {} : { externalId: entry.externalId, ...(inherited.has('externalId') ? { courseWide: true as const } : {}) }),
            ...region,
          };
  return {
    id: entry.id,
    ...(entry.name === undefined ? {} : { name: entry.name }),
    ...(entry.email === undefined ? {} : { email: entry.email }),
    source,
    ...(entry.labProfile === undefined ? {} : { labProfile: entry.labProfile }),
    ...(entry.account === undefined ? {} : { account: entry.account }),
    ...(entry.submission === undefined ? {} : { submission: { folder: entry.submission, path: resolve(rosterDir, entry.submission) } }),
    ...(entry.extra === undefined || Object.keys(entry.extra).length === 0 ? {} : { extra: entry.extra }),
    line,
  };
}

function unknownKeyMessage(key: string): string {
  if (key === 'profile') {
    return 'unknown field "profile": write awsProfile for a named AWS credentials profile, or labProfile for the rubric profile (own-account, academy)';
  }
  return `unknown field "${key}": a student has ${FIELDS.join(', ')}`;
}

interface RawEntry {
  values: Record<string, unknown>;
  /** Line of the entry, and of each field where known. */
  line: number;
  lineOf(field: string): number;
  label: string;
  /** Fields the entry took from the roster's defaults. */
  inherited?: ReadonlySet<string>;
}

function validate(file: string, raws: RawEntry[]): Roster {
  const rosterDir = dirname(resolve(file));
  const problems: { line: number; text: string }[] = [];
  const students: Student[] = [];
  const seen = new Map<string, { line: number; id: string }>();
  // A student's own external id is theirs alone: shared, a role made for one would serve both.
  const externalIds = new Map<string, { line: number; id: string }>();
  for (const raw of raws) {
    const parsed = entrySchema.safeParse(raw.values);
    const who = typeof raw.values.id === 'string' && raw.values.id ? `student "${raw.values.id}"` : raw.label;
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        if (issue.code === 'unrecognized_keys') {
          for (const key of issue.keys) problems.push({ line: raw.lineOf(key), text: `${who}: ${unknownKeyMessage(key)}` });
        } else {
          const field = String(issue.path[0] ?? 'id');
          problems.push({ line: raw.lineOf(field), text: `${who}: ${field}: ${issue.message.replace(/^Invalid input: /, '')}` });
        }
      }
      continue;
    }
    const sourceIssues = sourceProblems(parsed.data);
    for (const problem of sourceIssues) problems.push({ line: raw.lineOf(problem.field), text: `${who}: ${problem.message}` });
    if (sourceIssues.length > 0) continue;
    // Folders on macOS and Windows ignore case, so `alice` and `Alice` would share one.
    const folded = parsed.data.id.toLowerCase();
    const first = seen.get(folded);
    if (first !== undefined) {
      problems.push({
        line: raw.lineOf('id'),
        text: `${who}: the id is already used on line ${first.line}${first.id === parsed.data.id ? '' : ` as "${first.id}"`}; ids name folders and must be unique, ignoring case`,
      });
      continue;
    }
    seen.set(folded, { line: raw.line, id: parsed.data.id });
    const { externalId } = parsed.data;
    if (externalId !== undefined && parsed.data.roleArn !== undefined && !raw.inherited?.has('externalId')) {
      const other = externalIds.get(externalId);
      if (other !== undefined) {
        problems.push({
          line: raw.lineOf('externalId'),
          text: `${who}: externalId is also student "${other.id}"'s (line ${other.line}); one student's external id must trust only their own role: drop both and set LAB_GRADER_COURSE_SECRET to derive each student's (lab-grader role --student ID), or put one course-wide id in defaults`,
        });
        continue;
      }
      externalIds.set(externalId, { line: raw.lineOf('externalId'), id: parsed.data.id });
    }
    students.push(toStudent(parsed.data, raw.line, rosterDir, raw.inherited ?? new Set()));
  }
  if (problems.length > 0) {
    const shown = problems.slice(0, 10).map((problem) => `${file}:${problem.line}: ${problem.text}`);
    if (problems.length > 10) shown.push(`... and ${problems.length - 10} more problems`);
    throw new UsageError(`The roster has ${problems.length === 1 ? 'a problem' : `${problems.length} problems`}; fix and run again:\n${shown.join('\n')}`);
  }
  if (students.length === 0) throw new UsageError(`${file}: the roster lists no students: add at least one (see docs/class-workflows.md)`);
  return { file, students };
}

// Header spellings people use (aws_profile, Role ARN...) map to the roster's field names.
function canonicalField(header: string): string {
  const squashed = header.trim().toLowerCase().replace(/[\s_-]/g, '');
  return FIELDS.find((field) => field.toLowerCase() === squashed) ?? header.trim();
}

interface CsvRoster {
  entries: RawEntry[];
  export?: LmsExport;
}

/**
 * A CSV roster, or an LMS's gradebook export with the grader's columns added (snapshot,
 * roleArn...): its identity columns are carried through, its grade columns and rows that are
 * no student (Canvas's "Points Possible") are left out, and its ids give the roster's where
 * the roster has none.
 */
function csvEntries(file: string, text: string): CsvRoster {
  let records;
  try {
    records = parseCsv(text);
  } catch (error) {
    throw new UsageError(`${file}:${(error as Error).message.replace(/^line /, '')}`);
  }
  const [header, ...rows] = records;
  if (!header) throw new UsageError(`${file}: empty roster: the first line names the columns (id, name, email, snapshot, awsProfile, roleArn, externalId, region, labProfile, account, submission, and any of your own)`);
  const lms = lmsOfExport(header.cells);
  const reader = lms === undefined ? undefined : lmsExportReader(lms);
  const lmsColumns = header.cells.map((cell) => reader?.column(cell));
  // An LMS's identity columns keep their own names (Canvas's "ID" is not the roster's id, though it gives it).
  const columns = header.cells.map((cell, index) => (lmsColumns[index] === 'identity' ? cell.trim() : canonicalField(cell)));
  const known = (column: string): boolean => ((FIELDS as readonly string[]).includes(column) && column !== 'extra') || column === 'profile';
  const duplicate = columns.find((column, index) => columns.indexOf(column) !== index);
  if (duplicate !== undefined) throw new UsageError(`${file}:${header.line}: the column "${duplicate}" is named twice: rename or remove one`);
  if (!columns.includes('id') && lms === undefined) {
    throw new UsageError(`${file}:${header.line}: the first line must name the columns, including id (e.g. id,name,snapshot)`);
  }
  const entries = rows.flatMap((row): RawEntry[] => {
    if (row.cells.length > columns.length) {
      throw new UsageError(`${file}:${row.line}: ${row.cells.length} cells but ${columns.length} columns: quote cells that contain commas`);
    }
    const cell = (name: string): string | undefined => {
      const index = columns.findIndex((column) => column.toLowerCase() === name.toLowerCase());
      const value = index < 0 ? undefined : row.cells[index]?.trim();
      return value ? value : undefined;
    };
    if (reader?.notAStudent(row.cells, cell)) return [];
    const values: Record<string, unknown> = {};
    const extra: Record<string, string> = {};
    row.cells.forEach((value, index) => {
      const column = columns[index]!;
      const kind = lmsColumns[index];
      // The LMS's grade columns are not the grader's to pass on; its identity columns are.
      if (kind === 'assignment' || kind === 'lms') return;
      // A column the roster does not define (an LMS or SIS id...) is passed through, even when empty.
      if (kind === 'identity' || !known(column)) extra[column] = value.trim();
      else if (value.trim() !== '') values[column] = value.trim();
    });
    if (reader) {
      for (const [field, value] of Object.entries(reader.student(cell))) {
        if (values[field] === undefined && value !== undefined) values[field] = value;
      }
    }
    if (Object.keys(extra).length > 0) values.extra = extra;
    return [{ values, line: row.line, lineOf: () => row.line, label: `row on line ${row.line}` }];
  });
  const assignments = header.cells.filter((_, index) => lmsColumns[index] === 'assignment').map((cell) => cell.trim());
  return { entries, ...(lms === undefined ? {} : { export: { lms, assignments } }) };
}

function yamlEntries(file: string, text: string): RawEntry[] {
  // The YAML parser recurses: deep nesting must be refused before it runs.
  assertShallow(text, file, 'yaml', 'roster');
  const lineCounter = new LineCounter();
  const document: Document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const lineAt = (node: YamlNode | null | undefined, fallback = 1): number =>
    node?.range ? lineCounter.linePos(node.range[0]).line : fallback;
  const syntax = document.errors[0];
  if (syntax) {
    const line = syntax.linePos?.[0]?.line ?? 1;
    throw new UsageError(`${file}:${line}: not valid YAML (${syntax.message.split('\n')[0]})`);
  }
  const root = document.contents;
  // Either a list of students, or a map with `students` and optional `defaults` applied to each.
  let list: YamlNode | null | undefined = root;
  let defaults: Record<string, unknown> = {};
  if (isMap(root)) {
    const unknown = root.items.find((pair) => !['students', 'defaults'].includes(String(isScalar(pair.key) ? pair.key.value : pair.key)));
    if (unknown) {
      throw new UsageError(`${file}:${lineAt(unknown.key as YamlNode)}: unknown top-level key "${String(isScalar(unknown.key) ? unknown.key.value : unknown.key)}": a roster has students (a list) and optional defaults`);
    }
    list = root.get('students', true) as YamlNode | undefined;
    const defaultsNode = root.get('defaults', true);
    if (defaultsNode !== undefined) {
      if (!isMap(defaultsNode)) throw new UsageError(`${file}:${lineAt(defaultsNode as YamlNode)}: defaults must be a map of fields (e.g. region: eu-west-1)`);
      defaults = defaultsNode.toJSON() as Record<string, unknown>;
      const allowed = ['region', 'labProfile', 'awsProfile', 'roleArn', 'externalId'];
      const wrong = Object.keys(defaults).find((key) => !allowed.includes(key));
      if (wrong) throw new UsageError(`${file}:${lineAt(defaultsNode)}: defaults.${wrong}: only ${allowed.join(', ')} can have a default`);
    }
  }
  if (!isSeq(list)) {
    throw new UsageError(`${file}:${lineAt(list as YamlNode)}: expected a list of students (students: - id: ...); see docs/class-workflows.md`);
  }
  return list.items.map((item, index) => {
    const line = lineAt(item as YamlNode);
    if (!isMap(item)) {
      return { values: {}, line, lineOf: () => line, label: `students[${index}]` };
    }
    const own = item.toJSON() as Record<string, unknown>;
    // A student's own source replaces a default source rather than clashing with it.
    // A default external id still serves a student who names their own role.
    const ownSource = ['snapshot', 'awsProfile', 'roleArn'].some((key) => own[key] !== undefined);
    const replaced = own.roleArn === undefined ? ['awsProfile', 'roleArn', 'externalId'] : ['awsProfile', 'roleArn'];
    const inherited = Object.fromEntries(Object.entries(defaults).filter(([key]) => !(ownSource && replaced.includes(key))));
    const values = Object.fromEntries(
      Object.entries({ ...inherited, ...own }).map(([key, value]) => [key, typeof value === 'number' ? String(value) : value]),
    );
    return {
      values,
      inherited: new Set(Object.keys(inherited).filter((key) => own[key] === undefined)),
      line,
      lineOf: (field: string) => lineAt(item.get(field, true) as YamlNode | undefined, line),
      label: `students[${index}]`,
    };
  });
}

/** Parses roster text; `file` names it in messages and anchors relative snapshot paths. */
export function parseRoster(text: string, file: string): Roster {
  if (extname(file).toLowerCase() !== '.csv') return validate(file, yamlEntries(file, text));
  const csv = csvEntries(file, text);
  const roster = validate(file, csv.entries);
  return csv.export === undefined ? roster : { ...roster, export: csv.export };
}

export function loadRoster(file: string): Roster {
  let text: string;
  try {
    text = readLimitedSync(file, INPUT_LIMITS.rosterBytes, 'roster').toString('utf8');
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new UsageError(`cannot read the roster ${file} (${code}): check the path`);
  }
  return parseRoster(text, file);
}
