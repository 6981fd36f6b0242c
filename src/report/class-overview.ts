// The class at a glance, from a batch: how the totals are distributed (an SVG histogram),
// per step how many students earned it fully, partly or not at all (an SVG bar chart: the
// steps a class struggles with), and a table linking each student's report.
import type { Scorecard, StepResult } from '../grade/scorecard.js';
import { escapeHtml, htmlPage, STATUS_COLORS } from './html.js';
import { allSteps, formatPoints } from './steps.js';

export interface OverviewStudent {
  id: string;
  name?: string;
  /** Absent when the student could not be graded. */
  scorecard?: Scorecard;
  error?: string;
  /** Link to the student's report, relative to the overview page. */
  reportHref?: string;
}

export interface OverviewStep {
  id: string;
  title: string;
}

export interface ClassOverviewInput {
  lab: string;
  /** The rubric's steps in order, bonus last. */
  steps: OverviewStep[];
  students: OverviewStudent[];
}

export type StepOutcome = 'full' | 'partial' | 'none' | 'unjudged' | 'notApplicable';

export interface StepTally {
  step: OverviewStep;
  counts: Record<StepOutcome, number>;
}

const OUTCOME_COLORS: Record<StepOutcome, string> = {
  full: STATUS_COLORS.pass,
  partial: '#e08a00',
  none: STATUS_COLORS.fail,
  unjudged: '#7f8fa6',
  notApplicable: '#d0d5db',
};

const OUTCOME_WORDS: Record<StepOutcome, string> = {
  full: 'full points',
  partial: 'partial',
  none: 'none',
  unjudged: 'not judged',
  notApplicable: 'not applicable',
};

/** The step's status as the overview counts it: waiting for a person or unreadable is not judged, never a miss. */
const OUTCOMES: Record<StepResult['status'], StepOutcome> = {
  pass: 'full',
  partial: 'partial',
  fail: 'none',
  unearned: 'none',
  manual: 'unjudged',
  error: 'unjudged',
  skip: 'notApplicable',
};

export function stepOutcome(step: StepResult): StepOutcome {
  return OUTCOMES[step.status];
}

/** Per rubric step, how the graded students did on it. */
export function tallySteps(steps: OverviewStep[], scorecards: Scorecard[]): StepTally[] {
  const byStep = new Map(steps.map((step) => [step.id, { full: 0, partial: 0, none: 0, unjudged: 0, notApplicable: 0 }]));
  for (const scorecard of scorecards) {
    for (const step of allSteps(scorecard)) {
      const counts = byStep.get(step.id);
      if (counts) counts[stepOutcome(step)] += 1;
    }
  }
  return steps.map((step) => ({ step, counts: byStep.get(step.id)! }));
}

export interface ScoreBin {
  /** Inclusive lower bound; the last bin also includes its upper bound. */
  from: number;
  to: number;
  count: number;
}

/** One-point bins from 0 to the highest maximum (10 for the lab), the top score in the last bin. */
export function scoreBins(scorecards: Scorecard[]): ScoreBin[] {
  const top = Math.max(1, Math.ceil(Math.max(0, ...scorecards.map((scorecard) => scorecard.total.max))));
  const bins: ScoreBin[] = Array.from({ length: top }, (_, index) => ({ from: index, to: index + 1, count: 0 }));
  for (const { total } of scorecards) bins[Math.min(top - 1, Math.floor(total.earned))]!.count += 1;
  return bins;
}

const SVG_FONT = 'font-family="system-ui,Arial,sans-serif" font-size="12"';

function histogram(bins: ScoreBin[]): string {
  const width = 640;
  const height = 240;
  const left = 40;
  const bottom = 34;
  const top = 14;
  const plotHeight = height - bottom - top;
  const highest = Math.max(1, ...bins.map((bin) => bin.count));
  const barWidth = (width - left - 10) / bins.length;
  const bars = bins.map((bin, index) => {
    const barHeight = (bin.count / highest) * plotHeight;
    const x = left + index * barWidth;
    const y = top + plotHeight - barHeight;
    const range = `${bin.from}–${bin.to}`;
    return [
      `<rect class="bin" x="${(x + 2).toFixed(1)}" y="${y.toFixed(1)}" width="${(barWidth - 4).toFixed(1)}" height="${barHeight.toFixed(1)}" fill="#0b63b6"><title>${range} points: ${bin.count} students</title></rect>`,
      bin.count > 0 ? `<text x="${(x + barWidth / 2).toFixed(1)}" y="${(y - 3).toFixed(1)}" text-anchor="middle">${bin.count}</text>` : '',
      `<text x="${(x + barWidth / 2).toFixed(1)}" y="${height - bottom + 16}" text-anchor="middle">${range}</text>`,
    ].join('');
  });
  return [
    `<svg id="score-histogram" role="img" aria-labelledby="histogram-title" viewBox="0 0 ${width} ${height}" width="100%" style="max-width:${width}px" ${SVG_FONT} xmlns="http://www.w3.org/2000/svg">`,
    '<title id="histogram-title">Number of students per total score (one-point bins)</title>',
    `<line x1="${left}" y1="${top + plotHeight}" x2="${width - 10}" y2="${top + plotHeight}" stroke="#57606a"/>`,
    `<text x="4" y="${top + 10}">${highest}</text><text x="4" y="${top + plotHeight}">0</text>`,
    ...bars,
    `<text x="${(left + width) / 2}" y="${height - 2}" text-anchor="middle">total points</text>`,
    '</svg>',
  ].join('\n');
}

