import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checksById, grade, loadRubric, parseSnapshot, probeLab, type CheckResult, type Probes } from 'lab-grader';
import { buildApp } from '../src/app.js';
import { loadModel } from '../src/artifacts.js';
import { expectedSnapshot, loadBalancerDnsName, type ModelObject } from '../deploy/expected-snapshot.js';
import type { DeployTarget } from '../deploy/lab.js';
import { exportModel } from '../scripts/export-model.js';

const rubricFile = fileURLToPath(import.meta.resolve('lab-grader/rubric.yaml'));
let modelDir: string;
let service: FastifyInstance;
let probes: Probes;
let modelObjects: ModelObject[];

const ownAccount: DeployTarget = { region: 'eu-west-1', accountId: '123456789012', academy: false, imageTag: '14.01.25', alertEmail: 'student@example.com' };
const setup = { adminUserName: 'lab-admin', accountAlias: 'sentiment-lab-example', accessKeyId: 'AKIAIOSFODNN7EXAMPLE' };

beforeAll(async () => {
  modelDir = await mkdtemp(join(tmpdir(), 'sentiment-expected-'));
  const files = await exportModel(modelDir);
  modelObjects = await Promise.all(
    files.map(async (path) => {
      const bytes = await readFile(path);
      return { file: path.split('/').pop()!, size: bytes.length, md5: createHash('md5').update(bytes).digest('hex') };
    }),
  );
  const model = await loadModel({ kind: 'dir', dir: modelDir });
  service = await buildApp({ modelState: () => ({ status: 'ready', source: 's3://example/model', model }) });
  await service.listen({ port: 0, host: '127.0.0.1' });
  const { port } = service.server.address() as { port: number };
  // The grader's own probes, against the real reference service on loopback (allowed for tests only).
  probes = await probeLab({ url: `http://127.0.0.1:${port}`, source: 'override' }, loadRubric(rubricFile).params, { allowPrivateAddresses: true, retryDelayMs: 10 });
});

afterAll(async () => {
  await service?.close();
  await rm(modelDir, { recursive: true, force: true });
});

/** Every check that the account can show, and how it came out. */
function gradable(checks: CheckResult[]): string[] {
  return checks.filter((check) => check.status !== 'manual' && check.status !== 'skip').map((check) => `${check.id}: ${check.status} ${check.points.earned}/${check.points.max}${check.status === 'pass' ? '' : ` (${check.hint ?? check.cause})`}`);
}

function gradeOf(target: DeployTarget, profile: string) {
  const snapshot = expectedSnapshot({ target, modelObjects, probes, deployedAt: '2026-11-20T15:00:00.000Z', ...(target.academy ? {} : { setup }) });
  return { snapshot, scorecard: grade({ rubric: loadRubric(rubricFile), rubricFile: 'rubric.yaml', snapshot, profile, checks: checksById }) };
}

describe('grading the account the deploy builds', () => {
  it('the reference service answered every probe the grader sent, at the ALB address', () => {
    const { snapshot } = gradeOf(ownAccount, 'own-account');
    expect(snapshot.probes.predictEndpoint).toMatchObject({ path: '/predict', textField: 'text' });
    expect(snapshot.probes.results.map((result) => [result.id, result.status])).toEqual(
      expect.arrayContaining([['root', 200], ['health', 200], ['docs', 200], ['openapi', 200], ['predict.positive.1', 200], ['predict.negative.1', 200]]),
    );
    expect(snapshot.probes.results.every((result) => result.url.startsWith(`http://${loadBalancerDnsName(ownAccount)}/`))).toBe(true);
  });

  it('gives full marks on every step an own account can show, and the bonus', () => {
    const { scorecard } = gradeOf(ownAccount, 'own-account');
    const checks = [...scorecard.sections.flatMap((section) => section.steps), ...scorecard.bonus].flatMap((step) => step.checks);
    const results = gradable(checks);
    expect(results.filter((line) => !/: pass (\S+)\/\1$/.test(line))).toEqual([]);
    // Only the checks a person must judge stay open: the S3 workflow review and the student's test script.
    expect(checks.filter((check) => check.status === 'manual').map((check) => check.id).sort()).toEqual(['app.test-script', 's3.workflow-review']);
    const manualMax = checks.filter((check) => check.status === 'manual').reduce((sum, check) => sum + check.points.max, 0);
    expect(scorecard.total.earned).toBeCloseTo(scorecard.total.max - manualMax, 10);
    expect(scorecard.bonusPoints).toEqual({ earned: 1, max: 1 });
  });

  it('gives full marks in an AWS Academy account, where section 1.1, 1.2 and 1.4 do not apply', () => {
    const academy: DeployTarget = { ...ownAccount, academy: true, alertEmail: undefined };
    const { scorecard } = gradeOf(academy, 'academy');
    const steps = scorecard.sections.flatMap((section) => section.steps);
    expect(steps.filter((step) => step.status === 'skip').map((step) => step.id)).toEqual(['1.1', '1.2', '1.4']);
    const results = gradable([...steps, ...scorecard.bonus].flatMap((step) => step.checks));
    expect(results.filter((line) => !/: pass (\S+)\/\1$/.test(line))).toEqual([]);
  });

  it('is a valid snapshot file, and a mistake in it costs the step its points', () => {
    const { snapshot } = gradeOf(ownAccount, 'own-account');
    expect(() => parseSnapshot(JSON.stringify(snapshot), 'expected.snapshot.json')).not.toThrow();
    const services = Object.values(snapshot.facts.services)[0];
    if (!services?.ok) throw new Error('the snapshot has no services fact');
    services.data[0]!.networkConfiguration!.awsvpcConfiguration!.assignPublicIp = 'ENABLED';
    const scorecard = grade({ rubric: loadRubric(rubricFile), rubricFile: 'rubric.yaml', snapshot, profile: 'own-account', checks: checksById });
    const step = scorecard.sections.flatMap((section) => section.steps).find((candidate) => candidate.id === '5.3')!;
    expect(step.checks.find((check) => check.id === 'ecs.service-network')?.status).not.toBe('pass');
    expect(step.points.earned).toBeLessThan(step.points.max);
  });
});
