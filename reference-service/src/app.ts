// The sentiment service: GET /, /health, /docs, /openapi.json and POST /predict.
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { SentimentModel } from './model.js';

/** Where the model is: loading, ready, or unusable with the reason. */
export type ModelState =
  | { status: 'loading'; source: string }
  | { status: 'ready'; source: string; model: SentimentModel }
  | { status: 'failed'; source: string; reason: string };

export interface AppOptions {
  /** Read on every request, so a model that finishes loading later is picked up. */
  modelState: () => ModelState;
  logger?: FastifyServerOptions['logger'] | FastifyBaseLogger;
  /** Largest accepted request body, bytes. */
  bodyLimit?: number;
  /** Longest accepted text, characters. */
  maxTextLength?: number;
}

export const SERVICE_NAME = 'sentiment-app';
export const SERVICE_VERSION = '0.1.0';
export const DEFAULT_BODY_LIMIT = 16 * 1024;
export const DEFAULT_MAX_TEXT_LENGTH = 5000;

function unavailableReason(state: ModelState): string {
  if (state.status === 'loading') return `the model is still loading from ${state.source}`;
  if (state.status === 'failed') return `the model could not be loaded from ${state.source}: ${state.reason}`;
  return '';
}

const errorSchema = {
  type: 'object',
  properties: { statusCode: { type: 'integer' }, error: { type: 'string' }, message: { type: 'string' } },
} as const;

/** Fastify's own wording for these is about its internals; these say what to send instead. */
const CLIENT_ERROR_MESSAGES: Record<string, (bodyLimit: number) => string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: (bodyLimit) => `the request body is larger than ${bodyLimit} bytes`,
  FST_ERR_CTP_INVALID_MEDIA_TYPE: () => 'send the body as JSON (Content-Type: application/json)',
  FST_ERR_CTP_EMPTY_JSON_BODY: () => 'the body is empty: send {"text": "..."}',
};

const CLIENT_ERROR_NAMES: Record<number, string> = { 413: 'Payload Too Large', 415: 'Unsupported Media Type' };

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const maxTextLength = options.maxTextLength ?? DEFAULT_MAX_TEXT_LENGTH;
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    // One line per request is written by the onResponse hook below, instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    // Without this Ajv would turn {"text": 42} into "42" and call it valid.
    ajv: { customOptions: { coerceTypes: false, allErrors: false } },
  });

  // Fastify parses text/plain by default; the API takes JSON only, so any other type is a 415.
  app.removeContentTypeParser('text/plain');

  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      {
        method: request.method,
        url: request.url,
        statusCode: reply.statusCode,
        responseTimeMs: Math.round(reply.elapsedTime * 100) / 100,
        remoteAddress: request.ip,
        userAgent: request.headers['user-agent'],
      },
      'request',
    );
  });

  app.setErrorHandler((error: { statusCode?: number; message: string; code?: string }, request, reply) => {
    const statusCode = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (statusCode === 500) {
      request.log.error({ err: error }, 'request failed');
      return reply.status(500).send({ statusCode, error: 'Internal Server Error', message: 'internal error' });
    }
    const message = CLIENT_ERROR_MESSAGES[error.code ?? '']?.(app.initialConfig.bodyLimit ?? DEFAULT_BODY_LIMIT) ?? error.message;
    return reply.status(statusCode).send({ statusCode, error: CLIENT_ERROR_NAMES[statusCode] ?? 'Bad Request', message });
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Sentiment API',
        version: SERVICE_VERSION,
        description: 'Sentiment analysis of English text with a lexicon model (AFINN-165) loaded from S3.',
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  app.get(
    '/',
    {
      schema: {
        summary: 'What this service is',
        response: {
          200: {
            type: 'object',
            properties: {
              service: { type: 'string' },
              version: { type: 'string' },
              message: { type: 'string' },
              links: { type: 'object', additionalProperties: { type: 'string' } },
            },
          },
        },
      },
    },
    async () => ({
      service: SERVICE_NAME,
      version: SERVICE_VERSION,
      message: 'Sentiment analysis API. POST /predict with {"text": "..."}; see /docs for usage.',
      links: { health: '/health', docs: '/docs', openapi: '/openapi.json', predict: '/predict' },
    }),
  );

  app.get(
    '/health',
    {
      schema: {
        summary: 'Health: 200 only when the model is loaded',
        response: {
          200: {
            type: 'object',
            properties: {
              status: { type: 'string', enum: ['ok'] },
              model: { type: 'object', properties: { name: { type: 'string' }, version: { type: 'string' }, words: { type: 'integer' }, source: { type: 'string' } } },
            },
          },
          503: { type: 'object', properties: { status: { type: 'string' }, reason: { type: 'string' } } },
        },
      },
    },
    async (_request, reply) => {
      const state = options.modelState();
      if (state.status !== 'ready') return reply.status(503).send({ status: 'unavailable', reason: unavailableReason(state) });
      const { name, version, words } = state.model.metadata;
      return { status: 'ok', model: { name, version, words, source: state.source } };
    },
  );

  app.post(
    '/predict',
    {
      schema: {
        summary: 'Predict the sentiment of a text',
        body: {
          type: 'object',
          required: ['text'],
          properties: {
            text: {
              type: 'string',
              minLength: 1,
              maxLength: maxTextLength,
              pattern: '\\S',
              description: 'The English text to classify.',
              examples: ['I absolutely love this product, it is wonderful and works perfectly.'],
            },
          },
        },
        response: {
          200: {
            type: 'object',
            properties: {
              label: { type: 'string', enum: ['positive', 'negative', 'neutral'] },
              score: { type: 'number', minimum: 0, maximum: 1, description: 'Positivity in 0..1: above 0.5 positive, below 0.5 negative.' },
              valence: { type: 'number' },
              comparative: { type: 'number' },
              tokens: { type: 'integer' },
              matches: {
                type: 'array',
                items: { type: 'object', properties: { term: { type: 'string' }, valence: { type: 'number' }, negated: { type: 'boolean' } } },
              },
              model: { type: 'string' },
            },
          },
          400: { ...errorSchema, description: 'No usable `text`, or malformed JSON' },
          413: { ...errorSchema, description: 'The body is larger than the limit' },
          415: { ...errorSchema, description: 'The body is not JSON' },
          503: { ...errorSchema, description: 'The model is not loaded (yet)' },
        },
      },
    },
    async (request, reply) => {
      const state = options.modelState();
      if (state.status !== 'ready') {
        return reply.status(503).send({ statusCode: 503, error: 'Service Unavailable', message: unavailableReason(state) });
      }
      const { text } = request.body as { text: string };
      const { name, version } = state.model.metadata;
      return { ...state.model.predict(text), model: `${name}@${version}` };
    },
  );

  return app;
}
