// A quick yes for a snapshot the schema accepts, made from the schema itself: one small
// function per schema node, with none of zod's issue bookkeeping. It only ever says yes where
// zod would (a node it does not know is asked of zod itself), so a no, or anything in doubt,
// goes to zod, which names the first bad field. A batch's snapshots are nearly all good: zod's
// parse was the largest single part of a grading thread's work.
import type * as z from 'zod';

/** True only for a value the schema accepts; false when it does not, or when this cannot tell quickly. */
export type Accept = (value: unknown) => boolean;

/** The parts of a zod schema's definition this reads. */
interface Definition {
  type: string;
  [key: string]: unknown;
}

interface CheckDefinition {
  check: string;
  format?: string;
  pattern?: RegExp;
  value?: unknown;
  inclusive?: boolean;
  minimum?: number;
}

const definitionOf = (schema: z.ZodType): Definition => (schema as unknown as { _zod: { def: Definition } })._zod.def;
const checksOf = (definition: Definition): CheckDefinition[] =>
  ((definition.checks as { _zod: { def: CheckDefinition } }[] | undefined) ?? []).map((check) => check._zod.def);

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Whether a definition sets nothing but the keys named (an error message changes no answer). */
const only = (definition: Definition, keys: readonly string[]): boolean =>
  Object.keys(definition).every((key) => key === 'type' || key === 'error' || keys.includes(key) || definition[key] === undefined);

/** One check of a string or number as a test of the value, or undefined when it is not one of the plain ones. */
function checkTest(check: CheckDefinition): ((value: never) => boolean) | undefined {
  if (check.check === 'string_format' && check.format === 'regex' && check.pattern instanceof RegExp && !check.pattern.global && !check.pattern.sticky) {
    const pattern = check.pattern;
    return (value: string) => pattern.test(value);
  }
  if (check.check === 'min_length' && typeof check.minimum === 'number') {
    const minimum = check.minimum;
    return (value: string) => value.length >= minimum;
  }
  if (check.check === 'number_format' && check.format === 'safeint') return (value: number) => Number.isSafeInteger(value);
  if (check.check === 'greater_than' && typeof check.value === 'number') {
    const bound = check.value;
    return check.inclusive === true ? (value: number) => value >= bound : (value: number) => value > bound;
  }
  return undefined;
}

/** A leaf of `typeof` kind with plain checks, or undefined when one of its checks is not plain. */
function leaf(kind: 'string' | 'number', definition: Definition): Accept | undefined {
  const tests = checksOf(definition).map(checkTest);
  if (tests.some((test) => test === undefined)) return undefined;
  const all = tests as ((value: never) => boolean)[];
  if (kind === 'string') return (value) => typeof value === 'string' && all.every((test) => test(value as never));
  return (value) => typeof value === 'number' && Number.isFinite(value) && all.every((test) => test(value as never));
}

function objectAcceptor(definition: Definition, compile: (schema: z.ZodType) => Accept): Accept | undefined {
  const catchall = definition.catchall === undefined ? 'strip' : definitionOf(definition.catchall as z.ZodType).type;
  if (catchall !== 'strip' && catchall !== 'unknown' && catchall !== 'never') return undefined;
  const shape = definition.shape as Record<string, z.ZodType>;
  const fields = Object.keys(shape).map((key) => ({ key, accept: compile(shape[key]!), optional: definitionOf(shape[key]!).type === 'optional' }));
  const strict = catchall === 'never';
  return (value) => {
    if (!isObject(value)) return false;
    for (const field of fields) {
      if (Object.hasOwn(value, field.key)) {
        if (!field.accept(value[field.key])) return false;
      } else if (!field.optional) return false;
    }
    if (strict) for (const key in value) if (!Object.hasOwn(shape, key)) return false;
    return true;
  };
}

