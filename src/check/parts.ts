// A check with several parts earns its points part by part: each part a condition and,
// when it does not hold, what to fix in the lab's words.
import { fail, partial, pass, type Verdict } from './define.js';

export interface Part {
  ok: boolean;
  /** What to fix when the part does not hold, naming the resource and what the lab asks for. */
  fix: string;
}

/** Pass when every part holds, fail when none does, else partial by the share of parts that hold. */
export function byParts(parts: readonly Part[], evidence: string[], notes?: string[]): Verdict {
  const fixes = parts.filter((part) => !part.ok).map((part) => part.fix);
  if (!fixes.length) return pass(evidence, notes);
  const hint = fixes.join(' ');
  const fraction = (parts.length - fixes.length) / parts.length;
  return fraction === 0 ? fail(hint, evidence, notes) : partial(fraction, hint, evidence, notes);
}
