// The Markdown job summary: tables that hold whatever text a hint carries.
import { describe, expect, it } from 'vitest';
import { renderReport } from '../../src/report/index.js';
import { escapeMarkdownCell } from '../../src/report/markdown.js';
import { scorecard, withStep } from './support.js';

/** The cells of a table row, split on pipes that are not escaped. */
function cells(row: string): string[] {
  return row
    .slice(1, -1)
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim());
}

describe('markdown report', () => {
  it('opens with the total, the bonus and the target', () => {
    const [title, , total, , , , target] = renderReport(scorecard('mixed'), 'markdown').split('\n');
    expect(title).toBe('# Introduction to Cloud Computing for MLOps');
    expect(total).toBe('**7.54 / 9.25 points, bonus 0.00 / 1.00**');
    // The target is the snapshot's (a student's, when handed in): GitHub must not link it.
    expect(target).toBe("Probe target: http\\://127.0.0.1:8000 (overridden by a person, not the ALB's DNS name)");
  });

  it('has a table per section and one for the bonus, a row per step with four cells', () => {
    const text = renderReport(scorecard('mixed'), 'markdown');
    expect(text.match(/^\| Step \| Status \| Points \| Hint \|$/gm)).toHaveLength(7);
    const rows = text.split('\n').filter((line) => /^\| (\d\.\d|bonus) /.test(line));
    expect(rows).toHaveLength(27);
    for (const row of rows) expect(cells(row)).toHaveLength(4);
    expect(cells(rows.find((row) => row.startsWith('| 5.2 '))!)).toEqual([
      '5.2 Create a Fargate task definition',
      '🟡 partial',
      '0.37/0.50',
      'Task definition sentiment-app-task:3 should have: 1 vCPU / 3 GB (cpu 1024, memory 3072); task role and execution role LabRole. Register a new revision and update the service to use it.',
    ]);
  });

  it('keeps a row whole when a hint has pipes, newlines and HTML', () => {
    const card = withStep('mixed', '2.1', (step) => {
      for (const check of step.checks) check.hint = 'a | b\nc\r\nd <script>alert(1)</script> & e';
    });
    const row = renderReport(card, 'markdown')
      .split('\n')
      .find((line) => line.startsWith('| 2.1 '))!;
    expect(cells(row)).toEqual([
      '2.1 Create a private S3 bucket',
      '❌ failed',
      '0.00/0.25',
      'a \\| b\\\\nc\\\\r\\\\nd &lt;script&gt;alert(1)&lt;/script&gt; &amp; e',
    ]);
  });

  it('details every miss with its hint, cause and evidence, and no pass', () => {
    const text = renderReport(scorecard('mixed'), 'markdown');
    const details = text.slice(text.indexOf('## What to fix'));
    const headings = details.match(/^### .*$/gm)!.map((heading) => heading.split(' ')[2]);
    expect(headings).toEqual(['2.1', '2.3', '3.1', '4.6', '5.2', '6.2', '6.3', 'bonus']);
    expect(details).toContain('- **Cause:** could not read logEvents');
    expect(details).toContain('- Observed: miss: cpu 512 units, memory 1024 MiB');
    // The complete lab misses nothing; only 2.3's code review waits for a person.
    const complete = renderReport(scorecard('complete'), 'markdown');
    expect(complete.slice(complete.indexOf('## What to fix')).match(/^### .*$/gm)!.map((heading) => heading.split(' ')[2])).toEqual(['2.3']);
  });

  it.each([
    ['plain', 'plain'],
    ['a|b', 'a\\|b'],
    ['line\nbreak', 'line\\\\nbreak'],
    ['<b>&</b>', '&lt;b&gt;&amp;&lt;/b&gt;'],
    ['bell\u0007', 'bell\uFFFD'],
  ])('escapes the cell %j', (input, expected) => {
    expect(escapeMarkdownCell(input)).toBe(expected);
  });
});
