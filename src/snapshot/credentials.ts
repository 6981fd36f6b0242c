// A snapshot never carries a credential. The collector removes them before a snapshot is
// graded or saved (`withoutCredentials`); the loader refuses a file that still holds one
// (`findCredential`). Both look under credential keys, inside JSON kept as text (CloudTrail's
// `CloudTrailEvent`), and at values shaped like secret keys and session tokens.
import { INPUT_LIMITS } from '../limits.js';
import { findSecret, maySecret, redactSecrets } from '../secrets.js';

/** Keys under which a credential travels: AWS's own (`sessionToken` in CloudTrail) and the CLI's. */
const CREDENTIAL_KEYS = /^(secretaccesskey|sessiontoken|aws_secret_access_key|aws_session_token)$/i;

/**
 * How deep the walks go. The file's own nesting is refused past 64 before parsing; JSON kept
 * as text is not counted there, so what lies deeper than this is refused or dropped, never skipped.
 */
const MAX_DEPTH = 128;

type JsonPath = (string | number)[];

/**
 * A credential key as it appears in JSON text, at any level of JSON kept as text: the key's
 * own quotes, escaped as often as it is nested (`"sessionToken"`, `\"sessionToken\"`).
 */
const CREDENTIAL_KEY_TEXT = /"(secretaccesskey|sessiontoken|aws_secret_access_key|aws_session_token)\\*"/i;
/** Whether the text holds an escape that spells a key's letters or a secret's characters another way (`\u0053`, `\/`). */
function hasSpellingEscape(text: string): boolean {
  // Two searches for a literal: backslashes are rare, where a regular expression reads every character.
  return text.includes('\\u') || text.includes('\\/');
}

/**
 * The brackets one string may hold while JSON text in it provably stays within MAX_DEPTH. A
 * string lies at most INPUT_LIMITS.depth deep; JSON text in it with m arrays and objects on one
 * path (each level of JSON text inside it opening with one of them) reaches INPUT_LIMITS.depth + 2m - 1.
 */
const SAFE_BRACKETS_IN_STRING = Math.floor((MAX_DEPTH - INPUT_LIMITS.depth) / 2);

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * What a regular expression's `\s` matches, by UTF-16 code unit: ECMAScript's white space (tab,
 * VT, FF, space, U+00A0, U+1680, U+2000-U+200A, U+202F, U+205F, U+3000, U+FEFF) and line
 * terminators (LF, CR, U+2028, U+2029).
 */
const SPACE = new Uint8Array(0x10000);
for (const code of [0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff]) SPACE[code] = 1;
for (let code = 0x2000; code <= 0x200a; code += 1) SPACE[code] = 1;
/** The letters of the escapes `\n`, `\r`, `\t`, `\f`, by UTF-16 code unit. */
const ESCAPED_SPACE = new Uint8Array(0x80);
for (const letter of 'nrtf') ESCAPED_SPACE[letter.charCodeAt(0)] = 1;

/**
 * The quote before the bracket at `bracket` when only white space and the escapes `\n`, `\r`,
 * `\t`, `\f` lie between them (a string that may be JSON text opens there, as `embeddedJson`
 * trims and tests), else -1. Read backwards, these parts are read as they are forwards: a space
 * is one character, an escape its letter after a backslash.
 */
function quoteOpening(text: string, bracket: number): number {
  let at = bracket - 1;
  while (at >= 0) {
    const code = text.charCodeAt(at);
    if (code === QUOTE) return at;
    if (SPACE[code] === 1) at -= 1;
    else if (code < 0x80 && ESCAPED_SPACE[code] === 1 && at > 0 && text.charCodeAt(at - 1) === BACKSLASH) at -= 2;
    else return -1;
  }
  return -1;
}

/**
 * The most `[` and `{` one string holds, of the strings that may be JSON text (those that open
 * with a quote, then white space or `\n` `\r` `\t` `\f` escapes, then `[` or `{`; the first one
 * at or after where the last ended, as the regular expression `/"(?:\s|\\[nrtf])*[[{]/g` finds
 * them). Strings nested in one (JSON text inside JSON text) are counted with it; a quote found
 * inside a string that is not JSON text only makes it count from there to that string's end.
 * Found from the brackets back to their quote: a text has far fewer brackets than quotes, and
 * each is found with a search for the character.
 */
