// A live grade against a local AWS stand-in (not a test; asserts nothing). Three things are
// timed as whole processes in one run, so the machine's load falls on them alike:
//   - the published bin (dist/bin) grading the account live, several times;
//   - the plain TypeScript build (dist/src, one file per module) doing the same;
//   - a script making one `aws` CLI call per fact of that grade's snapshot, in turn (the way a
//     shell grader reads an account), against the same stand-in.
// The stand-in holds the lab the reference deploy builds:
//
//   ../shared/aws-standin/start.sh 5017          (or: pip install "moto[server]"; moto_server -p 5017)
//   AWS_ENDPOINT_URL=http://127.0.0.1:5017 AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=x \
//     npm run export-model -w reference-service && npx tsx reference-service/deploy/deploy.ts --region eu-west-1 --alert-email a@example.com --no-wait
//   npm run build && npm run bench:live -- http://127.0.0.1:5017 [rounds]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Snapshot } from '../src/snapshot/types.js';
import { loadLine, median, timeProcess, type Timed } from './support/processes.js';

const root = fileURLToPath(new URL('../', import.meta.url));
const endpoint = process.argv[2] ?? process.env.LAB_GRADER_STANDIN_URL;
const rounds = Number(process.argv[3] ?? 3);
if (!endpoint) {
  console.error('usage: npm run bench:live -- http://127.0.0.1:PORT [rounds]   (a stand-in holding the deployed lab; see the header of bench/live.bench.ts)');
  process.exit(2);
}
const region = 'eu-west-1';
// The stand-in's keys, not a profile from ~/.aws.
const { AWS_PROFILE: _profile, ...inherited } = process.env;
const env = {
  ...inherited,
  NO_COLOR: '1',
  AWS_ENDPOINT_URL: endpoint,
  AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  AWS_REGION: region,
  AWS_DEFAULT_REGION: region,
  AWS_PAGER: '',
};
const work = mkdtempSync(join(tmpdir(), 'lab-grader-bench-live-'));

/** One `aws` CLI command per fact (and per resource of a per-resource fact) of the snapshot. */
function cliCalls(snapshot: Snapshot): string[][] {
  const account = snapshot.account;
  const byFact: Record<string, (key: string) => string[]> = {
    callerIdentity: () => ['sts', 'get-caller-identity'],
    accountSummary: () => ['iam', 'get-account-summary'],
    accountAliases: () => ['iam', 'list-account-aliases'],
    groups: () => ['iam', 'list-groups'],
    groupPolicies: (name) => ['iam', 'list-attached-group-policies', '--group-name', name],
    groupMembers: (name) => ['iam', 'get-group', '--group-name', name],
    users: () => ['iam', 'list-users'],
    userMfaDevices: (name) => ['iam', 'list-mfa-devices', '--user-name', name],
    userAccessKeys: (name) => ['iam', 'list-access-keys', '--user-name', name],
    userEvents: () => ['cloudtrail', 'lookup-events', '--max-results', '50'],
    ecrLoginEvents: () => ['cloudtrail', 'lookup-events', '--max-results', '50'],
    budgets: () => ['budgets', 'describe-budgets', '--account-id', account],
    budgetNotifications: (name) => ['budgets', 'describe-notifications-for-budget', '--account-id', account, '--budget-name', name],
    accountPublicAccessBlock: () => ['s3control', 'get-public-access-block', '--account-id', account],
    buckets: () => ['s3api', 'list-buckets'],
    bucketPublicAccessBlocks: (name) => ['s3api', 'get-public-access-block', '--bucket', name],
    bucketPolicyStatus: (name) => ['s3api', 'get-bucket-policy-status', '--bucket', name],
    bucketAcls: (name) => ['s3api', 'get-bucket-acl', '--bucket', name],
    bucketObjects: (name) => ['s3api', 'list-objects-v2', '--bucket', name],
    repositories: () => ['ecr', 'describe-repositories'],
    repositoryImages: (name) => ['ecr', 'describe-images', '--repository-name', name],
    vpcs: () => ['ec2', 'describe-vpcs'],
    subnets: () => ['ec2', 'describe-subnets'],
    internetGateways: () => ['ec2', 'describe-internet-gateways'],
    routeTables: () => ['ec2', 'describe-route-tables'],
    natGateways: () => ['ec2', 'describe-nat-gateways'],
    addresses: () => ['ec2', 'describe-addresses'],
    securityGroups: () => ['ec2', 'describe-security-groups'],
    loadBalancers: () => ['elbv2', 'describe-load-balancers'],
    listeners: (arn) => ['elbv2', 'describe-listeners', '--load-balancer-arn', arn],
    targetGroups: () => ['elbv2', 'describe-target-groups'],
    targetHealth: (arn) => ['elbv2', 'describe-target-health', '--target-group-arn', arn],
    clusters: () => ['ecs', 'list-clusters'],
    services: (cluster) => ['ecs', 'list-services', '--cluster', cluster],
    taskDefinitions: (arn) => ['ecs', 'describe-task-definition', '--task-definition', arn],
    tasks: (cluster) => ['ecs', 'list-tasks', '--cluster', cluster],
    logGroups: () => ['logs', 'describe-log-groups'],
    logStreams: (group) => ['logs', 'describe-log-streams', '--log-group-name', group],
    logEvents: (group) => ['logs', 'describe-log-streams', '--log-group-name', group, '--max-items', '1'],
    alarms: () => ['cloudwatch', 'describe-alarms'],
  };
  const calls: string[][] = [];
  for (const [key, fact] of Object.entries(snapshot.facts)) {
    const call = byFact[key];
    if (!call) throw new Error(`no aws CLI call for the fact ${key}: add it to bench/live.bench.ts`);
    if ('ok' in fact) calls.push(call(''));
    else for (const resource of Object.keys(fact as object)) calls.push(call(resource));
  }
  return calls;
}