function stepChart(tallies: StepTally[], graded: number): string {
  const width = 760;
  const label = 70;
  const rowHeight = 22;
  const top = 26;
  const barSpace = width - label - 40;
  const height = top + tallies.length * rowHeight + 8;
  const outcomes: StepOutcome[] = ['full', 'partial', 'none', 'unjudged', 'notApplicable'];
  const legend = outcomes.map(
    (outcome, index) =>
      `<rect x="${label + index * 125}" y="4" width="12" height="12" fill="${OUTCOME_COLORS[outcome]}"/><text x="${label + index * 125 + 16}" y="14">${OUTCOME_WORDS[outcome]}</text>`,
  );
  const rows = tallies.map((tally, row) => {
    const y = top + row * rowHeight;
    let x = label;
    const segments = outcomes.map((outcome) => {
      const count = tally.counts[outcome];
      const segmentWidth = graded === 0 ? 0 : (count / graded) * barSpace;
      const segment =
        count === 0
          ? ''
          : `<rect class="outcome-${outcome}" x="${x.toFixed(1)}" y="${y}" width="${segmentWidth.toFixed(1)}" height="${rowHeight - 6}" fill="${OUTCOME_COLORS[outcome]}"><title>${escapeHtml(tally.step.id)} ${escapeHtml(tally.step.title)}: ${count} ${OUTCOME_WORDS[outcome]}</title></rect>` +
            (segmentWidth >= 22 ? `<text x="${(x + segmentWidth / 2).toFixed(1)}" y="${y + 12}" text-anchor="middle" fill="${outcome === 'notApplicable' ? '#1f2328' : '#fff'}">${count}</text>` : '');
      x += segmentWidth;
      return segment;
    });
    return `<g class="step-bar" data-step="${escapeHtml(tally.step.id)}"><text x="${label - 6}" y="${y + 12}" text-anchor="end">${escapeHtml(tally.step.id)}</text>${segments.join('')}</g>`;
  });
  return [
    `<svg id="step-chart" role="img" aria-labelledby="step-chart-title" viewBox="0 0 ${width} ${height}" width="100%" style="max-width:${width}px" ${SVG_FONT} xmlns="http://www.w3.org/2000/svg">`,
    '<title id="step-chart-title">Per step: students with full, partial or no points, not yet judged, or not applicable</title>',
    ...legend,
    ...rows,
    '</svg>',
  ].join('\n');
}

function stepTable(tallies: StepTally[]): string {
  const rows = tallies.map(
    ({ step, counts }) =>
      `<tr><td class="mono">${escapeHtml(step.id)}</td><td>${escapeHtml(step.title)}</td><td class="num">${counts.full}</td><td class="num">${counts.partial}</td><td class="num">${counts.none}</td><td class="num">${counts.unjudged}</td><td class="num">${counts.notApplicable}</td></tr>`,
  );
  return [
    '<table class="step-table"><thead><tr><th>Step</th><th>Title</th><th class="num">Full</th><th class="num">Partial</th><th class="num">None</th><th class="num">Not judged</th><th class="num">N/A</th></tr></thead>',
    `<tbody>${rows.join('\n')}</tbody></table>`,
  ].join('\n');
}

function studentRow(student: OverviewStudent): string {
  const id = student.reportHref
    ? `<a href="${escapeHtml(student.reportHref)}">${escapeHtml(student.id)}</a>`
    : escapeHtml(student.id);
  const name = escapeHtml(student.name ?? '');
  if (!student.scorecard) {
    return `<tr class="student error"><td class="mono">${id}</td><td>${name}</td><td class="num">–</td><td class="num">–</td><td>error: ${escapeHtml(student.error ?? 'not graded')}</td></tr>`;
  }
  const { total, bonusPoints } = student.scorecard;
  return `<tr class="student"><td class="mono">${id}</td><td>${name}</td><td class="num">${formatPoints(total.earned)} / ${formatPoints(total.max)}</td><td class="num">${formatPoints(bonusPoints.earned)}</td><td>graded</td></tr>`;
}

function mean(values: number[]): number {
  return values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length;
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function renderClassOverview(input: ClassOverviewInput): string {
  const scorecards = input.students.flatMap((student) => (student.scorecard ? [student.scorecard] : []));
  const failed = input.students.length - scorecards.length;
  const totals = scorecards.map((scorecard) => scorecard.total.earned);
  const tallies = tallySteps(input.steps, scorecards);
  const summary = [
    `${input.students.length} students`,
    `${scorecards.length} graded`,
    ...(failed > 0 ? [`${failed} could not be graded`] : []),
    ...(scorecards.length > 0 ? [`mean ${mean(totals).toFixed(2)}`, `median ${median(totals).toFixed(2)}`] : []),
  ].join(' · ');
  const body = [
    `<h1>${escapeHtml(input.lab)}: class overview</h1>`,
    `<p class="meta" id="class-summary">${escapeHtml(summary)}</p>`,
    '<h2>Score distribution</h2>',
    histogram(scoreBins(scorecards)),
    '<h2>Steps: who earned them</h2>',
    stepChart(tallies, scorecards.length),
    stepTable(tallies),
    '<h2>Students</h2>',
    '<table class="students"><thead><tr><th>Student</th><th>Name</th><th class="num">Total</th><th class="num">Bonus</th><th>Status</th></tr></thead>',
    `<tbody>${input.students.map(studentRow).join('\n')}</tbody></table>`,
  ].join('\n');
  return htmlPage(`${input.lab}: class overview (${input.students.length} students)`, body);
}
