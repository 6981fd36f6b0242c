// One HTTP probe: connect and total timeouts, a body cap, bounded retries with backoff
// inside the grade's probe budget, and redirects followed only on the same origin.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Dispatcher } from 'undici';
import type { ProbeResult } from '../snapshot/types.js';
import { RefusedAddressError, refusedHostReason } from './address.js';

/** How much of a body the snapshot keeps as text: enough for an API answer or a small OpenAPI document. */
export const EXCERPT_BYTES = 4096;
const MAX_REDIRECTS = 2;
const RETRY_STATUSES = new Set([502, 503, 504]);
const RETRY_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
]);

/** The whole-request timeout shows up under these names, depending on where it struck. */
const TIMEOUT_CODES = new Set(['UND_ERR_ABORTED', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

export interface ProbeRequest {
  id: string;
  method: 'GET' | 'POST';
  url: URL;
  /** JSON text, for POST probes. */
  body?: string;
}

export interface RequestSettings {
  dispatcher: Dispatcher;
  totalTimeoutMs: number;
  /** When every probe of this grade must be done (performance.now() time): retries and backoff count against it. */
  deadline: number;
  /** The budget the deadline was set from, for messages. */
  budgetMs: number;
  bodyCapBytes: number;
  retries: number;
  /** First backoff delay; it doubles on each retry. */
  retryDelayMs: number;
  allowPrivateAddresses: boolean;
  /** Stops every probe: none is sent after it, and those in flight are aborted. */
  signal?: AbortSignal;
}

/** A probe's result for the snapshot, and the body (up to the cap) for the prober's own use. */
export interface ProbeOutcome {
  result: ProbeResult;
  body: Buffer;
}

class ProbeFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

interface Attempt {
  status?: number;
  contentType?: string;
  body: Buffer;
  truncated: boolean;
  error?: { code: string; message: string };
}

/** The error of a request that was not sent, or was cut short, because the probe budget ran out. */
export function budgetSpent(budgetMs: number, sent: boolean): { code: string; message: string } {
  return {
    code: 'budget-spent',
    message: sent
      ? `cut short when the probe budget of ${budgetMs} ms ran out`
      : `not sent: the probe budget of ${budgetMs} ms was spent on earlier requests`,
  };
}

function errorOf(error: unknown, timeoutMs: number, settings: RequestSettings): { code: string; message: string } {
  if (error instanceof ProbeFailure || error instanceof RefusedAddressError) {
    return { code: error.code, message: error.message };
  }
  const err = error as { name?: string; code?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err.name === 'TimeoutError' || err.name === 'AbortError' || TIMEOUT_CODES.has(err.code ?? '')) {
    // A timeout shortened by the budget says nothing about the app: the grader stopped waiting.
    if (timeoutMs < settings.totalTimeoutMs) return budgetSpent(settings.budgetMs, true);
    return { code: 'timeout', message: `no complete answer within ${timeoutMs} ms` };
  }
  const code = err.code ?? err.cause?.code ?? 'request-failed';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return { code: 'dns', message: `the name did not resolve from the grader's network (${code})` };
  }
  return { code, message: err.message ?? err.cause?.message ?? String(error) };
}

async function readCapped(body: Dispatcher.ResponseData['body'], cap: number): Promise<{ body: Buffer; truncated: boolean }> {
  const chunks: Buffer[] = [];
  let kept = 0;
  let truncated = false;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    const room = cap - kept;
    if (chunk.length > room) {
      chunks.push(chunk.subarray(0, room));
      kept += room;
      truncated = true;
      // Leaving the loop destroys the stream, so the rest of a huge body is never read.
      break;
    }
    chunks.push(chunk);
    kept += chunk.length;
  }
  return { body: Buffer.concat(chunks, kept), truncated };
}

function checkHost(url: URL, allowPrivateAddresses: boolean): void {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  // Other names are checked by the guarded lookup at connect time; literals and localhost names never reach a lookup.
  if (!allowPrivateAddresses) {
    const reason = refusedHostReason(host);
    if (reason !== null) throw new RefusedAddressError(host, reason);
  }
}