/** A union: by its discriminator's literal, or any option for a union that takes the first that fits. */
function unionAcceptor(definition: Definition, compile: (schema: z.ZodType) => Accept): Accept | undefined {
  const options = definition.options as z.ZodType[];
  const discriminator = definition.discriminator as string | undefined;
  if (discriminator === undefined) {
    if (definition.inclusive === false) return undefined;
    const accepts = options.map(compile);
    return (value) => accepts.some((accept) => accept(value));
  }
  const byValue = new Map<unknown, Accept>();
  for (const option of options) {
    const optionDefinition = definitionOf(option);
    const tag = optionDefinition.type === 'object' ? (optionDefinition.shape as Record<string, z.ZodType>)[discriminator] : undefined;
    const tagDefinition = tag === undefined ? undefined : definitionOf(tag);
    if (tagDefinition?.type !== 'literal') return undefined;
    for (const literal of tagDefinition.values as unknown[]) {
      if (byValue.has(literal)) return undefined;
      byValue.set(literal, compile(option));
    }
  }
  return (value) => isObject(value) && (byValue.get(value[discriminator]) ?? never)(value);
}

const never: Accept = () => false;

/** A node's quick test, or undefined when it is not one this knows to the letter. */
function known(schema: z.ZodType, compile: (schema: z.ZodType) => Accept): Accept | undefined {
  const definition = definitionOf(schema);
  switch (definition.type) {
    case 'string':
      return only(definition, ['checks']) ? leaf('string', definition) : undefined;
    case 'number':
      return only(definition, ['checks']) ? leaf('number', definition) : undefined;
    case 'boolean':
      return only(definition, []) ? (value) => typeof value === 'boolean' : undefined;
    case 'unknown':
      return () => true;
    case 'never':
      return never;
    case 'literal': {
      const values = definition.values as unknown[];
      return only(definition, ['values']) ? (value) => values.includes(value) : undefined;
    }
    case 'enum': {
      const values = Object.values(definition.entries as Record<string, unknown>);
      return only(definition, ['entries']) ? (value) => values.includes(value) : undefined;
    }
    case 'optional': {
      const inner = compile(definition.innerType as z.ZodType);
      return only(definition, ['innerType']) ? (value) => value === undefined || inner(value) : undefined;
    }
    case 'nullable': {
      const inner = compile(definition.innerType as z.ZodType);
      return only(definition, ['innerType']) ? (value) => value === null || inner(value) : undefined;
    }
    case 'array': {
      const element = compile(definition.element as z.ZodType);
      return only(definition, ['element']) ? (value) => Array.isArray(value) && value.every((item) => element(item)) : undefined;
    }
    case 'record': {
      const key = definitionOf(definition.keyType as z.ZodType);
      if (!only(definition, ['keyType', 'valueType']) || key.type !== 'string' || !only(key, [])) return undefined;
      const entry = compile(definition.valueType as z.ZodType);
      return (value) => {
        if (!isObject(value) || Object.getPrototypeOf(value) !== Object.prototype) return false;
        for (const name in value) if (!entry(value[name])) return false;
        return true;
      };
    }
    case 'object':
      return only(definition, ['shape', 'catchall']) ? objectAcceptor(definition, compile) : undefined;
    case 'union':
      return only(definition, ['options', 'discriminator', 'inclusive', 'unionFallback']) && definition.unionFallback === undefined
        ? unionAcceptor(definition, compile)
        : undefined;
    default:
      return undefined;
  }
}

/**
 * The schema's quick test, made once. A node this does not know to the letter (a refinement, a
 * date-time format, a transform) is tested by zod on its own, so the answer is always zod's or
 * stricter: a value is never accepted that zod would refuse.
 */
export function acceptorOf(schema: z.ZodType): Accept {
  const made = new Map<z.ZodType, Accept>();
  const compile = (node: z.ZodType): Accept => {
    let accept = made.get(node);
    if (!accept) {
      accept = known(node, compile) ?? ((value) => node.safeParse(value).success);
      made.set(node, accept);
    }
    return accept;
  };
  return compile(schema);
}
