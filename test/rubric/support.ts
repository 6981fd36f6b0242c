// Rubric texts for tests: the shipped rubric.yaml with one edit, so a reader sees the mistake.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../../src/errors.js';

export const RUBRIC_PATH = fileURLToPath(new URL('../../rubric.yaml', import.meta.url));
export const rubricText = readFileSync(RUBRIC_PATH, 'utf8');

/** The shipped rubric with `from` (which must occur exactly once) replaced by `to`. */
export function rubricWith(from: string, to: string): string {
  const at = rubricText.indexOf(from);
  if (at < 0 || rubricText.indexOf(from, at + 1) >= 0) throw new Error(`"${from}" must occur exactly once in rubric.yaml`);
  return rubricText.replace(from, to);
}

/** The 1-based line of the first occurrence of `needle` in `text`. */
export function lineOf(text: string, needle: string): number {
  const at = text.indexOf(needle);
  if (at < 0) throw new Error(`"${needle}" not found`);
  return text.slice(0, at).split('\n').length;
}

/** The UsageError message `action` throws; fails the test when it throws nothing or something else. */
export function usageMessage(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  throw new Error('expected a UsageError, nothing was thrown');
}
