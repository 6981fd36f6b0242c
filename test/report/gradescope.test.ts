// results.json as the Gradescope autograder reads it.
import { describe, expect, it } from 'vitest';
import { renderReport } from '../../src/report/index.js';
import type { GradescopeResults } from '../../src/report/gradescope.js';
import { FIXTURES, scorecard } from './support.js';

const results = (name: (typeof FIXTURES)[number], executionTimeSeconds?: number): GradescopeResults =>
  JSON.parse(renderReport(scorecard(name), 'gradescope', { executionTimeSeconds })) as GradescopeResults;

describe('gradescope results.json', () => {
  it.each(FIXTURES)('has the top-level fields of the spec, with numbers as numbers (%s)', (name) => {
    const json = results(name, 12.6);
    expect(Object.keys(json)).toEqual(['score', 'max_score', 'execution_time', 'output', 'visibility', 'stdout_visibility', 'tests']);
    expect(json.execution_time).toBe(13);
    expect(json.visibility).toBe('visible');
    expect(typeof json.output).toBe('string');
    expect(json.output).not.toContain('\n');
  });

  it('scores the total plus the bonus, out of the total maximum', () => {
    expect(results('complete')).toMatchObject({ score: 11, max_score: 10 });
    expect(results('mixed')).toMatchObject({ score: 7.3, max_score: 9.25 });
  });

  it('leaves execution_time out when it was not measured', () => {
    expect(results('mixed')).not.toHaveProperty('execution_time');
  });

  it.each(FIXTURES)('has a test for every step, numbered by its id (%s)', (name) => {
    const card = scorecard(name);
    const steps = [...card.sections.flatMap((section) => section.steps), ...card.bonus];
    const { tests } = results(name);
    expect(tests.map((test) => test.number)).toEqual(steps.map((step) => step.id));
    expect(tests.map((test) => test.name)).toEqual(steps.map((step) => `${step.id} ${step.title}`));
    expect(tests.map((test) => [test.score, test.max_score])).toEqual(steps.map((step) => [step.points.earned, step.points.max]));
    for (const test of tests) {
      expect(Object.keys(test)).toEqual(['name', 'number', 'score', 'max_score', 'status', 'output']);
      expect(['passed', 'failed']).toContain(test.status);
      expect(typeof test.score).toBe('number');
      expect(typeof test.max_score).toBe('number');
    }
  });

  it('fails every step that lost points or awaits review, passes the rest', () => {
    const statuses = Object.fromEntries(results('mixed').tests.map((test) => [test.number, test.status]));
    expect(statuses).toMatchObject({ '1.1': 'passed', '1.3': 'passed', '2.1': 'failed', '2.3': 'failed', '5.2': 'failed', '6.3': 'failed', bonus: 'failed' });
    expect(results('complete').tests.every((test) => test.status === 'passed')).toBe(true);
  });

  it('explains a miss with evidence and hint, an error with its cause', () => {
    const tests = Object.fromEntries(results('mixed').tests.map((test) => [test.number, test.output]));
    expect(tests['5.2']).toContain('Observed: Task definition sentiment-app:3: FARGATE, cpu 512');
    expect(tests['5.2']).toContain('Hint: Task definition sentiment-app:3 asks for 0.5 vCPU');
    expect(tests['6.3']).toContain('Cause: could not read logGroups: logs:DescribeLogGroups answered AccessDeniedException');
    expect(tests['4.1']).not.toContain('Hint:');
  });
});
