// The JUnit report is valid against the common schema and says what each step's outcome is.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import type { Scorecard } from '../../src/grade/scorecard.js';
import { escapeXmlAttribute, escapeXmlText } from '../../src/report/junit.js';
import { renderReport } from '../../src/report/index.js';
import { FIXTURES, scorecard, withStep } from './support.js';

const schema = { fileName: 'junit.xsd', contents: readFileSync(new URL('./junit.xsd', import.meta.url), 'utf8') };

async function schemaErrors(xml: string): Promise<string[]> {
  const result = await validateXML({ xml: { fileName: 'junit.xml', contents: xml }, schema });
  return result.valid ? [] : result.errors.map((error) => error.rawMessage);
}

const junit = (card: Scorecard): string => renderReport(card, 'junit');

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function unescapeXml(text: string): string {
  return text.replace(/&(#\d+|\w+);/g, (_, entity: string) =>
    entity.startsWith('#') ? String.fromCodePoint(Number(entity.slice(1))) : (ENTITIES[entity] ?? `&${entity};`),
  );
}

/** The attributes of every element with this tag, in document order (enough for our own flat output). */
function elements(xml: string, tag: string): Record<string, string>[] {
  return [...xml.matchAll(new RegExp(`<${tag}((?:\\s+[\\w.-]+="[^"]*")*)\\s*/?>`, 'g'))].map((match) =>
    Object.fromEntries(
      [...(match[1] ?? '').matchAll(/([\w.-]+)="([^"]*)"/g)].map((pair) => [pair[1], unescapeXml(pair[2] ?? '')]),
    ),
  );
}

describe('junit report', () => {
  it.each(FIXTURES)('is valid against the JUnit schema for the %s scorecard', async (name) => {
    expect(await schemaErrors(junit(scorecard(name)))).toEqual([]);
  });

  it('the schema rejects what CI servers would not read', async () => {
    const valid = junit(scorecard('mixed'));
    expect(await schemaErrors(valid.replace('tests="4"', 'tests="four"'))).not.toEqual([]);
    expect(await schemaErrors(valid.replace(/<testcase classname="[^"]*"/, '<testcase'))).not.toEqual([]);
  });

  it('has one testsuite per section plus the bonus, one testcase per step', () => {
    const card = scorecard('mixed');
    const xml = junit(card);
    expect(elements(xml, 'testsuite').map((suite) => suite.name)).toEqual([
      ...card.sections.map((section) => section.title),
      'Bonus',
    ]);
    expect(elements(xml, 'testcase').map((testcase) => testcase.name)).toEqual(
      [...card.sections.flatMap((section) => section.steps), ...card.bonus].map((step) => `${step.id} ${step.title}`),
    );
  });

  it('counts failures, errors and skips per suite from the step statuses', () => {
    const suites = elements(junit(scorecard('mixed')), 'testsuite');
    const counts = suites.map(({ tests, failures, errors, skipped }) => [tests, failures, errors, skipped].map(Number));
    // Sections 1–6 then the bonus; partial counts as a failure, manual as skipped.
    expect(counts).toEqual([
      [4, 0, 0, 3],
      [3, 1, 0, 1],
      [4, 1, 0, 0],
      [7, 1, 0, 0],
      [5, 1, 0, 0],
      [3, 0, 1, 1],
      [1, 1, 0, 0],
    ]);
    const root = elements(junit(scorecard('mixed')), 'testsuites')[0];
    expect(root).toMatchObject({ tests: '27', failures: '5', errors: '1' });
  });

  it('puts the points of every step in its properties', () => {
    const properties = elements(junit(scorecard('mixed')), 'property');
    // Each suite has its own two properties before its testcases'; 5.2 earned half its 0.5.
    const xml = junit(scorecard('mixed'));
    const step52 = xml.slice(xml.indexOf('name="5.2 '), xml.indexOf('</testcase>', xml.indexOf('name="5.2 ')));
    expect(elements(step52, 'property')).toEqual([
      { name: 'points.earned', value: '0.25' },
      { name: 'points.max', value: '0.50' },
    ]);
    expect(properties.filter((property) => property.name === 'points.max')).toHaveLength(27 + 7);
  });

  it('gives the hint as the failure message and the evidence as its body', () => {
    const xml = junit(scorecard('mixed'));
    const step51 = xml.slice(xml.indexOf('name="5.2 '));
    expect(step51).toMatch(
      /<failure message="Task definition sentiment-app:3 asks for 0.5 vCPU \(cpu 512\)[^"]*" type="partial">observed: Task definition sentiment-app:3: FARGATE, cpu 512/,
    );
  });

  it('gives the cause of an error as its message, never a failure', () => {
    const xml = junit(scorecard('mixed'));
    const step63 = xml.slice(xml.indexOf('name="6.3 '), xml.indexOf('</testcase>', xml.indexOf('name="6.3 ')));
    expect(step63).toContain('<error message="could not read logGroups: logs:DescribeLogGroups answered AccessDeniedException');
    expect(step63).not.toContain('<failure');
  });

  it('marks manual steps as skipped for manual review', () => {
    const xml = junit(scorecard('mixed'));
    const step62 = xml.slice(xml.indexOf('name="6.2 '), xml.indexOf('</testcase>', xml.indexOf('name="6.2 ')));
    expect(step62).toContain('<skipped message="manual review: No --submission folder was given');
  });

  it('stays valid XML whatever text the account put in a hint or evidence', async () => {
    const hostile = 'quote " apostrophe \' <tag> & ]]> tab\tnewline\nbell\u0007 escape\u001b[31m nul\u0000 lone\uD800 emoji 🚀 \uFFFF';
    const card = withStep('mixed', '4.6', (step) => {
      step.title = `Configure security groups ${hostile}`;
      for (const check of step.checks) {
        check.hint = hostile;
        check.evidence = [hostile];
      }
    });
    const xml = junit(card);
    expect(await schemaErrors(xml)).toEqual([]);
    const failure = elements(xml, 'failure').find((element) => element.type === 'fail' && element.message?.startsWith('quote'));
    // eslint-disable-next-line no-control-regex
    expect(failure?.message).toBe(hostile.replace(/[\u0000\u0007\u001b\uD800\uFFFF]/g, '\uFFFD'));
    // eslint-disable-next-line no-control-regex
    expect(xml).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
    expect(xml).toContain('emoji 🚀');
  });
});

describe('XML escaping', () => {
  it.each([
    ['a & b < c > d', 'a &amp; b &lt; c &gt; d'],
    ['bell\u0007 nul\u0000', 'bell\uFFFD nul\uFFFD'],
    ['lone \uDC00 surrogate, pair 🚀 kept', 'lone \uFFFD surrogate, pair 🚀 kept'],
    ['line\nbreak\ttab', 'line\nbreak\ttab'],
  ])('escapes text %j', (input, expected) => {
    expect(escapeXmlText(input)).toBe(expected);
  });

  it('keeps quotes and whitespace of attribute values through a parser', () => {
    expect(escapeXmlAttribute(`say "hi" & 'bye'\n\tnext\r`)).toBe("say &quot;hi&quot; &amp; 'bye'&#10;&#9;next&#13;");
  });
});
