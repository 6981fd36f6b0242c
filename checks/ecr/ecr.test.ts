import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../../src/snapshot/types.js';
import { gradeChecks, type Mistake, testMistakes, testNamesAreData } from '../../test/support/mistakes.js';
import { TASK_DEFINITION, taskDefinitionOf } from '../../test/support/complete-lab.js';
import { completeLabWith, denied, example, runCheck } from '../../test/support/fixtures.js';
import imagePushed from './image-pushed.js';

const REPOSITORY = 'sentiment-app';
const URI = `123456789012.dkr.ecr.eu-west-1.amazonaws.com/${REPOSITORY}`;

function images(s: Snapshot) {
  const entry = s.facts.repositoryImages[REPOSITORY];
  if (!entry?.ok) throw new Error('the complete lab has images');
  return entry.data;
}

const noImage = (s: Snapshot): void => { s.facts.repositoryImages[REPOSITORY] = { ok: true, data: [] }; };

const mistakes: Mistake[] = [
  {
    name: 'KMS repository',
    mutate: (s) => {
      if (s.facts.repositories.ok) {
        s.facts.repositories.data[0]!.encryptionConfiguration = { encryptionType: 'KMS', kmsKey: 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab' };
      }
    },
    expected: { 'ecr.aes256-encryption': { status: 'fail', says: [`Repository ${REPOSITORY} is encrypted with KMS`, 'Choose to use AES-256 encryption', 'cannot be changed'] } },
  },
  {
    // No image means nothing was built, tagged (3.3) or pushed (3.4); CloudTrail still shows the login (3.2).
    name: 'no image',
    mutate: noImage,
    expected: {
      'ecr.version-tag': { status: 'fail', says: [REPOSITORY, 'holds no image', `${URI}:14.01.25`] },
      'ecr.image-pushed': { status: 'fail', says: [`docker push ${URI}:14.01.25`, 'holds no image'] },
    },
  },
  {
    name: 'only latest',
    mutate: (s) => { images(s)[0]!.imageTags = ['latest']; },
    expected: { 'ecr.version-tag': { status: 'partial', fraction: 0.5, says: [`in ${REPOSITORY}`, 'not only latest', 'by date'] } },
  },
  {
    name: 'no repository',
    mutate: (s) => {
      s.facts.repositories = { ok: true, data: [] };
      s.facts.repositoryImages = {};
    },
    expected: {
      'ecr.repository': { status: 'fail', says: ['Create a private ECR repository', 'the region has none'] },
      'ecr.aes256-encryption': { status: 'fail', says: ['the region has none'] },
      'ecr.version-tag': { status: 'fail', says: ['the region has none'] },
      'ecr.image-pushed': { status: 'fail', says: ['the region has none'] },
    },
  },
  {
    name: 'CloudTrail unreadable: a pushed image implies the login',
    mutate: (s) => { s.facts.ecrLoginEvents = denied('cloudtrail:LookupEvents'); },
    expected: {},
  },
  {
    name: 'CloudTrail unreadable and no image: the grader cannot tell',
    mutate: (s) => {
      s.facts.ecrLoginEvents = denied('cloudtrail:LookupEvents');
      noImage(s);
    },
    expected: {
      'ecr.docker-login': { status: 'error', says: ['cloudtrail:LookupEvents', 'AccessDenied'] },
      'ecr.version-tag': { status: 'fail' },
      'ecr.image-pushed': { status: 'fail' },
    },
  },
  {
    name: 'no login in CloudTrail and no image',
    mutate: (s) => {
      s.facts.ecrLoginEvents = { ok: true, data: [] };
      noImage(s);
    },
    expected: {
      'ecr.docker-login': { status: 'fail', says: ['aws ecr get-login-password --region eu-west-1', 'docker login --username AWS --password-stdin 123456789012.dkr.ecr.eu-west-1.amazonaws.com'] },
      'ecr.version-tag': { status: 'fail' },
      'ecr.image-pushed': { status: 'fail' },
    },
  },
  {
    name: 'no repository and CloudTrail unreadable: the login cannot be told',
    mutate: (s) => {
      s.facts.repositories = { ok: true, data: [] };
      s.facts.repositoryImages = {};
      s.facts.ecrLoginEvents = denied('cloudtrail:LookupEvents');
    },
    expected: {
      'ecr.repository': { status: 'fail' },
      'ecr.aes256-encryption': { status: 'fail' },
      'ecr.docker-login': { status: 'error', says: ['cloudtrail:LookupEvents'] },
      'ecr.version-tag': { status: 'fail' },
      'ecr.image-pushed': { status: 'fail' },
    },
  },
  {
    name: 'no repository and no login in CloudTrail',
    mutate: (s) => {
      s.facts.repositories = { ok: true, data: [] };
      s.facts.repositoryImages = {};
      s.facts.ecrLoginEvents = { ok: true, data: [] };
    },
    expected: {
      'ecr.repository': { status: 'fail' },
      'ecr.aes256-encryption': { status: 'fail' },
      'ecr.docker-login': { status: 'fail', says: ['docker login', 'no repository was found for the app'] },
      'ecr.version-tag': { status: 'fail' },
      'ecr.image-pushed': { status: 'fail' },
    },
  },
  {
    // CloudTrail's login still passes ecr.docker-login: it needs no repository.
    name: 'unreadable repositories',
    mutate: (s) => { s.facts.repositories = denied('ecr:DescribeRepositories'); },
    expected: Object.fromEntries(
      ['ecr.repository', 'ecr.aes256-encryption', 'ecr.version-tag', 'ecr.image-pushed'].map((id) => [
        id,
        { status: 'error', says: ['ecr:DescribeRepositories'] },
      ]),
    ),
  },
  {
    name: 'unreadable images',
    mutate: (s) => { s.facts.repositoryImages[REPOSITORY] = denied('ecr:DescribeImages'); },
    expected: {
      'ecr.version-tag': { status: 'error', says: ['ecr:DescribeImages'] },
      'ecr.image-pushed': { status: 'error', says: ['ecr:DescribeImages'] },
    },
  },
];

describe('ecr checks', () => {
  it('pass on the complete lab, with evidence naming the repository and image', () => {
    const results = gradeChecks(example('complete-lab'));
    expect(results['ecr.repository']?.evidence[0]).toContain(`repository ${REPOSITORY} (${URI}), created 2026-11-12T09:30:00.000Z; chosen because`);
    expect(results['ecr.aes256-encryption']?.evidence).toEqual([`repository ${REPOSITORY}: encryption AES256`]);
    expect(results['ecr.docker-login']?.evidence).toEqual([
      'CloudTrail: 1 ecr:GetAuthorizationToken call(s) (docker login), latest: student-admin at 2026-11-12T10:02:00.000Z',
    ]);
    expect(results['ecr.version-tag']?.evidence).toEqual([
      `repository ${REPOSITORY}: 1 image(s) with a version tag; newest sha256:3f8a2b1c9d0e tagged 14.01.25, latest`,
    ]);
    expect(results['ecr.image-pushed']?.evidence).toEqual([
      `repository ${REPOSITORY}: 1 image(s); newest 14.01.25, latest (sha256:3f8a2b1c9d0e) pushed at 2026-11-12T10:05:00.000Z, 393.7 MiB`,
    ]);
    for (const check of ['ecr.repository', 'ecr.aes256-encryption', 'ecr.docker-login', 'ecr.version-tag', 'ecr.image-pushed']) {
      expect({ check, status: results[check]?.status }).toEqual({ check, status: 'pass' });
    }
  });

  testMistakes(mistakes);

  it('says which evidence proved the login when CloudTrail is unreadable', () => {
    const result = gradeChecks(completeLabWith((s) => { s.facts.ecrLoginEvents = denied('cloudtrail:LookupEvents'); }))['ecr.docker-login'];
    expect(result?.evidence).toEqual([
      'CloudTrail unreadable (cloudtrail:LookupEvents answered AccessDenied)',
      `repository ${REPOSITORY}: image 14.01.25, latest pushed at 2026-11-12T10:05:00.000Z, which required a docker login`,
    ]);
  });

  it('notes whether the lab\'s task definition runs the pushed image, without points', () => {
    const notes = (snapshot: Snapshot) => {
      const result = runCheck(imagePushed, snapshot);
      expect(result).toMatchObject({ status: 'pass', fraction: 1 });
      return result.notes;
    };
    expect(notes(example('complete-lab'))).toEqual([`task definition sentiment-app-task:3 runs ${URI}:14.01.25, an image pushed here (graded with the task definition)`]);
    const elsewhere = completeLabWith((s) => void (taskDefinitionOf(s).containerDefinitions![0]!.image = 'public.ecr.aws/docker/library/python:3.12'));
    expect(notes(elsewhere)).toEqual([
      `task definition sentiment-app-task:3 runs public.ecr.aws/docker/library/python:3.12, not an image pushed to ${REPOSITORY} (graded with the task definition)`,
    ]);
    const none = completeLabWith((s) => {
      s.facts.services = {};
      s.facts.taskDefinitions = {};
    });
    expect(notes(none)?.[0]).toContain("the lab's task definition was not resolved");
    // The note is no verdict: a task definition that could not be read leaves the pass a pass.
    const unreadable = completeLabWith((s) => void (s.facts.taskDefinitions[TASK_DEFINITION] = denied('ecs:DescribeTaskDefinition')));
    expect(notes(unreadable)?.[0]).toContain("the lab's task definition was not read (ecs:DescribeTaskDefinition answered AccessDenied)");
  });
});

describe('names are data, never object keys', () => {
  testNamesAreData([{ resource: 'the repository', name: 'sentiment-app' }]);
});
