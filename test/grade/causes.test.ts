// Each class of failed call gets its own hint: only a refusal is fixed by granting the call.
// Causes are in words: what answered and what it said, never the SDK's text for programmers.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { describe, expect, it } from 'vitest';
import { checksById } from '../../checks/index.js';
import monthlyCostBudget from '../../checks/budgets/monthly-cost-budget.js';
import { classifyError, plainMessage, unreadCause } from '../../src/snapshot/error-class.js';
import { factError } from '../../src/collect/calls.js';
import { grade } from '../../src/grade/engine.js';
import { renderReport } from '../../src/report/index.js';
import { loadRubric } from '../../src/rubric/load.js';
import type { FactError } from '../../src/snapshot/types.js';
import { completeLabWith, denied, runCheck } from '../support/fixtures.js';

const rubric = loadRubric(fileURLToPath(new URL('../../rubric.yaml', import.meta.url)), 'rubric.yaml');

/** What the SDK throws when an endpoint answers `status` with `body`: a real client, a real server on 127.0.0.1. */
async function sdkErrorFor(status: number, contentType: string, body: string): Promise<unknown> {
  const server = createServer((_request, response) => response.writeHead(status, { 'content-type': contentType }).end(body));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client = new CloudTrailClient({
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'AKIAEXAMPLEKEYTESTS1', secretAccessKey: 'not-a-secret' },
    maxAttempts: 1,
  });
  try {
    await client.send(new LookupEventsCommand({}));
    throw new Error('the endpoint was expected to fail');
  } catch (error) {
    return error;
  } finally {
    client.destroy();
    server.close();
  }
}

/** The SDK's words for programmers and parser fragments, which no report may show. */
const SDK_TEXT = /hidden field|Deserialization|\$response|SyntaxError|Unexpected token|is not valid JSON|\n\s+at /;

