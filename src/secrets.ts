// Values shaped like credentials: AWS access key ids, secret access keys and session tokens,
// and the API tokens a student's app may carry (GitHub, OpenAI). The snapshot guard refuses
// them; reports show them redacted as `AKIA…WXYZ`. Key material is found wherever it lies: alone,
// glued to other base64 characters (an S3 key `models/<key>.joblib`, a prefix), or URL-encoded.

/** Long-term (AKIA) and temporary (ASIA) access key ids. */
const ACCESS_KEY_ID = /(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])/g;
/**
 * A run of 40 or more base64 characters (`/` and `+` also URL-encoded as `%2F`, `%2B`), with its
 * `=` padding: a secret access key is 40 of them, a session token hundreds, and either may sit
 * inside a longer run. Only a run that looks random counts (looksRandom).
 */
const KEY_MATERIAL = /(?:[A-Za-z0-9/+]|%2[BbFf]){40,}(?:=|%3[Dd]){0,2}/g;
/** No credential shape above is shorter: an access key id (20); API tokens and key material are longer. */
const SHORTEST_SECRET = 20;
/** At least this many characters of key material is a session token's shape, fewer a secret access key's. */
const SESSION_TOKEN_LENGTH = 100;
/**
 * API tokens by their published prefixes, whose `_` and `-` break a base64 run: GitHub's
 * (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_`, `github_pat_`) and OpenAI's (`sk-proj-`,
 * `sk-svcacct-`, `sk-admin-`, found glued to anything; a bare `sk-` only where a word starts,
 * so `task-` and `disk-` names are not tokens).
 */
const API_TOKEN = /gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{40,}|sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{20,}|(?<![A-Za-z0-9_-])sk-[A-Za-z0-9_-]{32,}/g;
/** Where a GitHub token or a prefixed OpenAI one may start, glued to anything. */
const GLUED_TOKEN_PREFIX = /gh[pousr]_[A-Za-z0-9]|github_pat_|sk-(?:proj|svcacct|admin)-/;
/** A character of an OpenAI token after `sk-` (API_TOKEN's). */
const TOKEN_CHARACTER = /[A-Za-z0-9_-]/;
/** What API_TOKEN's bare `sk-` may not follow in the text a walk reads. */
const WORD_CHARACTER = /[a-z_-]/;
/** The letter of a JSON escape of a control character (`\n`), which in the text a walk reads is no word character. */
const ESCAPE_LETTER = /[bfnrt]/;

/**
 * Whether a bare OpenAI token (`sk-` where a word starts) may start in `text`. The loader's
 * quick scan reads the file's JSON text, not the strings the walk reads, so `sk-` counts after
 * anything that may stand for a word start there: a character other than a lower-case letter,
 * `_` or `-` (the walk reads an access key id as a space before it), or a JSON escape (`\n` in
 * the file is a newline in the string). Its first character may be any of API_TOKEN's, `_` and
 * `-` too. A search for the literal `sk-` (a regular expression with these lookbehinds took ten
 * times as long on a snapshot).
 */
function mayStartBareToken(text: string): boolean {
  for (let at = text.indexOf('sk-'); at !== -1; at = text.indexOf('sk-', at + 3)) {
    if (!TOKEN_CHARACTER.test(text.charAt(at + 3))) continue;
    const before = text.charAt(at - 1);
    if (!WORD_CHARACTER.test(before) || (ESCAPE_LETTER.test(before) && text.charAt(at - 2) === '\\')) return true;
  }
  return false;
}

/** Key material as the characters it encodes: `%2F` is `/`. */
function decoded(run: string): string {
  return run.replace(/%2[Ff]/g, '/').replace(/%2[Bb]/g, '+').replace(/%3[Dd]/g, '=');
}

/** Upper and lower case and a digit or `/+`: base64 key material, not a hex digest or a word. */
function looksRandom(value: string): boolean {
  return /[A-Z]/.test(value) && /[a-z]/.test(value) && /[0-9/+]/.test(value);
}

/**
 * Base64 characters by kind: 1 upper case, 2 lower case, 4 a digit or `/+` (looksRandom's
 * three); 0 for every other UTF-16 code unit, so any `charCodeAt` of a text indexes it.
 */
const BASE64_KIND = new Uint8Array(0x10000);
// `%` too, so a URL-encoded run (`%2F`) is one run here as it is for KEY_MATERIAL.
for (const [chars, kind] of [['ABCDEFGHIJKLMNOPQRSTUVWXYZ', 1], ['abcdefghijklmnopqrstuvwxyz', 2], ['0123456789/+%', 4]] as const) {
  for (const char of chars) BASE64_KIND[char.charCodeAt(0)] = kind;
}
const RANDOM_RUN = 40;

/**
 * Whether `text` has a run of 40 or more base64 characters (or `%`) that looks random. Every
 * secret key or session token `findSecret` reports lies inside such a run, so text without one
 * holds neither. Cheap: a run of 40 covers every 40th character, so only those are looked at first.
 * The table is read inline (no helper per character): this scan runs over every snapshot's text.
 */
