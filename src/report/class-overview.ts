// The class at a glance, from a batch, to act on: how the totals are distributed (an SVG
// histogram), per step how many students earned it and who missed it (linked to their
// reports), a student table that a few lines of inline script sort and filter (the page
// works without), and every integrity flag.
import { INTEGRITY_FLAG_KINDS } from '../grade/scorecard.js';
import type { ScorecardSummary, StepSummary } from '../grade/summary.js';
import { flagNames } from '../integrity/apply.js';
import { escapeHtml, htmlPage, STATUS_COLORS } from './html.js';
import { allSteps, formatPoints, formatScore, heldPoints } from './steps.js';

export interface OverviewStudent {
  id: string;
  name?: string;
  /** Absent when the student could not be graded, or was not graded yet. A whole scorecard is one too. */
  scorecard?: ScorecardSummary;
  error?: string;
  /** The batch was interrupted before it graded the student. */
  notGradedYet?: boolean;
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
const OUTCOMES: Record<StepSummary['status'], StepOutcome> = {
  pass: 'full',
  partial: 'partial',
  fail: 'none',
  unearned: 'none',
  manual: 'unjudged',
  error: 'unjudged',
  skip: 'notApplicable',
};

export function stepOutcome(step: StepSummary): StepOutcome {
  return OUTCOMES[step.status];
}

/** Per rubric step, how the graded students did on it. */
export function tallySteps(steps: OverviewStep[], scorecards: ScorecardSummary[]): StepTally[] {
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
export function scoreBins(scorecards: ScorecardSummary[]): ScoreBin[] {
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

export type StudentStatus = 'full' | 'missing' | 'ungraded' | 'flagged' | 'pending';

const STUDENT_STATUS_WORDS: Record<StudentStatus, string> = {
  full: 'full marks',
  missing: 'points missing',
  ungraded: 'could not grade',
  flagged: 'flagged',
  pending: 'not graded yet',
};

/**
 * A flag needs a person first; then a step the grader could not read (the grade is not known
 * yet, never the student's fault); then a step that lost points (partial or failed). Full marks
 * otherwise: every step passed, is not applicable, or earned all its automatic points and waits
 * for a person. The bonus is extra credit and never makes points missing.
 */
export function studentStatus(student: OverviewStudent): StudentStatus {
  const card = student.scorecard;
  if (!card) return student.notGradedYet ? 'pending' : 'ungraded';
  if (card.integrity) return 'flagged';
  let lost = false;
  for (const section of card.sections) {
    for (const { status } of section.steps) {
      if (status === 'error') return 'ungraded';
      if (status === 'partial' || status === 'fail') lost = true;
    }
  }
  return lost ? 'missing' : 'full';
}

/** The ids of the lab's steps (bonus apart) with this status, in rubric order. */
function stepIds(card: ScorecardSummary, wanted: StepSummary['status']): string[] {
  const ids: string[] = [];
  for (const section of card.sections) for (const step of section.steps) if (step.status === wanted) ids.push(step.id);
  return ids;
}

/** What the status cell adds for a graded student: the flags, the unreadable steps, or the steps left to a person. */
function statusDetail(card: ScorecardSummary, status: StudentStatus): string {
  switch (status) {
    case 'flagged':
      return `: ${flagNames(card.integrity?.flags ?? [])}${card.integrity?.heldForReview ? ' (held for review: not counted)' : card.integrity?.withheld ? ' (0 points)' : ''}`;
    case 'ungraded':
      return `: ${stepIds(card, 'error').join(', ')} unreadable`;
    case 'full': {
      const manual = stepIds(card, 'manual');
      return manual.length > 0 ? ` so far: ${manual.join(', ')} left to a person` : '';
    }
    case 'missing':
    case 'pending':
      return '';
  }
}

function studentLink(student: OverviewStudent, fragment = ''): string {
  return student.reportHref
    ? `<a href="${escapeHtml(student.reportHref + fragment)}">${escapeHtml(student.id)}</a>`
    : escapeHtml(student.id);
}

function studentRow(student: OverviewStudent): string {
  const status = studentStatus(student);
  const name = escapeHtml(student.name ?? '');
  const card = student.scorecard;
  const flags = card?.integrity?.flags ?? [];
  const data = `data-student="${escapeHtml(student.id)}" data-status="${status}" data-score="${card ? card.total.earned + card.bonusPoints.earned : -1}" data-flags="${[...new Set(flags.map((flag) => flag.kind))].join(' ')}"`;
  if (!card) {
    const why = status === 'pending' ? ': the batch was interrupted first; run it again to grade them' : `: ${escapeHtml(student.error ?? 'not graded')}`;
    return `<tr class="student ${status === 'pending' ? 'pending' : 'error'}" ${data}><td class="mono">${studentLink(student)}</td><td>${name}</td><td class="num">–</td><td class="num">–</td><td>${STUDENT_STATUS_WORDS[status]}${why}</td></tr>`;
  }
  const { total, bonusPoints } = card;
  const statusCell = `${STUDENT_STATUS_WORDS[status]}${escapeHtml(statusDetail(card, status))}`;
  // Held for review: the checks' points are shown, marked as not counted.
  const held = heldPoints(card);
  const totalCell = held ? `held: ${formatPoints(held.total.earned)} / ${formatPoints(held.total.max)}` : `${formatPoints(total.earned)} / ${formatPoints(total.max)}`;
  const bonusCell = held ? `held: ${formatPoints(held.bonusPoints.earned)}` : formatPoints(bonusPoints.earned);
  return `<tr class="student status-${status}" ${data}><td class="mono">${studentLink(student)}</td><td>${name}</td><td class="num">${totalCell}</td><td class="num">${bonusCell}</td><td>${statusCell}</td></tr>`;
}

/** Per step that someone missed or earned only part of: who, with their points, linked to that step of their report. */
function whoMissed(steps: OverviewStep[], students: OverviewStudent[]): string {
  const missedBy = steps.map((): string[] => []);
  const partialBy = steps.map((): string[] => []);
  // One student's steps by id (the last of an id, as in their report), one map used for every student in turn.
  const byId = new Map<string, StepSummary>();
  for (const student of students) {
    if (!student.scorecard) continue;
    byId.clear();
    for (const result of allSteps(student.scorecard)) byId.set(result.id, result);
    for (let index = 0; index < steps.length; index += 1) {
      const step = steps[index]!;
      const result = byId.get(step.id);
      if (!result) continue;
      const outcome = stepOutcome(result);
      // Most students earned most steps: a line is written only for those listed.
      if (outcome !== 'none' && outcome !== 'partial') continue;
      (outcome === 'none' ? missedBy : partialBy)[index]!.push(`<li>${studentLink(student, `#step-${step.id}`)} <span class="meta">${formatScore(result.points)}</span></li>`);
    }
  }
  const rows = steps.flatMap((step, index) => {
    const missed = missedBy[index]!;
    const partial = partialBy[index]!;
    if (missed.length + partial.length === 0) return [];
    const cell = (entries: string[]) => (entries.length === 0 ? '<td>–</td>' : `<td><ul class="who">${entries.join('')}</ul></td>`);
    return [`<tr data-step="${escapeHtml(step.id)}"><td class="mono">${escapeHtml(step.id)}</td><td>${escapeHtml(step.title)}</td>${cell(missed)}${cell(partial)}</tr>`];
  });
  if (rows.length === 0) return '<p id="who-missed">Every graded student earned every step fully, or it was not theirs to earn.</p>';
  return [
    '<table id="who-missed" class="who-missed"><thead><tr><th>Step</th><th>Title</th><th>Missed it (no points)</th><th>Earned part of it</th></tr></thead>',
    `<tbody>${rows.join('\n')}</tbody></table>`,
  ].join('\n');
}

function integritySection(students: OverviewStudent[]): string {
  const rows = students.flatMap((student) =>
    (student.scorecard?.integrity?.flags ?? []).map(
      (flag) =>
        `<tr data-student="${escapeHtml(student.id)}" data-flag="${flag.kind}"><td class="mono">${studentLink(student, '#integrity')}</td><td class="mono">${flag.kind}</td><td>${escapeHtml(flag.summary)}<ul class="evidence">${flag.evidence.map((line) => `<li>${escapeHtml(line)}</li>`).join('')}</ul></td></tr>`,
    ),
  );
  if (rows.length === 0) return '<p id="integrity">No snapshot was flagged.</p>';
  const strict = students.some((student) => student.scorecard?.integrity?.mode === 'strict');
  const said = strict
    ? 'Under --integrity strict a flag that convicts the student (all but shared-evidence) gives 0 points; students flagged only for shared evidence, where nothing shows who copied, are held for review: their points are shown, not counted, until a person decides.'
    : 'Points are kept (--integrity warn): look at each before the grades count.';
  return [
    `<p>${said} What a snapshot can and cannot prove: docs/class-workflows.md.</p>`,
    '<table id="integrity" class="integrity"><thead><tr><th>Student</th><th>Flag</th><th>What was found</th></tr></thead>',
    `<tbody>${rows.join('\n')}</tbody></table>`,
  ].join('\n');
}


/** Filters and sort buttons, hidden until the script shows them, so the page without script shows no dead controls. */
function studentControls(): string {
  const statuses = (Object.keys(STUDENT_STATUS_WORDS) as StudentStatus[]).map((status) => `<option value="${status}">${STUDENT_STATUS_WORDS[status]}</option>`);
  const flags = INTEGRITY_FLAG_KINDS.map((kind) => `<option value="${kind}">${kind}</option>`);
  return [
    '<form id="student-controls" class="controls" hidden>',
    `<label>Status <select id="filter-status"><option value="">all</option>${statuses.join('')}</select></label>`,
    `<label>Flag <select id="filter-flag"><option value="">any</option>${flags.join('')}</select></label>`,
    '<label>Score at most <input id="filter-score" type="number" min="0" step="0.25" size="5"></label>',
    '<output id="shown"></output>',
    '</form>',
  ].join(' ');
}

/** Sorts the student table by a column's data key and filters its rows; kept short on purpose. */
const TABLE_SCRIPT = `(() => {
const table = document.getElementById('students'), body = table.tBodies[0], rows = [...body.rows];
const status = document.getElementById('filter-status'), flag = document.getElementById('filter-flag'), score = document.getElementById('filter-score');
const filter = () => {
  let shown = 0;
  for (const row of rows) {
    row.hidden = !((!status.value || row.dataset.status === status.value) && (!flag.value || row.dataset.flags.split(' ').includes(flag.value)) && (score.value === '' || Number(row.dataset.score) <= Number(score.value)));
    if (!row.hidden) shown++;
  }
  document.getElementById('shown').value = shown + ' of ' + rows.length + ' shown';
};
for (const control of [status, flag, score]) control.addEventListener('input', filter);
for (const th of table.querySelectorAll('th[data-sort]')) {
  const button = document.createElement('button');
  button.type = 'button';
  button.textContent = th.textContent;
  th.replaceChildren(button);
  button.addEventListener('click', () => {
    const key = th.dataset.sort, direction = th.getAttribute('aria-sort') === 'ascending' ? -1 : 1;
    for (const other of table.querySelectorAll('th[aria-sort]')) other.removeAttribute('aria-sort');
    th.setAttribute('aria-sort', direction === 1 ? 'ascending' : 'descending');
    rows.sort((a, b) => direction * (key === 'score' ? Number(a.dataset.score) - Number(b.dataset.score) : a.dataset[key].localeCompare(b.dataset[key])));
    body.append(...rows);
  });
}
document.getElementById('student-controls').hidden = false;
filter();
})();`;

const OVERVIEW_CSS =
  '.controls{margin:6px 0}.controls label{margin-right:14px}th button{font:inherit;font-weight:600;border:0;background:none;padding:0;cursor:pointer;text-decoration:underline dotted}' +
  'th[aria-sort=ascending] button::after{content:" ▲"}th[aria-sort=descending] button::after{content:" ▼"}ul.who{margin:0;padding-left:16px}tr.status-flagged td{background:#fdecea}' +
  '@media print{.controls{display:none}}';

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
  const notYet = input.students.filter((student) => !student.scorecard && student.notGradedYet).length;
  const failed = input.students.length - scorecards.length - notYet;
  const flagged = scorecards.filter((scorecard) => scorecard.integrity).length;
  // A total held for review is not a grade yet: the statistics leave it out, as the gradebook does.
  const counted = scorecards.filter((scorecard) => !scorecard.integrity?.heldForReview);
  const held = scorecards.length - counted.length;
  const totals = counted.map((scorecard) => scorecard.total.earned);
  const tallies = tallySteps(input.steps, scorecards);
  const summary = [
    `${input.students.length} students`,
    `${scorecards.length} graded`,
    ...(failed > 0 ? [`${failed} could not be graded`] : []),
    ...(notYet > 0 ? [`${notYet} not graded yet (interrupted)`] : []),
    ...(flagged > 0 ? [`${flagged} flagged`] : []),
    ...(held > 0 ? [`${held} held for review`] : []),
    ...(counted.length > 0 ? [`mean ${mean(totals).toFixed(2)}`, `median ${median(totals).toFixed(2)}`] : []),
  ].join(' · ');
  const body = [
    `<h1>${escapeHtml(input.lab)}: class overview</h1>`,
    `<p class="meta" id="class-summary">${escapeHtml(summary)}</p>`,
    '<h2>Score distribution</h2>',
    histogram(scoreBins(counted)),
    '<h2>Steps: who earned them</h2>',
    stepChart(tallies, scorecards.length),
    stepTable(tallies),
    '<h2>Who missed each step</h2>',
    whoMissed(input.steps, input.students),
    '<h2>Students</h2>',
    studentControls(),
    '<table id="students" class="students"><thead><tr><th data-sort="student">Student</th><th>Name</th><th class="num" data-sort="score">Total</th><th class="num">Bonus</th><th data-sort="status">Status</th></tr></thead>',
    `<tbody>${input.students.map(studentRow).join('\n')}</tbody></table>`,
    '<h2>Integrity</h2>',
    integritySection(input.students),
  ].join('\n');
  return htmlPage(`${input.lab}: class overview (${input.students.length} students)`, body, OVERVIEW_CSS, TABLE_SCRIPT);
}
