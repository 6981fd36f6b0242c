// The console checklist: symbols, hints under misses, width, and colour only when asked.
import { describe, expect, it } from 'vitest';
import { CONSOLE_WIDTH, printable, wrap } from '../../src/report/console.js';
import { renderReport } from '../../src/report/index.js';
import { ANSI_ESCAPE, FIXTURES, scorecard, withStep } from './support.js';

describe('console report', () => {
  it.each(FIXTURES)('has no ANSI codes without colour (%s)', (name) => {
    expect(renderReport(scorecard(name), 'console', { color: false })).not.toContain('\u001b');
  });

  it.each(FIXTURES)('has ANSI codes with colour, and the same text once they are removed (%s)', (name) => {
    const coloured = renderReport(scorecard(name), 'console', { color: true });
    expect(coloured).toMatch(ANSI_ESCAPE);
    expect(coloured.replace(ANSI_ESCAPE, '')).toBe(renderReport(scorecard(name), 'console', { color: false }));
  });

  it.each(FIXTURES)('keeps every line within %s columns', (name) => {
    const lines = renderReport(scorecard(name), 'console', { color: true }).replace(ANSI_ESCAPE, '').split('\n');
    expect(lines.filter((line) => [...line].length > CONSOLE_WIDTH)).toEqual([]);
  });

  it.each([60, 140])('keeps every line within a terminal of %i columns', (width) => {
    const lines = renderReport(scorecard('mixed'), 'console', { width }).split('\n');
    expect(lines.filter((line) => [...line].length > width)).toEqual([]);
    expect(Math.max(...lines.map((line) => [...line].length))).toBeGreaterThan(width - 10);
  });

  it('names the AWS profile a live grade read the account with apart from the lab profile', () => {
    const header = (awsProfile?: string) => renderReport(scorecard('complete'), 'console', { width: 140, ...(awsProfile === undefined ? {} : { awsProfile }) }).split('\n')[1];
    expect(header(), 'a regrade, or a live grade without --profile').toBe('Account 123456789012 · eu-west-1 · lab profile own-account · collected 2026-11-20T16:30:00.000Z');
    expect(header('student')).toBe('Account 123456789012 · eu-west-1 · AWS profile student · lab profile own-account · collected 2026-11-20T16:30:00.000Z');
    for (const format of ['markdown', 'html'] as const) {
      expect(renderReport(scorecard('complete'), format, { awsProfile: 'student' })).toContain('AWS profile student · lab profile own-account');
    }
  });

  it('lists only the misses, with their hints, in the compact view', () => {
    const text = renderReport(scorecard('mixed'), 'console', { missesOnly: true });
    expect(text).not.toMatch(/✔ 4\.1/);
    expect(text).not.toMatch(/– 1\.1/);
    expect(text).toMatch(/✘ 2\.1 /);
    expect(text).toMatch(/◐ 5\.2 /);
    expect(text).toContain('hint: Grant logs:GetLogEvents');
    expect(text).toMatch(/\nTotal /);
    expect(text.split('\n').length).toBeLessThan(renderReport(scorecard('mixed'), 'console').split('\n').length);
  });

  it('shows one line per step with its symbol, id, title and points', () => {
    const lines = renderReport(scorecard('mixed'), 'console').split('\n');
    const stepLine = (id: string) => lines.find((line) => new RegExp(`^  . ${id.replace('.', '\\.')} `).test(line));
    expect(stepLine('4.1')).toMatch(/^ {2}✔ 4\.1 {4}Create a new VPC +0\.50\/0\.50$/);
    expect(stepLine('2.1')).toMatch(/^ {2}✘ 2\.1 .* 0\.00\/0\.25$/);
    expect(stepLine('5.2')).toMatch(/^ {2}◐ 5\.2 .* 0\.37\/0\.50$/);
    expect(stepLine('6.3')).toMatch(/^ {2}! 6\.3 .* 0\.00\/0\.25$/);
    expect(stepLine('1.1')).toMatch(/^ {2}– 1\.1 .* 0\.00\/0\.00$/);
    expect(stepLine('6.2')).toMatch(/^ {2}\? 6\.2 .* 0\.30\/0\.50$/);
    expect(stepLine('bonus')).toMatch(/^ {2}○ bonus {2}A CloudWatch alarm/);
  });

  it('puts the hint and the cause under a miss, and nothing under a pass', () => {
    const text = renderReport(scorecard('mixed'), 'console');
    expect(text).toMatch(/! 6\.3 .*\n {8}cause: could not read logEvents: logs:GetLogEvents answered AccessDenied: User is not\n {15}authorized/);
    expect(text).toMatch(/cause: [^]*\n {8}hint: Grant logs:GetLogEvents to the grading identity/);
    expect(text).toMatch(/✔ 4\.1 .*\n {2}✔ 4\.2 /);
  });

  it('prints section subtotals, the total, the bonus and the overridden target', () => {
    const text = renderReport(scorecard('mixed'), 'console');
    expect(text).toMatch(/^4\. Virtual Private Cloud \(VPC\) configuration +2\.87\/3\.00$/m);
    expect(text).toContain('Total 7.54 / 9.25   Bonus 0.00 / 1.00');
    expect(text).toContain('Probe target: http://127.0.0.1:8000 (overridden by a person');
    expect(renderReport(scorecard('complete'), 'console')).not.toContain('overridden');
  });

  it('does not let text from the account drive the terminal', () => {
    const card = withStep('mixed', '4.6', (step) => {
      for (const check of step.checks) check.hint = 'group \u001b[2J\u001b]0;title\u0007 cleared\r';
    });
    const text = renderReport(card, 'console', { color: false });
    for (const control of ['\u001b', '\u0007', '\r']) expect(text).not.toContain(control);
    expect(text).toContain('group \uFFFD[2J\uFFFD]0;title\uFFFD cleared\\r');
  });
});

describe('wrap', () => {
  it.each([
    ['short text', 20, ['short text']],
    ['one two three four', 9, ['one two', 'three', 'four']],
    ['arn:aws:iam::123456789012:role/very-long', 12, ['arn:aws:iam:', ':12345678901', '2:role/very-', 'long']],
    ['first\nsecond', 80, ['first\\nsecond']],
    ['::error::forged', 80, ['\\::error::forged']],
    ['forged ::warning::x', 12, ['forged', '\\::warning::x']],
    ['', 10, ['']],
  ] as const)('wraps %j at %i columns', (text, width, expected) => {
    expect(wrap(text, width)).toEqual(expected);
  });

  it('never returns a line wider than asked', () => {
    const text = 'Lorem ipsum dolor sit amet, consectetur-adipiscing-elit-sed-do-eiusmod-tempor incididunt ut labore';
    for (const width of [5, 10, 17, 40]) for (const line of wrap(text, width)) expect(line.length).toBeLessThanOrEqual(width);
  });

  it('makes controls visible', () => {
    expect(printable('a\u001bb\u009bc\td')).toBe('a\uFFFDb\uFFFDc\td');
  });
});
