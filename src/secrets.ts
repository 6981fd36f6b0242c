// Values shaped like AWS credentials: access key ids, secret access keys, session tokens.
// The snapshot guard refuses them; reports show them redacted as `AKIA…WXYZ`.

/** Long-term (AKIA) and temporary (ASIA) access key ids. */
const ACCESS_KEY_ID = /(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])/g;
/** 40 characters of base64 standing alone: a secret access key's shape. */
const SECRET_ACCESS_KEY = /(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g;
/** A session token: a long run of base64 (AWS's are hundreds of characters). */
const SESSION_TOKEN = /(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{100,}={0,2}(?![A-Za-z0-9/+=])/g;

/** Upper and lower case and a digit or `/+`: base64 key material, not a hex digest or a word. */
function looksRandom(value: string): boolean {
  return /[A-Z]/.test(value) && /[a-z]/.test(value) && /[0-9/+]/.test(value);
}

/** Base64 characters by kind: 1 upper case, 2 lower case, 4 a digit or `/+` (looksRandom's three). */
const BASE64_KIND = new Uint8Array(128);
for (const [chars, kind] of [['ABCDEFGHIJKLMNOPQRSTUVWXYZ', 1], ['abcdefghijklmnopqrstuvwxyz', 2], ['0123456789/+', 4]] as const) {
  for (const char of chars) BASE64_KIND[char.charCodeAt(0)] = kind;
}
const RANDOM_RUN = 40;

function base64Kind(text: string, at: number): number {
  const code = text.charCodeAt(at);
  return code < 128 ? BASE64_KIND[code]! : 0;
}

/**
 * Whether `text` has a run of 40 or more base64 characters that looks random. Every secret key
 * or session token `findSecret` reports lies inside such a run, so text without one holds
 * neither. Cheap: a run of 40 covers every 40th character, so only those are looked at first.
 */
export function hasRandomRun(text: string): boolean {
  for (let at = RANDOM_RUN - 1; at < text.length; at += RANDOM_RUN) {
    let kinds = base64Kind(text, at);
    if (kinds === 0) continue;
    let start = at;
    let end = at + 1;
    while (start > 0 && base64Kind(text, start - 1) !== 0) kinds |= base64Kind(text, (start -= 1));
    while (end < text.length && base64Kind(text, end) !== 0) kinds |= base64Kind(text, end++);
    if (end - start >= RANDOM_RUN && kinds === 7) return true;
    // The characters up to `end` are read: go on from the first one looked at after it.
    at += RANDOM_RUN * Math.floor((end - 1 - at) / RANDOM_RUN);
  }
  return false;
}

export type SecretKind = 'access key id' | 'secret access key' | 'session token';

/** The first credential-shaped value in `text`, if any. */
export function findSecret(text: string): { kind: SecretKind; value: string } | null {
  for (const [kind, pattern] of [
    ['access key id', ACCESS_KEY_ID],
    ['session token', SESSION_TOKEN],
    ['secret access key', SECRET_ACCESS_KEY],
  ] as const) {
    for (const match of text.matchAll(pattern)) {
      if (kind === 'access key id' || looksRandom(match[0])) return { kind, value: match[0] };
    }
  }
  return null;
}

/** `AKIA…WXYZ`: enough to tell keys apart, never enough to use one. */
export function redactValue(value: string): string {
  return `${value.slice(0, 4)}…${value.slice(-4)}`;
}

/** The text with every credential-shaped value redacted (access key ids too, unless kept: they name a key, they do not unlock it). */
export function redactSecrets(text: string, options: { keepAccessKeyIds?: boolean } = {}): string {
  return (options.keepAccessKeyIds ? text : text.replace(ACCESS_KEY_ID, redactValue))
    .replace(SESSION_TOKEN, (value) => (looksRandom(value) ? redactValue(value) : value))
    .replace(SECRET_ACCESS_KEY, (value) => (looksRandom(value) ? redactValue(value) : value));
}
