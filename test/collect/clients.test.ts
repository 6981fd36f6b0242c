// The real SDK clients against a local stand-in for AWS (127.0.0.1), reached through
// AWS_ENDPOINT_URL_<SERVICE>: retries on throttling, endpoint overrides, network failures.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { GetPublicAccessBlockCommand } from '@aws-sdk/client-s3-control';
import { DescribeLogGroupsCommand, DescribeLogStreamsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { ListClustersCommand } from '@aws-sdk/client-ecs';
import { createClients, GLOBAL_REGION, type AwsCallRecord } from '../../src/aws/clients.js';
import { collectSnapshot } from '../../src/collect/index.js';
import { explainCredentialError } from '../../src/aws/credentials.js';
import { AwsAccessError, UsageError } from '../../src/errors.js';
import { example, labParams } from '../support/fixtures.js';
import { mockAccount, type MockedAccount } from './mock-account.js';
import { stubTestCredentials } from '../support/aws-env.js';

let server: Server | undefined;
let account: MockedAccount | undefined;

beforeEach(() => {
  stubTestCredentials();
});
afterEach(async () => {
  vi.unstubAllEnvs();
  account?.restore();
  account = undefined;
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

/** A CloudWatch Logs stand-in speaking AWS JSON 1.1; `answer` gets the operation and its attempt number. */
async function logsStandIn(answer: (operation: string, attempt: number) => { status: number; body: unknown }): Promise<string> {
  const attempts = new Map<string, number>();
  server = createServer((request: IncomingMessage, response) => {
    request.resume();
    request.on('end', () => {
      const operation = String(request.headers['x-amz-target'] ?? '').split('.').pop() ?? '';
      const attempt = (attempts.get(operation) ?? 0) + 1;
      attempts.set(operation, attempt);
      const { status, body } = answer(operation, attempt);
      const error = status >= 400 ? { 'x-amzn-errortype': (body as { __type: string }).__type } : {};
      response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', ...error });
      response.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server?.address() as AddressInfo).port}`;
}

const throttled = { status: 400, body: { __type: 'ThrottlingException', message: 'Rate exceeded' } };

describe('clients', () => {
  it('use adaptive retry with 5 attempts, and the global region for IAM and Budgets', async () => {
    const clients = createClients({ region: 'eu-west-1' }, {});
    expect(await clients.ec2.config.region()).toBe('eu-west-1');
    expect(await clients.iam.config.region()).toBe(GLOBAL_REGION);
    expect(await clients.budgets.config.region()).toBe(GLOBAL_REGION);
    expect(((await clients.ecs.config.retryStrategy()) as { mode?: string }).mode).toBeUndefined();
    expect(await clients.ecs.config.maxAttempts()).toBe(5);
    expect(await clients.s3('ap-southeast-2').config.region()).toBe('ap-southeast-2');
    expect(clients.s3('eu-west-1').config.forcePathStyle).toBe(false);
    clients.destroy();
  });

  it("take the region of the --aws-profile's config when no --region is given", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lab-grader-'));
    writeFileSync(join(dir, 'config'), '[profile student]\nregion = ap-south-1\n');
    vi.stubEnv('AWS_CONFIG_FILE', join(dir, 'config'));
    const clients = createClients({ awsProfile: 'student' }, {});
    expect(await clients.ecs.config.region()).toBe('ap-south-1');
    expect(await clients.iam.config.region()).toBe(GLOBAL_REGION);
    clients.destroy();
    rmSync(dir, { recursive: true });
  });

  it('tell --verbose of every call: action, region, milliseconds and outcome, retries included', async () => {
    const endpoint = await logsStandIn((operation, attempt) => {
      if (operation === 'DescribeLogGroups') return attempt === 1 ? throttled : { status: 200, body: { logGroups: [] } };
      return { status: 400, body: { __type: 'AccessDeniedException', message: 'not allowed' } };
    });
    vi.stubEnv('AWS_ENDPOINT_URL_CLOUDWATCH_LOGS', endpoint);
    const calls: AwsCallRecord[] = [];
    const clients = createClients({ region: 'eu-west-1', onCall: (call) => calls.push(call) });
    await clients.logs.send(new DescribeLogGroupsCommand({}));
    await clients.logs.send(new DescribeLogStreamsCommand({ logGroupName: 'g' })).catch(() => undefined);
    clients.destroy();
    expect(calls.map(({ ms: _ms, ...call }) => call)).toEqual([
      { action: 'logs:DescribeLogGroups', region: 'eu-west-1', outcome: 'ok' },
      { action: 'logs:DescribeLogStreams', region: 'eu-west-1', outcome: 'AccessDeniedException (HTTP 400)' },
    ]);
    expect(calls.every((call) => Number.isInteger(call.ms) && call.ms >= 0)).toBe(true);
  });

  it('address S3 by path when an endpoint override points at a stand-in', () => {
    const clients = createClients({ region: 'eu-west-1' }, { AWS_ENDPOINT_URL: 'http://localhost:4566' });
    expect(clients.s3('eu-west-1').config.forcePathStyle).toBe(true);
    clients.destroy();
  });

  it("fail S3 Control's account call with the cause, and print nothing, when the endpoint is an IP address", async () => {
    vi.stubEnv('AWS_ENDPOINT_URL', 'http://127.0.0.1:9');
    const printed = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const clients = createClients({ region: 'eu-west-1' }, process.env);
    try {
      const call = clients.s3control.send(new GetPublicAccessBlockCommand({ AccountId: '123456789012' }));
      await expect(call).rejects.toMatchObject({ name: 'EndpointError', message: expect.stringContaining('account id in front of its host') });
      expect(printed).not.toHaveBeenCalled();
    } finally {
      printed.mockRestore();
      clients.destroy();
    }
  });
  it('retry a throttled call through AWS_ENDPOINT_URL_CLOUDWATCH_LOGS, and record one still throttled after every attempt', async () => {
    const complete = example('complete-lab');
    const logGroups = complete.facts.logGroups.ok ? complete.facts.logGroups.data : [];
    const endpoint = await logsStandIn((operation, attempt) => {
      if (operation === 'DescribeLogGroups') return attempt === 1 ? throttled : { status: 200, body: { logGroups } };
      return throttled;
    });
    vi.stubEnv('AWS_ENDPOINT_URL_CLOUDWATCH_LOGS', endpoint);
    account = mockAccount(complete);
    account.logs.restore();
    const snapshot = await collectSnapshot({
      params: labParams(),
      region: 'eu-west-1',
      maxAttempts: 2,
    });
    expect(snapshot.facts.logGroups).toEqual(complete.facts.logGroups);
    expect(snapshot.facts.logStreams['/ecs/sentiment-app-task']).toEqual({
      ok: false,
      error: { call: 'logs:DescribeLogStreams', code: 'ThrottlingException', message: 'Rate exceeded' },
    });
    // The events were not read because the streams could not be: the same cause, not an empty list.
    expect(snapshot.facts.logEvents['/ecs/sentiment-app-task']).toEqual(snapshot.facts.logStreams['/ecs/sentiment-app-task']);
    expect(snapshot.facts.vpcs).toEqual(complete.facts.vpcs);
  });

  it('a network failure reaching STS stops with exit 3 and what to check', async () => {
    const endpoint = await logsStandIn(() => throttled);
    await new Promise((resolve) => server?.close(resolve));
    server = undefined;
    vi.stubEnv('AWS_ENDPOINT_URL_STS', endpoint);
    const error = await collectSnapshot({ params: labParams(), region: 'eu-west-1', maxAttempts: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AwsAccessError);
    // The message names where nothing answered.
    expect((error as Error).message).toContain(`Could not reach AWS STS at ${endpoint} (ECONNREFUSED`);
    expect((error as Error).message).not.toContain('AKIAFAKEEXAMPLEKEY01');
  });

  it('no region anywhere: exit 2, naming --region and --region auto', () => {
    const error = explainCredentialError(Object.assign(new Error('Region is missing'), { name: 'Error' }));
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toContain('--region auto');
  });

  it('do not retry an operation the endpoint does not implement', async () => {
    let calls = 0;
    const endpoint = await logsStandIn(() => {
      calls += 1;
      return { status: 501, body: { __type: 'NotImplemented', message: 'The DescribeLogGroups action has not been implemented' } };
    });
    vi.stubEnv('AWS_ENDPOINT_URL_CLOUDWATCH_LOGS', endpoint);
    const clients = createClients({ region: 'eu-west-1', maxAttempts: 5 }, {});
    const error = await clients.logs.send(new DescribeLogGroupsCommand({})).catch((e: unknown) => e);
    clients.destroy();
    expect((error as Error).name).toBe('NotImplemented');
    expect(calls).toBe(1);
  });

  it('retry a server error once, and stop when the retry answers the same', async () => {
    let calls = 0;
    const endpoint = await logsStandIn(() => {
      calls += 1;
      return { status: 500, body: { __type: 'InternalFailure', message: 'no handler for this operation' } };
    });
    vi.stubEnv('AWS_ENDPOINT_URL_CLOUDWATCH_LOGS', endpoint);
    const clients = createClients({ region: 'eu-west-1', maxAttempts: 5 }, {});
    const error = await clients.logs.send(new DescribeLogGroupsCommand({})).catch((e: unknown) => e);
    clients.destroy();
    expect((error as Error).name).toBe('InternalFailure');
    expect(calls).toBe(2);
  });

  it('keep retrying a server error that changes, and succeed when it clears', async () => {
    const endpoint = await logsStandIn((_operation, attempt) =>
      attempt < 3 ? { status: 500, body: { __type: 'InternalFailure', message: `hiccup ${attempt}` } } : { status: 200, body: { logGroups: [] } },
    );
    vi.stubEnv('AWS_ENDPOINT_URL_CLOUDWATCH_LOGS', endpoint);
    const clients = createClients({ region: 'eu-west-1', maxAttempts: 5 }, {});
    const output = await clients.logs.send(new DescribeLogGroupsCommand({}));
    clients.destroy();
    expect(output.logGroups).toEqual([]);
    expect(output.$metadata.attempts).toBe(3);
  });

  it('share kept-alive connections between the clients of one collection', async () => {
    let connections = 0;
    server = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
        response.end('{}');
      });
    });
    server.on('connection', () => (connections += 1));
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    vi.stubEnv('AWS_ENDPOINT_URL', `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    const clients = createClients({ region: 'eu-west-1' }, {});
    await clients.logs.send(new DescribeLogGroupsCommand({}));
    await clients.ecs.send(new ListClustersCommand({}));
    await clients.logs.send(new DescribeLogGroupsCommand({}));
    clients.destroy();
    expect(connections).toBe(1);
  });
});
