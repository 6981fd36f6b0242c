import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../snapshot/types.js';
import { taskDefinitionOf } from '../../test/support/complete-lab.js';
import { completeLabWith, denied, example, labOf } from '../../test/support/fixtures.js';
import { anyGlobRegExp, globToRegExp } from './storage.js';

const BUCKET = 'sentiment-models-123456789012';
const MODEL = { Key: 'model.joblib', Size: 1000 };
const STORAGE = ['adminGroup', 'bucket', 'repository'];

/** What the storage stage resolved from the snapshot (states and values), and its choices in order. */
function resolve(snapshot: Snapshot) {
  const lab = labOf(snapshot);
  const value = <T>(resolved: { state: string; value?: T }) => (resolved.state === 'found' ? resolved.value : undefined);
  return {
    lab,
    resolved: { adminGroup: value(lab.resolved.adminGroup), bucket: value(lab.resolved.bucket), repository: value(lab.resolved.repository) },
    choices: lab.choices.filter((choice) => STORAGE.includes(choice.resource)),
  };
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

describe('anyGlobRegExp', () => {
  const keys = [
    'classifier.joblib',
    'models/v1/classifier.joblib',
    'models/classifier.joblib.bak',
    'models/sentence_transformer.model/config.json',
    'models/sentence_transformer.model/model.safetensors',
    'model.json',
    'a/model-v2.json',
    'a/b/my-lexicon-v1.json',
    'models/a.pkl',
    'models/a/b.pkl',
    'x/models/a.pkl',
    'x.pt',
    'x.pth',
    'x.ptx',
    'template.yaml',
    '',
    '/',
    'a//b.onnx',
  ];
  it.each([
    [['**/*.joblib', '**/*.pkl', '**/*.pt', '**/*.pth', '**/*.onnx', '**/model*.json', '**/*lexicon*.json', '**/*.safetensors']],
    [['**/*.joblib', 'models/*.pkl', 'models/?.pkl']],
    [['*.pt', '**/model*.json']],
    [['**/*.model']],
  ])('matches a key exactly when one of %j does', (globs) => {
    const any = anyGlobRegExp(globs);
    for (const key of keys) expect([key, any.test(key)]).toEqual([key, globs.some((glob) => globToRegExp(glob).test(key))]);
  });

  it('matches the folders every glob starts with once, before the alternatives', () => {
    const source = (text: string) => new RegExp(text).source;
    expect(anyGlobRegExp(['**/*.pt', '**/model*.json']).source).toBe(source(String.raw`^(?:.*/)?(?:[^/]*\.pt|model[^/]*\.json)$`));
    expect(anyGlobRegExp(['*.pt', '**/model*.json']).source).toBe(source(String.raw`^(?:[^/]*\.pt|(?:.*/)?model[^/]*\.json)$`));
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
      { resource: 'repository', chosen: 'sentiment-app', candidates: 1, why: "the lab's task definition sentiment-app-task:3 runs its image" },
    ]);
  });

  it('takes a repository by its name when no task definition runs an image of the region', () => {
    const snapshot = completeLabWith((s) => void (taskDefinitionOf(s).containerDefinitions![0]!.image = 'docker.io/library/nginx:latest'));
    expect(resolve(snapshot).choices[2]).toEqual({ resource: 'repository', chosen: 'sentiment-app', candidates: 1, why: 'its name matches a hint (sentiment)' });
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
    taskDefinitionOf(snapshot).containerDefinitions![0]!.image = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/my-app@sha256:abc';
    const { resolved, choices } = resolve(snapshot);
    expect(resolved.repository?.repositoryName).toBe('my-app');
    expect(choices[2]).toEqual({ resource: 'repository', chosen: 'my-app', candidates: 2, why: "the lab's task definition sentiment-app-task:3 runs its image" });
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

  it('chooses no bucket when the objects that rank the buckets could not be listed', () => {
    // A bucket holding model files outranks one named like the lab's: without the objects, the choice is not known.
    const snapshot = completeLabWith((s) => { s.facts.bucketObjects[BUCKET] = denied('s3:ListBucket'); });
    const { lab, choices } = resolve(snapshot);
    expect(lab.resolved.bucket).toMatchObject({ state: 'unreadable', unread: { call: 's3:ListBucket', code: 'AccessDenied', finding: "the lab's bucket" } });
    expect(choices[1]).toEqual({ resource: 'bucket', chosen: null, candidates: 0, why: 's3:ListBucket could not be read (AccessDenied), so nothing was chosen' });
    expect(() => lab.bucket).toThrow('s3:ListBucket failed (AccessDenied)');
  });

  it('ranks a bucket whose objects the collector did not list (beyond its bound) as holding no model file', () => {
    const snapshot = withBuckets({ 'sentiment-store': [MODEL], 'other-files': [] });
    delete snapshot.facts.bucketObjects['other-files'];
    expect(resolve(snapshot).resolved.bucket?.Name).toBe('sentiment-store');
  });

  it('takes the only repository even when the task definition that could point to it is unreadable', () => {
    const snapshot = completeLabWith((s) => void (s.facts.taskDefinitions = Object.fromEntries(Object.keys(s.facts.taskDefinitions).map((arn) => [arn, denied('ecs:DescribeTaskDefinition')]))));
    expect(resolve(snapshot).choices[2]).toEqual({
      resource: 'repository',
      chosen: 'sentiment-app',
      candidates: 1,
      why: 'the only repository in the region (ecs:DescribeTaskDefinition could not be read)',
    });
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
    const { lab, resolved, choices } = resolve(snapshot);
    expect(resolved).toEqual({ adminGroup: undefined, bucket: undefined, repository: undefined });
    expect([lab.resolved.adminGroup.state, lab.resolved.bucket.state, lab.resolved.repository.state]).toEqual(['unreadable', 'unreadable', 'unreadable']);
    expect(choices.map((choice) => choice.why)).toEqual([
      'iam:ListGroups could not be read (AccessDenied), so nothing was chosen',
      's3:ListAllMyBuckets could not be read (AccessDenied), so nothing was chosen',
      'ecr:DescribeRepositories could not be read (AccessDenied), so nothing was chosen',
    ]);
  });
});