describe('causes in words', () => {
  it('an HTML error page where an AWS answer belongs: the collector stores what answered, not the parser\'s complaint', async () => {
    const error = await sdkErrorFor(500, 'text/html', '<!doctype html><html><body><h1>Internal Server Error</h1></body></html>');
    // The SDK's own message is what the student saw before.
    expect((error as Error).message).toMatch(/Deserialization error: to see the raw response, inspect the hidden field/);
    const stored = factError(error, 'cloudtrail:LookupEvents');
    expect(stored).toEqual({ call: 'cloudtrail:LookupEvents', code: 'SyntaxError', message: 'HTTP 500 with an HTML page, not an AWS response' });
    expect(classifyError(stored.code, stored.message)).toBe('endpoint');
  });

  it('other answers the SDK could not read are named by what they were', async () => {
    const empty = factError(await sdkErrorFor(502, 'application/x-amz-json-1.1', '{"truncated'), 'cloudtrail:LookupEvents');
    expect(empty.message).toBe('HTTP 502 with a body it could not read, not an AWS response');
  });

  it('a snapshot saved before keeps its raw message, and the report still shows it in words', () => {
    const old: FactError = {
      call: 'cloudtrail:LookupEvents',
      code: 'SyntaxError',
      message: `Unexpected token '<', "<!doctype "... is not valid JSON\n  Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object. (HTTP 500)`,
    };
    expect(unreadCause('userEvents', old.call, old.code, old.message)).toBe(
      'could not read userEvents (cloudtrail:LookupEvents): the CloudTrail endpoint answered HTTP 500 with an HTML page, not an AWS response',
    );
    const snapshot = completeLabWith((s) => {
      // Graded through a role, step 1.3 rests on CloudTrail's record of the admin user's CLI calls.
      s.facts.callerIdentity = {
        ok: true,
        data: { Account: '123456789012', Arn: 'arn:aws:sts::123456789012:assumed-role/grader/session', UserId: 'AROAEXAMPLE:session' },
      };
      s.facts.userEvents = { ok: false, error: old };
      s.facts.ecrLoginEvents = { ok: false, error: old };
    });
    const scorecard = grade({ rubric, rubricFile: 'rubric.yaml', snapshot, checks: checksById });
    const step = scorecard.sections.flatMap((section) => section.steps).find((candidate) => candidate.id === '1.3')!;
    expect(step.checks[0]!.cause).toContain('the CloudTrail endpoint answered HTTP 500 with an HTML page');
    expect(step.checks[0]!.hint).toMatch(/^The CloudTrail endpoint did not answer cloudtrail:LookupEvents usefully \(a stand-in/);
    for (const format of ['console', 'markdown', 'json', 'html', 'junit'] as const) {
      expect(renderReport(scorecard, format, {}), format).not.toMatch(SDK_TEXT);
    }
  });

  it('stack frames and the SDK\'s advice never reach a cause; a long message is cut', () => {
    const message =
      'Failed to construct URL with http://123456789012.127.0.0.1:5000\n    at new URL (node:internal/url:816:29)\n    at resolve (file:///app/node_modules/@smithy/x/index.js:12:5)\n  Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object.';
    expect(plainMessage(message)).toBe('Failed to construct URL with http://123456789012.127.0.0.1:5000');
    expect(plainMessage('x'.repeat(1000))).toHaveLength(300);
    expect(unreadCause('budgets', 'budgets:ViewBudget', 'AccessDeniedException', 'not authorized\n    at x (file:///a.js:1:2)')).toBe(
      'could not read budgets: budgets:ViewBudget answered AccessDeniedException: not authorized',
    );
  });
});

/** The budget check, with budgets:ViewBudget answering `code` and `message`. */
function budgetWhenViewBudget(code: string, message: string) {
  return runCheck(
    monthlyCostBudget,
    completeLabWith((s) => {
      s.facts.budgets = { ok: false, error: { call: 'budgets:ViewBudget', code, message } };
    }),
  );
}

describe('the cause and hint of an unreadable fact, by error class', () => {
  it('AccessDenied: grant the named action', () => {
    const evaluation = budgetWhenViewBudget('AccessDeniedException', 'User: arn:aws:iam::123456789012:user/grader is not authorized to perform: budgets:ViewBudget');
    expect(evaluation.status).toBe('error');
    expect(evaluation.cause).toContain('budgets:ViewBudget answered AccessDeniedException');
    expect(evaluation.hint).toBe('Grant budgets:ViewBudget to the grading identity (see `lab-grader policy`) and grade again.');
  });

  it('Throttling: try again later', () => {
    const evaluation = budgetWhenViewBudget('ThrottlingException', 'Rate exceeded');
    expect(evaluation.status).toBe('error');
    expect(evaluation.hint).toMatch(/^AWS throttled budgets:ViewBudget \(ThrottlingException\): try again later/);
    expect(evaluation.hint).not.toMatch(/Grant/);
  });

  it('expired or invalid credentials: refresh them', () => {
    for (const code of ['ExpiredTokenException', 'InvalidClientTokenId', 'UnrecognizedClientException']) {
      const evaluation = budgetWhenViewBudget(code, 'The security token included in the request is expired');
      expect(evaluation.hint).toMatch(/^The credentials were refused .*refresh them/);
      expect(evaluation.hint).not.toMatch(/Grant/);
    }
  });

  it('NotImplemented, a 5xx, or an answer the SDK could not parse: the endpoint did not answer usefully', () => {
    const answers: [string, string][] = [
      ['NotImplemented', 'The DescribeBudgets action has not been implemented'],
      ['InternalFailure', 'An internal error occurred'],
      ['Error', 'Unknown error (HTTP 502)'],
      ['EndpointError', "S3 Control's account endpoint cannot be formed from the endpoint URL http://127.0.0.1:5015"],
      ['SyntaxError', "Unexpected token '<', \"<html>\" is not valid JSON\n  Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object."],
    ];
    for (const [code, message] of answers) {
      const evaluation = budgetWhenViewBudget(code, message);
      expect(evaluation.status).toBe('error');
      expect(evaluation.hint).toContain('did not answer budgets:ViewBudget usefully');
      expect(evaluation.hint).toContain('a stand-in that lacks it');
      expect(evaluation.hint).toContain('not a permission problem');
    }
  });

  it('network: unreachable', () => {
    const evaluation = budgetWhenViewBudget('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5015');
    expect(evaluation.hint).toMatch(/^The AWS endpoint for budgets:ViewBudget was unreachable \(ECONNREFUSED\)/);
  });

  it('an unknown code gets no advice it cannot back', () => {
    const evaluation = budgetWhenViewBudget('ValidationException', 'something else');
    expect(classifyError('ValidationException')).toBe('other');
    expect(evaluation.hint).not.toMatch(/Grant|throttled|refresh|unreachable/);
  });
});

describe('factError keeps what the class needs', () => {
  it('adds a server fault status to the message, so an Unknown 503 reads as the endpoint, not as a refusal', () => {
    const error = Object.assign(new Error('UnknownError'), { name: 'Unknown', $metadata: { httpStatusCode: 503 } });
    const stored = factError(error, 'budgets:ViewBudget');
    expect(stored).toEqual({ call: 'budgets:ViewBudget', code: 'Unknown', message: 'UnknownError (HTTP 503)' });
    expect(classifyError(stored.code, stored.message)).toBe('endpoint');
  });

  it('leaves a 4xx refusal as it was', () => {
    const error = Object.assign(new Error('not authorized'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 403 } });
    expect(factError(error, 'budgets:ViewBudget').message).toBe('not authorized');
  });
});

describe('a check whose evidence is partly unreadable, graded by the engine', () => {
  it('step 1.3 with CloudTrail unreadable is error, keeping the judged 0.12 of 0.25', () => {
    const rubric = loadRubric(fileURLToPath(new URL('../../rubric.yaml', import.meta.url)), 'rubric.yaml');
    const snapshot = completeLabWith((s) => {
      s.facts.callerIdentity = {
        ok: true,
        data: { Account: '123456789012', Arn: 'arn:aws:sts::123456789012:assumed-role/grader/session', UserId: 'AROAEXAMPLE:session' },
      };
      s.facts.userEvents = denied('cloudtrail:LookupEvents');
    });
    const scorecard = grade({ rubric, rubricFile: 'rubric.yaml', snapshot, checks: checksById });
    const step = scorecard.sections.flatMap((section) => section.steps).find((candidate) => candidate.id === '1.3');
    expect(step).toMatchObject({ status: 'error', points: { earned: 0.12, max: 0.25 } });
    expect(step?.checks[0]?.cause).toContain('cloudtrail:LookupEvents answered AccessDenied');
    expect(scorecard.counts.error).toBeGreaterThanOrEqual(1);
  });
});