try {
  const bin = join(root, 'dist/bin/lab-grader.js');
  const modules = join(root, 'dist/src/cli/main.js');
  const grade = (script: string, index: number) =>
    timeProcess(process.execPath, [script, 'grade', '--region', region, '--format', 'json', '--out', join(work, `out-${index}`), '--save-snapshot', join(work, `snapshot-${index}.json`)], { cwd: root, env });
  const bundled: Timed[] = [];
  const perFile: Timed[] = [];
  const loadBefore = loadLine();
  for (let round = 0; round < rounds; round += 1) {
    for (const [runs, script] of [[bundled, bin], [perFile, modules]] as const) {
      const timed = await grade(script, round);
      if (timed.code !== 0) throw new Error(`${script} exited ${timed.code}: ${timed.stderr}`);
      runs.push(timed);
    }
  }
  const snapshot = JSON.parse(readFileSync(join(work, 'snapshot-0.json'), 'utf8')) as Snapshot;
  const calls = cliCalls(snapshot);
  const cli: Timed[] = [];
  for (const call of calls) cli.push(await timeProcess('aws', [...call, '--output', 'json'], { env }));
  const cliWall = cli.reduce((sum, run) => sum + run.wallMs, 0);
  const cliFailed = cli.filter((run) => run.code !== 0).length;

  const wall = (runs: Timed[]) => median(runs.map((run) => run.wallMs));
  const cpu = (runs: Timed[]) => median(runs.map((run) => run.cpuMs ?? Number.NaN));
  console.log(`live benchmark: grade against the stand-in at ${endpoint} (${snapshot.collector.calls} AWS calls in ${snapshot.collector.rounds} rounds), ${rounds} rounds, medians`);
  console.log(`machine: ${availableParallelism()} cores, Node ${process.version}; before: ${loadBefore}; after: ${loadLine()}`);
  console.log(`bundled bin (dist/bin)       wall ${wall(bundled).toFixed(0).padStart(6)} ms  cpu ${cpu(bundled).toFixed(0).padStart(5)} ms  (goal: cpu ≤ 1000 ms)`);
  console.log(`module per file (dist/src)   wall ${wall(perFile).toFixed(0).padStart(6)} ms  cpu ${cpu(perFile).toFixed(0).padStart(5)} ms`);
  console.log(`aws CLI, one call per fact   wall ${cliWall.toFixed(0).padStart(6)} ms  for ${cli.length} calls in turn (${cliFailed} answered with an error, as the stand-in does for some)`);
  console.log(`lab-grader is ${(cliWall / wall(bundled)).toFixed(1)}× faster than the aws CLI script (goal ≥ 30×); the bundle takes ${(cpu(perFile) / cpu(bundled)).toFixed(2)}× less CPU than one module per file`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