async function attempt(request: ProbeRequest, settings: RequestSettings, timeoutMs: number): Promise<Attempt> {
  const signal = settings.signal ? AbortSignal.any([AbortSignal.timeout(timeoutMs), settings.signal]) : AbortSignal.timeout(timeoutMs);
  let url = request.url;
  let method = request.method;
  let body = request.body;
  try {
    for (let redirects = 0; ; redirects++) {
      checkHost(url, settings.allowPrivateAddresses);
      const response = await settings.dispatcher.request({
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method,
        headers: {
          accept: 'application/json, text/html;q=0.9, */*;q=0.5',
          'user-agent': 'lab-grader probe',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body,
        signal,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      const location = response.headers.location;
      if (response.statusCode >= 300 && response.statusCode < 400 && typeof location === 'string') {
        await response.body.dump({ limit: 16 * 1024 });
        const next = new URL(location, url);
        // Another port or scheme on the same host is another service: the origin must match.
        if (next.origin !== request.url.origin) {
          throw Object.assign(
            new ProbeFailure('redirect-off-origin', `redirected to another origin (${next.origin}); probes never leave ${request.url.origin}`),
            { status: response.statusCode },
          );
        }
        if (redirects >= MAX_REDIRECTS) {
          throw Object.assign(new ProbeFailure('too-many-redirects', `more than ${MAX_REDIRECTS} redirects`), {
            status: response.statusCode,
          });
        }
        if (response.statusCode === 303) {
          method = 'GET';
          body = undefined;
        }
        url = next;
        continue;
      }
      const contentType = response.headers['content-type'];
      const read = await readCapped(response.body, settings.bodyCapBytes);
      return {
        status: response.statusCode,
        ...(typeof contentType === 'string' ? { contentType } : {}),
        body: read.body,
        truncated: read.truncated,
      };
    }
  } catch (error) {
    const status = (error as { status?: number }).status;
    return {
      ...(status === undefined ? {} : { status }),
      body: Buffer.alloc(0),
      truncated: false,
      error: errorOf(error, timeoutMs, settings),
    };
  }
}

function retryable(result: Attempt): boolean {
  if (result.error) return RETRY_CODES.has(result.error.code);
  return result.status !== undefined && RETRY_STATUSES.has(result.status);
}

/**
 * Send one probe, retrying connection errors and 502/503/504 (a new ALB answers those while
 * it warms up) while the budget lasts. The recorded latency is the whole time, retries included.
 */
export async function sendProbe(request: ProbeRequest, settings: RequestSettings): Promise<ProbeOutcome> {
  const started = performance.now();
  let attempts = 0;
  let result: Attempt = { body: Buffer.alloc(0), truncated: false, error: budgetSpent(settings.budgetMs, false) };
  for (;;) {
    const left = settings.deadline - performance.now();
    if (left <= 0 || settings.signal?.aborted) break;
    attempts += 1;
    result = await attempt(request, settings, Math.min(settings.totalTimeoutMs, Math.ceil(left)));
    if (attempts > settings.retries || !retryable(result)) break;
    const delay = settings.retryDelayMs * 2 ** (attempts - 1);
    // No room left for another attempt after the backoff: keep this answer.
    if (performance.now() + delay >= settings.deadline) break;
    await sleep(delay);
  }
  return {
    body: result.body,
    result: {
      id: request.id,
      method: request.method,
      url: request.url.href,
      ...(request.body === undefined ? {} : { requestBody: request.body }),
      ...(result.status === undefined ? {} : { status: result.status }),
      ...(result.contentType === undefined ? {} : { contentType: result.contentType }),
      latencyMs: Math.round(performance.now() - started),
      attempts,
      bodyBytes: result.body.length,
      bodyExcerpt: result.body.subarray(0, EXCERPT_BYTES).toString('utf8'),
      truncated: result.truncated,
      ...(result.error ? { error: result.error } : {}),
    },
  };
}
