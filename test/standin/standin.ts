// The reference system against a live AWS stand-in (moto): the steps the integration suite
// and the fixture script share. Everything goes over the wire: the built CLI, the deploy and
// teardown scripts and the reference service run as their own processes.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  CreateAccessKeyCommand,
  CreateAccountAliasCommand,
  CreateGroupCommand,
  CreateRoleCommand,
  CreateUserCommand,
  CreateVirtualMFADeviceCommand,
  EnableMFADeviceCommand,
  IAMClient,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { ECRClient, PutImageCommand } from '@aws-sdk/client-ecr';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { ECSClient, RegisterTaskDefinitionCommand, type ContainerDefinition } from '@aws-sdk/client-ecs';
import { exportModel } from '../../reference-service/scripts/export-model.js';
import type { CheckResult, Scorecard } from '../../src/grade/scorecard.js';
import type { Fact, Snapshot } from '../../src/snapshot/types.js';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const REGION = 'eu-west-1';
/** The account moto answers as. */
export const ACCOUNT = '123456789012';
export const REGISTRY = `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com`;
export const CLI = join(REPO_ROOT, 'dist/bin/lab-grader.js');
export const BUCKET = `sentiment-app-models-${ACCOUNT}-${REGION}`;
/** The deploy's flags in every run: the budget alert's address, and no wait for healthy targets (the stand-in runs no task). */
export const DEPLOY_FLAGS = ['--alert-email', 'student@example.com', '--no-wait'];
/** The default image tag, as the deploy names it: a hash of the image's sources. */
export const SOURCE_TAG = /sentiment-app:(src-[0-9a-f]{12})/;

export const HOW_TO_RUN =
  'pip install "moto[server]", start MOTO_IAM_LOAD_MANAGED_POLICIES=true moto_server -p 5000, and set LAB_GRADER_STANDIN_URL=http://127.0.0.1:5000 (see docs/reference-service.md)';

/**
 * What moto 5.2.3 cannot show, by fact: these must be `error` with this cause, never data.
 * (Root MFA is always off and ECS never starts tasks: those facts are readable, just empty.)
 */
export const STANDIN_FACT_GAPS: Record<string, { call: string; cause: RegExp; optional?: true }> = {
  accountPublicAccessBlock: { call: 's3:GetAccountPublicAccessBlock', cause: /account endpoint cannot be formed from the endpoint URL/ },
  ecrLoginEvents: { call: 'cloudtrail:LookupEvents', cause: /^HTTP 500 with an HTML page, not an AWS response$/ },
  userEvents: { call: 'cloudtrail:LookupEvents', cause: /^HTTP 500 with an HTML page, not an AWS response$/ },
  // Stock moto 5.2 lacks DescribeSubscribersForNotification; this repository's stand-in adds it.
  'budgetNotifications[sentiment-app-monthly-cost]': { call: 'budgets:DescribeSubscribersForNotification', cause: /./, optional: true },
};

/** With stock moto (no subscribers call) the email-alert check can only be `error`, never `fail`. */
export const OPTIONAL_CHECK_GAPS: Record<string, 'error'> = { 'budgets.email-alert': 'error' };

/**
 * Checks the stand-in cannot let pass, and why: it reads these states correctly, it just
 * cannot produce them. Every other check of a step the deploy or the account setup builds
 * must pass with full points.
 */
export const STANDIN_CHECK_GAPS: Record<string, string> = {
  'iam.root-mfa': 'moto: root-account MFA is always off',
  'ecs.service-running': 'moto: ECS services never start tasks (runningCount 0, no target health)',
  'logs.service-logs': 'moto: no task runs, so no task writes to the log group',
};

/** Only a person judges these (app.test-script too, unless the grade is given --submission). */
export const MANUAL_CHECKS = ['s3.workflow-review'];

