// Property-based tests (fast-check) of every input a person hands the grader: snapshot
// mutations, rubric documents, roster rows, --param strings. The only outcomes allowed are a
// result or a UsageError (exit 2) naming the place; anything else would be exit 70.
// `npm test` runs a bounded number of cases; `npm run test:fuzz` runs FUZZ_RUNS (10,000).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { stringify } from 'yaml';
import { checksById } from '../../checks/index.js';
import { parseRoster } from '../../src/batch/roster.js';
import { parseParams } from '../../src/cli/commands/grade.js';
import { UsageError } from '../../src/errors.js';
import { grade } from '../../src/grade/engine.js';
import { assertGradable } from '../../src/grade/grading.js';
import { paramsFor, pickProfile } from '../../src/rubric/profile.js';
import { parseRubric } from '../../src/rubric/load.js';
import { acceptorOf } from '../../src/snapshot/accept.js';
import { parseSnapshot } from '../../src/snapshot/load.js';
import { snapshotSchema } from '../../src/snapshot/schema.js';
import { root } from '../support/cli.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 100);
// A long run (test:fuzz) takes minutes; a case takes at most a few tens of milliseconds.
vi.setConfig({ testTimeout: Math.max(20_000, RUNS * 200) });
const rubricText = readFileSync(join(root, 'rubric.yaml'), 'utf8');
const rubric = parseRubric(rubricText, 'rubric.yaml');
const complete = JSON.parse(readFileSync(join(root, 'examples/complete-lab.snapshot.json'), 'utf8')) as Record<string, unknown>;

/** Runs one input through; a UsageError must name where (`file:line:col`, or a path), anything but a UsageError fails the property. */
function acceptedOrRefused(run: () => unknown, where: RegExp): void {
  try {
    run();
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    expect(error.message).toMatch(where);
  }
}

type Path = (string | number)[];

/** Every path of the value, objects and arrays included (replacing a whole list is a mutation too). */
function pathsOf(value: unknown, path: Path = []): Path[] {
  const children = Array.isArray(value)
    ? value.flatMap((child, index) => pathsOf(child, [...path, index]))
    : value !== null && typeof value === 'object'
      ? Object.entries(value).flatMap(([key, child]) => pathsOf(child, [...path, key]))
      : [];
  return path.length === 0 ? children : [path, ...children];
}

function withValueAt<T>(document: T, path: Path, value: unknown): T {
  const copy = structuredClone(document) as Record<string | number, unknown>;
  let node = copy;
  for (const segment of path.slice(0, -1)) node = node[segment] as Record<string | number, unknown>;
  node[path[path.length - 1]!] = value;
  return copy as T;
}

/** Values of every JSON type, including the shapes that trip code expecting another: null in lists, numbers for text. */
const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, 0, -1, 5, 1e308, true, false, '', 'x', [], {}, [null], [5], { length: 3 }, '__proto__', '10.0.0.0/99'),
  fc.integer(),
  fc.string(),
  fc.jsonValue({ maxDepth: 3 }),
);

const snapshotPaths = pathsOf(complete);

describe('snapshots', () => {
  it('any field replaced by any JSON value grades or is refused naming the field', () => {
    fc.assert(
      fc.property(fc.constantFrom(...snapshotPaths), wrongValue, (path, value) => {
        const text = JSON.stringify(withValueAt(complete, path, value));
        acceptedOrRefused(() => grade({ rubric, rubricFile: 'rubric.yaml', snapshot: parseSnapshot(text, 'fuzz.json'), checks: checksById }), /^(fuzz\.json:\d+:\d+: |the snapshot's \$\.)/);
      }),
      { numRuns: RUNS },
    );
  });

  it('several fields replaced at once still grade or are refused', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...snapshotPaths), wrongValue), { minLength: 2, maxLength: 6 }), (changes) => {
        let mutated = complete;
        for (const [path, value] of changes) {
          try {
            mutated = withValueAt(mutated, path, value);
          } catch {
            // An earlier change removed this path's parent.
          }
        }
        const text = JSON.stringify(mutated);
        acceptedOrRefused(() => grade({ rubric, rubricFile: 'rubric.yaml', snapshot: parseSnapshot(text, 'fuzz.json'), checks: checksById }), /^(fuzz\.json:\d+:\d+: |the snapshot's \$\.)/);
      }),
      { numRuns: Math.ceil(RUNS / 3) },
    );
  });

  it("the schema's quick test accepts a mutated snapshot only when zod does (zod is asked when it does not)", () => {
    const accepts = acceptorOf(snapshotSchema);
    const seen = { accepted: 0, refused: 0 };
    // A field replaced, removed (undefined drops it from the JSON text), or a key added to an object.
    const change = fc.tuple(fc.constantFrom(...snapshotPaths), fc.oneof(wrongValue, fc.constant(undefined)), fc.constantFrom('set', 'add'));
    fc.assert(
      fc.property(fc.array(change, { minLength: 1, maxLength: 3 }), (changes) => {
        let mutated = complete;
        for (const [path, value, how] of changes) {
          try {
            mutated = withValueAt(mutated, how === 'add' ? [...path, 'added'] : path, value ?? (how === 'add' ? 1 : undefined));
          } catch {
            // An earlier change removed this path's parent, or the path holds no object.
          }
        }
        // As parseSnapshot sees it: parsed JSON text.
        const value = JSON.parse(JSON.stringify(mutated)) as unknown;
        const quick = accepts(value);
        if (quick) expect(snapshotSchema.safeParse(value).success).toBe(true);
        seen[quick ? 'accepted' : 'refused'] += 1;
      }),
      { numRuns: RUNS * 3 },
    );
    // Both answers came up: loose SDK objects take any value, a typed field takes few.
    expect(seen.accepted).toBeGreaterThan(0);
    expect(seen.refused).toBeGreaterThan(0);
  });

  it('a snapshot with no facts at all grades: nothing throws, nothing fails (found by the 10,000-case run)', () => {
    const text = JSON.stringify({ ...complete, facts: {} });
    const scorecard = grade({ rubric, rubricFile: 'rubric.yaml', snapshot: parseSnapshot(text, 'fuzz.json'), checks: checksById });
    expect(scorecard.cost?.unknown).toContain('tasks (not collected)');
    // Nothing read is never the student's fault: the AWS checks are errors (the probes, kept, still pass).
    const checks = scorecard.sections.flatMap((section) => section.steps.flatMap((step) => step.checks));
    expect(checks.filter((check) => check.status === 'fail')).toEqual([]);
    expect(checks.find((check) => check.id === 'vpc.lab-vpc')?.status).toBe('error');
  });

  it('arbitrary text is refused with line and column', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), fc.string({ unit: fc.constantFrom('[', '{', '"', ':', ',', '\\', ']', '}') })), (text) => {
        acceptedOrRefused(() => parseSnapshot(text, 'fuzz.json'), /^fuzz\.json:\d+:\d+: /);
      }),
      { numRuns: RUNS },
    );
  });
});

