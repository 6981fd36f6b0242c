// Dotted-key overrides of the lab's params (`ecs.requiredRoleName=LabRole`), from a rubric
// profile or from `--param` on the command line, validated against the params schema.
import * as z from 'zod';
import { paramsSchema, type LabParams } from './params.js';

/** Why an override was refused: the key, and what to do about it. */
export class ParamOverrideError extends Error {
  constructor(
    readonly key: string,
    readonly reason: string,
  ) {
    super(`${key}: ${reason}`);
    this.name = 'ParamOverrideError';
  }
}

/** Every leaf key of the params, dotted (`network.albPort`), for messages that list what exists. */
export function paramKeys(): string[] {
  return Object.entries(paramsSchema.shape).flatMap(([group, schema]) =>
    Object.keys(schema.shape).map((key) => `${group}.${key}`),
  );
}

function leafSchema(key: string): z.ZodType {
  const [group, leaf, ...rest] = key.split('.');
  // Own keys only: `network.toString` or `__proto__.x` must not reach Object.prototype.
  const shape = paramsSchema.shape as Record<string, z.ZodObject>;
  const groupSchema = group !== undefined && Object.hasOwn(shape, group) ? shape[group] : undefined;
  const leafType = groupSchema && leaf !== undefined && rest.length === 0 && Object.hasOwn(groupSchema.shape, leaf) ? groupSchema.shape[leaf] : undefined;
  if (!leafType) {
    throw new ParamOverrideError(key, `no such param; the params are: ${paramKeys().join(', ')}`);
  }
  return leafType as z.ZodType;
}

/** The kind of value a schema takes once nullability is set aside (`number`, `string`, `array`...). */
function valueKind(schema: z.ZodType): string {
  let inner: z.ZodType = schema;
  while (inner instanceof z.ZodNullable || inner instanceof z.ZodOptional || inner instanceof z.ZodDefault) {
    inner = inner.unwrap() as z.ZodType;
  }
  return inner.def.type;
}

/**
 * A command-line value (always text) as the param's type: numbers for numeric params,
 * `null` where the param may be null, JSON for arrays; anything else stays text.
 */
export function coerceParamValue(key: string, text: string): unknown {
  const schema = leafSchema(key);
  if (text === 'null' && schema.safeParse(null).success) return null;
  const kind = valueKind(schema);
  if (kind === 'number') {
    const value = Number(text);
    if (text.trim() === '' || !Number.isFinite(value)) throw new ParamOverrideError(key, `expected a number, got "${text}"`);
    return value;
  }
  if (kind === 'boolean') {
    if (text === 'true' || text === 'false') return text === 'true';
    throw new ParamOverrideError(key, `expected true or false, got "${text}"`);
  }
  if (kind === 'array') {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new ParamOverrideError(key, `expected a JSON array such as '["10.0.1.0/24","10.0.2.0/24"]', got ${text}`);
    }
  }
  return text;
}

/**
 * The params with each dotted key replaced; every key must exist and every value fit its schema.
 * `params` are a loaded rubric's, which its schema has checked: with nothing to replace they
 * are copied as they are, and no schema runs (a grade with no `--param` needs none).
 */
export function applyParamOverrides(params: LabParams, overrides: Readonly<Record<string, unknown>>): LabParams {
  const next = structuredClone(params) as unknown as Record<string, Record<string, unknown>>;
  if (Object.keys(overrides).length === 0) return next as unknown as LabParams;
  for (const [key, value] of Object.entries(overrides)) {
    const checked = leafSchema(key).safeParse(value);
    if (!checked.success) {
      const reason = checked.error.issues.map((issue) => issue.message.replace(/^Invalid input: /, '')).join('; ');
      throw new ParamOverrideError(key, `${reason} (got ${JSON.stringify(value)})`);
    }
    const [group, leaf] = key.split('.') as [string, string];
    next[group] = { ...next[group], [leaf]: checked.data };
  }
  return paramsSchema.parse(next);
}
