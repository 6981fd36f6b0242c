// Probes the lab's load balancer over HTTP and records every result for the snapshot.
// Only the target host is contacted, only at public addresses unless a person allows otherwise.
import { Agent } from 'undici';
import type { LabParams } from '../rubric/params.js';
import type { PredictEndpoint, ProbeResult, Probes } from '../snapshot/types.js';
import { guardedLookup } from './address.js';
import { findPredictEndpoint, getEndpoints, OpenApiNotUnderstood, parseOpenApi } from './openapi.js';
import { probeBaseUrl } from './target.js';
import { sendProbe, type ProbeOutcome, type ProbeRequest, type RequestSettings } from './request.js';

export interface ProbeOptions {
  /** Allow loopback/private/link-local addresses (only for a person's `--alb-url` override in testing). */
  allowPrivateAddresses?: boolean;
  /** First retry delay in ms, doubling on each retry (default 500). */
  retryDelayMs?: number;
  /** Requests in flight at once (default 4). */
  concurrency?: number;
  /** At most this long for every probe together, retries included (default: the rubric's probe.budgetMs); a grade's deadline may shorten it. */
  budgetMs?: number;
  /** Told of every probe once it ends (the progress line, `--verbose`). */
  onProbe?: (result: ProbeResult) => void;
  /** Stops the probes, whose results are then not kept: the live stage started them before the collection ended, and it failed. */
  signal?: AbortSignal;
}

export const NO_TARGET = 'no internet-facing application load balancer found in the account';
const OPENAPI_PATH = '/openapi.json';
/** The lab's reference app: what to try when the app publishes no OpenAPI document. */
const FALLBACK_PREDICT = { path: '/predict', textField: 'text' };

async function mapLimit<T, R>(items: readonly T[], limit: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await run(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

function urlAt(base: URL, path: string): URL {
  const url = new URL(base.href);
  url.pathname = `${base.pathname.replace(/\/+$/, '')}${path.startsWith('/') ? path : `/${path}`}`;
  return url;
}

function predictRequests(base: URL, endpoint: Pick<PredictEndpoint, 'path' | 'textField' | 'textIn'>, params: LabParams): ProbeRequest[] {
  const requests: ProbeRequest[] = [];
  for (const [label, texts] of [
    ['positive', params.probe.positiveTexts],
    ['negative', params.probe.negativeTexts],
  ] as const) {
    texts.forEach((text, index) => {
      const id = texts.length === 1 ? `predict.${label}` : `predict.${label}.${index + 1}`;
      const url = urlAt(base, endpoint.path);
      if (endpoint.textIn === 'query') {
        url.searchParams.set(endpoint.textField, text);
        requests.push({ id, method: 'POST', url });
      } else {
        requests.push({ id, method: 'POST', url, body: JSON.stringify({ [endpoint.textField]: text }) });
      }
    });
  }
  return requests;
}

/** Probe the lab's ALB (or the override) and record every result. */
export async function probeLab(target: Probes['target'], params: LabParams, options: ProbeOptions = {}): Promise<Probes> {
  if (target === null) return { target: null, skipped: NO_TARGET, results: [] };
  const base = probeBaseUrl(target.url);
  const allowPrivateAddresses = options.allowPrivateAddresses ?? false;
  const concurrency = options.concurrency ?? 4;
  const dispatcher = new Agent({
    connect: { timeout: params.probe.connectTimeoutMs, lookup: guardedLookup(allowPrivateAddresses) },
    connections: concurrency,
  });
  const budgetMs = Math.max(0, Math.min(params.probe.budgetMs, options.budgetMs ?? Infinity));
  const settings: RequestSettings = {
    dispatcher,
    totalTimeoutMs: params.probe.totalTimeoutMs,
    deadline: performance.now() + budgetMs,
    budgetMs,
    bodyCapBytes: params.probe.bodyCapBytes,
    retries: params.probe.retries,
    retryDelayMs: options.retryDelayMs ?? 500,
    allowPrivateAddresses,
    ...(options.signal ? { signal: options.signal } : {}),
  };
  const send = async (request: ProbeRequest): Promise<ProbeOutcome> => {
    const outcome = await sendProbe(request, settings);
    options.onProbe?.(outcome.result);
    return outcome;
  };
  try {
    const first = await mapLimit<ProbeRequest, ProbeOutcome>(
      [
        { id: 'root', method: 'GET', url: urlAt(base, '/') },
        { id: 'health', method: 'GET', url: urlAt(base, params.loadBalancer.healthCheckPath) },
        { id: 'docs', method: 'GET', url: urlAt(base, '/docs') },
        { id: 'openapi', method: 'GET', url: urlAt(base, OPENAPI_PATH) },
      ],
      concurrency,
      send,
    );
    const results: ProbeResult[] = first.map((outcome) => outcome.result);
    if (results.every((result) => result.status === undefined)) {
      const cause = results[0]?.error ? `${results[0].error.code}: ${results[0].error.message}` : 'no answer';
      return {
        target,
        skipped: `no request got an answer (${cause}); the OpenAPI endpoints and predictions were not probed`,
        predictEndpoint: null,
        results,
      };
    }

    const openapi = first[3] as ProbeOutcome;
    const document =
      openapi.result.status !== undefined && openapi.result.status < 300 && !openapi.result.truncated
        ? parseOpenApi(openapi.body.toString('utf8'))
        : undefined;
    let predictEndpoint: PredictEndpoint | null;
    let openapiNotUnderstood: string | undefined;
    const getRequests: ProbeRequest[] = [];
    if (document) {
      for (const path of getEndpoints(document)) getRequests.push({ id: `get:${path}`, method: 'GET', url: urlAt(base, path) });
      try {
        predictEndpoint = findPredictEndpoint(document, OPENAPI_PATH);
      } catch (error) {
        // The document is the student's: whatever stops its reading is said in the snapshot, and the grade goes on.
        predictEndpoint = null;
        openapiNotUnderstood = error instanceof OpenApiNotUnderstood ? error.message : `reading it failed (${error instanceof Error ? error.message : String(error)})`;
      }
    } else {
      const why = openapi.result.error?.message ?? (openapi.result.truncated ? 'larger than the body cap' : `status ${openapi.result.status}, not an OpenAPI document`);
      predictEndpoint = {
        ...FALLBACK_PREDICT,
        foundBy: `no OpenAPI document at ${OPENAPI_PATH} (${why}); tried POST ${FALLBACK_PREDICT.path} with a "${FALLBACK_PREDICT.textField}" field, as the lab's reference app takes`,
      };
    }
    // Predictions first: they carry points, so a slow app spends the budget on them before the extra GETs.
    const followUps = [...(predictEndpoint ? predictRequests(base, predictEndpoint, params) : []), ...getRequests];
    const second = await mapLimit(followUps, concurrency, send);
    return {
      target,
      predictEndpoint,
      ...(openapiNotUnderstood === undefined ? {} : { openapiNotUnderstood }),
      results: [...results, ...second.map((outcome) => outcome.result)],
    };
  } finally {
    await dispatcher.destroy();
  }
}
