// The reference system end to end against a live AWS stand-in (moto): collect, deploy, grade
// live, deploy again, regrade, tear down twice. Runs when LAB_GRADER_STANDIN_URL is set.
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportModel } from '../../reference-service/scripts/export-model.js';
import type { Scorecard } from '../../src/grade/scorecard.js';
import type { Fact, Snapshot } from '../../src/snapshot/types.js';
import { describeEveryGradeBelongs } from './identity.js';
import {
  ACCOUNT,
  BUCKET,
  CLI,
  DEPLOY_FLAGS,
  HOW_TO_RUN,
  MANUAL_CHECKS,
  OPTIONAL_CHECK_GAPS,
  REGION,
  REGISTRY,
  REPO_ROOT,
  SOURCE_TAG,
  STANDIN_CHECK_GAPS,
  accountSetup,
  checksOf,
  cliStderr,
  grade,
  learnerLabSession,
  ownStderr,
  pushImage,
  referenceScript,
  registerTaskDefinition,
  resetStandin,
  startService,
  type AccessKey,
  type RunningService,
  unexpectedFacts,
} from './standin.js';

const standinUrl = process.env.LAB_GRADER_STANDIN_URL;
// CI starts the stand-in and requires the suite: there, a missing URL is a failure, not a skip.
if (!standinUrl && process.env.LAB_GRADER_STANDIN_REQUIRED) throw new Error(`LAB_GRADER_STANDIN_REQUIRED is set but LAB_GRADER_STANDIN_URL is not: ${HOW_TO_RUN}`);
if (!standinUrl) console.log(`stand-in suite skipped: to run it, ${HOW_TO_RUN}`);

/** Mutating lines of a deploy or teardown run: what it created, updated or deleted. */
const changes = (stdout: string) => stdout.split('\n').filter((line) => /^(created|updated|deleted) /.test(line));

let work: string;
let service: RunningService | undefined;
let sourceTag: string;
/** The lab's admin user's access key: the student grades with it (step 1.3). */
let adminKey: AccessKey;

