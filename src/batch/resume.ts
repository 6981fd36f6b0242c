// An interrupted batch that was asked to grade everyone again (--force) or to read the live
// accounts again (--recollect) records, in the class folder, whom it had not reached yet, so
// that the resume command (the same command without those flags) does that for them and no
// more: the students already done are not graded or read a second time. A complete run
// removes the file.
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomically } from '../files.js';

export const RESUME_FILE = 'resume.json';

export interface ResumeState {
  /** What the interrupted run was asked to do for everyone. */
  force: boolean;
  recollect: boolean;
  /** The roster ids it had not graded yet. */
  notGradedYet: string[];
}

/** The state an interrupted run left, or undefined (none, or not one lab-grader wrote). */
export async function readResume(outDir: string): Promise<ResumeState | undefined> {
  try {
    const state = JSON.parse(await readFile(join(outDir, RESUME_FILE), 'utf8')) as Partial<ResumeState>;
    if (typeof state.force !== 'boolean' || typeof state.recollect !== 'boolean' || !Array.isArray(state.notGradedYet)) return undefined;
    return { force: state.force, recollect: state.recollect, notGradedYet: state.notGradedYet.filter((id) => typeof id === 'string') };
  } catch {
    return undefined;
  }
}

/** Records whom an interrupted run left, when it matters (it was asked to grade or read them again); else none. */
export async function writeResume(outDir: string, state: ResumeState): Promise<void> {
  if ((!state.force && !state.recollect) || state.notGradedYet.length === 0) return clearResume(outDir);
  await writeFileAtomically(join(outDir, RESUME_FILE), `${JSON.stringify(state, null, 2)}\n`);
}

export async function clearResume(outDir: string): Promise<void> {
  await rm(join(outDir, RESUME_FILE), { force: true });
}
