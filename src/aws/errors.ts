// What an AWS error says, safe to store and print: its code, and its message with access key ids masked.

const ACCESS_KEY_ID = /\b(AKIA|ASIA)[A-Z0-9]{16}\b/g;

/** An error message safe to store and print: access key ids are masked. */
export function safeMessage(message: string): string {
  return message.replace(ACCESS_KEY_ID, '$1****************');
}

/** The AWS error name (`AccessDenied`, `ThrottlingException`...) or a network code (`ECONNREFUSED`). */
export function errorCode(error: unknown): string {
  if (typeof error !== 'object' || error === null) return 'Error';
  const { name, code, Code } = error as { name?: unknown; code?: unknown; Code?: unknown };
  if (typeof Code === 'string') return Code;
  if (typeof name === 'string' && name !== 'Error') return name;
  if (typeof code === 'string') return code;
  return typeof name === 'string' ? name : 'Error';
}

/** A client as the collector and the credentials check see it: only `send`. */
export interface Sender {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  send(command: any, options?: { abortSignal?: AbortSignal }): Promise<any>;
}

/** The endpoint each failed call went to, so a message can name where nothing answered. */
const failedEndpoints = new WeakMap<object, string>();

/** Remembers where a failed call went (`https://sts.eu-west-1.amazonaws.com`). */
export function noteEndpoint(error: unknown, endpoint: string): void {
  if (typeof error === 'object' && error !== null) failedEndpoints.set(error, endpoint);
}

/** The endpoint (or the AWS_ENDPOINT_URL host) a failed call of an observed client went to. */
export function endpointOf(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null ? failedEndpoints.get(error) : undefined;
}
