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

function findCredential(node: Node, path: JsonPath): { path: JsonPath; node: Node } | null {
  if (node.type === 'object') {
    for (const property of node.children ?? []) {
      const [key, value] = property.children ?? [];
      if (!key || typeof key.value !== 'string') continue;
      if (CREDENTIAL_KEYS.test(key.value)) return { path: [...path, key.value], node: key };
      const found = value ? findCredential(value, [...path, key.value]) : null;
      if (found) return found;
    }
  } else if (node.type === 'array') {
    for (const [index, child] of (node.children ?? []).entries()) {
      const found = findCredential(child, [...path, index]);
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
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false });
  const syntax = errors[0];
  if (syntax || !tree) {
    const where = syntax ? lineColumn(text, syntax.offset) : '1:1';
    const what = syntax ? printParseErrorCode(syntax.error) : 'empty file';
    throw new UsageError(`${file}:${where}: not valid JSON (${what}): is this a snapshot saved by lab-grader?`);
  }

  const credential = findCredential(tree, []);
  if (credential) {
    throw new UsageError(
      `${file}:${lineColumn(text, credential.node.offset)}: ${formatJsonPath(credential.path)}: ` +
        'this file holds what looks like an AWS credential; a snapshot never carries credentials. ' +
        'Delete the file (and rotate the key if it was real), then collect again.',
    );
  }

  const parsed = snapshotSchema.safeParse(JSON.parse(text));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]!] : issue.path;
    throw new UsageError(
      `${file}:${lineColumn(text, offsetOf(tree, path))}: ${formatJsonPath(path)}: ${issueMessage(issue)}` +
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