export function bracketsInJsonStrings(text: string): number {
  let most = 0;
  // Where the search for the next opening goes on from.
  let from = 0;
  let square = text.indexOf('[');
  let curly = text.indexOf('{');
  while (square !== -1 || curly !== -1) {
    const bracket = curly === -1 || (square !== -1 && square < curly) ? square : curly;
    const quote = quoteOpening(text, bracket);
    let next = bracket + 1;
    if (quote >= from) {
      let count = 0;
      let at = quote + 1;
      for (; at < text.length; at += 1) {
        const code = text.charCodeAt(at);
        if (code === BACKSLASH) at += 1;
        else if (code === QUOTE) break;
        else if (code === 0x5b || code === 0x7b) count += 1;
      }
      most = Math.max(most, count);
      from = at + 1;
      next = Math.max(next, from);
    }
    if (square !== -1 && square < next) square = text.indexOf('[', next);
    if (curly !== -1 && curly < next) curly = text.indexOf('{', next);
  }
  return most;
}

/**
 * Whether JSON text may hold what `findCredential` finds; false only when it provably holds
 * none, so that the walk over every parsed value can be skipped: no credential key at any level,
 * no escape that could spell one, no random-looking run of base64 a secret key or session
 * token would lie in, and no string holding enough brackets to nest JSON text too deep to check.
 */
export function mayHoldCredential(text: string): boolean {
  return CREDENTIAL_KEY_TEXT.test(text) || hasSpellingEscape(text) || maySecret(text) || bracketsInJsonStrings(text) > SAFE_BRACKETS_IN_STRING;
}

export interface FoundCredential {
  /** Where in the file: `$.facts.userEvents.data[0].CloudTrailEvent`. */
  path: JsonPath;
  /** Where inside JSON kept as text at `path`, if there: `responseElements.credentials.sessionToken`. */
  inside: JsonPath;
  what: string;
}

/** Text that is a JSON object or array, parsed; anything else undefined. */
function embeddedJson(text: string): object | undefined {
  const start = text.trimStart()[0];
  if (start !== '{' && start !== '[') return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Credential-shaped text, never an access key id alone: ids name keys in IAM's answers and in evidence. */
function secretIn(text: string): string | undefined {
  const found = findSecret(text.replace(/(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])/g, ' '));
  return found ? found.kind : undefined;
}

/** The first credential in a parsed snapshot (or any JSON value), walking also into JSON kept as text. */
export function findCredential(value: unknown, path: JsonPath = [], inside: JsonPath | null = null, depth = 0): FoundCredential | null {
  const here = (key: string | number): [JsonPath, JsonPath | null] => (inside ? [path, [...inside, key]] : [[...path, key], null]);
  if (typeof value === 'string') {
    const json = embeddedJson(value);
    if (json) return findCredential(json, path, inside ?? [], depth + 1);
    const kind = secretIn(value);
    return kind ? { path, inside: inside ?? [], what: `a value shaped like an ${kind}` } : null;
  }
  if (value === null || typeof value !== 'object') return null;
  if (depth >= MAX_DEPTH) return { path, inside: inside ?? [], what: `JSON nested more than ${MAX_DEPTH} deep, too deep to check for credentials` };
  const entries: [string | number, unknown][] = Array.isArray(value) ? [...value.entries()] : Object.entries(value);
  for (const [key, child] of entries) {
    const [childPath, childInside] = here(key);
    if (typeof key === 'string' && CREDENTIAL_KEYS.test(key) && child !== null && child !== '') {
      return { path: childPath, inside: childInside ?? [], what: `a ${key}` };
    }
    const found = findCredential(child, childPath, childInside, depth + 1);
    if (found) return found;
  }
  return null;
}

/**
 * A copy of a JSON value without credentials: credential keys are dropped, credential-shaped
 * values redacted as `wJal…EKEY`, inside JSON kept as text too (re-serialised), and what lies
 * deeper than the walk goes becomes null. Access key ids are kept: they name keys, and the
 * checks count a user's active keys by them.
 */
export function withoutCredentials<T>(value: T, depth = 0): T {
  if (typeof value === 'string') {
    const json = embeddedJson(value);
    if (json) return (findCredential(json, [], null, depth + 1) ? JSON.stringify(withoutCredentials(json, depth + 1)) : value) as T;
    return (secretIn(value) ? redactSecrets(value, { keepAccessKeyIds: true }) : value) as T;
  }
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return null as T;
  if (Array.isArray(value)) return value.map((child: unknown) => withoutCredentials(child, depth + 1)) as T;
  // Built from entries, so a key named `__proto__` (an IAM group may be called so) stays a key.
  return Object.fromEntries(
    Object.entries(value).flatMap(([key, child]) => (CREDENTIAL_KEYS.test(key) ? [] : [[key, withoutCredentials(child, depth + 1)]])),
  ) as T;
}
