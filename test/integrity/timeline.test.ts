// Late work seen: when the lab's own resources were created or changed (as AWS records it)
// against --deadline, and resources younger than the snapshot that holds them.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checksById } from '../../checks/index.js';
import { grade } from '../../src/grade/engine.js';
import { snapshotEvidence } from '../../src/integrity/evidence.js';
import { labResourceTimes, timesAfterCollection } from '../../src/integrity/timeline.js';
import { verifySnapshot } from '../../src/integrity/verify.js';
import { loadRubric } from '../../src/rubric/load.js';
import type { Snapshot } from '../../src/snapshot/types.js';
import { example } from '../support/fixtures.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const rubric = loadRubric(join(root, 'rubric.yaml'), 'rubric.yaml');
const choicesOf = (snapshot: Snapshot) => grade({ rubric, rubricFile: 'rubric.yaml', snapshot, profile: 'own-account', paramOverrides: {}, submission: null, checks: checksById }).choices;

describe("the lab's resource times", () => {
  const lab = example('complete-lab');

  it('are those of the resources the grade chose, each with what happened and when', () => {
    expect(labResourceTimes(lab, choicesOf(lab))).toEqual([
      { resource: 'IAM group admin', event: 'created', at: '2026-11-10T08:00:00.000Z' },
      { resource: 'S3 bucket sentiment-models-123456789012', event: 'created', at: '2026-11-12T09:00:00.000Z' },
      { resource: 'ECR repository sentiment-app', event: 'created', at: '2026-11-12T09:30:00.000Z' },
      { resource: expect.stringMatching(/^image sentiment-app:14\.01\.25, latest \(sha256:[0-9a-f]+\)$/), event: 'pushed', at: '2026-11-12T10:05:00.000Z' },
      { resource: 'NAT gateway nat-0e1f2a3b4c5d6e7f8 (sentiment-app-nat)', event: 'created', at: '2026-11-14T12:00:00.000Z' },
      { resource: 'load balancer sentiment-app-alb', event: 'created', at: '2026-11-14T12:30:00.000Z' },
      { resource: 'task definition sentiment-app-task:3', event: 'registered', at: '2026-11-14T12:50:00.000Z' },
      { resource: 'ECS service sentiment-app-service', event: 'created', at: '2026-11-14T13:00:00.000Z' },
      { resource: expect.stringMatching(/^ECS service sentiment-app-service \(deployment .+\)$/), event: 'deployed', at: '2026-11-14T13:00:00.000Z' },
      { resource: 'log group /ecs/sentiment-app-task', event: 'created', at: new Date(1794744600000).toISOString() },
    ]);
  });

  it("leave out what is not the lab's: another bucket, and tasks, which ECS replaces by itself", () => {
    const resources = labResourceTimes(lab, choicesOf(lab)).map((time) => time.resource);
    expect(resources.some((resource) => resource.includes('cf-templates'))).toBe(false);
    expect(resources.some((resource) => resource.startsWith('task arn:'))).toBe(false);
  });

  it('include an alarm the grade can tie to the lab, by the load balancer or target group it watches', () => {
    const withAlarm = example('complete-lab');
    const alarms = withAlarm.facts.alarms;
    if (!alarms.ok) throw new Error('the example reads alarms');
    alarms.data[0]!.AlarmConfigurationUpdatedTimestamp = '2026-11-15T09:00:00.000Z' as never;
    expect(labResourceTimes(withAlarm, choicesOf(withAlarm))).toContainEqual({ resource: 'CloudWatch alarm sentiment-app-unhealthy-targets', event: 'changed', at: '2026-11-15T09:00:00.000Z' });
  });
});

describe('built-late (--deadline)', () => {
  const lab = example('complete-lab');
  const evidence = snapshotEvidence(lab, choicesOf(lab));

  it("names each of the lab's resources created or changed after the deadline, with its time", () => {
    const [flag] = verifySnapshot({ student: 's', evidence, live: true }, { deadline: '2026-11-14T12:15:00.000Z', examples: [] });
    expect(flag!.kind).toBe('built-late');
    expect(flag!.summary).toBe("5 of the lab's resources were created or changed after the deadline 2026-11-14T12:15:00.000Z, as AWS records it");
    expect(flag!.evidence).toEqual([
      'load balancer sentiment-app-alb: created 2026-11-14T12:30:00.000Z',
      'task definition sentiment-app-task:3: registered 2026-11-14T12:50:00.000Z',
      'ECS service sentiment-app-service: created 2026-11-14T13:00:00.000Z',
      expect.stringMatching(/^ECS service sentiment-app-service \(deployment .+\): deployed 2026-11-14T13:00:00.000Z$/),
      expect.stringMatching(/^log group \/ecs\/sentiment-app-task: created /),
      'deadline: --deadline 2026-11-14T12:15:00.000Z',
    ]);
  });

  it('flags nothing when everything was built before the deadline, or when no deadline is given', () => {
    expect(verifySnapshot({ student: 's', evidence, live: true }, { deadline: '2026-11-21T00:00:00.000Z', examples: [] })).toEqual([]);
    expect(verifySnapshot({ student: 's', evidence, live: true }, { examples: [] })).toEqual([]);
  });
});

describe('a snapshot dated before its own resources', () => {
  it('is inconsistent, naming each resource younger than the snapshot', () => {
    const backdated = example('complete-lab');
    backdated.collectedAt = '2026-11-14T12:10:00.000Z';
    const lines = timesAfterCollection(backdated);
    expect(lines).toContain("load balancer sentiment-app-alb created 2026-11-14T12:30:00.000Z, after the snapshot's collectedAt 2026-11-14T12:10:00.000Z");
    expect(lines.some((line) => line.startsWith('task arn:aws:ecs:'))).toBe(true);
    expect(lines.some((line) => line.startsWith('NAT gateway'))).toBe(false);
    const [flag] = verifySnapshot({ student: 's', evidence: snapshotEvidence(backdated) }, { examples: [] }).filter((found) => found.kind === 'inconsistent');
    expect(flag!.evidence).toContain("load balancer sentiment-app-alb created 2026-11-14T12:30:00.000Z, after the snapshot's collectedAt 2026-11-14T12:10:00.000Z");
  });

  it('allows the 15 minutes two clocks may differ by', () => {
    // The youngest resource is the log group, created 2026-11-15T12:10:00Z.
    const within = example('complete-lab');
    within.collectedAt = '2026-11-15T12:00:00.000Z';
    expect(timesAfterCollection(within)).toEqual([]);
    const beyond = example('complete-lab');
    beyond.collectedAt = '2026-11-15T11:50:00.000Z';
    expect(timesAfterCollection(beyond)).toEqual(["log group /ecs/sentiment-app-task created 2026-11-15T12:10:00.000Z, after the snapshot's collectedAt 2026-11-15T11:50:00.000Z"]);
    expect(timesAfterCollection(example('complete-lab'))).toEqual([]);
  });
});
