// What kind of failure an AWS call's error is, from the code and message a snapshot records,
// and what a person can do about each kind. Only a refusal is fixed by granting the call.
// Pure and SDK-free: a regrade of a saved snapshot explains its errors with it.

export type ErrorClass = 'denied' | 'throttled' | 'credentials' | 'endpoint' | 'network' | 'other';

const DENIED = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'UnauthorizedAccess',
  'AuthorizationError',
  'NotAuthorized',
  'Forbidden',
]);
const THROTTLED = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'ProvisionedThroughputExceededException',
  'LimitExceededException',
]);
export const EXPIRED_CREDENTIALS = new Set(['ExpiredToken', 'ExpiredTokenException', 'RequestExpired', 'TokenRefreshRequired']);
export const INVALID_CREDENTIALS = new Set([
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'SignatureDoesNotMatch',
  'AuthFailure',
  'InvalidAccessKeyId',
  'IncompleteSignature',
  'CredentialsProviderError',
]);
const ENDPOINT = new Set([
  'NotImplemented',
  'NotImplementedException',
  'InternalFailure',
  'InternalError',
  'InternalServerError',
  'InternalServiceError',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'ServiceFailure',
  // S3 Control cannot form its account endpoint from AWS_ENDPOINT_URL (src/aws/clients.ts).
  'EndpointError',
  'SyntaxError',
  'UnknownError',
  'Unknown',
]);
export const NETWORK = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'TimeoutError',
  'RequestTimeout',
]);

// An answer the SDK could not read: its deserializer's words, JSON.parse's, or the XML parser's.
const UNPARSEABLE = /deserialization error|unexpected token|is not valid json|unexpected end of (json )?input|non-whitespace|invalid xml|\(HTTP 5\d\d\)/i;

/** The class of a failed call, from the AWS error name (or network code) and its message. */
export function classifyError(code: string, message = ''): ErrorClass {
  if (DENIED.has(code) || /^AccessDenied|NotAuthorized$/.test(code)) return 'denied';
  if (THROTTLED.has(code)) return 'throttled';
  if (EXPIRED_CREDENTIALS.has(code) || INVALID_CREDENTIALS.has(code)) return 'credentials';
  if (NETWORK.has(code)) return 'network';
  if (ENDPOINT.has(code) || UNPARSEABLE.test(message)) return 'endpoint';
  return 'other';
}

/** What to do about a failed call to `call` (an IAM action): a hint for the report. */
export function causeHint(call: string, code: string, message = ''): string {
  switch (classifyError(code, message)) {
    case 'denied':
      return `Grant ${call} to the grading identity (see \`lab-grader policy\`) and grade again.`;
    case 'throttled':
      return `AWS throttled ${call} (${code}): try again later, or grade fewer students at once.`;
    case 'credentials':
      return `The credentials were refused (${code}): refresh them (a new Learner Lab session, \`aws sso login\`, new access keys) and grade again.`;
    case 'endpoint':
      return `The endpoint did not answer ${call} usefully (${code}; a stand-in that lacks it?): this is not a permission problem; check AWS_ENDPOINT_URL or grade against AWS.`;
    case 'network':
      return `The AWS endpoint for ${call} was unreachable (${code}): check the network, proxy, --region and AWS_ENDPOINT_URL, and grade again.`;
    case 'other':
      return `${call} failed with ${code}: grade again; if it persists, the cause above says what AWS answered.`;
  }
}