/** Every fact, flattened: `key` or `key[resource]`. */
function factsOf(snapshot: Snapshot): [string, Fact<unknown>][] {
  return Object.entries(snapshot.facts).flatMap(([key, value]) =>
    'ok' in (value as object) ? [[key, value as Fact<unknown>]] : Object.entries(value as Record<string, Fact<unknown>>).map(([resource, fact]) => [`${key}[${resource}]`, fact]),
  ) as [string, Fact<unknown>][];
}

/** Facts that are not `ok`, other than the stand-in's documented gaps (which must be `error` with their cause). */
export function unexpectedFacts(snapshot: Snapshot): string[] {
  return factsOf(snapshot).flatMap(([key, fact]) => {
    const gap = STANDIN_FACT_GAPS[key];
    if (gap && (fact.ok ? gap.optional : fact.error.call === gap.call && gap.cause.test(fact.error.message))) return [];
    if (gap) return [`${key}: expected the stand-in's gap (${gap.call}), got ${JSON.stringify(fact)}`];
    return fact.ok ? [] : [`${key}: ${fact.error.call} ${fact.error.code}: ${fact.error.message}`];
  });
}

export const checksOf = (scorecard: Scorecard): CheckResult[] => [...scorecard.sections.flatMap((section) => section.steps), ...scorecard.bonus].flatMap((step) => step.checks);

export interface Output {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The environment of every child: the stand-in's endpoint and dummy keys, no profile files, and no Docker on the PATH. */
export interface AccessKey {
  accessKeyId: string;
  secretAccessKey: string;
  /** Present for an assumed role's session credentials. */
  sessionToken?: string;
}

const DUMMY_KEY: AccessKey = { accessKeyId: 'testing', secretAccessKey: 'testing' };

export function standinEnv(url: string, key: AccessKey = DUMMY_KEY): NodeJS.ProcessEnv {
  return {
    PATH: dirname(process.execPath),
    HOME: process.env.HOME ?? '/tmp',
    AWS_ENDPOINT_URL: url,
    AWS_ACCESS_KEY_ID: key.accessKeyId,
    AWS_SECRET_ACCESS_KEY: key.secretAccessKey,
    ...(key.sessionToken === undefined ? {} : { AWS_SESSION_TOKEN: key.sessionToken }),
    AWS_REGION: REGION,
    AWS_CONFIG_FILE: '/nonexistent/lab-grader-standin-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/lab-grader-standin-credentials',
    NO_COLOR: '1',
  };
}

/** Runs `command ...args` in the repository root with the stand-in's environment and `env` over it (undefined removes a variable); every run has a deadline. */
function spawnRun(url: string, command: string, args: string[], env: NodeJS.ProcessEnv, key?: AccessKey, timeoutMs = 120_000, cwd = REPO_ROOT): Promise<Output> {
  const environment = { ...standinEnv(url, key), ...env };
  for (const [name, value] of Object.entries(environment)) if (value === undefined) delete environment[name];
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: environment, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} did not finish in ${timeoutMs / 1000} s\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Runs `node ...args` in the repository root with the stand-in's environment; every run has a deadline. */
export function node(url: string, args: string[], key?: AccessKey, timeoutMs = 120_000): Promise<Output> {
  return spawnRun(url, process.execPath, args, {}, key, timeoutMs);
}

/** `node ...args` with `env` over the stand-in's environment. */
export function nodeWith(url: string, args: string[], env: NodeJS.ProcessEnv): Promise<Output> {
  return spawnRun(url, process.execPath, args, env);
}

/** A bash script (a CI or LMS example) with the system's tools on the PATH and `env` over the stand-in's environment. */
export function bash(url: string, args: string[], env: NodeJS.ProcessEnv, cwd?: string): Promise<Output> {
  return spawnRun(url, 'bash', args, { PATH: `${dirname(process.execPath)}:/usr/bin:/bin`, ...env }, undefined, 240_000, cwd);
}

/** The reference system's scripts, run from source as `npm run deploy -w reference-service` does. */
export function referenceScript(url: string, script: 'deploy' | 'teardown', args: string[], region = REGION): Promise<Output> {
  return node(url, ['--import', 'tsx', join(REPO_ROOT, `reference-service/deploy/${script}.ts`), '--region', region, ...args]);
}

/** The built CLI's `grade`; `key` is whose credentials it grades with (moto answers GetCallerIdentity with the key's user). */
export function grade(url: string, args: string[], key?: AccessKey): Promise<Output> {
  return node(url, [CLI, 'grade', '--region', REGION, ...args], key);
}

/** The SDK's notice about Node releases after January 2027 (the CLI hides it; tsx-run scripts print it). */
const NODE_SUPPORT_NOTICE = /\(node:\d+\) Warning: NodeVersionSupportWarning[\s\S]*?\(Use `node --trace-warnings \.\.\.` to show where the warning was created\)\n/;

/** Stderr without the SDK's Node-support notice: what is left must be the script's own lines. */
export function ownStderr(stderr: string): string {
  return stderr.replace(NODE_SUPPORT_NOTICE, '');
}

/** The CLI's one status line on stderr; anything else there (an SDK stack trace, a warning) is a failure. */
export function cliStderr(stderr: string): string {
  return stderr.replace(/^reports written: .*\n/gm, '');
}

export async function resetStandin(url: string): Promise<void> {
  // Emptying a stand-in that holds a deployed lab can take moto several seconds on a loaded machine.
  const response = await fetch(`${url}/moto-api/reset`, { method: 'POST', signal: AbortSignal.timeout(60_000) });
  if (!response.ok) throw new Error(`the stand-in at ${url} did not reset: HTTP ${response.status}`);
}

const clientConfig = (url: string, region: string) => ({ endpoint: url, region, credentials: DUMMY_KEY });

/** Section 1 of the lab as a person does it in the console (all but root MFA, which moto cannot turn on); returns the admin user's access key. */
export async function accountSetup(url: string): Promise<AccessKey> {
  const iam = new IAMClient(clientConfig(url, 'us-east-1'));
  try {
    await iam.send(new CreateAccountAliasCommand({ AccountAlias: 'sentiment-lab-standin' }));
    await iam.send(new CreateGroupCommand({ GroupName: 'admin' }));
    await iam.send(new AttachGroupPolicyCommand({ GroupName: 'admin', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }));
    await iam.send(new CreateUserCommand({ UserName: 'lab-admin' }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'admin', UserName: 'lab-admin' }));
    const device = await iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'lab-admin' }));
    await iam.send(
      new EnableMFADeviceCommand({ UserName: 'lab-admin', SerialNumber: device.VirtualMFADevice!.SerialNumber!, AuthenticationCode1: '123456', AuthenticationCode2: '654321' }),
    );
    const { AccessKey: key } = await iam.send(new CreateAccessKeyCommand({ UserName: 'lab-admin' }));
    return { accessKeyId: key!.AccessKeyId!, secretAccessKey: key!.SecretAccessKey! };
  } finally {
    iam.destroy();
  }
}

