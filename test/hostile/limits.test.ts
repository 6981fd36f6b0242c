// Files built to exhaust memory or the stack: a 200 MB snapshot, nesting 100,000 deep, a
// billion-laughs rubric. Each is refused with a UsageError (exit 2) naming file and place.
import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readSnapshotFile } from '../../src/batch/grade-student.js';
import { loadRoster, parseRoster } from '../../src/batch/roster.js';
import { UsageError } from '../../src/errors.js';
import { INPUT_LIMITS, jsonDepthOffset, lineColumn, nestsDeeper, yamlDepthOffset } from '../../src/limits.js';
import { loadRubric, parseRubric } from '../../src/rubric/load.js';
import { loadSnapshot, parseSnapshot } from '../../src/snapshot/load.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lab-grader-limits-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function usageMessage(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error('expected a UsageError');
}

/** A billion laughs: nine levels of nine aliases each, 9^9 strings once expanded. */
export function billionLaughs(): string {
  let text = 'lol0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n';
  for (let level = 1; level <= 9; level += 1) {
    text += `lol${level}: &a${level} [${Array.from({ length: 9 }, () => `*a${level - 1}`).join(', ')}]\n`;
  }
  return text;
}

describe('size', () => {
  it('refuses a 200 MB snapshot before reading it, from --snapshot and from a roster', async () => {
    const file = join(dir, 'huge.json');
    await writeFile(file, '');
    // Sparse: the size is what the check sees; nothing is read.
    await truncate(file, 200 * 1024 * 1024);
    expect(usageMessage(() => loadSnapshot(file))).toMatch(/huge\.json: 200 MB is larger than a snapshot may be \(50 MB\)/);
    await expect(readSnapshotFile(file)).rejects.toThrow(/larger than a snapshot may be/);
  });

  it('refuses a rubric over 1 MB and a roster over 5 MB', async () => {
    const rubric = join(dir, 'rubric.yaml');
    await writeFile(rubric, '');
    await truncate(rubric, INPUT_LIMITS.rubricBytes + 1);
    expect(usageMessage(() => loadRubric(rubric))).toContain('larger than a rubric may be (1 MB)');
    const roster = join(dir, 'roster.csv');
    await writeFile(roster, '');
    await truncate(roster, INPUT_LIMITS.rosterBytes + 1);
    expect(usageMessage(() => loadRoster(roster))).toContain('larger than a roster may be (5 MB)');
  });
});

describe('depth', () => {
  it('refuses a snapshot of 100,000 nested arrays or objects at the line and column where it goes too deep', () => {
    expect(usageMessage(() => parseSnapshot('['.repeat(100_000), 'deep.json'))).toBe(
      'deep.json:1:65: nested more than 64 levels deep, more than a snapshot ever is; is this the right file?',
    );
    expect(usageMessage(() => parseSnapshot(`{\n${'{"a":'.repeat(100_000)}`, 'deep.json'))).toMatch(/^deep\.json:2:316: nested more than 64/);
  });

  it('refuses valid JSON nested 100,000 deep, which JSON.parse reads, at the line and column where it goes too deep', () => {
    const deep = `{"schemaVersion": 1,\n "facts": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    expect(usageMessage(() => parseSnapshot(deep, 'deep.json'))).toBe('deep.json:2:74: nested more than 64 levels deep, more than a snapshot ever is; is this the right file?');
  });

  it('refuses a large text nested deep before JSON.parse reads it (50 MB of it cost JSON.parse 10 s and 2.4 GB)', () => {
    const parse = vi.spyOn(JSON, 'parse');
    try {
      const deep = `${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}`;
      expect(usageMessage(() => parseSnapshot(deep, 'deep.json'))).toBe('deep.json:1:65: nested more than 64 levels deep, more than a snapshot ever is; is this the right file?');
      expect(parse).not.toHaveBeenCalled();
    } finally {
      parse.mockRestore();
    }
  });

  it("tells a parsed value too deep exactly when its text's scan does (fast-check)", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), fc.integer({ min: 0, max: 5 }), (value, maxDepth) => {
        const text = JSON.stringify(value);
        expect(nestsDeeper(JSON.parse(text), maxDepth)).toBe(jsonDepthOffset(text, maxDepth) !== -1);
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 1000) },
    );
  });

  it('does not count brackets inside strings', () => {
    expect(jsonDepthOffset(`{"text": "${'['.repeat(1000)}\\"${'{'.repeat(1000)}"}`, 64)).toBe(-1);
    expect(yamlDepthOffset(`title: "${'['.repeat(1000)}"\nhint: it's [not a list\nnote: '${'{'.repeat(500)}'\n# ${'['.repeat(500)}\n`, 64)).toBe(-1);
  });

  it('finds where JSON text goes too deep as a look at every character would (fast-check)', () => {
    const reference = (text: string, maxDepth: number): number => {
      let depth = 0;
      let inString = false;
      for (let at = 0; at < text.length; at += 1) {
        const char = text[at];
        if (inString) {
          if (char === '\\') at += 1;
          else if (char === '"') inString = false;
        } else if (char === '"') inString = true;
        else if (char === '[' || char === '{') {
          depth += 1;
          if (depth > maxDepth) return at;
        } else if (char === ']' || char === '}') depth -= 1;
      }
      return -1;
    };
    const text = fc.array(fc.constantFrom('"', '\\', '[', '{', ']', '}', 'a', ' ', '\\"', '\\\\'), { maxLength: 40 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(text, fc.integer({ min: 0, max: 4 }), (generated, maxDepth) => {
        expect(jsonDepthOffset(generated, maxDepth)).toBe(reference(generated, maxDepth));
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 1000) },
    );
  });

  it('refuses rubrics nested 100,000 deep in flow or block style, and a roster too', () => {
    expect(usageMessage(() => parseRubric(`version: 1\nlab: ${'['.repeat(100_000)}`, 'r.yaml'))).toMatch(/^r\.yaml:2:70: nested more than 64 levels/);
    expect(usageMessage(() => parseRubric(`version: 1\nlab:\n${'- '.repeat(100_000)}x\n`, 'r.yaml'))).toMatch(/^r\.yaml:3:257: nested more than 64 levels/);
    expect(usageMessage(() => parseRoster(`students:\n  - ${'{a: '.repeat(100_000)}`, 'class.yaml'))).toMatch(/^class\.yaml:2:\d+: nested more than 64 levels deep, more than a roster/);
  });

  it('accepts the bundled rubric and a rubric of ordinary depth', () => {
    expect(() => loadRubric(join(import.meta.dirname, '../../rubric.yaml'))).not.toThrow();
    expect(yamlDepthOffset(`a:\n${'  '.repeat(60)}b: [[[1]]]\n`, 64)).toBe(-1);
  });
});

describe('billion laughs', () => {
  it('refuses a rubric whose aliases expand exponentially, quickly and by name', () => {
    expect(usageMessage(() => parseRubric(billionLaughs(), 'laughs.yaml'))).toBe(
      'laughs.yaml: its YAML aliases (*name) expand to more than 100 copies; a rubric needs none: write the values out',
    );
  });
});

describe('lineColumn', () => {
  it('counts lines and columns in place', () => {
    const text = 'ab\ncd\n\nefg';
    expect([0, 1, 3, 6, 7, 9].map((offset) => lineColumn(text, offset))).toEqual(['1:1', '1:2', '2:1', '3:1', '4:1', '4:3']);
  });
});
