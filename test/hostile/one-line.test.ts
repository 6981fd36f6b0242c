// A student attacking the reports through the fields they control: the probe target URL and
// the region of a handed-in snapshot, every Name tag, the S3 object keys and their app's
// answers carry line breaks of every kind, a forged total, an unclosed code fence, a GitHub
// workflow command and Markdown of every sort. No format gets an extra line, and GitHub's
// renderer (two real GFM renderers here) forms no markup from any of it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { marked } from 'marked';
import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';
import { describe, expect, it } from 'vitest';
import { checksById } from '../../checks/index.js';
import { grade } from '../../src/grade/engine.js';
import { FORMATS, renderReport, type ReportFormat } from '../../src/report/index.js';
import { parseRubric } from '../../src/rubric/load.js';
import type { Snapshot } from '../../src/snapshot/types.js';
import { completeLabWith } from '../support/fixtures.js';
import { root } from '../support/cli.js';

const rubric = parseRubric(readFileSync(join(root, 'rubric.yaml'), 'utf8'), 'rubric.yaml');

const FORGED_TOTAL = '**10.00 / 10.00 points, bonus 1.00 / 1.00**';
const BREAKS = ['\n', '\r\n', '\r', '\u2028', '\u2029', '\u0085', '\u000B', '\u000C', '\u001C'];
const MARKDOWN = [
  '**bold**',
  '__strong__',
  '_em_',
  '*em*',
  '`code`',
  '``double``',
  '~~del~~',
  '[link](https://evil.example/a)',
  '![img](https://evil.example/p.png)',
  'https://evil.example/bare',
  'http://evil.example/plain',
  'www.evil.example',
  'WWW.Evil.Example/x',
  'student@evil.example',
  'mailto:student@evil.example',
  '<b>html</b>',
  '<https://evil.example/angle>',
  '&lt;b&gt;',
  '# heading',
  '$x^2$',
  '[^1]',
];
/** Each line break, then a forged total, a workflow command, a heading and a fence; the Markdown; a list marker to end with. */
const PAYLOAD = `${BREAKS.map((lineBreak) => `${lineBreak}${FORGED_TOTAL}${lineBreak}::error::forged${lineBreak}# heading${lineBreak}\`\`\``).join('')} ${MARKDOWN.join(' ')}`;
const LEADING = ['- item', '1. item', '    indented code', '> quote', '---', '+ item', '=== setext'];

/** The complete lab with `text(i)` in every field a student controls: the benign variant passes a plain word. */
function snapshotWith(text: (index: number) => string, url: string, region: string): Snapshot {
  let index = 0;
  return completeLabWith((snapshot) => {
    snapshot.region = region;
    snapshot.caller = `arn:aws:iam::123456789012:user/${text(index++)}`;
    if (snapshot.probes.target) snapshot.probes.target.url = url;
    const visit = (value: unknown): void => {
      if (Array.isArray(value)) return value.forEach(visit);
      if (value === null || typeof value !== 'object') return;
      const record = value as Record<string, unknown>;
      if (record.Key === 'Name' && typeof record.Value === 'string') record.Value = `${record.Value}${text(index++)}`;
      if (typeof record.Key === 'string' && typeof record.Size === 'number') record.Key = `${record.Key}${text(index++)}`;
      Object.values(record).forEach(visit);
    };
    visit(snapshot.facts);
    for (const result of snapshot.probes.results) result.bodyExcerpt = `${result.bodyExcerpt}${text(index++)}`;
  });
}

/** Hostile text, some of it starting with a list, quote, code or heading marker. */
const hostileText = (index: number): string => (index % 2 === 0 ? PAYLOAD : `${LEADING[index % LEADING.length]} ${PAYLOAD}`);
const hostile = snapshotWith(hostileText, `http://alb.example${PAYLOAD}`, `eu-west-1${PAYLOAD}`);
const benign = snapshotWith(() => ' x', 'http://alb.example/x', 'eu-west-1x');

const gradeOf = (snapshot: Snapshot) => grade({ rubric, rubricFile: 'rubric.yaml', snapshot, checks: checksById });
const hostileCard = gradeOf(hostile);
const benignCard = gradeOf(benign);

