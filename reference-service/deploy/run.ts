// What deploy and teardown share: the AWS clients, a record of every call (so a dry run can
// prove it only read), the plan/result lines, polling, and the docker runner.
import { spawn } from 'node:child_process';
import { BudgetsClient } from '@aws-sdk/client-budgets';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ECRClient } from '@aws-sdk/client-ecr';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { IAMClient } from '@aws-sdk/client-iam';
import { S3Client } from '@aws-sdk/client-s3';
import { STSClient } from '@aws-sdk/client-sts';
import type { Filter } from '@aws-sdk/client-ec2';
import { fromIni } from '@aws-sdk/credential-providers';

export interface Clients {
  sts: STSClient;
  s3: S3Client;
  ecr: ECRClient;
  ec2: EC2Client;
  elb: ElasticLoadBalancingV2Client;
  ecs: ECSClient;
  logs: CloudWatchLogsClient;
  iam: IAMClient;
  budgets: BudgetsClient;
  cloudwatch: CloudWatchClient;
}

/** The standard credential chain, or a named profile; budgets is a global API served from us-east-1. */
export function createClients(region: string, profile?: string): Clients {
  const common = { region, maxAttempts: 6, ...(profile ? { credentials: fromIni({ profile }) } : {}) };
  return {
    sts: new STSClient(common),
    s3: new S3Client({ ...common, followRegionRedirects: true }),
    ecr: new ECRClient(common),
    ec2: new EC2Client(common),
    elb: new ElasticLoadBalancingV2Client(common),
    ecs: new ECSClient(common),
    logs: new CloudWatchLogsClient(common),
    iam: new IAMClient(common),
    budgets: new BudgetsClient({ ...common, region: 'us-east-1' }),
    cloudwatch: new CloudWatchClient(common),
  };
}

/** Commands a dry run may send: they only read. */
export const READ_ONLY_COMMAND = /^(Describe|List|Get|Head|Lookup)/;

export type StepState = 'exists' | 'created' | 'would create' | 'updated' | 'would update' | 'deleted' | 'would delete' | 'absent' | 'skipped' | 'waited';

export interface StepRecord {
  resource: string;
  name: string;
  state: StepState;
  id?: string;
  detail?: string;
}

/** Runs docker; injectable so tests never start a process. */
export interface DockerRunner {
  available(): Promise<boolean>;
  /** Runs `docker ...args`; `stdin` is written to the process (the registry password, never printed). */
  run(args: string[], stdin?: string): Promise<void>;
}

export const systemDocker: DockerRunner = {
  available: () =>
    new Promise((resolve) => {
      const child = spawn('docker', ['version', '--format', '{{.Server.Version}}'], { stdio: 'ignore' });
      child.on('error', () => resolve(false));
      child.on('exit', (code) => resolve(code === 0));
    }),
  run: (args, stdin) =>
    new Promise((resolve, reject) => {
      const child = spawn('docker', args, { stdio: [stdin === undefined ? 'ignore' : 'pipe', 'inherit', 'inherit'] });
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`docker ${args[0]} exited with code ${code}`))));
      if (stdin !== undefined) child.stdin?.end(stdin);
    }),
};

export interface RunOptions {
  dryRun: boolean;
  log?: (line: string) => void;
  /** Pause between polls; tests pass one that returns at once. */
  sleep?: (ms: number) => Promise<void>;
  docker?: DockerRunner;
  /** Folder of the model artifacts to upload (deploy). */
  modelDir?: string;
  /** The repository root, the docker build context. */
  repoRoot?: string;
}

/** Stands for the id of something a dry run would create; lookups keyed on it are skipped. */
export function planned(what: string): string {
  return `(new ${what})`;
}

export function isPlanned(id: string | undefined): boolean {
  return id === undefined || id.startsWith('(new ');
}

const SERVICE_OF: Record<keyof Clients, string> = {
  sts: 'sts',
  s3: 's3',
  ecr: 'ecr',
  ec2: 'ec2',
  elb: 'elasticloadbalancing',
  ecs: 'ecs',
  logs: 'logs',
  iam: 'iam',
  budgets: 'budgets',
  cloudwatch: 'cloudwatch',
};

export class Run {
  /** Every AWS call sent, in order, as `service:CommandName` (without the `Command` suffix). */
  readonly calls: string[] = [];
  readonly steps: StepRecord[] = [];
  readonly clients: Clients;
  readonly dryRun: boolean;
  readonly log: (line: string) => void;
  readonly sleep: (ms: number) => Promise<void>;
  readonly docker: DockerRunner;
  readonly modelDir: string | undefined;
  readonly repoRoot: string | undefined;

  constructor(clients: Clients, options: RunOptions) {
    this.dryRun = options.dryRun;
    this.log = options.log ?? ((line) => console.log(line));
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.docker = options.docker ?? systemDocker;
    this.modelDir = options.modelDir;
    this.repoRoot = options.repoRoot;
    this.clients = Object.fromEntries(
      (Object.keys(clients) as (keyof Clients)[]).map((key) => [key, this.recorded(clients[key], SERVICE_OF[key])]),
    ) as unknown as Clients;
  }

