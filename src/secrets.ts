// Values shaped like AWS credentials: access key ids, secret access keys, session tokens.
// The snapshot guard refuses them; reports show them redacted as `AKIA…WXYZ`.

/** Long-term (AKIA) and temporary (ASIA) access key ids. */
const ACCESS_KEY_ID = /(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])/g;
/** 40 characters of base64 standing alone: a secret access key's shape. */
const SECRET_ACCESS_KEY = /(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g;
/** A session token: a long run of base64 (AWS's are hundreds of characters). */
const SESSION_TOKEN = /(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{100,}={0,2}(?![A-Za-z0-9/+=])/g;

/** Upper and lower case and a digit or `/+`: base64 key material, not a hex digest or a word. */
function looksRandom(value: string): boolean {
  return /[A-Z]/.test(value) && /[a-z]/.test(value) && /[0-9/+]/.test(value);
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

/** The text with every credential-shaped value redacted. */
export function redactSecrets(text: string): string {
  return text
    .replace(ACCESS_KEY_ID, redactValue)
    .replace(SESSION_TOKEN, (value) => (looksRandom(value) ? redactValue(value) : value))
    .replace(SECRET_ACCESS_KEY, (value) => (looksRandom(value) ? redactValue(value) : value));
}
