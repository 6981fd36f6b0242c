// What the app's OpenAPI document says about it: its GET endpoints and the endpoint that
// takes a text to classify. Students name paths and fields their own way.
import type { PredictEndpoint } from '../snapshot/types.js';

type SchemaObject = Record<string, unknown>;

/** Field names that usually hold the text to classify, best first. */
const TEXT_FIELD_NAMES = ['text', 'review', 'sentence', 'input', 'content', 'message', 'query'];
/** Path words that usually name the prediction endpoint, to rank several POST endpoints. */
const PREDICT_PATH_WORDS = /predict|sentiment|analy[sz]|classif|infer|score/i;
/** Never probe more GET endpoints than this, whatever the document lists. */
export const MAX_GET_ENDPOINTS = 20;

function isObject(value: unknown): value is SchemaObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Follow a local `$ref` (`#/components/schemas/Name`), a few levels deep at most. */
function deref(document: SchemaObject, schema: unknown, depth = 0): SchemaObject | undefined {
  if (!isObject(schema) || depth > 5) return undefined;
  const ref = schema.$ref;
  if (typeof ref !== 'string') return schema;
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = document;
  for (const part of ref.slice(2).split('/')) {
    node = isObject(node) ? node[part.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
  }
  return deref(document, node, depth + 1);
}

function takesString(document: SchemaObject, schema: unknown): boolean {
  const resolved = deref(document, schema);
  if (!resolved) return false;
  if (resolved.type === 'string' || (Array.isArray(resolved.type) && resolved.type.includes('string'))) return true;
  // FastAPI writes Optional[str] as anyOf [string, null].
  for (const key of ['anyOf', 'oneOf'] as const) {
    const options = resolved[key];
    if (Array.isArray(options) && options.some((option) => takesString(document, option))) return true;
  }
  return false;
}

/** The object schema's properties, merging `allOf` parts. */
function propertiesOf(document: SchemaObject, schema: unknown): SchemaObject {
  const resolved = deref(document, schema);
  if (!resolved) return {};
  const merged: SchemaObject = isObject(resolved.properties) ? { ...resolved.properties } : {};
  if (Array.isArray(resolved.allOf)) {
    for (const part of resolved.allOf) Object.assign(merged, propertiesOf(document, part));
  }
  return merged;
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

function textFieldOf(document: SchemaObject, schema: unknown): { field: string; why: string } | undefined {
  return pickTextField(
    Object.entries(propertiesOf(document, schema))
      .filter(([, property]) => takesString(document, property))
      .map(([name]) => name),
  );
}

/** A string query parameter of the operation that takes the text (FastAPI's `def predict(text: str)`). */
function textQueryParameterOf(document: SchemaObject, operation: SchemaObject): { field: string; why: string } | undefined {
  const parameters = Array.isArray(operation.parameters) ? operation.parameters.map((parameter) => deref(document, parameter)) : [];
  const picked = pickTextField(
    parameters
      .filter((parameter): parameter is SchemaObject => parameter?.in === 'query' && typeof parameter.name === 'string' && takesString(document, parameter.schema))
      .map((parameter) => parameter.name as string),
  );
  return picked && { field: picked.field, why: `query parameter "${picked.field}"` };
}

function pathsOf(document: SchemaObject): [string, SchemaObject][] {
  return isObject(document.paths)
    ? Object.entries(document.paths).filter((entry): entry is [string, SchemaObject] => isObject(entry[1]))
    : [];
}

/** Parse a body as an OpenAPI document; undefined when it is not one. */
export function parseOpenApi(text: string): SchemaObject | undefined {
  try {
    const document: unknown = JSON.parse(text);
    return isObject(document) && (typeof document.openapi === 'string' || typeof document.swagger === 'string') && isObject(document.paths)
      ? document
      : undefined;
  } catch {
    return undefined;
  }
}

/** Every GET path without path parameters, in the document's order. */
export function getEndpoints(document: SchemaObject): string[] {
  return pathsOf(document)
    .filter(([path, operations]) => isObject(operations.get) && !path.includes('{'))
    .map(([path]) => path)
    .slice(0, MAX_GET_ENDPOINTS);
}

/** The POST endpoint that takes a text (a JSON body field, else a query parameter), preferring prediction-like paths; null when none does. */
export function findPredictEndpoint(document: SchemaObject, documentPath: string): PredictEndpoint | null {
  const candidates: (PredictEndpoint & { rank: number })[] = [];
  for (const [path, operations] of pathsOf(document)) {
    const post = operations.post;
    if (!isObject(post) || path.includes('{')) continue;
    const requestBody = deref(document, post.requestBody);
    const content = requestBody && isObject(requestBody.content) ? requestBody.content : {};
    const json = Object.entries(content).find(([type]) => type.toLowerCase().includes('json'))?.[1];
    const pathRank = PREDICT_PATH_WORDS.test(path) ? 0 : 1;
    const inBody = isObject(json) ? textFieldOf(document, json.schema) : undefined;
    if (inBody) {
      candidates.push({ path, textField: inBody.field, foundBy: `POST ${path} in ${documentPath} takes a JSON body with ${inBody.why}`, rank: pathRank });
      continue;
    }
    const inQuery = textQueryParameterOf(document, post);
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
