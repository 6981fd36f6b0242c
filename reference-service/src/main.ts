// Starts the service: listens on PORT (8000) at once, then loads the model; until the model
// is loaded /health answers 503, and a failed load is retried so a late NAT route recovers.
import { S3Client } from '@aws-sdk/client-s3';
import { buildApp, type ModelState } from './app.js';
import { describeSource, loadModel, sourceFromEnv, type ArtifactSource } from './artifacts.js';

const port = Number(process.env.PORT ?? 8000);
const host = process.env.HOST ?? '0.0.0.0';
const retrySeconds = Number(process.env.MODEL_RETRY_SECONDS ?? 30);

let source: ArtifactSource | undefined;
let state: ModelState;
try {
  source = sourceFromEnv(process.env);
  state = source
    ? { status: 'loading', source: describeSource(source) }
    : { status: 'failed', source: '(none)', reason: 'set MODEL_S3_URI=s3://bucket/prefix or MODEL_DIR=/path/to/model' };
} catch (error) {
  state = { status: 'failed', source: process.env.MODEL_S3_URI ?? '(none)', reason: (error as Error).message };
}

const app = await buildApp({
  modelState: () => state,
  logger: { level: process.env.LOG_LEVEL ?? 'info', base: { service: 'sentiment-app' } },
});

async function load(from: ArtifactSource, s3: S3Client | undefined): Promise<void> {
  const where = describeSource(from);
  try {
    const model = await loadModel(from, s3);
    state = { status: 'ready', source: where, model };
    app.log.info({ source: where, model: model.metadata.name, words: model.metadata.words }, 'model loaded');
  } catch (error) {
    state = { status: 'failed', source: where, reason: (error as Error).message };
    app.log.error({ source: where, reason: state.reason, retryInSeconds: retrySeconds }, 'model not loaded');
    if (retrySeconds > 0) setTimeout(() => void load(from, s3), retrySeconds * 1000).unref();
  }
}

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    app.log.info({ signal }, 'shutting down');
    void app.close().then(() => process.exit(0));
  });
}

await app.listen({ port, host });
if (source) await load(source, source.kind === 's3' ? new S3Client({ followRegionRedirects: true }) : undefined);
