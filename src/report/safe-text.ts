// The one place every report format's text passes through: controls and bidirectional
// overrides a student's account could carry are neutralised, credential-shaped values redacted.
import type { Scorecard } from '../grade/scorecard.js';
import { redactSecrets } from '../secrets.js';

/**
 * C0 controls but tab and line feed, DEL, C1 (ESC and CSI drive terminals), and the
 * bidirectional embeddings, overrides, isolates and marks that make text read other than it is.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/** Controls and bidi characters shown as U+FFFD, never interpreted; CRLF kept as a line break. */
export function neutralizeControls(text: string): string {
  return text.replace(/\r\n/g, '\n').replace(UNSAFE, '\uFFFD');
}

/** Text as a report may show it. */
export function safeText(text: string): string {
  return redactSecrets(neutralizeControls(text));
}

function safeValue(value: unknown): unknown {
  if (typeof value === 'string') return safeText(value);
  if (Array.isArray(value)) return value.map(safeValue);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, safeValue(child)]));
  }
  return value;
}

/** A copy of the scorecard with every string made safe; reporters only ever see this. */
export function safeScorecard(scorecard: Scorecard): Scorecard {
  return safeValue(scorecard) as Scorecard;
}
