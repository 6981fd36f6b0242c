// snapshot.json → Snapshot, validated: a bad file names its first bad field by JSON path
// and line:column, and a file holding anything like a credential is refused.
import { readFileSync } from 'node:fs';
import { findNodeAtLocation, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import type { z } from 'zod';
import { UsageError } from '../errors.js';
import { snapshotSchema } from './schema.js';
import type { Snapshot } from './types.js';

/** Keys under which a credential would travel; a snapshot must never hold one. */
const CREDENTIAL_KEYS = /^(secretaccesskey|sessiontoken|aws_secret_access_key|aws_session_token)$/i;
/**
 * The same keys as they appear in JSON text. A file without them (and without `\u` escapes,
 * which could spell a key another way) holds none, so the walk over every value is skipped.
 */
const CREDENTIAL_TEXT = /"(secretaccesskey|sessiontoken|aws_secret_access_key|aws_session_token)"|\\u/i;

type JsonPath = (string | number)[];

function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `${line}:${column}`;
}

/** `$.facts.vpcs.data[0].VpcId`: the JSON path as a person reads it. */
function formatJsonPath(path: readonly PropertyKey[]): string {
  return `$${path.map((segment) => (typeof segment === 'number' ? `[${segment}]` : `.${String(segment)}`)).join('')}`;
}

/** The offset of the value at `path`, or of its nearest enclosing value when it is missing. */
function offsetOf(tree: Node, path: readonly PropertyKey[]): number {
  for (let depth = path.length; depth >= 0; depth -= 1) {
    const node = findNodeAtLocation(tree, path.slice(0, depth) as JsonPath);
    if (node) return node.parent?.type === 'property' && depth > 0 ? node.parent.offset : node.offset;
  }
  return tree.offset;
}

/** The path of the first key under which a credential would travel, walking the parsed value. */
function findCredential(value: unknown, path: JsonPath): JsonPath | null {
  if (Array.isArray(value)) {
    for (const [index, child] of value.entries()) {
      const found = findCredential(child, [...path, index]);
      if (found) return found;
    }
  } else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (CREDENTIAL_KEYS.test(key)) return [...path, key];
      const found = findCredential(child, [...path, key]);
      if (found) return found;
    }
  }
  return null;
}

function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    return `unknown key ${issue.keys.map((key) => `"${key}"`).join(', ')}: this is not a lab-grader snapshot field`;
  }
  return issue.message.replace(/^Invalid input: /, '');
}

/** Parse snapshot text; `file` names it in messages. */
export function parseSnapshot(text: string, file: string): Snapshot {
  // The syntax tree only serves to place an error: a valid file (the common case, e.g. a
  // batch of a thousand) is read with the much faster JSON.parse alone.
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    const errors: ParseError[] = [];
    parseTree(text, errors, { disallowComments: true, allowTrailingComma: false });
    const syntax = errors[0];
    const where = syntax ? lineColumn(text, syntax.offset) : '1:1';
    const what = syntax ? printParseErrorCode(syntax.error) : text.trim() === '' ? 'empty file' : 'unexpected content';
    throw new UsageError(`${file}:${where}: not valid JSON (${what}): is this a snapshot saved by lab-grader?`);
  }
  const tree = (): Node => parseTree(text, [], { disallowComments: true, allowTrailingComma: false })!;

  const credential = CREDENTIAL_TEXT.test(text) ? findCredential(value, []) : null;
  if (credential) {
    throw new UsageError(
      `${file}:${lineColumn(text, offsetOf(tree(), credential))}: ${formatJsonPath(credential)}: ` +
        'this file holds what looks like an AWS credential; a snapshot never carries credentials. ' +
        'Delete the file (and rotate the key if it was real), then collect again.',
    );
  }

  const parsed = snapshotSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]!] : issue.path;
    throw new UsageError(
      `${file}:${lineColumn(text, offsetOf(tree(), path))}: ${formatJsonPath(path)}: ${issueMessage(issue)}` +
        (parsed.error.issues.length > 1 ? ` (and ${parsed.error.issues.length - 1} more problems)` : ''),
    );
  }
  return parsed.data as unknown as Snapshot;
}

/** Read and validate a snapshot file. */
export function loadSnapshot(file: string): Snapshot {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new UsageError(`cannot read the snapshot ${file} (${code}): check the path given to --snapshot`);
  }
  return parseSnapshot(text, file);
}
