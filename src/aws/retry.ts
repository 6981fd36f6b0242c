// The SDK's adaptive retry, minus the waits that cannot help: an operation the endpoint does
// not implement fails the same way every time, and a server error (5xx) that comes back
// identical on its first retry is the endpoint's answer, not a hiccup. Throttling and network
// errors keep every attempt and backoff the SDK gives them.
import { AdaptiveRetryStrategy } from '@smithy/core/retry';
import type { RetryErrorInfo, RetryStrategyV2, RetryToken } from '@smithy/types';

/** Error codes that say the operation does not exist at this endpoint: no retry can change that. */
const UNIMPLEMENTED_CODES = new Set(['NotImplemented', 'NotImplementedException', 'UnsupportedOperation', 'InvalidAction', 'UnknownOperationException']);

interface ServiceError {
  name?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

/** An unimplemented operation: HTTP 501, or an error code that names one. */
export function isUnimplemented(error: unknown): boolean {
  const { name, $metadata } = (error ?? {}) as ServiceError;
  return $metadata?.httpStatusCode === 501 || (name !== undefined && UNIMPLEMENTED_CODES.has(name));
}

/** What identifies a server error's answer (a 5xx other than throttling): its status, code and message. */
function serverAnswer(errorInfo: RetryErrorInfo): string | undefined {
  const { name, message, $metadata } = errorInfo.error as ServiceError;
  const status = $metadata?.httpStatusCode;
  if (errorInfo.errorType === 'THROTTLING' || status === undefined || status < 500 || status > 599) return undefined;
  return `${status} ${name ?? ''} ${message ?? ''}`;
}

/** Wraps `inner` so that errors no retry can fix fail at once (the call's fact records them). */
export function failFast(inner: RetryStrategyV2): RetryStrategyV2 {
  // The server error each retry token was issued after, to tell a repeat from a new failure.
  const answers = new WeakMap<RetryToken, string>();
  return {
    acquireInitialRetryToken: (scope) => inner.acquireInitialRetryToken(scope),
    async refreshRetryTokenForRetry(token, errorInfo) {
      if (isUnimplemented(errorInfo.error)) throw errorInfo.error;
      const answer = serverAnswer(errorInfo);
      if (answer !== undefined && answers.get(token) === answer) throw errorInfo.error;
      const next = await inner.refreshRetryTokenForRetry(token, errorInfo);
      if (answer !== undefined) answers.set(next, answer);
      return next;
    },
    recordSuccess: (token) => inner.recordSuccess(token),
  };
}

/** One client's retry strategy: adaptive (client-side rate limiting on throttling), failing fast as above. */
export function gradingRetryStrategy(maxAttempts: number): RetryStrategyV2 {
  return failFast(new AdaptiveRetryStrategy(async () => maxAttempts));
}
