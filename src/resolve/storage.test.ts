import { describe, expect, it } from 'vitest';
import type { TaskDefinition } from '@aws-sdk/client-ecs';
import type { Json, Snapshot } from '../snapshot/types.js';
import { completeLabWith, denied, example, labParams } from '../../test/support/fixtures.js';
import { factReader } from './facts.js';
import { globToRegExp, resolveStorage } from './storage.js';

const BUCKET = 'sentiment-models-123456789012';
const MODEL = { Key: 'model.joblib', Size: 1000 };

function resolve(snapshot: Snapshot, taskDefinition?: Json<TaskDefinition>) {
  return resolveStorage({ snapshot, facts: factReader(snapshot.facts), params: labParams(), lab: { taskDefinition } });
}

function withBuckets(buckets: Record<string, { Key: string; Size: number }[]>): Snapshot {
  return completeLabWith((s) => {
    s.facts.buckets = { ok: true, data: Object.keys(buckets).map((Name) => ({ Name })) };
    s.facts.bucketObjects = Object.fromEntries(Object.entries(buckets).map(([name, objects]) => [name, { ok: true, data: objects }]));
  });
}

describe('globToRegExp', () => {
  it.each([
    ['**/*.joblib', 'classifier.joblib', true],
    ['**/*.joblib', 'models/v1/classifier.joblib', true],
    ['**/*.joblib', 'classifier.joblib.bak', false],
    ['**/*.joblib', 'classifierxjoblib', false],
    ['**/model*.json', 'models/model-v2.json', true],
    ['**/model*.json', 'models/config.json', false],
    ['models/*.pkl', 'models/a/b.pkl', false],
    ['models/?.pkl', 'models/a.pkl', true],
  ])('%s against %s: %s', (glob, key, matches) => {
    expect(globToRegExp(glob).test(key)).toBe(matches);
  });
});

describe('resolveStorage', () => {
  it('chooses the complete lab\'s group, bucket and repository, and says why', () => {
    const { resolved, choices } = resolve(example('complete-lab'));
    expect(resolved.adminGroup?.GroupName).toBe('admin');
    expect(resolved.bucket?.Name).toBe(BUCKET);
    expect(resolved.repository?.repositoryName).toBe('sentiment-app');
    expect(choices).toEqual([
      { resource: 'adminGroup', chosen: 'admin', candidates: 1, why: 'named admin, as the lab asks' },
      {
        resource: 'bucket',
        chosen: BUCKET,
        candidates: 2,
        why: 'holds 2 model file(s) and its name matches a hint (sentiment, model, mlops, artifact); 2 buckets in the account',
      },
      { resource: 'repository', chosen: 'sentiment-app', candidates: 1, why: 'its name matches a hint (sentiment)' },
    ]);
  });

  it('takes the repository whose image the lab\'s task definition runs, over name hints', () => {
    const snapshot = completeLabWith((s) => {
      if (s.facts.repositories.ok) {
        s.facts.repositories.data.push({
          repositoryName: 'my-app',
          repositoryUri: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/my-app',
          encryptionConfiguration: { encryptionType: 'AES256' },
        });
      }
    });
    const taskDefinition = { family: 'web', revision: 2, containerDefinitions: [{ image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/my-app@sha256:abc' }] };
    const { resolved, choices } = resolve(snapshot, taskDefinition);
    expect(resolved.repository?.repositoryName).toBe('my-app');
    expect(choices[2]).toEqual({ resource: 'repository', chosen: 'my-app', candidates: 2, why: "the lab's task definition web:2 runs its image" });
  });

  it('takes the only repository when no hint matches, and none among several', () => {
    const rename = (names: string[]) =>
      completeLabWith((s) => {
        s.facts.repositories = { ok: true, data: names.map((repositoryName) => ({ repositoryName, repositoryUri: `123456789012.dkr.ecr.eu-west-1.amazonaws.com/${repositoryName}` })) };
      });
    expect(resolve(rename(['webapp'])).choices[2]).toMatchObject({ chosen: 'webapp', why: 'the only repository in the region' });
    expect(resolve(rename(['webapp', 'worker'])).choices[2]).toMatchObject({ chosen: null, candidates: 2 });
  });

  it('prefers a bucket holding model files over a hinted empty one, then hints, then name order', () => {
    expect(resolve(withBuckets({ 'sentiment-empty': [], 'zz-storage': [MODEL] })).resolved.bucket?.Name).toBe('zz-storage');
    expect(resolve(withBuckets({ 'b-store': [MODEL], 'mlops-store': [MODEL] })).resolved.bucket?.Name).toBe('mlops-store');
    const tie = resolve(withBuckets({ 'mlops-b': [MODEL], 'mlops-a': [MODEL] }));
    expect(tie.resolved.bucket?.Name).toBe('mlops-a');
    expect(tie.choices[1]?.why).toContain('first of 2 buckets holding model files');
  });

  it('ignores empty model files when ranking buckets', () => {
    expect(resolve(withBuckets({ 'a-store': [{ Key: 'model.joblib', Size: 0 }], 'mlops-store': [] })).resolved.bucket?.Name).toBe('mlops-store');
  });

  it('falls back to the only bucket an AWS tool did not create, else chooses none', () => {
    expect(resolve(withBuckets({ 'cf-templates-abc-eu-west-1': [], 'my-files': [] })).choices[1]).toMatchObject({
      chosen: 'my-files',
      why: 'no bucket holds model files or matches a name hint; it is the only bucket not created by an AWS tool; 2 buckets in the account',
    });
    expect(resolve(withBuckets({ 'files-a': [], 'files-b': [] })).choices[1]).toMatchObject({ chosen: null, candidates: 2 });
  });

  it('still finds a bucket by name when its objects are unreadable', () => {
    const snapshot = completeLabWith((s) => { s.facts.bucketObjects[BUCKET] = denied('s3:ListBucket'); });
    expect(resolve(snapshot).choices[1]).toMatchObject({ chosen: BUCKET, why: expect.stringContaining('no bucket holds model files; the name matches a hint') });
  });

  it('takes a group with AdministratorAccess when none is named admin; matches the name regardless of case', () => {
    const renamed = (name: string) =>
      completeLabWith((s) => {
        if (s.facts.groups.ok) s.facts.groups.data[0]!.GroupName = name;
        s.facts.groupPolicies = { [name]: s.facts.groupPolicies.admin! };
      });
    expect(resolve(renamed('ops')).choices[0]).toEqual({
      resource: 'adminGroup',
      chosen: 'ops',
      candidates: 1,
      why: 'no group is named admin; ops has AdministratorAccess attached',
    });
    expect(resolve(renamed('Admin')).resolved.adminGroup?.GroupName).toBe('Admin');
  });

  it('chooses nothing from unreadable facts, and says which call failed', () => {
    const snapshot = completeLabWith((s) => {
      s.facts.groups = denied('iam:ListGroups');
      s.facts.buckets = denied('s3:ListAllMyBuckets');
      s.facts.repositories = denied('ecr:DescribeRepositories');
    });
    const { resolved, choices } = resolve(snapshot);
    expect(resolved).toEqual({ adminGroup: undefined, bucket: undefined, repository: undefined });
    expect(choices.map((choice) => choice.why)).toEqual([
      'iam:ListGroups could not be read, so nothing was chosen',
      's3:ListAllMyBuckets could not be read, so nothing was chosen',
      'ecr:DescribeRepositories could not be read, so nothing was chosen',
    ]);
  });
});
