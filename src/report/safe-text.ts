// The one place every report format's text passes through. Every string of a scorecard is a
// one-line field (a name, a URL, a region, a message, a cause), and much of it is a student's:
// line breaks are shown escaped so no student string starts a line of its own, controls and
// bidirectional overrides are neutralised, credential-shaped values redacted, and Markdown
// formats get text that GitHub's renderer turns into no markup at all.
import type { Scorecard } from '../grade/scorecard.js';
import { redactSecrets } from '../secrets.js';

/**
 * Line breaks and every other character some reader ends a line at: LF, CR, VT, FF, the
 * information separators Python's splitlines breaks at, NEL, and Unicode's line and paragraph
 * separators.
 */
// eslint-disable-next-line no-control-regex
const LINE_BREAK = /\r\n|[\n\r\u000B\u000C\u001C-\u001E\u0085\u2028\u2029]/g;
const SHOWN_AS = new Map([
  ['\r\n', '\\r\\n'],
  ['\n', '\\n'],
  ['\r', '\\r'],
  ['\u000B', '\\v'],
  ['\u000C', '\\f'],
]);

/**
 * The other C0 controls but tab, DEL, C1 (ESC and CSI drive terminals), and the bidirectional
 * embeddings, overrides, isolates and marks that make text read other than it is.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000E-\u001B\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/** Text on one line: line breaks and separators shown as escapes (`\n`, `\u2028`), never as breaks. */
export function oneLine(text: string): string {
  return text.replace(LINE_BREAK, (found) => SHOWN_AS.get(found) ?? `\\u${found.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Any character LINE_BREAK or UNSAFE matches: text without one (nearly every string of a scorecard) is left as it is without either replace. */
// eslint-disable-next-line no-control-regex
const SHOWN_OTHERWISE = /[\n\r\u000B\u000C\u001C-\u001E\u0085\u2028\u2029\u0000-\u0008\u000E-\u001B\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;

/** One line, controls and bidi characters shown as U+FFFD, never interpreted. */
export function neutralizeControls(text: string): string {
  return SHOWN_OTHERWISE.test(text) ? oneLine(text).replace(UNSAFE, '\uFFFD') : text;
}

/** Text as a report may show it. */
export function safeText(text: string): string {
  return redactSecrets(neutralizeControls(text));
}

/** Characters that open or close Markdown markup anywhere in a line: emphasis, code, strikethrough, links, tables, headings, math. */
const MARKDOWN_PUNCTUATION = /[\\`*_~[\]|#$]/g;

/**
 * Inline Markdown that renders as the text itself and forms no markup: one line; `&`, `<` and
 * `>` as entities (no HTML, no entity of the student's); a backslash before every character of
 * emphasis, code, strikethrough, links, images, tables, headings and math; autolinks broken
 * (`http\://`, `www\.`, `\@`, which GitHub would otherwise link bare); and a list or quote marker
 * the text starts with escaped, as are spaces it starts with (they would make a code block).
 */
export function escapeMarkdownInline(text: string): string {
  return neutralizeControls(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(MARKDOWN_PUNCTUATION, '\\$&')
    .replace(/:(?=\/\/)/g, '\\:')
    .replace(/(www)\./gi, '$1\\.')
    .replace(/@/g, '\\@')
    .replace(/^[ \t]+/, (spaces) => '&#32;'.repeat(spaces.length))
    .replace(/^[-+]|^(\d{1,9})([.)])(?=\s|$)/, (marker: string, digits: string | undefined, after: string) =>
      digits === undefined ? `\\${marker}` : `${digits}\\${after}`,
    );
}

function safeValue(value: unknown): unknown {
  if (typeof value === 'string') return safeText(value);
  if (Array.isArray(value)) return value.map(safeValue);
  if (value !== null && typeof value === 'object') {
    // A loop, not fromEntries(entries().map()): a third of the time, for the many small objects of a scorecard.
    const copy: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      const child = safeValue((value as Record<string, unknown>)[key]);
      // A key named __proto__ stays an own entry (assigning it would set the copy's prototype).
      if (key === '__proto__') Object.defineProperty(copy, key, { value: child, enumerable: true, writable: true, configurable: true });
      else copy[key] = child;
    }
    return copy;
  }
  return value;
}

declare const madeSafe: unique symbol;

/** A scorecard whose every string is safe text: what reporters are given. */
export type SafeScorecard = Scorecard & { readonly [madeSafe]: true };

/** A copy of the scorecard with every string made safe; reporters only ever see this or the next. */
export function safeScorecard(scorecard: Scorecard): SafeScorecard {
  return safeValue(scorecard) as SafeScorecard;
}

function makeEntrySafe(holder: Record<string | number, unknown>, key: string | number): void {
  const child = holder[key];
  if (typeof child === 'string') {
    const safe = safeText(child);
    // An own entry named __proto__ is set as the entry it is (a plain assignment reaches it first, never the prototype's setter).
    if (safe !== child) holder[key] = safe;
  } else if (child !== null && typeof child === 'object') makeSafeInPlace(child);
}

function makeSafeInPlace(value: object): void {
  const holder = value as Record<string | number, unknown>;
  // An array by its indexes, not its keys' iterator, whose every step V8 allocated here (a loop
  // over either an iterator or an array is not one it optimises away): 50 KB a scorecard.
  if (Array.isArray(value)) for (let index = 0; index < value.length; index += 1) makeEntrySafe(holder, index);
  else for (const key of Object.keys(holder)) makeEntrySafe(holder, key);
}

/**
 * The scorecard itself with every string made safe, without a copy: for a scorecard its caller
 * owns (graded unfrozen) and reads only safe from now on. A string is written only when making
 * it safe changes it, so nothing shared with other scorecards (a rubric's text) is written to.
 */
export function makeScorecardSafe(scorecard: Scorecard): SafeScorecard {
  makeSafeInPlace(scorecard);
  return scorecard as SafeScorecard;
}