// Each step runs whole programs over HTTP; on a loaded 2-core machine one can take a minute.
describe.skipIf(!standinUrl)('the reference system against an AWS stand-in', { timeout: 180_000 }, () => {
  const url = standinUrl!;

  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error(`the suite runs the built CLI: run \`npm run build\` first (${CLI} is missing)`);
    await resetStandin(url);
    // The deploy uploads the model artifacts, which are exported, never committed (deterministic bytes).
    await exportModel();
    work = await mkdtemp(join(tmpdir(), 'lab-grader-standin-'));
    // Beside the whole suite on 2 shared cores, the reset and the export take longer than vitest's 10 s default.
  }, 120_000);
  afterAll(async () => {
    await service?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('(a) collects an empty account: every fact is ok but the stand-in gaps, which are errors with their cause', async () => {
    const result = await grade(url, ['--save-snapshot', join(work, 'empty.json'), '--format', 'json', '--out', join(work, 'empty')]);
    // An empty region makes the grader look for the lab in the others (moto holds only default VPCs there).
    expect(cliStderr(result.stderr)).toMatch(
      new RegExp(`^warning: Region ${REGION} holds none of the lab's core resources .*No other of the \\d+ enabled regions holds a non-default VPC either: the lab may not be built yet\\.\n$`),
    );
    expect(result.code).toBe(0);
    const snapshot = JSON.parse(await readFile(join(work, 'empty.json'), 'utf8')) as Snapshot;
    expect(unexpectedFacts(snapshot)).toEqual([]);
    expect(snapshot.probes).toMatchObject({ target: null, skipped: 'no load balancer of the lab was found in the account' });
  });

  it('deploys without Docker and without --image: builds the rest, names the image and the service, exits 4', async () => {
    adminKey = await accountSetup(url);
    const result = await referenceScript(url, 'deploy', DEPLOY_FLAGS);
    expect(result.code, result.stdout + result.stderr).toBe(4);
    const stderr = ownStderr(result.stderr);
    expect(stderr).not.toMatch(/^\s+at /m);
    expect(stderr).toMatch(/^Deploy incomplete: 2 part\(s\) missing \(exit code 4\)\.$/m);
    expect(stderr).toMatch(new RegExp(`^- image ${REGISTRY}/sentiment-app:src-[0-9a-f]{12} \\(Docker is not available here\\)`, 'm'));
    expect(stderr).toMatch(/^- ECS service sentiment-app-service /m);
    expect(stderr).toMatch(/^ {4}docker buildx build --platform linux\/amd64 .* --push \.$/m);
    expect(stderr).toContain('npm run deploy -w reference-service -- --region eu-west-1 --alert-email student@example.com --no-wait --image <image URI>');
    expect(result.stdout).toMatch(/^skipped +ECS service sentiment-app-service/m);
    sourceTag = SOURCE_TAG.exec(stderr)![1]!;
  });

  it('deploys with --image of an image in ECR, and no Docker: completes', async () => {
    // The stand-in's `docker push` of the tag the first deploy named.
    await pushImage(url, sourceTag);
    const result = await referenceScript(url, 'deploy', [...DEPLOY_FLAGS, '--image', `${REGISTRY}/sentiment-app:${sourceTag}`]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(ownStderr(result.stderr)).toBe('');
    expect(changes(result.stdout)).toEqual([expect.stringMatching(/^created +ECS service sentiment-app-service/)]);
  });

  it('(b) grades the deployed system live: full points on every step it builds, but the stand-in gaps', async () => {
    service = await startService(url, BUCKET);
    const result = await grade(url, ['--alb-url', service.url, '--submission', join(REPO_ROOT, 'examples/submission'), '--save-snapshot', join(work, 'deployed.json'), '--format', 'json', '--out', join(work, 'live')], adminKey);
    expect(cliStderr(result.stderr)).toBe('');
    expect(result.code).toBe(0);
    const scorecard = JSON.parse(await readFile(join(work, 'live/scorecard.json'), 'utf8')) as Scorecard;
    const checks = checksOf(scorecard);
    const short = checks
      .filter((check) => check.status !== 'pass' || check.points.earned !== check.points.max)
      .filter((check) => OPTIONAL_CHECK_GAPS[check.id] !== check.status)
      .map((check) => `${check.id}: ${check.status} (${check.cause ?? check.hint ?? ''})`);
    expect(short.map((line) => line.split(':')[0]).sort()).toEqual([...Object.keys(STANDIN_CHECK_GAPS), ...MANUAL_CHECKS].sort());
    expect(scorecard.bonusPoints).toEqual({ earned: 1, max: 1 });
  });

  it('a live lab graded with --deadline an hour ago is built-late, naming its resources and their times; with --deadline tomorrow it is not', async () => {
    const hourAgo = new Date(Date.now() - 3_600_000).toISOString();
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString();
    const late = await grade(url, ['--alb-url', service!.url, '--deadline', hourAgo, '--format', 'json', '--out', '-'], adminKey);
    expect(late.code, late.stderr).toBe(0);
    const flags = (JSON.parse(late.stdout) as Scorecard).integrity?.flags ?? [];
    expect(flags.map((flag) => flag.kind)).toEqual(['built-late']);
    const evidence = flags[0]!.evidence;
    const builtAt = (resource: RegExp) => evidence.some((line) => resource.test(line));
    // The deploy made them minutes ago: each named with the time the stand-in gives it (moto
    // gives no time for an ECS service's creation or a task definition's registration).
    for (const resource of [
      /^NAT gateway nat-\w+ \(sentiment-app-nat\): created \d{4}-/,
      /^load balancer sentiment-app-alb: created \d{4}-/,
      /^ECS service sentiment-app-service \(deployment .+\): deployed \d{4}-/,
      /^image sentiment-app:src-[0-9a-f]+ \(sha256:[0-9a-f]+\): pushed \d{4}-/,
      /^log group \/ecs\/sentiment-app: created \d{4}-/,
      /^CloudWatch alarm sentiment-app-unhealthy-targets: changed \d{4}-/,
    ]) {
      expect(builtAt(resource), `${resource}\n${evidence.join('\n')}`).toBe(true);
    }
    expect(flags[0]!.evidence).toContain(`deadline: --deadline ${hourAgo}`);
    const onTime = await grade(url, ['--alb-url', service!.url, '--deadline', tomorrow, '--format', 'json', '--out', '-'], adminKey);
    expect(onTime.code, onTime.stderr).toBe(0);
    expect((JSON.parse(onTime.stdout) as Scorecard).integrity).toBeUndefined();
  });

  it('(a) collects the deployed account: every fact is ok but the stand-in gaps', async () => {
    const snapshot = JSON.parse(await readFile(join(work, 'deployed.json'), 'utf8')) as Snapshot;
    expect(unexpectedFacts(snapshot)).toEqual([]);
    expect(snapshot.probes.target).toEqual({ url: service!.url, source: 'override' });
  });

  it('(e) regrading the saved snapshot gives the byte-identical scorecard', async () => {
    const result = await grade(url, ['--snapshot', join(work, 'deployed.json'), '--submission', join(REPO_ROOT, 'examples/submission'), '--format', 'json', '--out', join(work, 'regrade')]);
    expect(cliStderr(result.stderr)).toBe('');
    expect(result.code).toBe(0);
    const regraded = JSON.parse(await readFile(join(work, 'regrade/scorecard.json'), 'utf8')) as Scorecard;
    // A saved snapshot is a file, verified as one: the stand-in's account is the bundled example's
    // (123456789012), so the file is flagged as derived from it, which the live read is not.
    expect(regraded.integrity?.flags.map((flag) => flag.kind)).toEqual(['bundled-example']);
    expect(regraded.integrity?.flags[0]?.evidence).toContain(`account ${ACCOUNT}`);
    const { integrity: _flags, ...graded } = regraded;
    expect(`${JSON.stringify(graded, null, 2)}\n`).toBe(await readFile(join(work, 'live/scorecard.json'), 'utf8'));
  });

  it('(c) deploying again, without --image (the same default tag), creates and updates nothing', async () => {
    const result = await referenceScript(url, 'deploy', DEPLOY_FLAGS);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(ownStderr(result.stderr)).toBe('');
    expect(changes(result.stdout)).toEqual([]);
    expect(result.stdout).toMatch(/^exists +task definition sentiment-app-task \(arn:aws:ecs:[^)]+:task-definition\/sentiment-app-task:1\)/m);
  });

  it('(d) tears down twice: nothing billable remains, and the second run changes nothing', async () => {
    await service?.stop();
    const first = await referenceScript(url, 'teardown', []);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(ownStderr(first.stderr)).toBe('');
    expect(first.stdout).toContain(`Nothing billable remains in ${REGION}`);
    const second = await referenceScript(url, 'teardown', []);
    expect(second.code, second.stdout + second.stderr).toBe(0);
    expect(changes(second.stdout)).toEqual([]);
    expect(second.stdout).toContain(`Nothing billable remains in ${REGION}`);
    const after = await grade(url, ['--save-snapshot', join(work, 'after.json'), '--format', 'json', '--out', join(work, 'after')]);
    expect(cliStderr(after.stderr)).toBe('');
    const snapshot = JSON.parse(await readFile(join(work, 'after.json'), 'utf8')) as Snapshot;
    const data = <T>(fact: Fact<T>) => (fact.ok ? fact.data : undefined);
    expect(data(snapshot.facts.loadBalancers)).toEqual([]);
    expect(data(snapshot.facts.addresses)).toEqual([]);
    expect((data(snapshot.facts.natGateways) ?? []).filter((gateway) => gateway.State !== 'deleted')).toEqual([]);
  });

  it('(f) a task definition holding secrets: none reaches any file under --out, the console or the saved snapshot', async () => {
    const secrets = {
      DB_PASSWORD: 'correct-horse-battery-staple-7',
      OPENAI_API_KEY: 'sk-proj-Qw7Er_Ty3Ui-Op9As2Df5Gh8Jk1Lz4Xc6Vb0Nm3Qa7Ws1Ed',
      GITHUB_TOKEN: 'ghp_R8x2KqL0vNz4TbW7yHc3Jd9Fm1Gs5Ap6Ue0Q',
      AWS_SECRET_ACCESS_KEY: 'Zq3Tm8Wv1Xr5Yb9Nc2Kd6Lf0Hg4Js7Pa1Qe5Ru8',
      KEY_PART_1: 'Hk4Pn7Rs2Tv9Wx1Yz3Ab',
      KEY_PART_2: '5Cd8Ef0Gh6Ij2Kl4Mn7',
    };
    await registerTaskDefinition(url, {
      environment: Object.entries(secrets).map(([name, value]) => ({ name, value })),
      command: ['python', 'app.py', '--password', 'hunter2-in-a-command'],
      dockerLabels: { token: secrets.GITHUB_TOKEN },
    });
    const out = join(work, 'secrets');
    const saved = join(work, 'secrets.json');
    const result = await grade(url, ['--save-snapshot', saved, '--format', 'console,json,junit,markdown,gradescope,classroom,html', '--out', out], adminKey);
    expect(cliStderr(result.stderr)).toBe('');
    const files = [saved, ...(await readdir(out)).map((name) => join(out, name))];
    expect(files).toHaveLength(7);
    const texts = [result.stdout, ...(await Promise.all(files.map(async (file) => {
      const text = await readFile(file, 'utf8');
      return file.endsWith('.b64') ? Buffer.from(text, 'base64').toString('utf8') : text;
    })))];
    for (const secret of [...Object.values(secrets), 'hunter2-in-a-command']) for (const text of texts) expect(text).not.toContain(secret);
    // The variables are still there by name: the evidence says what was set, never to what.
    expect(await readFile(saved, 'utf8')).toContain('"name": "DB_PASSWORD"');
  });

  it('(g) the lab built in us-east-1 and graded in eu-west-1: the report says so first and last, no step says to create anything, exit 6, and the cost notice counts us-east-1', async () => {
    await resetStandin(url);
    const student = await accountSetup(url);
    // Without Docker the deploy builds everything but the service (exit 4): the network, the NAT gateway, the load balancer.
    const deploy = await referenceScript(url, 'deploy', DEPLOY_FLAGS, 'us-east-1');
    expect(deploy.code, deploy.stdout + deploy.stderr).toBe(4);
    const out = join(work, 'wrong-region');
    const result = await grade(url, ['--format', 'console,json', '--out', out], student);
    expect(result.code, result.stderr).toBe(6);
    const stdout = result.stdout.trimEnd().split('\n');
    expect(stdout[0]).toBe(`Region ${REGION} holds none of the lab: it appears to be in us-east-1.`);
    expect(stdout.at(-1)).toBe('Grade it with --region us-east-1.');
    expect(cliStderr(result.stderr)).toMatch(/^warning: Region eu-west-1 holds none of the lab's core resources .* The lab appears to be in us-east-1 .*--region us-east-1 \(or --region auto\)\.\n$/);
    const scorecard = JSON.parse(await readFile(join(out, 'scorecard.json'), 'utf8')) as Scorecard;
    expect(scorecard.labElsewhere).toMatchObject({ graded: REGION, region: 'us-east-1' });
    const hints = checksOf(scorecard).flatMap((check) => (check.hint === undefined ? [] : [`${check.id}: ${check.hint}`]));
    expect(hints.filter((hint) => /\bcreate\b/i.test(hint))).toEqual([]);
    expect(hints.filter((hint) => hint.includes(`Not in ${REGION} (the lab is in us-east-1)`)).length).toBeGreaterThan(10);
    // Nothing bills in eu-west-1; the NAT gateway and the load balancer bill in us-east-1.
    expect(scorecard.cost?.lines).toEqual([]);
    const usEast1 = scorecard.cost?.otherRegions?.find((region) => region.region === 'us-east-1');
    expect(usEast1?.lines.map((line) => [line.item, line.count])).toEqual(expect.arrayContaining([['natGateway', 1], ['loadBalancer', 1]]));
    expect(scorecard.cost?.perHour).toBeGreaterThan(0);
    expect(result.stdout).toMatch(/^- us-east-1: 1 NAT gateway available/m);
    expect(result.stdout).not.toContain('Nothing billable by the hour');
  });

  it('(h) an AWS Academy account graded without --lab-profile: one warning with the command, none with it', async () => {
    // An empty account of its own instead of a reset: emptying a stand-in whose every region (g)
    // read takes moto seconds of its one core (8.9 s measured), on the suite's critical path.
    const session = await learnerLabSession(url, '410987654321');
    const nudges = (stderr: string) => stderr.split('\n').filter((line) => line.includes('looks like an AWS Academy Learner Lab'));
    const own = await grade(url, ['--format', 'json', '--out', join(work, 'academy-own')], session);
    expect(own.code, own.stderr).toBe(0);
    expect(nudges(own.stderr)).toEqual([
      `warning: This account looks like an AWS Academy Learner Lab (the grader read it as the voclabs role, which AWS Academy signs students in with), graded with the own-account profile, which asks for what Learner Lab does not allow (an IAM user and group, a budget). Grade it with: lab-grader grade --region ${REGION} --format json --out ${join(work, 'academy-own')} --lab-profile academy`,
    ]);
    const academy = await grade(url, ['--lab-profile', 'academy', '--format', 'json', '--out', join(work, 'academy')], session);
    expect(academy.code, academy.stderr).toBe(0);
    expect(nudges(academy.stderr)).toEqual([]);
  });
});

// Run here, after the tests above, unless a second stand-in of their own runs them beside these (identity.test.ts).
if (!process.env.LAB_GRADER_STANDIN_SECOND_URL) describeEveryGradeBelongs(standinUrl);
