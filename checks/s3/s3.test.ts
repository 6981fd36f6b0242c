import { describe, expect, it } from 'vitest';
import { gradeChecks, type Mistake, testMistakes, testNamesAreData } from '../../test/support/mistakes.js';
import { completeLabWith, denied, example, labParams, runCheck } from '../../test/support/fixtures.js';
import modelFiles from './model-files.js';

const BUCKET = 'sentiment-models-123456789012';
const ALL_ON = { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true };

const mistakes: Mistake[] = [
  {
    name: 'public bucket via policy',
    mutate: (s) => {
      s.facts.bucketPublicAccessBlocks[BUCKET] = { ok: true, data: { ...ALL_ON, BlockPublicPolicy: false, RestrictPublicBuckets: false } };
      s.facts.bucketPolicyStatus[BUCKET] = { ok: true, data: { IsPublic: true } };
    },
    expected: { 's3.private-bucket': { status: 'fail', says: [`bucket ${BUCKET}`, 'Principal "*"', 'BlockPublicPolicy, RestrictPublicBuckets', 'default configurations'] } },
  },
  {
    name: 'public ACL',
    mutate: (s) => {
      s.facts.bucketPublicAccessBlocks[BUCKET] = { ok: true, data: { ...ALL_ON, BlockPublicAcls: false, IgnorePublicAcls: false } };
      const acl = s.facts.bucketAcls[BUCKET];
      if (acl?.ok) acl.data.push({ Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/global/AllUsers' }, Permission: 'READ' });
    },
    expected: { 's3.private-bucket': { status: 'fail', says: [`bucket ${BUCKET}`, 'AllUsers READ'] } },
  },
  {
    name: 'an ACL grant to a group whose URI is a prototype key (a handed-in snapshot) is no public grant',
    mutate: (s) => {
      s.facts.bucketPublicAccessBlocks[BUCKET] = { ok: true, data: null };
      const acl = s.facts.bucketAcls[BUCKET];
      if (acl?.ok) for (const uri of ['constructor', '__proto__', 'toString']) acl.data.push({ Grantee: { Type: 'Group', URI: uri }, Permission: 'READ' });
    },
    expected: { 's3.private-bucket': { status: 'partial', fraction: 0.5, says: ['turn Block Public Access back on'] } },
  },
  {
    name: 'public access block turned off, nothing public yet',
    mutate: (s) => { s.facts.bucketPublicAccessBlocks[BUCKET] = { ok: true, data: null }; },
    expected: { 's3.private-bucket': { status: 'partial', fraction: 0.5, says: ['turn Block Public Access back on (BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets)'] } },
  },
  {
    name: 'account-level block in place of the bucket\'s',
    mutate: (s) => {
      s.facts.bucketPublicAccessBlocks[BUCKET] = { ok: true, data: null };
      s.facts.accountPublicAccessBlock = { ok: true, data: ALL_ON };
    },
    expected: {},
  },
  {
    name: 'bucket without the files',
    mutate: (s) => { s.facts.bucketObjects[BUCKET] = { ok: true, data: [] }; },
    expected: { 's3.model-files': { status: 'fail', says: [`bucket ${BUCKET}`, 'it is empty', 'Upload these files'] } },
  },
  {
    name: 'model files uploaded empty',
    mutate: (s) => {
      const objects = s.facts.bucketObjects[BUCKET];
      if (objects?.ok) for (const object of objects.data) object.Size = 0;
    },
    expected: { 's3.model-files': { status: 'fail', says: ['models/classifier.joblib', 'are 0 bytes'] } },
  },
  {
    name: 'other files than the model',
    mutate: (s) => { s.facts.bucketObjects[BUCKET] = { ok: true, data: [{ Key: 'notes/readme.txt', Size: 120 }] }; },
    expected: { 's3.model-files': { status: 'fail', says: ['notes/readme.txt (120 B)', 'match none of **/*.joblib'] } },
  },
  {
    name: 'no lab bucket (only a CloudFormation bucket)',
    mutate: (s) => {
      if (s.facts.buckets.ok) s.facts.buckets.data = s.facts.buckets.data.filter((bucket) => bucket.Name !== BUCKET);
    },
    expected: {
      's3.private-bucket': { status: 'fail', says: ['Create a private S3 bucket', 'no bucket holds model files'] },
      's3.model-files': { status: 'fail', says: ['no bucket could be taken'] },
    },
  },
  {
    name: 'unreadable policy status',
    mutate: (s) => { s.facts.bucketPolicyStatus[BUCKET] = denied('s3:GetBucketPolicyStatus'); },
    expected: { 's3.private-bucket': { status: 'error', says: ['s3:GetBucketPolicyStatus', 'AccessDenied'] } },
  },
  {
    name: 'unreadable account block when the bucket\'s is off',
    mutate: (s) => {
      s.facts.bucketPublicAccessBlocks[BUCKET] = { ok: true, data: null };
      s.facts.accountPublicAccessBlock = denied('s3:GetAccountPublicAccessBlock');
    },
    expected: { 's3.private-bucket': { status: 'error', says: ['s3:GetAccountPublicAccessBlock'] } },
  },
  {
    name: 'unreadable account block when the bucket\'s is on (not needed)',
    mutate: (s) => { s.facts.accountPublicAccessBlock = denied('s3:GetAccountPublicAccessBlock'); },
    expected: {},
  },
  {
    // Which bucket is the lab's rests on which one holds model files: without its objects, no bucket is graded.
    name: 'unreadable objects of the lab bucket',
    mutate: (s) => { s.facts.bucketObjects[BUCKET] = denied('s3:ListBucket'); },
    expected: {
      's3.model-files': { status: 'error', says: ['s3:ListBucket'] },
      's3.private-bucket': { status: 'error', says: ["could not read bucketObjects to find the lab's bucket: s3:ListBucket answered AccessDenied"] },
    },
  },
  {
    name: 'unreadable bucket list',
    mutate: (s) => { s.facts.buckets = denied('s3:ListAllMyBuckets'); },
    expected: {
      's3.private-bucket': { status: 'error', says: ['s3:ListAllMyBuckets'] },
      's3.model-files': { status: 'error', says: ['s3:ListAllMyBuckets'] },
    },
  },
];

describe('s3 checks', () => {
  it('pass on the complete lab, with evidence naming the bucket', () => {
    const results = gradeChecks(example('complete-lab'));
    expect(results['s3.private-bucket']).toMatchObject({
      status: 'pass',
      evidence: [
        `bucket ${BUCKET}: all four public access blocks on`,
        `bucket ${BUCKET}: no bucket policy`,
        `bucket ${BUCKET}: ACL grants nothing to AllUsers or AuthenticatedUsers`,
      ],
    });
    expect(results['s3.model-files']?.status).toBe('pass');
    expect(results['s3.model-files']?.evidence[0]).toBe(
      `bucket ${BUCKET}: 4 object(s) listed, 2 non-empty model file(s): models/classifier.joblib (2.0 MiB), ` +
        'models/sentence_transformer.model/model.safetensors (86.7 MiB)',
    );
  });

  it('leaves the app-loads-from-S3 judgement to a person, listing the evidence', () => {
    const result = gradeChecks(example('complete-lab'))['s3.workflow-review'];
    expect(result).toMatchObject({ status: 'manual', fraction: 0 });
    expect(result?.hint).toContain('remove any previously downloaded files from Google Drive');
    expect(result?.evidence[0]).toContain(`bucket ${BUCKET}: model files models/classifier.joblib`);
    expect(result?.evidence).toContain(
      'predict.positive: POST http://sentiment-app-alb-1234567890.eu-west-1.elb.amazonaws.com/predict → 200 {"prediction":"positive","score":0.9412}',
    );
  });

  it('says when the app was not asked for predictions', () => {
    const result = gradeChecks(
      completeLabWith((s) => {
        s.probes = { target: null, skipped: 'no internet-facing load balancer found', results: [] };
      }),
    )['s3.workflow-review'];
    expect(result?.status).toBe('manual');
    expect(result?.evidence).toContain('the deployed app was not asked for predictions (no internet-facing load balancer found)');
  });

  it('stays for a person when the bucket or the task definition could not be read, saying so', () => {
    const result = gradeChecks(
      completeLabWith((s) => {
        s.facts.buckets = denied('s3:ListAllMyBuckets');
        s.facts.services = Object.fromEntries(Object.keys(s.facts.services).map((cluster) => [cluster, denied('ecs:DescribeServices')]));
      }),
    )['s3.workflow-review'];
    expect(result?.status).toBe('manual');
    expect(result?.evidence.slice(0, 2)).toEqual([
      "the lab's bucket could not be read (s3:ListAllMyBuckets answered AccessDenied)",
      "the lab's task definition could not be read (ecs:DescribeServices answered AccessDenied)",
    ]);
  });

  it('counts the account-level block, setting by setting, when the bucket has none', () => {
    const result = gradeChecks(
      completeLabWith((s) => {
        s.facts.bucketPublicAccessBlocks[BUCKET] = { ok: true, data: null };
        s.facts.accountPublicAccessBlock = { ok: true, data: ALL_ON };
      }),
    )['s3.private-bucket'];
    expect(result?.status).toBe('pass');
    expect(result?.evidence.slice(0, 3)).toEqual([
      `bucket ${BUCKET}: no bucket-level public access block`,
      'account 123456789012: all four public access blocks on',
      `bucket ${BUCKET}: all four public access blocks on with the account's`,
    ]);
  });

  it('gives a share of the points when fewer model files than the rubric asks are there', () => {
    const result = runCheck(modelFiles, example('complete-lab'), { params: labParams({ 'bucket.minModelFiles': 3 }) });
    expect(result).toMatchObject({ status: 'partial', fraction: 2 / 3 });
    expect(result.hint).toContain(`bucket ${BUCKET}: it holds 2 of the 3 model files the rubric expects`);
  });

  testMistakes(mistakes);
});

describe('names are data, never object keys', () => {
  testNamesAreData([{ resource: 'the model bucket', name: 'sentiment-models-123456789012' }]);
});
