// How checks read the probe results in a snapshot: pure functions, no I/O.
//
// The rule for whose fault a failed probe is:
// - the lab has no internet-facing ALB, or the ALB answered with an error status, refused
//   the connection, timed out or redirected elsewhere: the student's (fail, with a hint);
// - the probes were not run (offline grading, probing disabled), the ALB's name did not
//   resolve from the grader's network, or the grader's safety rules refused the address:
//   unknown, so the check is `error` with the cause, never a fail.
import { fail, pass, type Verdict } from '../check/define.js';
import { FactUnavailable } from '../resolve/facts.js';
import type { Lab } from '../resolve/lab.js';
import type { ProbeResult, Probes } from '../snapshot/types.js';

/** Probe errors that say nothing about the student's lab. */
const GRADER_SIDE_ERRORS = new Set(['dns', 'refused-address', 'budget-spent']);

/**
 * What to do when the grader could not observe the app, by why: the snapshot is the same
 * whether it is graded live or saved and regraded, so each hint holds for both.
 */
const PROBE_HINTS: Record<string, string> = {
  dns:
    "The load balancer's DNS name did not resolve from the grader's network: a new load balancer's name can take a few minutes to appear. " +
    'Grade again in a few minutes, or probe a URL you choose with --alb-url URL.',
  'refused-address':
    "The load balancer's name resolved to an address the grader never probes (private, loopback or link-local): grade from a network where it resolves to its public address, " +
    'or probe a URL you choose with --alb-url URL.',
  'budget-spent': "The probes' time ran out before this request (the grade's --timeout, or the rubric's probe.budgetMs): grade again, with a longer --timeout if the app is slow.",
  NotProbed: 'This evidence was collected without probing the load balancer: grade the account live to probe it, or probe a URL you choose with --alb-url URL.',
};

/** Thrown so the engine reports `error`: the grader could not observe the app, which is not the student's miss. */
export function probeUnavailable(what: string, code: string, message: string): FactUnavailable {
  // A snapshot's code is data: only the hints' own keys are looked up.
  const hint = Object.hasOwn(PROBE_HINTS, code) ? PROBE_HINTS[code]! : 'Grade again live, from a network that can reach the load balancer, or probe a URL you choose with --alb-url URL.';
  return new FactUnavailable('probes', `http:${what}`, code, message, hint);
}

/**
 * Thrown when the app's OpenAPI document could not be read within the grader's bounds: which
 * endpoint predicts is unknown, which says nothing about whether the app does.
 */
export function openApiNotUnderstood(reason: string): FactUnavailable {
  return new FactUnavailable(
    'probes',
    'http:GET /openapi.json',
    'OpenApiNotUnderstood',
    `the app's OpenAPI document could not be read: ${reason}; no prediction endpoint was found in it, so none was requested`,
    "A person can try the app's prediction endpoint by hand; FastAPI's own generated document is always readable.",
  );
}

export function isSuccess(result: ProbeResult): boolean {
  return result.error === undefined && result.status !== undefined && result.status >= 200 && result.status < 300;
}

/** Between a request and its answer in every description of a probe's result: a line without it cites none. */
export const RESULT_ARROW = ' → ';

/** "GET / → 200 in 41 ms" or "GET / → timeout: no complete answer within 10000 ms". */
export function describeResult(result: ProbeResult): string {
  const request = `${result.method} ${new URL(result.url).pathname}`;
  const retried = result.attempts > 1 ? ` after ${result.attempts} attempts` : '';
  if (result.error) return `${request}${RESULT_ARROW}${result.error.code}: ${result.error.message}${retried}`;
  return `${request}${RESULT_ARROW}${result.status} in ${result.latencyMs} ms${retried}`;
}

/**
 * The probes, when there are results to judge. Throws (→ `error`) when nothing was probed
 * for a reason that is not the student's, and returns a reason to fail when it is theirs.
 */
export function probesOf(lab: Lab): { probes: Probes; target: string } | { failure: string; evidence: string[] } {
  const probes = lab.snapshot.probes;
  if (probes.target === null) {
    const reason = probes.skipped ?? 'nothing was probed';
    // An unreadable load balancer throws here: whether there is one the grader cannot say.
    const alb = lab.loadBalancer;
    if (alb === undefined) {
      return {
        failure: 'Create an internet-facing Application Load Balancer with an HTTP listener on port 80, then grade again.',
        evidence: [`not probed: ${reason}`],
      };
    }
    if (alb.Scheme !== 'internet-facing') {
      return {
        failure: `Load balancer ${alb.LoadBalancerName} is ${alb.Scheme}: the lab's ALB must be internet-facing so it can be called from outside the VPC.`,
        evidence: [`not probed: ${reason}`],
      };
    }
    throw probeUnavailable('GET /', 'NotProbed', `load balancer ${alb.LoadBalancerName} was not probed: ${reason}`);
  }
  const overridden = probes.target.source === 'override' ? ' (target overridden with --alb-url)' : '';
  return { probes, target: `${probes.target.url}${overridden}` };
}

/** Results with these ids (or ids starting with `prefix.`), in recorded order. */
export function resultsFor(probes: Probes, ...ids: string[]): ProbeResult[] {
  return probes.results.filter((result) => ids.some((id) => result.id === id || result.id.startsWith(`${id}.`)));
}

/** When none of the results succeeded: throws if the cause is on the grader's side, else returns nothing. */
export function throwIfGraderSide(results: ProbeResult[]): void {
  const graderSide = results.find((result) => result.error && GRADER_SIDE_ERRORS.has(result.error.code));
  if (graderSide?.error) {
    throw probeUnavailable(`${graderSide.method} ${new URL(graderSide.url).pathname}`, graderSide.error.code, graderSide.error.message);
  }
}

/** A hint for a failed probe, naming what a student usually fixes for that symptom. */
export function failureHint(result: ProbeResult | undefined): string {
  if (!result) return 'The request was not made.';
  if (result.error?.code === 'timeout' || result.error?.code === 'UND_ERR_CONNECT_TIMEOUT' || result.error?.code === 'ETIMEDOUT') {
    return "The ALB did not answer in time: check that the ALB security group allows port 80 from 0.0.0.0/0 and the listener forwards to the target group (if it works from your browser, the grader's network may block port 80).";
  }
  if (result.error?.code === 'ECONNREFUSED') return 'The connection was refused: the ALB needs an HTTP listener on port 80.';
  if (result.error?.code === 'redirect-off-origin' || result.error?.code === 'redirect-off-host') {
    return 'The app redirects to another host or port: serve the page on the ALB itself.';
  }
  if (result.status === 502 || result.status === 503 || result.status === 504) {
    return `The ALB answered ${result.status}: it has no healthy target. Check that the ECS service runs, its targets pass the /health check, and the app security group allows port 8000 from the ALB.`;
  }
  if (result.status === 404) return 'The ALB answered 404: the app does not serve this path.';
  if (result.error) return `The request failed (${result.error.code}).`;
  return `The ALB answered ${result.status}.`;
}

/** Pass when any of the probes `ids` answered 2xx; else fail with `ask` and the symptom's hint (or `error`, if not the student's). */
export function anyAnswers(lab: Lab, ids: string[], ask: string): Verdict {
  const seen = probesOf(lab);
  if ('failure' in seen) return fail(seen.failure, seen.evidence);
  const results = resultsFor(seen.probes, ...ids);
  const evidence = [`target ${seen.target}`, ...results.map(describeResult)];
  if (results.some(isSuccess)) return pass(evidence);
  throwIfGraderSide(results);
  return fail(`${ask} ${failureHint(results[0])}`, evidence);
}
