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

// An answer the SDK could not read: its deserializer's words, JSON.parse's, the XML parser's, or
// the collector's own account of it (answerInWords).
const PARSE_FAILURE = /deserialization error|unexpected token|is not valid json|unexpected end of (json )?input|non-whitespace|invalid xml|not an AWS response/i;
const UNPARSEABLE = new RegExp(`${PARSE_FAILURE.source}|\\(HTTP 5\\d\\d\\)`, 'i');

/** The class of a failed call, from the AWS error name (or network code) and its message. */
export function classifyError(code: string, message = ''): ErrorClass {
  if (DENIED.has(code) || /^AccessDenied|NotAuthorized$/.test(code)) return 'denied';
  if (THROTTLED.has(code)) return 'throttled';
  if (EXPIRED_CREDENTIALS.has(code) || INVALID_CREDENTIALS.has(code)) return 'credentials';
  if (NETWORK.has(code)) return 'network';
  if (ENDPOINT.has(code) || UNPARSEABLE.test(message)) return 'endpoint';
  return 'other';
}

/** The AWS service an IAM action's prefix names, as a person reads it. */
const SERVICE_NAMES: Record<string, string> = {
  sts: 'STS',
  iam: 'IAM',
  budgets: 'Budgets',
  s3: 'S3',
  ecr: 'ECR',
  ec2: 'EC2',
  elasticloadbalancing: 'Elastic Load Balancing',
  ecs: 'ECS',
  logs: 'CloudWatch Logs',
  cloudwatch: 'CloudWatch',
  cloudtrail: 'CloudTrail',
};

/** `cloudtrail:LookupEvents` → `CloudTrail`. */
export function serviceName(call: string): string {
  const prefix = call.slice(0, Math.max(0, call.indexOf(':')));
  return Object.hasOwn(SERVICE_NAMES, prefix) ? SERVICE_NAMES[prefix]! : prefix || call;
}

// The SDK's advice to a programmer, appended to every error it could not deserialize.
const SDK_ADVICE = /\s*Deserialization error: to see the raw response, inspect the hidden field \{error\}\.\$response on this object\.?/gi;
// `at parse (file:///…/index.js:12:5)` and the like: where code failed, which a person cannot act on.
const STACK_FRAME = /\s+at\s+(?:[^\n()]*\()?(?:file:\/\/|node:|\/)[^\s)]*:\d+:\d+\)?/g;
/** A cause's message is a sentence, not a dump. */
const MAX_MESSAGE = 300;

/** The HTTP handler's words for its timeouts, and what they mean to a person. */
const HANDLER_TIMEOUTS: [RegExp, (ms: number) => string][] = [
  [/a request has exceeded the configured (\d+) ms requestTimeout\.?/, (ms) => `no complete answer within ${seconds(ms)}`],
  [/did not establish a connection with the server within the configured timeout of (\d+) ms\.?/, (ms) => `no connection within ${seconds(ms)}`],
  [/the request socket timed out after (\d+) ms of inactivity[^.]*\.?/, (ms) => `no answer for ${seconds(ms)}`],
];

function seconds(ms: number): string {
  return ms >= 1000 && ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

/** A message as a report shows it: no SDK advice to programmers, no stack frames, one line, bounded. */
export function plainMessage(message: string): string {
  let plain = message.replace(SDK_ADVICE, '').replace(STACK_FRAME, '').replace(/\s+/g, ' ').trim();
  for (const [shape, words] of HANDLER_TIMEOUTS) {
    const match = shape.exec(plain);
    if (match) plain = words(Number(match[1]));
  }
  return plain.length > MAX_MESSAGE ? `${plain.slice(0, MAX_MESSAGE - 1)}…` : plain;
}

/**
 * What an answer the SDK could not read was, in words: `HTTP 500 with an HTML page, not an AWS
 * response`. From the raw answer when the collector has it, or from the parser's message, which
 * quotes the body's first characters (`Unexpected token '<', "<!doctype "... is not valid JSON`).
 */
export function answerInWords(answer: { status?: number; contentType?: string; body?: string }): string {
  const body = (answer.body ?? '').trimStart();
  const kind =
    /html/i.test(answer.contentType ?? '') || /^<(!doctype\b|html|head|body)/i.test(body)
      ? 'an HTML page'
      : answer.body === ''
        ? 'an empty body'
        : body.startsWith('<')
          ? 'markup it could not read'
          : 'a body it could not read';
  return `${answer.status === undefined ? '' : `HTTP ${answer.status} with `}${kind}, not an AWS response`;
}

/** Whether a message is a parser's complaint about an answer (the SDK could not read it). */
export function isParseFailure(message: string): boolean {
  return PARSE_FAILURE.test(message);
}

/** For an answer the SDK could not read, what it was in words; undefined for an error AWS itself sent. */
export function unreadableAnswer(code: string, message: string): string | undefined {
  if (/not an AWS response/.test(message)) return plainMessage(message);
  if (!PARSE_FAILURE.test(message) && code !== 'SyntaxError') return undefined;
  const status = /\bHTTP (\d{3})\b/.exec(message)?.[1];
  const quoted = /"\s*(<[^"]*)"?/.exec(message)?.[1];
  return answerInWords({ ...(status === undefined ? {} : { status: Number(status) }), ...(quoted === undefined ? {} : { body: quoted }) });
}

/** `HTTP 500 with an HTML page` or `AccessDenied`: what a call answered, in a few words, for evidence lines. */
export function briefAnswer(code: string, message: string): string {
  return unreadableAnswer(code, message)?.replace(/, not an AWS response$/, '') ?? code;
}

/**
 * Why a fact could not be read, as a report shows it: what answered and what it said
 * ("the CloudTrail endpoint answered HTTP 500 with an HTML page, not an AWS response").
 */
export function unreadCause(fact: string, call: string, code: string, message: string, finding?: string): string {
  // "could not read vpcs to find the lab's VPC": the resource a check read, when the fact was read to find it.
  const what = finding === undefined ? fact : `${fact} to find ${finding}`;
  const answer = unreadableAnswer(code, message);
  if (answer !== undefined) return `could not read ${what} (${call}): the ${serviceName(call)} endpoint answered ${answer}`;
  return `could not read ${what}: ${call} answered ${code}: ${plainMessage(message)}`;
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
      // An unreadable answer is described by the cause; its parser's error name says nothing more.
      return `The ${serviceName(call)} endpoint did not answer ${call} usefully (${unreadableAnswer(code, message) === undefined ? `${code}; ` : ''}a stand-in that lacks it, or a proxy in the way?): this is not a permission problem; check AWS_ENDPOINT_URL or grade against AWS.`;
    case 'network':
      return `The AWS endpoint for ${call} was unreachable (${code}): check the network, proxy, --region and AWS_ENDPOINT_URL, and grade again.`;
    case 'other':
      return `${call} failed with ${code}: grade again; if it persists, the cause above says what AWS answered.`;
  }
}
