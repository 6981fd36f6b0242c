// snapshot.json → Snapshot, validated: a bad file names its first bad field by JSON path
// and line:column, and a file holding anything like a credential is refused.
import { printParseErrorCode, visit, type JSONPath, type ParseErrorCode } from 'jsonc-parser';
import type * as z from 'zod';
import { UsageError } from '../errors.js';
import { assertShallow, INPUT_LIMITS, nestsDeeper, readLimitedSync } from '../limits.js';
import { findCredential, mayHoldCredential } from './credentials.js';
import { acceptorOf, type Accept } from './accept.js';
import { snapshotSchema } from './schema.js';
import type { Snapshot } from './types.js';

/** Ends a visit early once what was looked for is found. */
const FOUND = Symbol('found');

/** `$.facts.vpcs.data[0].VpcId`: the JSON path as a person reads it. */
function formatJsonPath(path: readonly PropertyKey[]): string {
  return `$${path.map((segment) => (typeof segment === 'number' ? `[${segment}]` : `.${String(segment)}`)).join('')}`;
}

function startsWith(path: JSONPath, prefix: JSONPath): boolean {
  return prefix.length <= path.length && prefix.every((segment, index) => path[index] === segment);
}

/**
 * `line:column` of the value at `path` (of its key, for an object member), or of its nearest
 * enclosing value when it is missing. Streams over the text without building a tree.
 */
function locate(text: string, path: readonly PropertyKey[]): string {
  const target = path.map((segment) => (typeof segment === 'symbol' ? String(segment) : segment));
  let best = { depth: -1, where: '1:1' };
  const consider = (at: JSONPath, line: number, character: number): void => {
    if (at.length <= best.depth || !startsWith(target, at)) return;
    best = { depth: at.length, where: `${line + 1}:${character + 1}` };
    if (at.length === target.length) throw FOUND;
  };
  // An object member is placed at its key (considered by onObjectProperty); an array element at its own start.
  const element = (line: number, character: number, at: JSONPath): void => {
    if (typeof at[at.length - 1] !== 'string') consider(at, line, character);
  };
  try {
    visit(
      text,
      {
        onObjectBegin: (_offset, _length, line, character, pathOf) => element(line, character, pathOf()),
        onArrayBegin: (_offset, _length, line, character, pathOf) => element(line, character, pathOf()),
        onLiteralValue: (_value, _offset, _length, line, character, pathOf) => element(line, character, pathOf()),
        onObjectProperty: (property, _offset, _length, line, character, pathOf) => consider([...pathOf(), property], line, character),
      },
      { disallowComments: true, allowTrailingComma: false },
    );
  } catch (error) {
    if (error !== FOUND) throw error;
  }
  return best.where;
}

/** `line:column` and what is wrong with text that JSON.parse refused. */
function syntaxError(text: string): { where: string; what: string } {
  let found: { where: string; what: string } | undefined;
  try {
    visit(
      text,
      {
        onError: (error: ParseErrorCode, _offset, _length, line, character) => {
          found = { where: `${line + 1}:${character + 1}`, what: printParseErrorCode(error) };
          throw FOUND;
        },
      },
      { disallowComments: true, allowTrailingComma: false },
    );
  } catch (error) {
    if (error !== FOUND) throw error;
  }
  return found ?? { where: '1:1', what: text.trim() === '' ? 'empty file' : 'unexpected content' };
}

function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    return `unknown key ${issue.keys.map((key) => `"${key}"`).join(', ')}: this is not a lab-grader snapshot field`;
  }
  return issue.message.replace(/^Invalid input: /, '');
}

/** The schema's quick yes, made on the first snapshot parsed: a single regrade parses one. */
let acceptsSnapshot: Accept | undefined;

/**
 * Text longer than this is scanned for its depth before JSON.parse reads it: JSON.parse reads
 * any depth without recursion, but 50 MB nested as deep as they can be cost it 10 s and 2.4 GB.
 * Within this, the worst nesting costs it a few tens of milliseconds, and the depth is checked
 * on the value it made, in a fraction of the scan's time (a snapshot is about 60 KB).
 */
const SCAN_DEPTH_FIRST = 256 * 1024;

/** Parse snapshot text; `file` names it in messages. */
export function parseSnapshot(text: string, file: string): Snapshot {
  // Deep nesting would overflow the stack of every recursive reader below; too deep is refused naming the place in the text.
  const scanned = text.length > SCAN_DEPTH_FIRST;
  if (scanned) assertShallow(text, file, 'json', 'snapshot');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    if (!scanned) assertShallow(text, file, 'json', 'snapshot');
    const { where, what } = syntaxError(text);
    throw new UsageError(`${file}:${where}: not valid JSON (${what}): is this a snapshot saved by lab-grader?`);
  }
  if (!scanned && nestsDeeper(value, INPUT_LIMITS.depth)) assertShallow(text, file, 'json', 'snapshot');

  // Most files provably hold nothing the walk could find: it is skipped for them.
  // The provenance holds only request ids, which its schema checks character by character.
  const envelope = value !== null && typeof value === 'object' && !Array.isArray(value) ? { ...value, provenance: undefined } : value;
  const credential = mayHoldCredential(text) ? findCredential(envelope) : null;
  if (credential) {
    const inside = credential.inside.length > 0 ? ` (inside its JSON text, at ${formatJsonPath(credential.inside).replace(/^\$\.?/, '')})` : '';
    throw new UsageError(
      `${file}:${locate(text, credential.path)}: ${formatJsonPath(credential.path)}${inside}: ` +
        `this file holds what looks like an AWS credential (${credential.what}); a snapshot never carries credentials. ` +
        'Delete the file (and rotate the key if it was real), then collect again.',
    );
  }

  acceptsSnapshot ??= acceptorOf(snapshotSchema);
  // zod reads only what the quick test could not accept, and names the first bad field.
  const parsed = acceptsSnapshot(value) ? undefined : snapshotSchema.safeParse(value);
  if (parsed?.success === false) {
    const issue = parsed.error.issues[0]!;
    const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]!] : issue.path;
    throw new UsageError(
      `${file}:${locate(text, path)}: ${formatJsonPath(path)}: ${issueMessage(issue)}` +
        (parsed.error.issues.length > 1 ? ` (and ${parsed.error.issues.length - 1} more problems)` : ''),
    );
  }
  // The schema validates and transforms nothing; its output would lose keys named `__proto__`
  // (zod assigns them, which sets a prototype), so the parsed JSON itself is the snapshot.
  return value as Snapshot;
}

/** Read and validate a snapshot file. */
export function loadSnapshot(file: string): Snapshot {
  let bytes: Buffer;
  try {
    bytes = readLimitedSync(file, INPUT_LIMITS.snapshotBytes, 'snapshot');
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new UsageError(`cannot read the snapshot ${file} (${code}): check the path given to --snapshot`);
  }
  return parseSnapshot(bytes.toString('utf8'), file);
}