  /** Wraps a client so each `send` is recorded, and a dry run refuses anything but reads. */
  private recorded<T extends object>(client: T, service: string): T {
    return new Proxy(client, {
      get: (target, property, receiver) => {
        const value = Reflect.get(target, property, receiver) as unknown;
        if (property !== 'send' || typeof value !== 'function') return value;
        return (command: object, ...rest: unknown[]) => {
          const name = command.constructor.name.replace(/Command$/, '');
          this.calls.push(`${service}:${name}`);
          if (this.dryRun && !READ_ONLY_COMMAND.test(name)) {
            return Promise.reject(new Error(`dry run: refusing to send ${service}:${name}`));
          }
          return (value as (...args: unknown[]) => unknown).call(target, command, ...rest);
        };
      },
    });
  }

  record(step: StepRecord): void {
    this.steps.push(step);
    const id = step.id && !isPlanned(step.id) ? ` (${step.id})` : '';
    const detail = step.detail ? `: ${step.detail}` : '';
    this.log(`${step.state.padEnd(12)} ${step.resource} ${step.name}${id}${detail}`);
  }

  /** Records an existing resource and returns its id. */
  exists(resource: string, name: string, id: string, detail?: string): string {
    this.record({ resource, name, state: 'exists', id, ...(detail ? { detail } : {}) });
    return id;
  }

  /** Creates (or in a dry run, plans) a resource; returns its id, or a planned id in a dry run. */
  async create(resource: string, name: string, detail: string, action: () => Promise<string>): Promise<string> {
    if (this.dryRun) {
      this.record({ resource, name, state: 'would create', detail });
      return planned(name);
    }
    const id = await action();
    this.record({ resource, name, state: 'created', id, detail });
    return id;
  }

  /** Changes something on an existing resource (a missing route, rule or association). */
  async update(resource: string, name: string, detail: string, action: () => Promise<unknown>): Promise<void> {
    if (this.dryRun) {
      this.record({ resource, name, state: 'would update', detail });
      return;
    }
    await action();
    this.record({ resource, name, state: 'updated', detail });
  }

  async delete(resource: string, name: string, id: string | undefined, action: () => Promise<unknown>): Promise<void> {
    if (this.dryRun) {
      this.record({ resource, name, state: 'would delete', ...(id ? { id } : {}) });
      return;
    }
    await action();
    this.record({ resource, name, state: 'deleted', ...(id ? { id } : {}) });
  }

  absent(resource: string, name: string): void {
    this.record({ resource, name, state: 'absent' });
  }

  /** Polls `done` until it is true; throws after `attempts` polls, naming what it waited for. */
  async waitFor(what: string, done: () => Promise<boolean>, { intervalMs = 10_000, attempts = 90 } = {}): Promise<void> {
    if (this.dryRun) return;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (await done()) {
        this.record({ resource: 'wait', name: what, state: 'waited', detail: `after ${attempt} poll(s)` });
        return;
      }
      await this.sleep(intervalMs);
    }
    throw new Error(`timed out waiting for ${what} (${attempts} polls, ${(attempts * intervalMs) / 1000} s)`);
  }
}

/** True when an AWS error means "there is no such thing". */
export function isNotFound(error: unknown): boolean {
  return /NotFound|NoSuch/.test((error as { name?: string } | null)?.name ?? '');
}

/**
 * Runs a delete that AWS may refuse for a while with DependencyViolation: network
 * interfaces of a deleted load balancer or task linger for minutes in subnets and groups.
 */
export async function whenReleased<T>(run: Run, what: string, action: () => Promise<T>, { intervalMs = 10_000, attempts = 30 } = {}): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await action();
    } catch (error) {
      if ((error as Error).name !== 'DependencyViolation' || attempt >= attempts) throw error;
      run.log(`waiting      ${what} is still in use (${(error as Error).message}); retrying in ${intervalMs / 1000} s`);
      await run.sleep(intervalMs);
    }
  }
}

/** One line for the person at the terminal: what failed and, for the usual causes, what to do. */
export function explainFailure(script: 'deploy' | 'teardown', error: unknown): string {
  const { name, message } = error as Error;
  const hints: Record<string, string> = {
    CredentialsProviderError: 'configure AWS credentials (`aws configure`, `aws sso login`, or pass --profile NAME)',
    ExpiredToken: 'the session credentials expired: start a new session (academy: copy the new AWS Details) and run again',
    ExpiredTokenException: 'the session credentials expired: start a new session (academy: copy the new AWS Details) and run again',
    AccessDenied: `this identity lacks a permission the ${script} needs; the message names it`,
    AccessDeniedException: `this identity lacks a permission the ${script} needs; the message names it`,
  };
  const hint = hints[name];
  return `${script} failed: ${name}: ${message}${hint ? `\n  → ${hint}` : ''}\n  Everything done so far stays; running the ${script} again continues from there.`;
}

/** EC2 filters for a resource by its Name tag, optionally within one VPC. */
export function byName(name: string, vpcId?: string): Filter[] {
  return [{ Name: 'tag:Name', Values: [name] }, ...(vpcId ? [{ Name: 'vpc-id', Values: [vpcId] }] : [])];
}
