// What the app's OpenAPI document says about it: its GET endpoints and the endpoint that
// takes a text to classify. Students name paths and fields their own way, and the document
// is theirs: every walk over it is bounded (a node budget, a depth limit, cycles cut), and a
// document that cannot be read within those bounds is said so instead of crashing the grade.
import type { PredictEndpoint } from '../snapshot/types.js';

type SchemaObject = Record<string, unknown>;

/** Field names that usually hold the text to classify, best first. */
const TEXT_FIELD_NAMES = ['text', 'review', 'sentence', 'input', 'content', 'message', 'query'];
/** Path words that usually name the prediction endpoint, to rank several POST endpoints. */
const PREDICT_PATH_WORDS = /predict|sentiment|analy[sz]|classif|infer|score/i;
/** Never probe more GET endpoints than this, whatever the document lists. */
export const MAX_GET_ENDPOINTS = 20;

/**
 * How much of a document one reading may walk. A FastAPI app's document takes a few hundred
 * steps and nests under ten deep; `$ref`s that fan out (each schema all-of ten copies of the
 * next) would take exponentially many without the budget.
 */
export const OPENAPI_LIMITS = { steps: 20_000, depth: 32 } as const;

/** The document could not be read within OPENAPI_LIMITS (or at all): why, in words. */
export class OpenApiNotUnderstood extends Error {}

function isObject(value: unknown): value is SchemaObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An own field: `__proto__` and `constructor` in a `$ref` or a path are names, never the prototype. */
function own(node: SchemaObject, key: string): unknown {
  return Object.hasOwn(node, key) ? node[key] : undefined;
}

/** One reading of one document: the steps taken so far and the schemas open on the current path. */
class Walk {
  private steps = 0;
  /** Schemas being read on the current path: a `$ref` back into one of them is a cycle, which adds nothing new. */
  private readonly open = new Set<SchemaObject>();

  constructor(readonly document: SchemaObject) {}

  /** Counts one step at `depth`; throws when the document asks for more than the limits. */
  step(depth: number): void {
    this.steps += 1;
    if (this.steps > OPENAPI_LIMITS.steps) throw new OpenApiNotUnderstood(`reading its schemas takes more than ${OPENAPI_LIMITS.steps} steps`);
    if (depth > OPENAPI_LIMITS.depth) throw new OpenApiNotUnderstood(`its schemas nest more than ${OPENAPI_LIMITS.depth} deep`);
  }

  /** Follows local `$ref`s (`#/components/schemas/Name`); undefined for anything else, a ref outside the document or a loop of refs. */
  deref(schema: unknown, depth: number): SchemaObject | undefined {
    const seen = new Set<SchemaObject>();
    let node = schema;
    while (isObject(node)) {
      this.step(depth);
      const ref = own(node, '$ref');
      if (typeof ref !== 'string') return node;
      if (!ref.startsWith('#/') || seen.has(node)) return undefined;
      seen.add(node);
      let target: unknown = this.document;
      for (const part of ref.slice(2).split('/')) {
        this.step(depth);
        target = isObject(target) ? own(target, part.replace(/~1/g, '/').replace(/~0/g, '~')) : undefined;
      }
      node = target;
    }
    return undefined;
  }

  /** Reads `schema` with `read` unless it is already open on this path (a recursive schema): then `ifCycle`. */
  within<T>(schema: SchemaObject, ifCycle: T, read: () => T): T {
    if (this.open.has(schema)) return ifCycle;
    this.open.add(schema);
    try {
      return read();
    } finally {
      this.open.delete(schema);
    }
  }
}

function takesString(walk: Walk, schema: unknown, depth = 0): boolean {
  const resolved = walk.deref(schema, depth);
  if (!resolved) return false;
  const type = own(resolved, 'type');
  if (type === 'string' || (Array.isArray(type) && type.includes('string'))) return true;
  return walk.within(resolved, false, () => {
    // FastAPI writes Optional[str] as anyOf [string, null].
    for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
      const options = own(resolved, key);
      if (Array.isArray(options) && options.some((option) => takesString(walk, option, depth + 1))) return true;
    }
    return false;
  });
}

/** The object schema's properties, merging `allOf` parts (a later part naming a property again wins). */
function propertiesOf(walk: Walk, schema: unknown, depth = 0, merged = new Map<string, unknown>()): Map<string, unknown> {
  const resolved = walk.deref(schema, depth);
  if (!resolved) return merged;
  return walk.within(resolved, merged, () => {
    const properties = own(resolved, 'properties');
    if (isObject(properties)) {
      for (const [name, property] of Object.entries(properties)) {
        walk.step(depth);
        merged.set(name, property);
      }
    }
    const parts = own(resolved, 'allOf');
    if (Array.isArray(parts)) for (const part of parts) propertiesOf(walk, part, depth + 1, merged);
    return merged;
  });
}

