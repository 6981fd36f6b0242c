// Every format, on both scorecards the engine grades from the bundled examples (see
// support.ts), against its committed expected output in __snapshots__/. After a deliberate
// change to a reporter, the rubric or the examples, regenerate the expected files with
// `npx vitest run test/report -u` and review their diff before committing it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { FORMATS, REPORTERS, renderReport, type ReportFormat } from '../../src/report/index.js';
import { FIXTURES, scorecard } from './support.js';

const EXTENSIONS: Record<ReportFormat, string> = {
  console: 'console.txt',
  json: 'scorecard.json',
  junit: 'junit.xml',
  markdown: 'summary.md',
  gradescope: 'results.json',
  // Decoded, so the review reads the payload rather than its base64.
  classroom: 'classroom.json',
  html: 'report.html',
};

describe.each(FIXTURES)('the %s scorecard', (name) => {
  it.each(FORMATS)('renders %s as committed', async (format) => {
    const rendered = renderReport(scorecard(name), format, { executionTimeSeconds: 42 });
    const text = format === 'classroom' ? `${JSON.stringify(JSON.parse(Buffer.from(rendered, 'base64').toString('utf8')), null, 2)}\n` : rendered;
    await expect(text).toMatchFileSnapshot(`__snapshots__/${name}.${EXTENSIONS[format]}`);
  });

  it('renders the console in colour as committed', async () => {
    await expect(renderReport(scorecard(name), 'console', { color: true })).toMatchFileSnapshot(
      `__snapshots__/${name}.console-color.txt`,
    );
  });

  it.each(FORMATS)('renders %s byte for byte the same twice', (format) => {
    const card = scorecard(name);
    expect(renderReport(card, format, { color: true, executionTimeSeconds: 7 })).toBe(
      renderReport(card, format, { color: true, executionTimeSeconds: 7 }),
    );
  });

  it.each(FORMATS)('renders %s without changing the scorecard', (format) => {
    const card = scorecard(name);
    const before = JSON.stringify(card);
    renderReport(card, format, { color: true });
    expect(JSON.stringify(card)).toBe(before);
  });
});

describe('the format map', () => {
  it('has a reporter for every format and no other', () => {
    expect(Object.keys(REPORTERS).sort()).toEqual([...FORMATS].sort());
  });

  it('writes each file format to its own file name', () => {
    const files = FORMATS.map((format) => REPORTERS[format].file).filter((file) => file !== undefined);
    expect(new Set(files).size).toBe(files.length);
  });
});

describe('the fixture scorecards', () => {
  interface RubricStep {
    id: string;
    title: string;
    points: number;
    checks: { check: string; points: number }[];
  }
  const rubric = parse(readFileSync(new URL('../../rubric.yaml', import.meta.url), 'utf8')) as {
    lab: string;
    sections: { id: string; title: string; points: number; steps: RubricStep[] }[];
    bonus: RubricStep[];
  };
  const hundredths = (value: number): number => Math.round(value * 100);

  it.each(FIXTURES)('%s has every rubric step, with its title and checks, in order', (name) => {
    const card = scorecard(name);
    expect(card.lab).toBe(rubric.lab);
    const shape = (steps: { id: string; title: string; checks: { id?: string; check?: string }[] }[]) =>
      steps.map((step) => [step.id, step.title, step.checks.map((check) => check.id ?? check.check)]);
    expect(card.sections.map((section) => [section.id, section.title, shape(section.steps)])).toEqual(
      rubric.sections.map((section) => [section.id, section.title, shape(section.steps)]),
    );
    expect(shape(card.bonus)).toEqual(shape(rubric.bonus));
  });

  it.each(FIXTURES)('%s adds up: checks to steps, steps to sections, sections to the total', (name) => {
    const card = scorecard(name);
    const sum = (values: number[]) => values.reduce((total, value) => total + hundredths(value), 0);
    for (const step of [...card.sections.flatMap((section) => section.steps), ...card.bonus]) {
      expect(hundredths(step.points.earned), step.id).toBe(sum(step.checks.map((check) => check.points.earned)));
      expect(hundredths(step.points.max), step.id).toBe(sum(step.checks.map((check) => check.points.max)));
    }
    for (const section of card.sections) {
      expect(hundredths(section.points.earned)).toBe(sum(section.steps.map((step) => step.points.earned)));
      expect(hundredths(section.points.max)).toBe(sum(section.steps.map((step) => step.points.max)));
    }
    expect(hundredths(card.total.earned)).toBe(sum(card.sections.map((section) => section.points.earned)));
    expect(hundredths(card.total.max)).toBe(sum(card.sections.map((section) => section.points.max)));
    expect(hundredths(card.bonusPoints.earned)).toBe(sum(card.bonus.map((step) => step.points.earned)));
  });

  it('complete earns every point of the rubric but 2.3\'s, whose code review waits for a person', () => {
    const card = scorecard('complete');
    const rubricSteps = [...rubric.sections.flatMap((section) => section.steps), ...rubric.bonus];
    const cardSteps = [...card.sections.flatMap((section) => section.steps), ...card.bonus];
    expect(cardSteps.map((step) => [step.id, step.status, step.points.max])).toEqual(
      rubricSteps.map((step) => [step.id, step.id === '2.3' ? 'manual' : 'pass', step.points]),
    );
    expect(cardSteps.filter((step) => step.points.earned !== step.points.max).map((step) => [step.id, step.points.earned])).toEqual([['2.3', 0.5]]);
    expect(card.total).toEqual({ earned: 9.5, max: 10 });
    expect(card.bonusPoints).toEqual({ earned: 1, max: 1 });
  });

  it('mixed has every status, an overridden target and a bonus miss', () => {
    const card = scorecard('mixed');
    const statuses = new Set([...card.sections.flatMap((section) => section.steps), ...card.bonus].map((step) => step.status));
    expect([...statuses].sort()).toEqual(['error', 'fail', 'manual', 'partial', 'pass', 'skip', 'unearned']);
    expect(card.target?.overridden).toBe(true);
    expect(card.bonus[0]?.status).toBe('unearned');
    // The academy profile leaves 1.1, 1.2 and 1.4 out of the maximum.
    expect(card.total.max).toBe(9.25);
  });
});