const parsedRubric = (await import('yaml')).parse(rubricText) as unknown;
const rubricPaths = pathsOf(parsedRubric);

/** Everything `grade` does with a rubric before it reads a snapshot. */
function useRubric(text: string): void {
  const candidate = parseRubric(text, 'fuzz.yaml');
  assertGradable(candidate, checksById);
  paramsFor(candidate, pickProfile(candidate, undefined), {});
}

describe('rubrics', () => {
  it('any field replaced by any value loads or is refused naming file:line:column', () => {
    fc.assert(
      fc.property(fc.constantFrom(...rubricPaths), wrongValue, (path, value) => {
        acceptedOrRefused(() => useRubric(stringify(withValueAt(parsedRubric, path, value))), /fuzz\.yaml(:\d+:\d+)?[: ]/);
      }),
      // Parsing the whole rubric with positions takes tens of milliseconds a case.
      { numRuns: Math.ceil(RUNS / 3) },
    );
  });

  it('arbitrary YAML-ish text loads or is refused', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', ':', ' ', '\n', '-', '[', ']', '{', '}', '&a', '*a', '!!', '"', "'", '#', '<<', '1') }), (text) => {
        acceptedOrRefused(() => useRubric(text), /fuzz\.yaml/);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('rosters', () => {
  const cell = fc.oneof(fc.string(), fc.constantFrom('alice', 'Alice', 'a.json', 'arn:aws:iam::123456789012:role/x', 'eu-west-1', '', '"', ',', '__proto__'));
  it('arbitrary CSV rows are read or refused naming file:line', () => {
    fc.assert(
      fc.property(fc.array(fc.array(cell, { maxLength: 6 }), { maxLength: 8 }), (rows) => {
        const text = ['id,name,snapshot,awsProfile,roleArn,region', ...rows.map((row) => row.join(','))].join('\n');
        acceptedOrRefused(() => parseRoster(text, 'class.csv'), /class\.csv/);
      }),
      { numRuns: RUNS },
    );
  });

  it('arbitrary YAML students are read or refused naming file:line', () => {
    fc.assert(
      fc.property(fc.array(fc.dictionary(fc.constantFrom('id', 'name', 'snapshot', 'awsProfile', 'roleArn', 'externalId', 'region', 'labProfile', 'profile', '__proto__'), wrongValue), { maxLength: 6 }), (students) => {
        acceptedOrRefused(() => parseRoster(stringify({ students }), 'class.yaml'), /class\.yaml/);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('--param', () => {
  const key = fc.oneof(
    fc.string(),
    fc.constantFrom('__proto__.x', 'constructor.prototype', 'network.toString', 'network.__proto__', 'toString', 'network.appPort', 'probe.retries', 'ecs.requiredRoleName', 'network.publicSubnetCidrs'),
  );
  it('arbitrary key=value strings give params or a UsageError naming --param', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(key, fc.string()), { maxLength: 4 }), (pairs) => {
        const flags = pairs.map(([name, value]) => `${name}=${value}`).filter((flag) => /^[^=]+=/.test(flag));
        acceptedOrRefused(() => paramsFor(rubric, pickProfile(rubric, undefined), parseParams(flags)), /--param /);
        expect(({} as Record<string, unknown>).x).toBeUndefined();
      }),
      { numRuns: RUNS },
    );
  });
});