/** The string field (or parameter) among `strings` that takes the text, and why it was picked. */
function pickTextField(strings: string[]): { field: string; why: string } | undefined {
  for (const preferred of TEXT_FIELD_NAMES) {
    const exact = strings.find((name) => name.toLowerCase() === preferred);
    if (exact) return { field: exact, why: `string field "${exact}"` };
  }
  for (const preferred of TEXT_FIELD_NAMES) {
    const containing = strings.find((name) => name.toLowerCase().includes(preferred));
    if (containing) return { field: containing, why: `string field "${containing}"` };
  }
  if (strings.length === 1) return { field: strings[0] as string, why: `its only string field "${strings[0]}"` };
  return undefined;
}

function textFieldOf(walk: Walk, schema: unknown): { field: string; why: string } | undefined {
  return pickTextField(
    [...propertiesOf(walk, schema)].filter(([, property]) => takesString(walk, property)).map(([name]) => name),
  );
}

/** A string query parameter of the operation that takes the text (FastAPI's `def predict(text: str)`). */
function textQueryParameterOf(walk: Walk, operation: SchemaObject): { field: string; why: string } | undefined {
  const listed = own(operation, 'parameters');
  const names: string[] = [];
  for (const entry of Array.isArray(listed) ? listed : []) {
    const parameter = walk.deref(entry, 0);
    const name = parameter && own(parameter, 'name');
    if (parameter && own(parameter, 'in') === 'query' && typeof name === 'string' && takesString(walk, own(parameter, 'schema'))) names.push(name);
  }
  const picked = pickTextField(names);
  return picked && { field: picked.field, why: `query parameter "${picked.field}"` };
}

function pathsOf(document: SchemaObject): [string, SchemaObject][] {
  const paths = own(document, 'paths');
  return isObject(paths) ? Object.entries(paths).filter((entry): entry is [string, SchemaObject] => isObject(entry[1])) : [];
}

/** Parse a body as an OpenAPI document; undefined when it is not one. */
export function parseOpenApi(text: string): SchemaObject | undefined {
  try {
    const document: unknown = JSON.parse(text);
    return isObject(document) && (typeof own(document, 'openapi') === 'string' || typeof own(document, 'swagger') === 'string') && isObject(own(document, 'paths'))
      ? document
      : undefined;
  } catch {
    return undefined;
  }
}

/** Every GET path without path parameters, in the document's order. */
export function getEndpoints(document: SchemaObject): string[] {
  return pathsOf(document)
    .filter(([path, operations]) => isObject(own(operations, 'get')) && !path.includes('{'))
    .map(([path]) => path)
    .slice(0, MAX_GET_ENDPOINTS);
}

/**
 * The POST endpoint that takes a text (a JSON body field, else a query parameter), preferring
 * prediction-like paths; null when none does. Throws OpenApiNotUnderstood when the document
 * asks for more reading than OPENAPI_LIMITS allow.
 */
export function findPredictEndpoint(document: SchemaObject, documentPath: string): PredictEndpoint | null {
  const walk = new Walk(document);
  const candidates: (PredictEndpoint & { rank: number })[] = [];
  for (const [path, operations] of pathsOf(document)) {
    const post = own(operations, 'post');
    if (!isObject(post) || path.includes('{')) continue;
    const requestBody = walk.deref(own(post, 'requestBody'), 0);
    const content = requestBody && isObject(own(requestBody, 'content')) ? (own(requestBody, 'content') as SchemaObject) : {};
    const json = Object.entries(content).find(([type]) => type.toLowerCase().includes('json'))?.[1];
    const pathRank = PREDICT_PATH_WORDS.test(path) ? 0 : 1;
    const inBody = isObject(json) ? textFieldOf(walk, own(json, 'schema')) : undefined;
    if (inBody) {
      candidates.push({ path, textField: inBody.field, foundBy: `POST ${path} in ${documentPath} takes a JSON body with ${inBody.why}`, rank: pathRank });
      continue;
    }
    const inQuery = textQueryParameterOf(walk, post);
    if (inQuery) {
      candidates.push({
        path,
        textField: inQuery.field,
        textIn: 'query',
        foundBy: `POST ${path} in ${documentPath} takes the text as ${inQuery.why}`,
        // A JSON body is what the lab's apps usually take; a query parameter is the fallback.
        rank: pathRank + 2,
      });
    }
  }
  candidates.sort((a, b) => a.rank - b.rank);
  const best = candidates[0];
  if (!best) return null;
  const { rank: _rank, ...endpoint } = best;
  return endpoint;
}