/**
 * An AWS Academy Learner Lab's account (`account`, empty) as its student sees it: the LabRole
 * tasks run as, and the voclabs role the student is signed in with from another account, as
 * AWS Academy's sign-in does (its session credentials, returned: the stand-in answers them as
 * `account`).
 */
export async function learnerLabSession(url: string, account: string): Promise<AccessKey> {
  const iam = asAccount(new IAMClient(clientConfig(url, 'us-east-1')), account);
  const sts = new STSClient(clientConfig(url, 'us-east-1'));
  const trust = (principal: object) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole' }] });
  try {
    await iam.send(new CreateRoleCommand({ RoleName: 'LabRole', AssumeRolePolicyDocument: trust({ Service: 'ecs-tasks.amazonaws.com' }) }));
    await iam.send(new CreateRoleCommand({ RoleName: 'voclabs', AssumeRolePolicyDocument: trust({ AWS: `arn:aws:iam::${ACCOUNT}:root` }) }));
    const { Credentials: session } = await sts.send(
      new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/voclabs`, RoleSessionName: 'user1234567=student@example.com' }),
    );
    return { accessKeyId: session!.AccessKeyId!, secretAccessKey: session!.SecretAccessKey!, sessionToken: session!.SessionToken! };
  } finally {
    iam.destroy();
    sts.destroy();
  }
}

/** Stands in for `docker push`: puts an image manifest under `tag` in the lab's repository. */
export async function pushImage(url: string, tag: string): Promise<string> {
  const ecr = new ECRClient(clientConfig(url, REGION));
  const layer = (text: string) => ({ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: text.length, digest: `sha256:${createHash('sha256').update(text).digest('hex')}` });
  const manifest = {
    schemaVersion: 2,
    mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
    config: { ...layer(`config ${tag}`), mediaType: 'application/vnd.docker.container.image.v1+json' },
    layers: [layer(`sentiment-app ${tag}`)],
  };
  try {
    const pushed = await ecr.send(new PutImageCommand({ repositoryName: 'sentiment-app', imageTag: tag, imageManifest: JSON.stringify(manifest) }));
    return pushed.image!.imageId!.imageDigest!;
  } finally {
    ecr.destroy();
  }
}

/** `output`, when the process exited with `code`; otherwise an error with what it printed. */
export function expectCode(what: string, output: Output, code: number): Output {
  if (output.code !== code) throw new Error(`${what} exited with ${output.code}, not ${code}:\n${output.stdout}\n${output.stderr}`);
  return output;
}

/**
 * Empties the stand-in and builds the whole lab in it as a student would: the account setup,
 * then the reference deploy (without Docker it names the image), the image pushed, and the
 * deploy again with it. Returns the admin user's access key, the student's credentials.
 */
export async function deployReferenceLab(url: string): Promise<AccessKey> {
  await resetStandin(url);
  await exportModel(); // the deploy uploads the model artifacts, which are exported, never committed
  const adminKey = await accountSetup(url);
  const withoutImage = expectCode('the deploy without Docker', await referenceScript(url, 'deploy', DEPLOY_FLAGS), 4);
  const tag = SOURCE_TAG.exec(withoutImage.stderr)?.[1];
  if (!tag) throw new Error(`the deploy named no image tag:\n${withoutImage.stderr}`);
  await pushImage(url, tag);
  expectCode('the deploy with --image', await referenceScript(url, 'deploy', [...DEPLOY_FLAGS, '--image', `${REGISTRY}/sentiment-app:${tag}`]), 0);
  return adminKey;
}

export interface RunningService {
  url: string;
  stop(): Promise<void>;
}

/** Starts the reference service from source, loading its model from the stand-in's S3 bucket; resolves once /health is 200. */
export async function startService(standinUrl: string, bucket: string): Promise<RunningService> {
  const env = { ...standinEnv(standinUrl), PORT: '0', HOST: '127.0.0.1', MODEL_S3_URI: `s3://${bucket}/model`, MODEL_RETRY_SECONDS: '0' };
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'reference-service/src/main.ts')], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('close', () => resolve());
      child.kill('SIGTERM');
    });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the reference service did not start in 30 s:\n${log}`)), 30_000);
      child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
      child.stdout.on('data', (chunk: Buffer) => {
        log += chunk.toString();
        const listening = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(log);
        if (listening && /"msg":"model (loaded|not loaded)"/.test(log)) {
          clearTimeout(timer);
          if (log.includes('"model not loaded"')) reject(new Error(`the reference service could not load its model from S3:\n${log}`));
          else resolve(listening[1]!);
        }
      });
      child.on('close', (code) => reject(new Error(`the reference service exited with ${code}:\n${log}`)));
    });
    return { url, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Registers a revision of the lab's task definition family whose container holds `container`'s fields (environment, command...): as a student might. */
export async function registerTaskDefinition(url: string, container: ContainerDefinition): Promise<void> {
  const ecs = new ECSClient(clientConfig(url, REGION));
  try {
    await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'sentiment-app-task',
        requiresCompatibilities: ['FARGATE'],
        networkMode: 'awsvpc',
        cpu: '1024',
        memory: '3072',
        containerDefinitions: [{ name: 'sentiment-app-container', image: `${REGISTRY}/sentiment-app:latest`, essential: true, portMappings: [{ containerPort: 8000 }], ...container }],
      }),
    );
  } finally {
    ecs.destroy();
  }
}

/** The client, answered by the stand-in as `account` (moto's `x-moto-account-id` header), as a second student's account. */
export function asAccount<T extends { middlewareStack: { add: (...args: never[]) => void } }>(client: T, account: string): T {
  const stack = client.middlewareStack as unknown as {
    add: (middleware: (next: (args: { request: { headers: Record<string, string> } }) => Promise<unknown>) => (args: { request: { headers: Record<string, string> } }) => Promise<unknown>, options: { step: 'build' }) => void;
  };
  stack.add(
    (next) => (args) => {
      args.request.headers['x-moto-account-id'] = account;
      return next(args);
    },
    { step: 'build' },
  );
  return client;
}

type TemplateValue = string | number | boolean | null | TemplateValue[] | { [key: string]: TemplateValue };

/** CloudFormation's Ref and Fn::Sub over the template's parameters, as a stack would resolve them. */
function resolveIntrinsics(value: TemplateValue, parameters: Record<string, string>): TemplateValue {
  if (Array.isArray(value)) return value.map((item) => resolveIntrinsics(item, parameters));
  if (value === null || typeof value !== 'object') return value;
  if ('Ref' in value) return parameters[value.Ref as string]!;
  if ('Fn::Sub' in value) return (value['Fn::Sub'] as string).replace(/\$\{([\w:]+)\}/g, (_, name: string) => (name === 'AWS::Partition' ? 'aws' : parameters[name]!));
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, resolveIntrinsics(item, parameters)]));
}

/**
 * Creates in `account` the role policy/lab-grader-role.cfn.yaml makes with these parameters
 * (what `lab-grader role --student` printed), through IAM as its stack would: the stand-in's
 * CloudFormation cannot run. Returns the role's ARN.
 */
export async function createGraderRole(url: string, account: string, parameters: Record<string, string>): Promise<string> {
  const template = parse(readFileSync(join(REPO_ROOT, 'policy/lab-grader-role.cfn.yaml'), 'utf8')) as {
    Parameters: Record<string, { Default?: string }>;
    Resources: { GraderRole: { Properties: { AssumeRolePolicyDocument: TemplateValue; Policies: { PolicyName: string; PolicyDocument: TemplateValue }[] } } };
  };
  const values = { ...Object.fromEntries(Object.entries(template.Parameters).flatMap(([name, parameter]) => (parameter.Default === undefined ? [] : [[name, parameter.Default]]))), ...parameters };
  const role = template.Resources.GraderRole.Properties;
  const iam = asAccount(new IAMClient(clientConfig(url, 'us-east-1')), account);
  try {
    const created = await iam.send(new CreateRoleCommand({ RoleName: values.RoleName, AssumeRolePolicyDocument: JSON.stringify(resolveIntrinsics(role.AssumeRolePolicyDocument, values)) }));
    for (const policy of role.Policies) {
      await iam.send(new PutRolePolicyCommand({ RoleName: values.RoleName, PolicyName: policy.PolicyName, PolicyDocument: JSON.stringify(resolveIntrinsics(policy.PolicyDocument, values)) }));
    }
    return created.Role!.Arn!;
  } finally {
    iam.destroy();
  }
}

/** The template parameters `lab-grader role` printed for one student (its --parameter-overrides line). */
export function printedRoleParameters(stdout: string, student: string): Record<string, string> {
  const block = stdout.split('\n\n').find((candidate) => candidate.startsWith(`Student ${student}\n`));
  const overrides = /--parameter-overrides (.+)$/m.exec(block ?? '');
  if (!overrides) throw new Error(`lab-grader role printed no set-up for ${student}:\n${stdout}`);
  return Object.fromEntries(overrides[1]!.trim().split(' ').map((pair) => pair.split('=') as [string, string]));
}
