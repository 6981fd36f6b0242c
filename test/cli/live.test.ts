// A live grade through AWS_ENDPOINT_URL against a stand-in on 127.0.0.1 that knows the
// caller and refuses the rest: the real entry point prints the report and nothing else.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, type Run } from '../support/cli.js';

const IDENTITY =
  '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>' +
  '<Arn>arn:aws:iam::123456789012:user/student</Arn><UserId>AIDAEXAMPLE</UserId><Account>123456789012</Account>' +
  '</GetCallerIdentityResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></GetCallerIdentityResponse>';
const DENIED = '<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>not allowed</Message></Error><RequestId>2</RequestId></ErrorResponse>';

let server: Server;
let endpoint: string;
beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const identity = body.includes('Action=GetCallerIdentity');
      response.writeHead(identity ? 200 : 403, { 'content-type': 'text/xml' });
      response.end(identity ? IDENTITY : DENIED);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

function grade(args: string[]): Promise<Run> {
  const env = {
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: 'AKIAFAKEEXAMPLEKEY01',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    AWS_REGION: 'eu-west-1',
    AWS_CONFIG_FILE: '/nonexistent/lab-grader-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/lab-grader-credentials',
  };
  return run(['grade', ...args], { env });
}

describe('a live grade against a stand-in', { timeout: 60_000 }, () => {
  it('prints the report and nothing else: no SDK stack trace for the S3 Control URL it cannot form', async () => {
    const run = await grade(['--format', 'json', '--out', '-']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    const scorecard = JSON.parse(run.stdout) as { subject: { account: string }; sections: { steps: { checks: { id: string; hint?: string }[] }[] }[] };
    expect(scorecard.subject.account).toBe('123456789012');
    // Budgets is a JSON service: the stand-in's XML refusal is an answer the SDK could not parse, not a permission problem.
    const budget = scorecard.sections.flatMap((section) => section.steps.flatMap((step) => step.checks)).find((check) => check.id === 'budgets.monthly-cost-budget');
    expect(budget?.hint).toContain('did not answer budgets:ViewBudget usefully');
    expect(budget?.hint).not.toContain('Grant');
  });

  it('with --verbose, logs each AWS call on stderr in one line each, S3 Control\'s unformable endpoint included', async () => {
    const run = await grade(['--format', 'json', '--out', '-', '--verbose']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/^aws sts:GetCallerIdentity eu-west-1 \d+ ms ok$/m);
    expect(run.stderr).toMatch(/^aws ec2:DescribeVpcs eu-west-1 \d+ ms AccessDenied \(HTTP 403\)$/m);
    expect(run.stderr).toMatch(/^aws s3control:GetPublicAccessBlock eu-west-1 \d+ ms EndpointError$/m);
    expect(run.stderr).not.toMatch(/Failed to construct URL/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});

describe("a live grade of an app whose OpenAPI document is hostile", { timeout: 60_000 }, () => {
  const selfReferencing = { A: { allOf: [{ $ref: '#/components/schemas/A' }] } };
  const tangled: Record<string, unknown> = { S30: { properties: { text: { type: 'string' } } } };
  for (let level = 0; level < 30; level += 1) tangled[`S${level}`] = { allOf: Array.from({ length: 10 }, () => ({ $ref: `#/components/schemas/S${level + 1}` })) };
  let app: Server;
  let appUrl: string;
  const work = mkdtempSync(join(tmpdir(), 'lab-grader-openapi-'));
  beforeAll(async () => {
    app = createServer((request, response) => {
      const [schemas, first] = request.url?.startsWith('/tangled/') ? [tangled, 'S0'] : [selfReferencing, 'A'];
      if (request.url?.endsWith('/openapi.json')) {
        const predict = { post: { requestBody: { content: { 'application/json': { schema: { $ref: `#/components/schemas/${first}` } } } } } };
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ openapi: '3.1.0', paths: { '/predict': predict }, components: { schemas } }));
      } else {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end('{"status":"ok"}');
      }
    });
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => app.close(resolve));
    rmSync(work, { recursive: true, force: true });
  });

  it('grades (exit 0), writes the reports and saves the snapshot with the probes: a cycle reads as no field, too much reading is error', async () => {
    const runs = await Promise.all(
      ['self', 'tangled'].map((name) =>
        grade(['--alb-url', name === 'self' ? appUrl : `${appUrl}/tangled`, '--format', 'json', '--out', join(work, name), '--save-snapshot', join(work, `${name}.json`)]),
      ),
    );
    const predicts = runs.map((run, index) => {
      expect(run.code, run.stderr).toBe(0);
      const name = index === 0 ? 'self' : 'tangled';
      const saved = JSON.parse(readFileSync(join(work, `${name}.json`), 'utf8')) as { probes: { results: { id: string }[]; openapiNotUnderstood?: string } };
      expect(saved.probes.results.map((result) => result.id)).toContain('openapi');
      const scorecard = JSON.parse(readFileSync(join(work, name, 'scorecard.json'), 'utf8')) as { sections: { steps: { checks: { id: string; status: string; cause?: string }[] }[] }[] };
      return { saved, check: scorecard.sections.flatMap((section) => section.steps.flatMap((step) => step.checks)).find((check) => check.id === 'app.predicts-sentiment') };
    });
    expect(predicts[0]!.check?.status).toBe('fail');
    expect(predicts[0]!.saved.probes.openapiNotUnderstood).toBeUndefined();
    expect(predicts[1]!.check).toMatchObject({ status: 'error', cause: expect.stringContaining("the app's OpenAPI document could not be read") });
    expect(predicts[1]!.saved.probes.openapiNotUnderstood).toContain('steps');
  });
});
