// The JUnit report is valid against the strict schema, says what each step's outcome is, and a
// maintained JUnit parser shows the points and the total as a CI consumer would.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'test-results-parser';
import { describe, expect, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import type { Scorecard } from '../../src/grade/scorecard.js';
import { escapeXmlAttribute, escapeXmlText } from '../../src/report/junit.js';
import { withIntegrity } from '../../src/integrity/apply.js';
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
  it.each(FIXTURES)('is valid against the strict JUnit schema for the %s scorecard', async (name) => {
    expect(await schemaErrors(junit(scorecard(name)))).toEqual([]);
  });

  it('the schema rejects what strict consumers would not read', async () => {
    const valid = junit(scorecard('mixed'));
    expect(await schemaErrors(valid.replace('tests="4"', 'tests="four"'))).not.toEqual([]);
    expect(await schemaErrors(valid.replace(/<testcase classname="[^"]*"/, '<testcase'))).not.toEqual([]);
    expect(await schemaErrors(valid.replace(/ timestamp="[^"]*"/, ' timestamp="2026-01-15T10:04:00.000Z"'))).not.toEqual([]);
    expect(await schemaErrors(valid.replace('<system-err></system-err>', ''))).not.toEqual([]);
    expect(await schemaErrors(valid.replace('type="fail"', ''))).not.toEqual([]);
    expect(await schemaErrors(valid.replace('<skipped message', '<properties/><skipped message'))).not.toEqual([]);
  });

  it('has one testsuite per section, one for the bonus and one for the total, one testcase per step', () => {
    const card = scorecard('mixed');
    const xml = junit(card);
    expect(elements(xml, 'testsuite').map((suite) => suite.name)).toEqual([
      ...card.sections.map((section) => `${section.id}. ${section.title} [${section.points.earned.toFixed(2)}/${section.points.max.toFixed(2)}]`),
      'Bonus [0.00/1.00]',
      'Total',
    ]);
    const shown: Record<string, string> = {
      skip: 'not applicable with the academy profile',
      manual: 'so far, manual review',
      unearned: 'bonus not earned',
    };
    expect(elements(xml, 'testcase').map((testcase) => testcase.name)).toEqual([
      ...[...card.sections.flatMap((section) => section.steps), ...card.bonus].map((step) => {
        const points = `${step.points.earned.toFixed(2)}/${step.points.max.toFixed(2)}`;
        if (step.status === 'skip') return `${step.id} ${step.title} [${shown.skip}]`;
        if (step.status === 'manual') return `${step.id} ${step.title} [${points} ${shown.manual}]`;
        if (step.status === 'unearned') return `${step.id} ${step.title} [${points}, ${shown.unearned}]`;
        return `${step.id} ${step.title} [${points}]`;
      }),
      'Total: 7.54/9.25 points, bonus 0.00/1.00',
    ]);
  });

  it('names classes so that the last dot splits a package from the section (Jenkins, mikepenz/action-junit-report)', () => {
    const card = scorecard('mixed');
    const classnames = [...new Set(elements(junit(card), 'testcase').map((testcase) => testcase.classname!))];
    expect(classnames).toEqual([...card.sections.map((section) => `lab-grader.${section.id} ${section.title}`), 'lab-grader.Bonus', 'lab-grader.Total']);
    // Jenkins' package and class, and mikepenz's annotation path: what follows the last dot, with no leading space.
    expect(classnames.map((classname) => classname.slice(0, classname.lastIndexOf('.')))).toEqual(classnames.map(() => 'lab-grader'));
    expect(classnames.map((classname) => classname.slice(classname.lastIndexOf('.') + 1))[3]).toBe('4 Virtual Private Cloud (VPC) configuration');
    const dotted = withStep('mixed', '2.1', () => undefined);
    dotted.sections[1]!.title = 'S3 v2.0 and files';
    expect(elements(junit(dotted), 'testcase').map((testcase) => testcase.classname)).toContain('lab-grader.2 S3 v2\u00B70 and files');
  });

  it('counts failures, errors and skips per suite from the step statuses', () => {
    const xml = junit(scorecard('mixed'));
    const counts = elements(xml, 'testsuite').map(({ tests, failures, errors, skipped }) => [tests, failures, errors, skipped].map(Number));
    // Sections 1–6, the bonus, the total; partial counts as a failure; manual, not applicable and the unearned bonus as skipped.
    expect(counts).toEqual([
      [4, 0, 0, 3],
      [3, 1, 0, 1],
      [4, 1, 0, 0],
      [7, 1, 0, 0],
      [5, 1, 0, 0],
      [3, 0, 1, 1],
      [1, 0, 0, 1],
      [1, 0, 0, 0],
    ]);
    expect(elements(xml, 'testsuites')[0]).toEqual({
      name: 'Introduction to Cloud Computing for MLOps [7.54/9.25 points, bonus 0.00/1.00]',
      time: '1.874',
    });
  });

  it('keeps the points of each section in its properties', () => {
    const properties = elements(junit(scorecard('mixed')), 'property');
    expect(properties.slice(0, 2)).toEqual([
      { name: 'points.earned', value: '0.25' },
      { name: 'points.max', value: '0.25' },
    ]);
    expect(properties.filter((property) => property.name === 'points.max')).toHaveLength(8);
  });

  it("gives the hint as the failure message, and as the body's first line before the evidence", () => {
    const xml = junit(scorecard('mixed'));
    const step52 = xml.slice(xml.indexOf('name="5.2 '));
    expect(step52).toMatch(
      /<failure message="Task definition sentiment-app-task:3 should have: 1 vCPU \/ 3 GB \(cpu 1024, memory 3072\)[^"]*" type="partial">Task definition sentiment-app-task:3 should have: 1 vCPU \/ 3 GB[^\n<]*\nobserved: task definition sentiment-app-task:3\nobserved: ok: requires compatibilities \[FARGATE\]/,
    );
  });

  it('gives the cause of an error as its message, never a failure', () => {
    const xml = junit(scorecard('mixed'));
    const step63 = xml.slice(xml.indexOf('name="6.3 '), xml.indexOf('</testcase>', xml.indexOf('name="6.3 ')));
    expect(step63).toContain('<error message="could not read logEvents: logs:GetLogEvents answered AccessDenied');
    expect(step63).not.toContain('<failure');
  });

  it('skips a manual step with what it already earned, and an unearned bonus without failing it', () => {
    const xml = junit(scorecard('mixed'));
    const step = (id: string) => xml.slice(xml.indexOf(`name="${id} `), xml.indexOf('</testcase>', xml.indexOf(`name="${id} `)));
    expect(step('2.3')).toContain('<skipped message="manual review, 0.50/1.00 earned so far; a person judges the rest: ');
    expect(step('6.2')).toContain('<skipped message="manual review, 0.30/0.50 earned so far; a person judges the rest: Run with --submission DIR');
    expect(step('bonus')).toContain('<skipped message="bonus not earned (extra credit, not a failure): Create a CloudWatch alarm');
    expect(step('bonus')).not.toContain('<failure');
  });

  it('times a step by the probes its checks cite, and the whole run by the collection', () => {
    // Only one probe timed in the whole card: 41 ms on 6.1's first check.
    const card = scorecard('mixed');
    const steps = card.sections.flatMap((section) => section.steps);
    for (const check of steps.flatMap((step) => step.checks)) delete check.probeMs;
    steps.find((step) => step.id === '6.1')!.checks[0]!.probeMs = 41;
    const xml = junit(card);
    expect(elements(xml, 'testcase').find((testcase) => testcase.name?.startsWith('6.1 '))?.time).toBe('0.041');
    expect(elements(xml, 'testsuite').find((suite) => suite.name?.startsWith('6. '))?.time).toBe('0.041');
    expect(elements(xml, 'testsuites')[0]?.time).toBe('1.874');
  });

  it('stays valid XML whatever text the account put in a hint or evidence', async () => {
    const hostile = 'quote " apostrophe \' <tag> & ]]> tab\tnewline\nbell\u0007 escape\u001b[31m nul\u0000 lone\uD800 emoji 🚀 \uFFFF';
    const card = withStep('mixed', '2.1', (step) => {
      step.title = `Create a private S3 bucket ${hostile}`;
      for (const check of step.checks) {
        check.hint = hostile;
        check.evidence = [hostile];
      }
    });
    const xml = junit(card);
    expect(await schemaErrors(xml)).toEqual([]);
    const failure = elements(xml, 'failure').find((element) => element.type === 'fail' && element.message?.startsWith('quote'));
    // eslint-disable-next-line no-control-regex
    expect(failure?.message).toBe(hostile.replace(/[\u0000\u0007\u001b\uD800\uFFFF]/g, '\uFFFD').replace('\n', '\\n'));
    // eslint-disable-next-line no-control-regex
    expect(xml).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
    expect(xml).toContain('emoji 🚀');
  });
});

describe('junit report as a consumer reads it (test-results-parser)', () => {
  const parsed = (card: Scorecard) => {
    const dir = mkdtempSync(join(tmpdir(), 'lab-grader-junit-'));
    try {
      const file = join(dir, 'junit.xml');
      writeFileSync(file, junit(card));
      return parse({ type: 'junit', files: [file] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  it('shows the total as the name of the run and as a passing testcase', () => {
    const result = parsed(scorecard('mixed'));
    expect(result.name).toBe('Introduction to Cloud Computing for MLOps [7.54/9.25 points, bonus 0.00/1.00]');
    const total = result.suites.at(-1)!;
    expect(total.cases.map((testcase) => [testcase.name, testcase.status])).toEqual([['Total: 7.54/9.25 points, bonus 0.00/1.00', 'PASS']]);
  });

  it('shows every step with its points, and fails only what lost points or could not be read', () => {
    const result = parsed(scorecard('mixed'));
    const cases = Object.fromEntries(result.suites.flatMap((suite) => suite.cases).map((testcase) => [testcase.name.split(' ')[0], testcase]));
    expect(cases['1.4']).toMatchObject({ name: '1.4 Set up billing and cost alerts [not applicable with the academy profile]', status: 'SKIP' });
    expect(cases['2.1']).toMatchObject({ name: '2.1 Create a private S3 bucket [0.00/0.25]', status: 'FAIL' });
    expect(cases['2.3']).toMatchObject({ name: '2.3 Integrate S3 into the ML workflow [0.50/1.00 so far, manual review]', status: 'SKIP' });
    expect(cases['3.1']).toMatchObject({ name: '3.1 Create an ECR repository with AES-256 encryption [0.25/0.50]', status: 'FAIL' });
    expect(cases['3.1']?.failure).toMatch(/^Repository sentiment-app is encrypted with KMS/);
    expect(cases['6.3']).toMatchObject({ status: 'FAIL' });
    expect(cases['6.3']?.failure).toMatch(/^could not read logEvents/);
    expect(cases.bonus).toMatchObject({ status: 'SKIP' });
    expect(cases['4.1']).toMatchObject({ name: '4.1 Create a new VPC [0.50/0.50]', status: 'PASS' });
    // The steps and the summary testcase: 17 pass, 5 fail (4 failures + 1 error), 6 skipped.
    expect([result.total, result.passed, result.failed, result.errors, result.skipped]).toEqual([22, 17, 4, 1, 6]);
  });

  it('shows a complete lab with every step passed but the one a person reviews, the bonus included', () => {
    const result = parsed(scorecard('complete'));
    expect(result.name).toBe('Introduction to Cloud Computing for MLOps [9.50/10.00 points, bonus 1.00/1.00]');
    const notPassed = result.suites.flatMap((suite) => suite.cases).filter((testcase) => testcase.status !== 'PASS');
    // 2.3's code review waits for a person: skipped, not failed.
    expect(notPassed.map((testcase) => [testcase.name.split(' ')[0], testcase.status])).toEqual([['2.3', 'SKIP']]);
  });
});

/**
 * A testcase as GitLab's parser (lib/gitlab/ci/parsers/test/junit.rb) reads it: Rails'
 * Hash.from_xml turns an outcome element with text into that text alone (its attributes, the
 * message included, are dropped) and an empty one into its attributes; the status comes from
 * which element is there. Suite-level output is not read at all.
 */
function asGitLab(xml: string): { name: string; classname: string; status: string; output: string | Record<string, string> | null }[] {
  return [...xml.matchAll(/<testcase((?:\s+[\w.-]+="[^"]*")*)\s*(?:\/>|>([\s\S]*?)<\/testcase>)/g)].map((match) => {
    const attributes = Object.fromEntries([...(match[1] ?? '').matchAll(/([\w.-]+)="([^"]*)"/g)].map((pair) => [pair[1]!, unescapeXml(pair[2] ?? '')]));
    const inner = /<(failure|error|skipped)((?:\s+[\w.-]+="[^"]*")*)\s*(?:\/>|>([\s\S]*?)<\/\1>)/.exec(match[2] ?? '');
    const status = inner ? { failure: 'failed', error: 'error', skipped: 'skipped' }[inner[1] as 'failure' | 'error' | 'skipped'] : 'success';
    const elementAttributes = Object.fromEntries([...(inner?.[2] ?? '').matchAll(/([\w.-]+)="([^"]*)"/g)].map((pair) => [pair[1]!, unescapeXml(pair[2] ?? '')]));
    const text = inner?.[3] ? unescapeXml(inner[3]) : '';
    return { name: attributes.name!, classname: attributes.classname!, status, output: inner ? (text !== '' ? text : elementAttributes) : null };
  });
}

describe('junit report as GitLab reads it', () => {
  const card = scorecard('mixed');
  const cases: Record<string, ReturnType<typeof asGitLab>[number]> = Object.fromEntries(asGitLab(junit(card)).map((testcase) => [testcase.name.split(' ')[0], testcase]));

  it('shows the hint first for every step that lost points, then what was observed', () => {
    const missed = card.sections.flatMap((section) => section.steps).filter((step) => step.status === 'fail' || step.status === 'partial');
    expect(missed.map((step) => step.id)).toEqual(['2.1', '3.1', '4.6', '5.2']);
    for (const step of missed) {
      const output = cases[step.id]!.output as string;
      expect(typeof output).toBe('string');
      expect(output.startsWith(step.checks.find((check) => check.status !== 'pass')!.hint!)).toBe(true);
      expect(output).toMatch(/\nobserved: /);
    }
  });

  it("shows an error's cause first, then the hint", () => {
    expect(cases['6.3']).toMatchObject({ status: 'error' });
    expect(cases['6.3']!.output).toMatch(/^could not read logEvents: logs:GetLogEvents answered AccessDenied[^\n]*\nGrant logs:GetLogEvents/);
  });

  it('shows a reason for every skipped step', () => {
    const skipped = Object.values(cases).filter((testcase) => testcase.status === 'skipped');
    expect(skipped.map((testcase) => testcase.name.split(' ')[0])).toEqual(['1.1', '1.2', '1.4', '2.3', '6.2', 'bonus']);
    for (const testcase of skipped) expect(typeof testcase.output).toBe('string');
    expect(cases['1.4']!.output).toBe('not applicable with the academy profile');
    expect(cases['2.3']!.output).toMatch(/^manual review, 0\.50\/1\.00 earned so far; a person judges the rest: A person judges whether the app loads its model/);
    expect(cases.bonus!.output).toMatch(/^bonus not earned \(extra credit, not a failure\): Create a CloudWatch alarm/);
  });

  it.each(['warn', 'strict'] as const)('shows an integrity flag as a testcase of its own (%s)', (mode) => {
    const flagged = withIntegrity(card, [{ kind: 'bundled-example', summary: 'the bundled example examples/mistakes.snapshot.json, unchanged', evidence: ['sha256 939f5c'] }], mode);
    const integrity = asGitLab(junit(flagged)).find((testcase) => testcase.name.startsWith('Integrity flag '))!;
    expect(integrity).toMatchObject({ classname: 'lab-grader.Total', status: mode === 'strict' ? 'failed' : 'skipped' });
    expect(integrity.output).toMatch(mode === 'strict' ? /^Integrity flag \(bundled-example\): 0 points under --integrity strict/ : /^Integrity flag \(bundled-example\): points kept/);
    expect(integrity.output).toContain('- bundled-example: the bundled example examples/mistakes.snapshot.json, unchanged\n    sha256 939f5c');
    expect(asGitLab(junit(card)).some((testcase) => testcase.classname === 'lab-grader.Total' && testcase.name !== 'Total: 7.54/9.25 points, bonus 0.00/1.00')).toBe(false);
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
