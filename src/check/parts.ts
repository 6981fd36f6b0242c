// A check with several parts earns its points part by part: each part a condition and,
// when it does not hold, what to fix in the lab's words. A part that rests on a resource the
// grader could not read is neither earned nor missed: the check is `error` for its share.
import { attempt, fail, partial, partlyUnread, pass, type UnreadFact, type Verdict } from './define.js';

export interface Part {
  ok: boolean;
  /** What to fix when the part does not hold, naming the resource and what the lab asks for; empty when another part's fix says it. */
  fix: string;
}

/** A part whose evidence could not be read: which fact, and why. */
export interface UnreadPart {
  unread: UnreadFact;
}

/** A part judged on evidence that may be unreadable (a resource the resolver could not find): the part, or what could not be read. */
export function judged(part: () => Part): Part | UnreadPart {
  const result = attempt(part);
  return result.ok ? result.value : { unread: result.unread };
}

function isUnread(part: Part | UnreadPart): part is UnreadPart {
  return 'unread' in part;
}

/**
 * Pass when every part holds, fail when none does, else partial by the share of parts that
 * hold. With a part unreadable, the parts that hold are earned and the rest is `error`; the
 * fixes of the parts judged to miss are kept as notes.
 */
export function byParts(parts: readonly (Part | UnreadPart)[], evidence: string[], notes: string[] = []): Verdict {
  const unread = parts.filter(isUnread);
  const judgedParts = parts.filter((part): part is Part => !isUnread(part));
  const fixes = judgedParts.filter((part) => !part.ok && part.fix !== '').map((part) => part.fix);
  const fraction = judgedParts.filter((part) => part.ok).length / parts.length;
  if (unread[0]) return partlyUnread(fraction, unread[0].unread, evidence, [...notes, ...fixes]);
  if (fraction === 1) return pass(evidence, notes);
  const hint = fixes.join(' ');
  return fraction === 0 ? fail(hint, evidence, notes) : partial(fraction, hint, evidence, notes);
}