export function hasRandomRun(text: string): boolean {
  const { length } = text;
  for (let at = RANDOM_RUN - 1; at < length; at += RANDOM_RUN) {
    let kinds = BASE64_KIND[text.charCodeAt(at)]!;
    if (kinds === 0) continue;
    let start = at;
    let end = at + 1;
    while (start > 0) {
      const kind = BASE64_KIND[text.charCodeAt(start - 1)]!;
      if (kind === 0) break;
      kinds |= kind;
      start -= 1;
    }
    while (end < length) {
      const kind = BASE64_KIND[text.charCodeAt(end)]!;
      if (kind === 0) break;
      kinds |= kind;
      end += 1;
    }
    if (end - start >= RANDOM_RUN && kinds === 7) return true;
    // The characters up to `end` are read: go on from the first one looked at after it.
    at += RANDOM_RUN * Math.floor((end - 1 - at) / RANDOM_RUN);
  }
  return false;
}

/**
 * Whether `text` may hold what `findSecret` finds: a random-looking run of key material or the
 * start of an API token. False means it holds none.
 */
export function maySecret(text: string): boolean {
  return hasRandomRun(text) || GLUED_TOKEN_PREFIX.test(text) || mayStartBareToken(text);
}

export type SecretKind = 'AWS access key id' | 'AWS secret access key' | 'AWS session token' | 'API token';

/** What a run of key material is: a session token when long, else a secret access key; undefined when it is not random-looking. */
function keyMaterialKind(run: string): SecretKind | undefined {
  const characters = decoded(run);
  if (!looksRandom(characters)) return undefined;
  return characters.replace(/=+$/, '').length >= SESSION_TOKEN_LENGTH ? 'AWS session token' : 'AWS secret access key';
}

/** An API token: its prefix and enough mixed characters after it (`sk-learn-pipeline-v2` is a name, not a key). */
function isApiToken(value: string): boolean {
  return value.startsWith('gh') || looksRandom(value.slice(3));
}

/** The first credential-shaped value in `text`, if any. */
export function findSecret(text: string): { kind: SecretKind; value: string } | null {
  const [id] = text.match(ACCESS_KEY_ID) ?? [];
  if (id !== undefined) return { kind: 'AWS access key id', value: id };
  for (const [token] of text.matchAll(API_TOKEN)) if (isApiToken(token)) return { kind: 'API token', value: token };
  for (const [run] of text.matchAll(KEY_MATERIAL)) {
    const kind = keyMaterialKind(run);
    if (kind) return { kind, value: run };
  }
  return null;
}

/** Whether `text` holds a literal every API_TOKEN match starts with: `gh` (`ghp_`...), `github_pat_` or `sk-`. */
function mayHoldApiToken(text: string): boolean {
  return text.includes('gh') || text.includes('github_pat_') || text.includes('sk-');
}

/** `AKIA…WXYZ`: enough to tell keys apart, never enough to use one. */
export function redactValue(value: string): string {
  return `${value.slice(0, 4)}…${value.slice(-4)}`;
}

/**
 * A literal that every access key id (`AKIA`, `ASIA`) and every API token (`ghp_`..., `github_pat_`,
 * `sk-`) holds. One search for all of them: a report's text holds none nearly always, and five
 * `includes` for each of its strings cost a report twice what this does.
 */
const ID_OR_TOKEN_LITERAL = /AKIA|ASIA|gh[pousr]_|github_pat_|sk-/;

/** The text with random-looking key material redacted. */
function redactKeyMaterial(text: string): string {
  // Key material that looks random lies in a random-looking run (hasRandomRun, one quick pass): text without one skips the slower search.
  return hasRandomRun(text) ? text.replace(KEY_MATERIAL, (run) => (keyMaterialKind(run) ? redactValue(run) : run)) : text;
}

/** The text with every credential-shaped value redacted (access key ids too, unless kept: they name a key, they do not unlock it). */
export function redactSecrets(text: string, options: { keepAccessKeyIds?: boolean } = {}): string {
  // The shortest shape is an access key id's 20 characters: a shorter text (most of a report's) holds none.
  if (text.length < SHORTEST_SECRET) return text;
  // Without any of the literals neither search below can find anything (redacting an id makes none of them).
  if (!ID_OR_TOKEN_LITERAL.test(text)) return redactKeyMaterial(text);
  // Each search runs only on text holding the literal its shapes start with (the same result, without the search).
  const ids = options.keepAccessKeyIds || !(text.includes('AKIA') || text.includes('ASIA')) ? text : text.replace(ACCESS_KEY_ID, redactValue);
  const rest = mayHoldApiToken(ids) ? ids.replace(API_TOKEN, (token) => (isApiToken(token) ? redactValue(token) : token)) : ids;
  return redactKeyMaterial(rest);
}
