// Text a student controls (tag values, probe bodies) carrying Markdown links and images,
// terminal escapes, right-to-left overrides and credential-shaped values, through every format.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checksById } from '../../checks/index.js';
import { grade } from '../../src/grade/engine.js';
import { FORMATS, renderReport } from '../../src/report/index.js';
import { parseRubric } from '../../src/rubric/load.js';
import type { Snapshot } from '../../src/snapshot/types.js';
import { completeLabWith } from '../support/fixtures.js';
import { root } from '../support/cli.js';

const rubric = parseRubric(readFileSync(join(root, 'rubric.yaml'), 'utf8'), 'rubric.yaml');

const PIXEL = '![x](https://tracker.example/p.png)';
const SCRIPT_LINK = '[open the lab](javascript:alert(1))';
const REFERENCE = '\n[lab]: https://tracker.example/ref';
const RLO = '\u202Egnp.exe';
const ESCAPES = '\u001b[2J\u001b]8;;https://tracker.example\u0007link\u001b]8;;\u0007\r';
const ACCESS_KEY = 'AKIAEXAMPLEKEYTESTS1';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const PAYLOAD = `${PIXEL} ${SCRIPT_LINK}${REFERENCE} ${RLO} ${ESCAPES} ${ACCESS_KEY} ${SECRET} <img src=x onerror=alert(1)>`;

/** Every Name tag of the complete lab replaced by the payload, and the app's answers carry it too. */
function hostileSnapshot(): Snapshot {
  return completeLabWith((snapshot) => {
    const visit = (value: unknown): void => {
      if (Array.isArray(value)) return value.forEach(visit);
      if (value === null || typeof value !== 'object') return;
      const record = value as Record<string, unknown>;
      if (record.Key === 'Name' && typeof record.Value === 'string') record.Value = `${record.Value} ${PAYLOAD}`;
      Object.values(record).forEach(visit);
    };
    visit(snapshot.facts);
    for (const result of snapshot.probes.results) result.bodyExcerpt = `${result.bodyExcerpt} ${PAYLOAD}`;
  });
}

describe('output hygiene', () => {
  const scorecard = grade({ rubric, rubricFile: 'rubric.yaml', snapshot: hostileSnapshot(), checks: checksById });
  const raw = JSON.stringify(scorecard);

  it('the scorecard really carries the payload (so the checks below could fail)', () => {
    for (const part of [PIXEL, '\u202E', '\u001b[2J', ACCESS_KEY]) expect(raw).toContain(JSON.stringify(part).slice(1, -1));
  });

  it.each(FORMATS)('%s: no bidi override, no terminal escape, no credential', (format) => {
    const rendered = renderReport(scorecard, format, { color: false });
    // The classroom payload is base64 of JSON: what a reader sees is inside.
    const text = format === 'classroom' ? Buffer.from(rendered, 'base64').toString('utf8') : rendered;
    expect(text).not.toMatch(/[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/);
    // eslint-disable-next-line no-control-regex
    expect(text).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/);
    expect(text).not.toContain(ACCESS_KEY);
    expect(text).not.toContain(SECRET);
    // JUnit and the classroom payload list no evidence for passing steps, so the redacted form need not appear there.
    if (format !== 'junit' && format !== 'classroom') expect(text).toContain(`AKIA…${ACCESS_KEY.slice(-4)}`);
  });

  it('markdown: student text never forms a link, an image, a reference or HTML', () => {
    const text = renderReport(scorecard, 'markdown');
    expect(text).toContain('tracker.example');
    // An unescaped `[` followed by `](` or `]:` would be a link, image or reference definition.
    expect(text).not.toMatch(/(?<!\\)\[[^\]\n]*(?<!\\)\](\(|:)/);
    expect(text).not.toContain('<img');
    expect(text).toContain('!\\[x\\](https\\://tracker.example/p.png)');
  });

  it('html: the payload is text, not markup', () => {
    const text = renderReport(scorecard, 'html');
    expect(text).not.toContain('<img src=x');
    expect(text).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});
