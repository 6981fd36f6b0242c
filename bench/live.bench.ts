// A live grade against a local AWS stand-in (not a test; asserts nothing). Timed as whole
// processes in one run, so the machine's load falls on them alike:
//   - the published bin (dist/bin) grading the lab live, probes included, several times;
//   - the plain TypeScript build (dist/src, one file per module) doing the same;
//   - one `aws` CLI call per fact of that grade's snapshot, in turn (the way a shell grader
//     reads an account), against the same stand-in; left out, and said so, with no `aws` on the PATH.
// It empties the stand-in it is given and builds the lab in it first, as the integration suite
// does (account setup, the reference deploy, the image, the deploy again), then starts the
// reference service on 127.0.0.1 (the stand-in's load balancer names do not resolve) and
// grades with --alb-url, so the probes run. Give it a stand-in of its own:
//
//   bash ../shared/aws-standin/start.sh 5017 /tmp/standin-5017   (or: pip install "moto[server]"; moto_server -p 5017)
//   npm run build && npm run bench:live -- http://127.0.0.1:5017 [rounds]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Snapshot } from '../src/snapshot/types.js';
import { BUCKET, deployReferenceLab, resetStandin, standinEnv, startService } from '../test/standin/standin.js';
import { loadLine, median, timeProcess, type Timed } from './support/processes.js';

const root = fileURLToPath(new URL('../', import.meta.url));
const endpoint = process.argv[2] ?? process.env.LAB_GRADER_STANDIN_URL;
const rounds = Number(process.argv[3] ?? 5);
if (!endpoint) {
  console.error('usage: npm run bench:live -- http://127.0.0.1:PORT [rounds]   (a stand-in of its own: it is emptied; see the header of bench/live.bench.ts)');
  process.exit(2);
}
const region = 'eu-west-1';
// The SDK's notice about Node releases after January 2027 (the deploy helpers' clients) says nothing here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
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

// The comparison needs the aws CLI (pip install awscli, or AWS's installer); without it the grade is still timed.
const awsVersion = spawnSync('aws', ['--version'], { encoding: 'utf8' });
const awsCli = awsVersion.status === 0 ? `${awsVersion.stdout}${awsVersion.stderr}`.trim().split(' ')[0] : undefined;
if (!awsCli) console.error('no aws CLI on the PATH: the one-call-per-fact comparison is left out');

console.error(`building the lab in the stand-in at ${endpoint} ...`);
const student = await deployReferenceLab(endpoint);
const service = await startService(endpoint, BUCKET);
// The student's admin credentials, the stand-in's endpoint, no profile files: as the integration suite grades.
const env = { ...standinEnv(endpoint, student), AWS_DEFAULT_REGION: region, AWS_PAGER: '', PATH: process.env.PATH ?? '' };
try {
  const bin = join(root, 'dist/bin/lab-grader.js');
  const modules = join(root, 'dist/src/cli/main.js');
  const grade = (script: string, name: string) =>
    timeProcess(
      process.execPath,
      [script, 'grade', '--region', region, '--alb-url', service.url, '--format', 'json', '--out', join(work, `out-${name}`), '--save-snapshot', join(work, `snapshot-${name}.json`)],
      { cwd: root, env },
    );
  const bundled: Timed[] = [];
  const perFile: Timed[] = [];
  const loadBefore = loadLine();
  for (let round = 0; round < rounds; round += 1) {
    for (const [runs, script, name] of [[bundled, bin, `bin-${round}`], [perFile, modules, `src-${round}`]] as const) {
      const timed = await grade(script, name);
      if (timed.code !== 0) throw new Error(`${script} exited ${timed.code}: ${timed.stderr}`);
      runs.push(timed);
    }
  }
  const snapshotOf = (name: string) => JSON.parse(readFileSync(join(work, `snapshot-${name}.json`), 'utf8')) as Snapshot;
  const snapshot = snapshotOf('bin-0');
  // What the bin's grades spent collecting (the collector's own clock): mostly waiting on the stand-in, the floor of the wall here.
  const reading = median(bundled.map((_, round) => snapshotOf(`bin-${round}`).collector.durationMs));
  const probes = snapshot.probes.results.length;
  const calls = cliCalls(snapshot);
  const cli: Timed[] = [];
  if (awsCli) for (const call of calls) cli.push(await timeProcess('aws', [...call, '--output', 'json'], { env }));
  const cliWall = cli.reduce((sum, run) => sum + run.wallMs, 0);
  const cliCpu = cli.reduce((sum, run) => sum + (run.cpuMs ?? Number.NaN), 0);
  const cliFailed = cli.filter((run) => run.code !== 0).length;

  const wall = (runs: Timed[]) => median(runs.map((run) => run.wallMs));
  const cpu = (runs: Timed[]) => median(runs.map((run) => run.cpuMs ?? Number.NaN));
  const peak = (runs: Timed[]) => median(runs.map((run) => run.peakRssMiB ?? Number.NaN));
  const line = (name: string, runs: Timed[]) =>
    `${name.padEnd(29)}wall ${wall(runs).toFixed(0).padStart(6)} ms  cpu ${cpu(runs).toFixed(0).padStart(5)} ms  peak ${peak(runs).toFixed(0).padStart(4)} MiB`;
  console.log(
    `live benchmark: grade against the stand-in at ${endpoint} (${snapshot.collector.calls} AWS calls in ${snapshot.collector.rounds} rounds, ${probes} probes of the reference service), ${rounds} rounds, medians`,
  );
  console.log(`machine: ${availableParallelism()} cores, Node ${process.version}; before: ${loadBefore}; after: ${loadLine()}`);
  console.log(`${line('bundled bin (dist/bin)', bundled)}  (goal: cpu ≤ 1000 ms, wall ≤ 1300 ms)`);
  console.log(`${''.padEnd(29)}of the wall, ${reading.toFixed(0)} ms collecting (the ${snapshot.collector.calls} calls and the stand-in's answers, by the collector's clock)`);
  console.log(line('module per file (dist/src)', perFile));
  if (awsCli) {
    console.log(
      `${'aws CLI, one call per fact'.padEnd(29)}wall ${cliWall.toFixed(0).padStart(6)} ms  cpu ${cliCpu.toFixed(0).padStart(5)} ms  for ${cli.length} calls in turn with ${awsCli} (${cliFailed} answered with an error, as the stand-in does for some)`,
    );
    console.log(`lab-grader is ${(cliWall / wall(bundled)).toFixed(1)}× faster than the aws CLI script (goal ≥ 25×)`);
  } else {
    console.log(`${'aws CLI, one call per fact'.padEnd(29)}not measured: no aws CLI on the PATH (the ${calls.length} calls it would make are in bench/live.bench.ts)`);
  }
  console.log(`the bundle takes ${(cpu(perFile) / cpu(bundled)).toFixed(2)}× less CPU than one module per file`);
} finally {
  await service.stop();
  await resetStandin(endpoint);
  rmSync(work, { recursive: true, force: true });
}
