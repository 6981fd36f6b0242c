// The roster checked before anything is graded: one account, one role and one snapshot file
// per student, a role in the account the roster gives, never in the grader's own account, and
// snapshot files that are the roster's own (no symbolic link, nothing outside its folder).
import { lstatSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { ownAccountRefusal, roleAccount } from '../role-names.js';
import type { Roster, Student } from './roster.js';

export interface RosterCheckOptions {
  /** The account of the credentials that grade (sts:GetCallerIdentity), when some student is read through a role. */
  graderAccount?: string;
  /** `--allow-own-account`: a role in the grader's own account is meant (a test account). */
  allowOwnAccount?: boolean;
}

/** The account a student's line names: the roster's `account`, else their role's. */
function accountOf(student: Student): string | undefined {
  return student.account ?? (student.source.kind === 'role' ? roleAccount(student.source.roleArn) : undefined);
}

function inside(folder: string, path: string): boolean {
  const from = relative(folder, path);
  return from !== '' && !from.startsWith('..') && !isAbsolute(from);
}

/** The file a snapshot path is, once links are followed; undefined when it does not exist (the student's own error, later). */
function realFile(path: string): string | undefined {
  try {
    // The system's realpath: one call, where Node's own looks at every folder on the way.
    return realpathSync.native(path);
  } catch {
    return undefined;
  }
}

/** Problems of one student's snapshot path (`real`: the file it is, see realFile): a symbolic link, or a file outside the roster's folder. */
function snapshotPathProblems(student: Student & { source: { kind: 'snapshot' } }, real: string | undefined, folder: string, realFolder: string): string[] {
  const { file, path } = student.source;
  let link = false;
  try {
    link = lstatSync(path).isSymbolicLink();
  } catch {
    // Missing: graded as that student's error, the others go on.
  }
  if (link) return [`snapshot ${file} is a symbolic link (to ${real ?? 'a missing file'}): put the student's file itself in the roster's folder`];
  if (!inside(folder, path) || (real !== undefined && !inside(realFolder, real))) {
    return [`snapshot ${file} leads outside the roster's folder ${folder}: copy the student's file into it, so the roster names only its own files`];
  }
  return [];
}

/**
 * Every problem of the roster that would grade a student on another's account or evidence, as
 * `file:line: ...`, naming both lines of a pair; a UsageError (exit 2) when there is any.
 */
export function checkRoster(roster: Roster, options: RosterCheckOptions = {}): void {
  const folder = dirname(resolve(roster.file));
  const realFolder = realFile(folder) ?? folder;
  const problems: { line: number; text: string }[] = [];
  const firstWith = new Map<string, Student>();
  /** The first student a key (a role, an account, a file) was seen with; a second one is a problem naming both. */
  const claim = (student: Student, key: string, what: string, fix: string): void => {
    const first = firstWith.get(key);
    if (first === undefined) {
      firstWith.set(key, student);
      return;
    }
    problems.push({ line: student.line, text: `student "${student.id}": ${what} is also student "${first.id}"'s (line ${first.line}): ${fix}` });
  };
  for (const student of roster.students) {
    const fail = (text: string): void => void problems.push({ line: student.line, text: `student "${student.id}": ${text}` });
    const { source } = student;
    if (source.kind === 'role') {
      const inRole = roleAccount(source.roleArn);
      claim(student, `role ${source.roleArn}`, `roleArn ${source.roleArn}`, 'a role reads one student\'s account; give each student the role in their own account');
      if (student.account !== undefined && student.account !== inRole) {
        fail(`roleArn ${source.roleArn} is in account ${inRole}, not the student's account ${student.account}: fix the role or the account`);
      }
      if (options.graderAccount === inRole && !options.allowOwnAccount) {
        fail(ownAccountRefusal(`roleArn ${source.roleArn}`, source.roleArn));
      }
    }
    if (source.kind === 'awsProfile') claim(student, `profile ${source.awsProfile}`, `awsProfile ${source.awsProfile}`, 'a profile reads one account; give each student their own');
    const account = accountOf(student);
    if (account !== undefined) claim(student, `account ${account}`, `account ${account}`, 'each student is graded on their own account; fix the account or the role');
    if (source.kind === 'snapshot') {
      const real = realFile(source.path);
      snapshotPathProblems({ ...student, source }, real, folder, realFolder).forEach(fail);
      // The same file under two names (a second path, a link) is still one student's evidence.
      if (real !== undefined) claim(student, `file ${real}`, `snapshot ${source.file}`, 'one snapshot is one student\'s evidence; give each student their own file');
    }
  }
  if (problems.length === 0) return;
  problems.sort((a, b) => a.line - b.line);
  const shown = problems.slice(0, 10).map((problem) => `${roster.file}:${problem.line}: ${problem.text}`);
  if (problems.length > 10) shown.push(`... and ${problems.length - 10} more problems`);
  throw new UsageError(`The roster would grade a student on what is not theirs; nobody was graded. Fix and run again:\n${shown.join('\n')}`);
}
