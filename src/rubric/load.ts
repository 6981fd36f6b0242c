// rubric.yaml → Rubric. Parsed with positions so every error names file:line:column, the
// key and what to do; points become exact hundredths.
import { createHash } from 'node:crypto';
import { isMap, isNode, isPair, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import * as z from 'zod';
import { UsageError } from '../errors.js';
import { parsePoints } from './points.js';
import { assertShallow, INPUT_LIMITS, readLimitedSync } from '../limits.js';
import { ParamOverrideError, applyParamOverrides } from './overrides.js';
import { paramsSchema } from './params.js';
import { formatLocation } from './types.js';
import type { Rubric, RubricCheck, RubricProfile, RubricSection, RubricStep, SourceLocation } from './types.js';

const missing = (what: string) => (issue: { input?: unknown }) =>
  issue.input === undefined ? `missing: add ${what}` : undefined;
const pointsRule = 'points must be a non-negative number with at most two decimals, such as 0.25';
const points = z
  .union([z.number(), z.string()], { error: (issue) => missing('the points, such as 0.25')(issue) ?? pointsRule })
  .refine((value) => parsePoints(value) !== null, { error: pointsRule });
const id = z
  .string({ error: (issue) => missing('an id, such as "4.2"')(issue) ?? 'ids are text: quote them, such as "4.2"' })
  .min(1);
const title = z.string().min(1);

const checkSchema = z
  .object({
    check: z.string().regex(/^[a-z0-9]+\.[a-z0-9-]+$/, { error: 'a check id is <service>.<name>, such as vpc.cidr' }),
    points,
    hint: z.string().min(1).optional(),
  })
  .strict();
const stepSchema = z.object({ id, title, points, checks: z.array(checkSchema).min(1) }).strict();
const sectionSchema = z.object({ id, title, points, steps: z.array(stepSchema).min(1) }).strict();
const profileSchema = z
  .object({
    description: z.string().default(''),
    default: z.boolean().default(false),
    notApplicable: z.array(id).default([]),
    maximum: z.enum(['reduce', 'keep']).default('keep'),
    params: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();
const rubricSchema = z
  .object({
    version: z.literal(1, { error: 'version must be 1' }),
    lab: z.string().min(1),
    params: paramsSchema,
    profiles: z.record(z.string(), profileSchema),
    sections: z.array(sectionSchema).min(1),
    bonus: z.array(stepSchema).default([]),
  })
  .strict();

type Path = readonly PropertyKey[];

/** Alias expansions a rubric may make; the bundled one makes none. */
const MAX_ALIAS_EXPANSIONS = 100;

/** Finds where a key path was written, falling back to the nearest enclosing node. */
class Positions {
  constructor(
    private readonly file: string,
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  at(offset: number): SourceLocation {
    const { line, col } = this.lines.linePos(offset);
    return { file: this.file, line, column: col };
  }

  /** The value at `path`; with `key`, the key `key` inside the map at `path`. */
  of(path: Path, key?: string): SourceLocation {
    const segments = path.map((segment) => (typeof segment === 'symbol' ? String(segment) : segment));
    for (let depth = segments.length; depth >= 0; depth -= 1) {
      const node: unknown = depth === 0 ? this.doc.contents : this.doc.getIn(segments.slice(0, depth), true);
      if (!isNode(node) || !node.range) continue;
      if (key !== undefined && depth === segments.length && isMap(node)) {
        const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && item.key.value === key);
        if (pair && isNode(pair.key) && pair.key.range) return this.at(pair.key.range[0]);
      }
      return this.at(node.range[0]);
    }
    return { file: this.file, line: 1, column: 1 };
  }
}

/** `sections[3].steps[1].points`: the key path as a person reads it. */
export function formatPath(path: Path): string {
  return path
    .map((segment, index) =>
      typeof segment === 'number' ? `[${segment}]` : `${index === 0 ? '' : '.'}${String(segment)}`,
    )
    .join('');
}

function issueMessage(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'unrecognized_keys':
      return `unknown key ${issue.keys.map((key) => `"${key}"`).join(', ')}: remove it or fix its spelling`;
    case 'invalid_type':
      return issue.message.includes('received undefined')
        ? `missing: add it (${issue.message.replace(/^Invalid input: /, '')})`
        : issue.message.replace(/^Invalid input: /, '');
    default:
      return issue.message;
  }
}

function pointsOf(value: number | string): number {
  // Validated by the schema's refinement, so never null here.
  return parsePoints(value) ?? 0;
}

/**
 * Parse a rubric; `file` names it in messages and in the scorecard. Given bytes, the hash
 * is of those exact bytes.
 */
export function parseRubric(source: string | Uint8Array, file: string): Rubric {
  const text = typeof source === 'string' ? source : new TextDecoder().decode(source);
  // The YAML parser recurses: deep nesting must be refused before it runs.
  assertShallow(text, file, 'yaml', 'rubric');
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const positions = new Positions(file, doc, lines);

  if (doc.errors.length > 0) {
    const messages = doc.errors.map((error) => {
      const where = error.linePos?.[0]
        ? { file, line: error.linePos[0].line, column: error.linePos[0].col }
        : positions.at(error.pos[0]);
      return `${formatLocation(where)}: invalid YAML: ${error.message.split('\n')[0]}`;
    });
    throw new UsageError(`${file} is not valid YAML; fix it and run again:\n${messages.join('\n')}`);
  }

  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_EXPANSIONS });
  } catch (error) {
    // The yaml library's guard against "billion laughs": aliases that expand exponentially.
    if (!(error instanceof ReferenceError)) throw error;
    throw new UsageError(`${file}: its YAML aliases (*name) expand to more than ${MAX_ALIAS_EXPANSIONS} copies; a rubric needs none: write the values out`);
  }
  const parsed = rubricSchema.safeParse(value);
  if (!parsed.success) {
    const messages = parsed.error.issues.map((issue) => {
      const key = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
      const where = positions.of(issue.path, key);
      const keyPath = formatPath(key === undefined ? issue.path : [...issue.path, key]) || '(top level)';
      return `${formatLocation(where)}: ${keyPath}: ${issueMessage(issue)}`;
    });
    throw new UsageError(`${file} is not a valid rubric:\n${messages.join('\n')}`);
  }
  const raw = parsed.data;

  const toStep = (step: (typeof raw.sections)[number]['steps'][number], path: Path): RubricStep => ({
    id: step.id,
    title: step.title,
    points: pointsOf(step.points),
    checks: step.checks.map(
      (check, index): RubricCheck => ({
        check: check.check,
        points: pointsOf(check.points),
        ...(check.hint === undefined ? {} : { hint: check.hint }),
        at: positions.of([...path, 'checks', index]),
      }),
    ),
    at: positions.of([...path, 'id']),
  });
  const sections = raw.sections.map(
    (section, index): RubricSection => ({
      id: section.id,
      title: section.title,
      points: pointsOf(section.points),
      steps: section.steps.map((step, stepIndex) => toStep(step, ['sections', index, 'steps', stepIndex])),
      at: positions.of(['sections', index, 'id']),
    }),
  );
  const bonus = raw.bonus.map((step, index) => toStep(step, ['bonus', index]));

  const stepIds = new Set([...sections.flatMap((section) => section.steps), ...bonus].map((step) => step.id));
  const problems: string[] = [];
  const profiles = Object.entries(raw.profiles).map(([name, profile]): RubricProfile => {
    profile.notApplicable.forEach((stepId, index) => {
      if (!stepIds.has(stepId)) {
        const where = positions.of(['profiles', name, 'notApplicable', index]);
        problems.push(`${formatLocation(where)}: profiles.${name}.notApplicable: no step "${stepId}" in this rubric: use a step id such as "1.2"`);
      }
    });
    try {
      applyParamOverrides(raw.params, profile.params);
    } catch (error) {
      if (!(error instanceof ParamOverrideError)) throw error;
      const where = positions.of(['profiles', name, 'params'], error.key);
      problems.push(`${formatLocation(where)}: profiles.${name}.params.${error.key}: ${error.reason}`);
    }
    return { name, ...profile, at: positions.of(['profiles'], name) };
  });
  const defaults = profiles.filter((profile) => profile.default);
  if (defaults.length !== 1) {
    const where = defaults.length > 1 ? defaults[1]!.at : positions.of(['profiles']);
    const found = defaults.length === 0 ? 'none is' : `${defaults.map((profile) => profile.name).join(', ')} are`;
    problems.push(`${formatLocation(where)}: profiles: exactly one profile must say "default: true"; ${found}`);
  }
  if (problems.length > 0) throw new UsageError(`${file} is not a valid rubric:\n${problems.join('\n')}`);

  return {
    version: raw.version,
    lab: raw.lab,
    file,
    sha256: createHash('sha256').update(source).digest('hex'),
    params: raw.params,
    profiles,
    sections,
    bonus,
  };
}

/**
 * Read and validate a rubric file. `name` is how messages and the scorecard call it: the
 * path as given (relative stays relative), or `rubric.yaml` for the bundled one.
 */
export function loadRubric(file: string, name = file): Rubric {
  let bytes: Uint8Array;
  try {
    bytes = readLimitedSync(file, INPUT_LIMITS.rubricBytes, 'rubric');
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new UsageError(`cannot read the rubric ${name} (${code}): check the path given to --rubric`);
  }
  return parseRubric(bytes, name);
}
