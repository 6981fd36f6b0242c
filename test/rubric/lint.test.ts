import { describe, expect, it } from 'vitest';
import { formatProblem, lintRubric, type LintRule } from '../../src/rubric/lint.js';
import { parseRubric } from '../../src/rubric/load.js';
import type { Rubric } from '../../src/rubric/types.js';
import { lineOf, rubricText, rubricWith } from './support.js';

/** Every check id the shipped rubric uses: a registry that matches it exactly. */
function idsOf(rubric: Rubric): string[] {
  return [...rubric.sections.flatMap((section) => section.steps), ...rubric.bonus].flatMap((step) => step.checks.map((check) => check.check));
}

const shipped = parseRubric(rubricText, 'rubric.yaml');
const registry = new Set(idsOf(shipped));

function lint(text: string, registered: Iterable<string> = registry): { rule: LintRule; line: number; message: string }[] {
  return lintRubric(parseRubric(text, 'rubric.yaml'), registered).map((problem) => ({
    rule: problem.rule,
    line: problem.at.line,
    message: problem.message,
  }));
}

describe('lintRubric', () => {
  it('finds nothing wrong in the shipped rubric when every check it uses is registered', () => {
    expect(lint(rubricText)).toEqual([]);
  });

  it('a section whose steps do not add up to its points', () => {
    const text = rubricWith('    title: Amazon S3 setup and file management\n    points: 1.5', '    title: Amazon S3 setup and file management\n    points: 1.75');
    expect(lint(text)).toEqual([
      { rule: 'section-points', line: lineOf(text, 'id: "2"'), message: 'section 2 is worth 1.75 but its steps add up to 1.5: make them agree' },
      { rule: 'lab-total', line: lineOf(text, 'id: "1"'), message: 'the sections add up to 10.25 points; the lab is graded out of 10' },
    ]);
  });

  it('a step whose checks do not add up to its points, exactly (0.1 + 0.05 + 0.05 + 0.05 = 0.25)', () => {
    const text = rubricWith('check: iam.account-alias\n            points: 0.05', 'check: iam.account-alias\n            points: 0.06');
    expect(lint(text)).toEqual([
      { rule: 'step-points', line: lineOf(text, 'id: "1.2"'), message: 'step 1.2 is worth 0.25 but its checks add up to 0.26: make them agree' },
    ]);
  });

  it('an unknown check id, at the line that uses it', () => {
    const text = rubricWith('{ check: vpc.nat-gateway, points: 0.25 }', '{ check: vpc.nat-gateways, points: 0.25 }');
    const problems = lint(text);
    expect(problems).toContainEqual({
      rule: 'unknown-check',
      line: lineOf(text, 'vpc.nat-gateways'),
      message: 'step 4.5 uses check "vpc.nat-gateways", which is not registered: add checks/vpc/nat-gateways.ts to its service index, or fix the id',
    });
    expect(problems).toContainEqual(expect.objectContaining({ rule: 'unused-check', message: expect.stringContaining('"vpc.nat-gateway" is registered but no step uses it') }));
  });

  it('a duplicate step id, at the second one', () => {
    const text = rubricWith('- id: "4.3"', '- id: "4.2"');
    expect(lint(text)).toEqual([
      { rule: 'duplicate-step', line: lineOf(text, 'title: Create an internet gateway') - 1, message: `step 4.2 is declared twice (first at line ${lineOf(text, 'id: "4.2"')}): give it another id` },
    ]);
  });

  it('a rubric without a bonus step', () => {
    const text = rubricText.slice(0, rubricText.indexOf('\nbonus:'));
    expect(lint(text, new Set(idsOf(parseRubric(text, 'rubric.yaml'))))).toEqual([
      { rule: 'bonus-missing', line: 1, message: 'no bonus step: the lab has "10 points + 1 bonus point"; declare it under `bonus:`' },
    ]);
  });

  it('formats problems as file:line:column: message [rule]', () => {
    const text = rubricWith('{ check: ecs.cluster, points: 0.25 }', '{ check: ecs.clusters, points: 0.25 }');
    const problem = lintRubric(parseRubric(text, 'rubric.yaml'), registry).find((candidate) => candidate.rule === 'unknown-check')!;
    expect(formatProblem(problem)).toBe(
      `rubric.yaml:${lineOf(text, 'ecs.clusters')}:13: step 5.1 uses check "ecs.clusters", which is not registered: add checks/ecs/clusters.ts to its service index, or fix the id [unknown-check]`,
    );
  });
});
