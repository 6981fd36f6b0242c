import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, NoSuchKey, S3Client, type GetObjectCommandOutput } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadModel, parseS3Uri, sourceFromEnv } from '../src/artifacts.js';
import { exportModel } from '../scripts/export-model.js';

const s3Mock = mockClient(S3Client);
let dir: string;
const artifacts = new Map<string, Buffer>();

function body(bytes: Buffer): GetObjectCommandOutput['Body'] {
  return { transformToByteArray: async () => new Uint8Array(bytes) } as unknown as GetObjectCommandOutput['Body'];
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sentiment-model-s3-'));
  await exportModel(dir);
  for (const file of ['lexicon.json', 'metadata.json']) artifacts.set(`models/sentiment/${file}`, await readFile(join(dir, file)));
});
afterAll(async () => {
  s3Mock.restore();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => s3Mock.reset());

describe('loading the model from S3', () => {
  it('gets metadata.json and lexicon.json under the prefix and predicts with them', async () => {
    s3Mock.on(GetObjectCommand).callsFake((input: { Bucket: string; Key: string }) => {
      const bytes = input.Bucket === 'sentiment-app-models-example' ? artifacts.get(input.Key) : undefined;
      if (!bytes) throw new NoSuchKey({ message: 'The specified key does not exist.', $metadata: {} });
      return { Body: body(bytes) };
    });
    const source = sourceFromEnv({ MODEL_S3_URI: 's3://sentiment-app-models-example/models/sentiment/' });
    const model = await loadModel(source!, new S3Client({ region: 'eu-west-1' }));
    expect(s3Mock.commandCalls(GetObjectCommand).map((call) => call.args[0].input.Key)).toEqual([
      'models/sentiment/metadata.json',
      'models/sentiment/lexicon.json',
    ]);
    expect(model.predict('What a fantastic, happy day.').label).toBe('positive');
  });

  it('names the object and the S3 error when an artifact is missing', async () => {
    s3Mock.on(GetObjectCommand).rejects(new NoSuchKey({ message: 'The specified key does not exist.', $metadata: {} }));
    await expect(loadModel({ kind: 's3', bucket: 'sentiment-app-models-example', prefix: 'model' }, new S3Client({ region: 'eu-west-1' }))).rejects.toThrow(
      'cannot get s3://sentiment-app-models-example/model/metadata.json: NoSuchKey',
    );
  });

  it('reports AccessDenied, so /health can say why', async () => {
    const denied = Object.assign(new Error('Access Denied'), { name: 'AccessDenied' });
    s3Mock.on(GetObjectCommand).rejects(denied);
    await expect(loadModel({ kind: 's3', bucket: 'sentiment-app-models-example', prefix: '' }, new S3Client({ region: 'eu-west-1' }))).rejects.toThrow(
      'cannot get s3://sentiment-app-models-example/metadata.json: AccessDenied: Access Denied',
    );
  });

  it('parses s3:// URIs and refuses anything else', () => {
    expect(parseS3Uri('s3://sentiment-app-models-example')).toEqual({ bucket: 'sentiment-app-models-example', prefix: '' });
    expect(parseS3Uri('s3://sentiment-app-models-example/a/b/')).toEqual({ bucket: 'sentiment-app-models-example', prefix: 'a/b' });
    expect(() => parseS3Uri('https://example.com/model')).toThrow(/s3:\/\/bucket\/prefix/);
    expect(sourceFromEnv({ MODEL_DIR: '/opt/model' })).toEqual({ kind: 'dir', dir: '/opt/model' });
    expect(sourceFromEnv({})).toBeUndefined();
  });
});
