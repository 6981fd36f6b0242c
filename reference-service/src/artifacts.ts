// Loads the model artifacts (metadata.json + lexicon.json) from a local folder or from S3,
// and checks them before the service calls itself healthy.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createModel, type Lexicon, type ModelMetadata, type SentimentModel } from './model.js';

export const METADATA_FILE = 'metadata.json';
export const LEXICON_FILE = 'lexicon.json';

/** Where the artifacts are: `MODEL_DIR` (a folder) or `MODEL_S3_URI` (s3://bucket/prefix). */
export type ArtifactSource = { kind: 'dir'; dir: string } | { kind: 's3'; bucket: string; prefix: string };

/** The artifacts are missing, unreachable or malformed; the message says which and why. */
export class ArtifactError extends Error {
  override name = 'ArtifactError';
}

export function parseS3Uri(uri: string): { bucket: string; prefix: string } {
  const match = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(uri);
  if (!match) throw new ArtifactError(`MODEL_S3_URI must look like s3://bucket/prefix, got "${uri}"`);
  const prefix = (match[2] ?? '').replace(/\/+$/, '');
  return { bucket: match[1]!, prefix };
}

export function describeSource(source: ArtifactSource): string {
  return source.kind === 'dir' ? source.dir : `s3://${source.bucket}/${source.prefix}`;
}

/** Reads the source from the environment; MODEL_S3_URI wins when both are set. */
export function sourceFromEnv(env: NodeJS.ProcessEnv): ArtifactSource | undefined {
  if (env.MODEL_S3_URI) return { kind: 's3', ...parseS3Uri(env.MODEL_S3_URI) };
  if (env.MODEL_DIR) return { kind: 'dir', dir: env.MODEL_DIR };
  return undefined;
}

function s3Key(prefix: string, file: string): string {
  return prefix === '' ? file : `${prefix}/${file}`;
}

async function readArtifact(source: ArtifactSource, file: string, s3?: S3Client): Promise<Buffer> {
  if (source.kind === 'dir') {
    try {
      return await readFile(join(source.dir, file));
    } catch (error) {
      throw new ArtifactError(`cannot read ${join(source.dir, file)}: ${(error as Error).message}`);
    }
  }
  if (!s3) throw new ArtifactError('an S3 client is needed to read artifacts from S3');
  const key = s3Key(source.prefix, file);
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: source.bucket, Key: key }));
    if (!object.Body) throw new Error('empty response body');
    return Buffer.from(await object.Body.transformToByteArray());
  } catch (error) {
    const name = (error as Error).name;
    throw new ArtifactError(`cannot get s3://${source.bucket}/${key}: ${name}: ${(error as Error).message}`);
  }
}

function parseJson(bytes: Buffer, file: string): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new ArtifactError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
}

function checkMetadata(value: unknown): ModelMetadata {
  const metadata = value as Partial<ModelMetadata> | null;
  if (typeof metadata !== 'object' || metadata === null || metadata.format !== 'lexicon-sentiment/1') {
    throw new ArtifactError(`${METADATA_FILE} is not a lexicon-sentiment/1 model description`);
  }
  const wellFormed =
    typeof metadata.name === 'string' &&
    typeof metadata.version === 'string' &&
    typeof metadata.lexiconSha256 === 'string' &&
    Array.isArray(metadata.negators) &&
    metadata.negators.every((word) => typeof word === 'string') &&
    Number.isInteger(metadata.negationWindow) &&
    typeof metadata.temperature === 'number' &&
    metadata.temperature > 0;
  if (!wellFormed) throw new ArtifactError(`${METADATA_FILE} misses name, version, lexiconSha256, negators, negationWindow or temperature`);
  return metadata as ModelMetadata;
}

function checkLexicon(value: unknown, metadata: ModelMetadata): Lexicon {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ArtifactError(`${LEXICON_FILE} must be an object of word → valence`);
  }
  const entries = Object.entries(value);
  const bad = entries.find(([, valence]) => typeof valence !== 'number' || !Number.isFinite(valence));
  if (bad) throw new ArtifactError(`${LEXICON_FILE}: "${bad[0]}" has no numeric valence`);
  if (entries.length !== metadata.words) {
    throw new ArtifactError(`${LEXICON_FILE} has ${entries.length} entries, ${METADATA_FILE} says ${metadata.words}`);
  }
  return value as Lexicon;
}

/** Loads and verifies the artifacts; throws ArtifactError with the reason when they are not usable. */
export async function loadModel(source: ArtifactSource, s3?: S3Client): Promise<SentimentModel> {
  const metadata = checkMetadata(parseJson(await readArtifact(source, METADATA_FILE, s3), METADATA_FILE));
  const lexiconBytes = await readArtifact(source, LEXICON_FILE, s3);
  const sha256 = createHash('sha256').update(lexiconBytes).digest('hex');
  if (sha256 !== metadata.lexiconSha256) {
    throw new ArtifactError(`${LEXICON_FILE} does not match ${METADATA_FILE} (sha256 ${sha256}, expected ${metadata.lexiconSha256})`);
  }
  return createModel(metadata, checkLexicon(parseJson(lexiconBytes, LEXICON_FILE), metadata));
}