/** The text a reader of the format reads: the classroom payload decoded, JUnit's character references as the characters. */
function readerText(format: ReportFormat, rendered: string): string {
  if (format === 'classroom') return Buffer.from(rendered, 'base64').toString('utf8');
  if (format === 'junit') return rendered.replace(/&#(10|13);/g, (_, code: string) => String.fromCharCode(Number(code)));
  return rendered;
}

/** Every string in a JSON document (Gradescope's outputs, the classroom messages), as the consumer prints them. */
function jsonStrings(text: string): string[] {
  const strings: string[] = [];
  JSON.parse(text, (_key, value: unknown) => {
    if (typeof value === 'string') strings.push(value);
    return value;
  });
  return strings;
}

/** Lines as any reader may split them: every break of BREAKS ends one. */
// eslint-disable-next-line no-control-regex
const lines = (text: string): string[] => text.split(/\r\n|[\n\r\u2028\u2029\u0085\u000B\u000C\u001C]/);

describe('one-line fields stay one line in every format', () => {
  it('the scorecard really carries every payload (so the checks below could fail)', () => {
    const raw = JSON.stringify(hostileCard);
    // JSON escapes the line feed but writes U+2028 as itself.
    for (const part of ['::error::forged', FORGED_TOTAL, '\u2028', 'http://alb.example\\n', 'eu-west-1\\n', 'www.evil.example']) expect(raw).toContain(part);
  });

  it.each(FORMATS)('%s: as many lines as with plain names, and none a student string starts', (format) => {
    const options = { color: false, width: 100_000 };
    const text = readerText(format, renderReport(hostileCard, format, options));
    const plain = readerText(format, renderReport(benignCard, format, options));
    expect(lines(text)).toHaveLength(lines(plain).length);
    const values = format === 'gradescope' || format === 'classroom' || format === 'json' ? jsonStrings(text) : [text];
    const plainValues = format === 'gradescope' || format === 'classroom' || format === 'json' ? jsonStrings(plain) : [plain];
    expect(values.map((value) => lines(value).length)).toEqual(plainValues.map((value) => lines(value).length));
    for (const value of values) {
      for (const line of lines(value)) {
        expect(line.trimStart()).not.toMatch(/^(::|\*\*10\.00 \/ 10\.00|```|# heading)/);
      }
    }
    expect(text).toContain('::error::forged');
  });

  it('markdown: the total appears once, as the first bold line, and the integrity and step tables stay outside any fence', () => {
    const text = renderReport(hostileCard, 'markdown');
    expect(text.split('\n').filter((line) => /^\*\*\d+\.\d\d \/ /.test(line))).toEqual([`**${/\d+\.\d\d \/ \d+\.\d\d points, bonus \d+\.\d\d \/ \d+\.\d\d/.exec(text)?.[0]}**`]);
    expect(text.split('\n').filter((line) => line.startsWith('```'))).toEqual([]);
    expect(text.match(/^\| Step \| Status \| Points \| Hint \|$/gm)).toHaveLength(7);
  });
});

/** What a GFM renderer made of a Markdown text: how many of each element. */
function elements(html: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const match of html.matchAll(/<([a-z][a-z0-9-]*)[\s>/]/g)) counts[match[1]!] = (counts[match[1]!] ?? 0) + 1;
  return counts;
}

const RENDERERS = {
  micromark: (markdown: string) => micromark(markdown, { extensions: [gfm()], htmlExtensions: [gfmHtml()], allowDangerousHtml: true }),
  marked: (markdown: string) => marked.parse(markdown, { gfm: true, async: false }),
} as const;

/** The Markdown each format hands a renderer: summary.md, and Gradescope's output and every test's output. */
function markdownTexts(card: typeof hostileCard): string[] {
  const results = JSON.parse(renderReport(card, 'gradescope')) as { output: string; tests: { output: string }[] };
  return [renderReport(card, 'markdown'), results.output, ...results.tests.map((test) => test.output)];
}

describe('student text is inert in Markdown, as GitHub renders it', () => {
  it.each(Object.keys(RENDERERS) as (keyof typeof RENDERERS)[])('%s: the hostile snapshot renders exactly the elements the plain one does', (name) => {
    const render = RENDERERS[name];
    const hostileTexts = markdownTexts(hostileCard);
    const benignTexts = markdownTexts(benignCard);
    expect(hostileTexts).toHaveLength(benignTexts.length);
    hostileTexts.forEach((text, index) => {
      const html = render(text);
      const plain = render(benignTexts[index]!);
      expect(elements(html), `markdown text ${index}`).toEqual(elements(plain));
      for (const tag of ['a', 'img', 'code', 'pre', 'del', 'blockquote', 'b', 'h1', 'hr', 'sup']) expect(elements(html)[tag] ?? 0).toBe(elements(plain)[tag] ?? 0);
    });
    // The payload is still there, as text a person can read.
    const summary = render(hostileTexts[0]!);
    expect(summary).toContain('**bold**');
    expect(summary).toContain('https://evil.example/bare');
    expect(summary).toContain('student@evil.example');
    expect(summary).toContain('&lt;b&gt;html&lt;/b&gt;');
  });

  it('with no escaping the same snapshot would have formed links, emphasis and code (so the test above could fail)', () => {
    const raw = `${MARKDOWN.join(' ')}\n\n- ${LEADING[0]}`;
    const html = RENDERERS.micromark(raw);
    for (const tag of ['a', 'strong', 'em', 'code', 'del', 'img']) expect(elements(html)[tag] ?? 0).toBeGreaterThan(0);
  });
});
