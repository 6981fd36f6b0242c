// A CI job summary (e.g. $GITHUB_STEP_SUMMARY): the total, a table per section, then what
// to fix for every miss.
import { escapeMarkdownInline } from './safe-text.js';
import { costNoticeLines, type CostNotice } from '../cost/estimate.js';
import type { Scorecard, StepResult, StepStatus } from '../grade/scorecard.js';
import {
  formatScore,
  isMiss,
  labElsewhereNotice,
  profilesText,
  stepCauses,
  stepEvidence,
  stepGroups,
  stepHints,
  stepNotes,
  skipReason,
  statusText,
  integrityFlags,
  integrityHeadline,
  targetLine,
  totalLine,
  type Reporter,
  type ReportOptions,
} from './steps.js';

const EMOJI: Record<StepStatus, string> = {
  pass: '✅',
  partial: '🟡',
  fail: '❌',
  unearned: '⚪',
  error: '⚠️',
  skip: '➖',
  manual: '👀',
};

/** A table cell: inline text (its `|` escaped, so it cannot end the cell), several of them one under the other. */
export function escapeMarkdownCell(...texts: string[]): string {
  return texts.map(escapeMarkdownInline).join('<br>');
}

function statusCell(step: StepResult): string {
  return `${EMOJI[step.status]} ${statusText(step)}`;
}

function hintCell(step: StepResult, profile: string): string[] {
  if (step.status === 'pass') return [];
  if (step.status === 'skip') return [skipReason(step, profile)];
  return [...stepCauses(step), ...stepHints(step)];
}

function table(steps: StepResult[], profile: string): string[] {
  const rows = steps.map((step) => {
    return `| ${escapeMarkdownCell(step.id)} ${escapeMarkdownCell(step.title)} | ${statusCell(step)} | ${formatScore(step.points)} | ${escapeMarkdownCell(...hintCell(step, profile))} |`;
  });
  return ['| Step | Status | Points | Hint |', '| --- | --- | ---: | --- |', ...rows];
}

function bullets(label: string, items: string[]): string[] {
  return items.map((item) => `- ${label}${escapeMarkdownInline(item)}`);
}

function missDetails(step: StepResult): string[] {
  return [
    `### ${EMOJI[step.status]} ${escapeMarkdownInline(step.id)} ${escapeMarkdownInline(step.title)} (${formatScore(step.points)})`,
    '',
    ...bullets('**Cause:** ', stepCauses(step)),
    ...bullets(step.status === 'manual' ? '**Review:** ' : '**Hint:** ', stepHints(step)),
    ...bullets('Observed: ', stepEvidence(step)),
    ...bullets('Note: ', stepNotes(step)),
    '',
  ];
}

/** The cost notice's lines are already a paragraph and a list; only their text needs escaping. */
function costSection(notice: CostNotice): string[] {
  const lines = costNoticeLines(notice).map((line) =>
    line.startsWith('- ') ? `- ${escapeMarkdownInline(line.slice(2))}` : escapeMarkdownInline(line),
  );
  const [head, ...items] = lines;
  const teardown = notice.teardown.length > 0 ? ['', 'To stop paying:', '', ...bullets('', notice.teardown)] : [];
  return ['## Cost while left running', '', head ?? '', ...(items.length > 0 ? ['', ...items] : []), ...teardown, ''];
}

function render(scorecard: Scorecard, options: ReportOptions): string {
  const { subject } = scorecard;
  const elsewhere = labElsewhereNotice(scorecard);
  const lines: string[] = [
    `# ${escapeMarkdownInline(scorecard.lab)}`,
    '',
    ...(elsewhere === undefined
      ? []
      : [`> **${escapeMarkdownInline(elsewhere.headline)}** ${escapeMarkdownInline(elsewhere.detail)} ${escapeMarkdownInline(elsewhere.command)}`, '']),
    `**${totalLine(scorecard)}**`,
    '',
    `Account ${escapeMarkdownInline(subject.account)} · ${escapeMarkdownInline(subject.region)} · ${escapeMarkdownInline(profilesText(scorecard, options))} · collected ${escapeMarkdownInline(subject.collectedAt)}`,
    '',
    escapeMarkdownInline(targetLine(scorecard)),
    '',
  ];
  const headline = integrityHeadline(scorecard);
  if (headline) {
    lines.push('## Integrity', '', `**${escapeMarkdownInline(headline)}**`, '');
    for (const flag of integrityFlags(scorecard)) lines.push(...bullets('', [flag.title]), ...flag.evidence.map((line) => `  - ${escapeMarkdownInline(line)}`));
    lines.push('');
  }
  const groups = stepGroups(scorecard);
  for (const group of groups) {
    const heading = group.id === 'bonus' ? escapeMarkdownInline(group.title) : `${escapeMarkdownInline(group.id)}. ${escapeMarkdownInline(group.title)}`;
    lines.push(`## ${heading} (${formatScore(group.points)})`, '', ...table(group.steps, scorecard.profile), '');
  }
  const misses = groups.flatMap((group) => group.steps).filter(isMiss);
  if (misses.length > 0) {
    lines.push('## What to fix', '');
    for (const step of misses) lines.push(...missDetails(step));
  }
  // Misses show their notes in their details and skips their reason in the table; passes' notes go here.
  const noted = groups.flatMap((group) => group.steps).filter((step) => step.status === 'pass' && stepNotes(step).length > 0);
  if (noted.length > 0) {
    lines.push('## Notes (no points)', '');
    for (const step of noted) lines.push(...bullets(`${escapeMarkdownInline(step.id)}: `, stepNotes(step)));
    lines.push('');
  }
  if (scorecard.cost) lines.push(...costSection(scorecard.cost));
  if (elsewhere !== undefined) lines.push('', `**${escapeMarkdownInline(elsewhere.headline)}** ${escapeMarkdownInline(elsewhere.command)}`);
  return `${lines.join('\n').trimEnd()}\n`;
}

export const markdownReporter: Reporter = { file: 'summary.md', render };
