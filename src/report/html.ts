// One self-contained HTML page per student: the checklist with points, evidence and hints,
// the resolver's choices and the cost notice. Inline CSS only (no script, font, image or
// network request), so it opens anywhere and prints as the lab's "documenting" evidence.
import { createHash } from 'node:crypto';
import { neutralizeControls } from './safe-text.js';
import { costNoticeLines, type CostNotice } from '../cost/estimate.js';
import type { Choice } from '../resolve/lab.js';
import type { Scorecard, StepResult, StepStatus } from '../grade/scorecard.js';
import {
  formatPoints,
  formatScore,
  labElsewhereNotice,
  profilesText,
  stepCauses,
  stepEvidence,
  stepGroups,
  stepHints,
  stepNotes,
  STATUS_WORDS,
  statusText,
  integrityFlags,
  integrityHeadline,
  targetLine,
  totalLine,
  heldPoints,
  type Reporter,
  type ReportOptions,
} from './steps.js';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const SPECIAL = /[&<>"']/;
const SPECIALS = /[&<>"']/g;

/** Text safe in element content and quoted attributes. */
export function escapeHtml(text: string): string {
  const shown = neutralizeControls(text);
  // Most of a page's strings hold none of the five: tested first, they skip the replace and its callback.
  return SPECIAL.test(shown) ? shown.replace(SPECIALS, (character) => ENTITIES[character]!) : shown;
}

/** Colours carry the status on screen; the word carries it on paper. */
export const STATUS_COLORS: Record<StepStatus, string> = {
  pass: '#1a7f37',
  partial: '#b35900',
  fail: '#c62828',
  unearned: '#8c959f',
  error: '#6a3fb5',
  skip: '#6b7280',
  manual: '#0b63b6',
};

const BASE_CSS = `
*{box-sizing:border-box}
body{margin:0 auto;max-width:1100px;padding:24px;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#1f2328;background:#fff}
h1{font-size:1.6em;margin:0 0 4px}h2{font-size:1.2em;margin:28px 0 8px;padding-bottom:4px;border-bottom:2px solid #d0d7de}
.meta{color:#57606a;margin:2px 0}.total{font-size:2.2em;font-weight:700;margin:10px 0 0}
table{width:100%;border-collapse:collapse;margin:6px 0}th,td{text-align:left;vertical-align:top;padding:6px 8px;border-bottom:1px solid #d8dee4}
th{background:#f6f8fa;font-weight:600}td.num,th.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;color:#fff;font-size:.85em;font-weight:600;white-space:nowrap}
ul{margin:4px 0;padding-left:20px}li{margin:1px 0}.hint{margin:4px 0;color:#7a3e00}.cause{margin:4px 0;color:#4c2889}
.evidence{color:#424a53;font-size:.92em}.note{color:#57606a;font-size:.92em}code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em;overflow-wrap:anywhere}
.counts span{margin-right:14px}.cost{border:1px solid #d0d7de;border-radius:6px;padding:8px 14px;background:#fffbea}
footer{margin-top:32px;color:#57606a;font-size:.85em}a{color:#0b63b6}
@media print{body{max-width:none;padding:0;font-size:11pt}h2{break-after:avoid}tr{break-inside:avoid}.badge{border:1px solid #000;color:#000!important;background:none!important}a{color:inherit;text-decoration:none}.cost{background:none}}
@page{margin:14mm}
`;

/** The page shell both pages share: a title, the inline stylesheet, the body and, for the class overview, one inline script. */
export function htmlPage(title: string, body: string, extraCss = '', script?: string): string {
  // The policy allows exactly this script by its hash; the page works without it.
  const scriptSource = script === undefined ? '' : `; script-src 'sha256-${createHash('sha256').update(script).digest('base64')}'`;
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // Forbids every fetch, so the page provably uses nothing but itself.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:${scriptSource}">`,
    `<title>${escapeHtml(title)}</title>`,
    `<style>${BASE_CSS}${extraCss}</style>`,
    '</head>',
    `<body>\n${body}${script === undefined ? '' : `\n<script>${script}</script>`}\n</body>`,
    '</html>',
    '',
  ].join('\n');
}

export function statusBadge(status: StepStatus, words: string = STATUS_WORDS[status]): string {
  return `<span class="badge status-${status}" style="background:${STATUS_COLORS[status]}">${escapeHtml(words)}</span>`;
}

function list(className: string, items: string[]): string {
  if (items.length === 0) return '';
  return `<ul class="${className}">${items.map((item) => `<li>${escapeHtml(item)}</li>`).join('')}</ul>`;
}

function paragraphs(className: string, label: string, items: string[]): string {
  return items.map((item) => `<p class="${className}"><strong>${label}</strong> ${escapeHtml(item)}</p>`).join('');
}

function stepRow(step: StepResult): string {
  const details = [
    paragraphs('cause', 'Cause:', stepCauses(step)),
    paragraphs('hint', step.status === 'manual' ? 'Review:' : 'Hint:', stepHints(step)),
    list('evidence', stepEvidence(step)),
    list('note', stepNotes(step).map((note) => `Note: ${note}`)),
  ].join('');
  return [
    `<tr class="step" id="step-${escapeHtml(step.id)}" data-status="${step.status}">`,
    `<td class="mono">${escapeHtml(step.id)}</td>`,
    `<td><strong>${escapeHtml(step.title)}</strong>${details}</td>`,
    `<td>${statusBadge(step.status, statusText(step))}</td>`,
    `<td class="num">${formatScore(step.points)}</td>`,
    '</tr>',
  ].join('');
}

function choicesTable(choices: Choice[]): string {
  if (choices.length === 0) return '';
  const rows = choices.map(
    (choice) =>
      `<tr><td>${escapeHtml(choice.resource)}</td><td class="mono">${escapeHtml(choice.chosen ?? 'none found')}</td><td class="num">${choice.candidates}</td><td>${escapeHtml(choice.why)}</td></tr>`,
  );
  return [
    '<h2>What the grader took to be the lab</h2>',
    '<table class="choices"><thead><tr><th>Resource</th><th>Chosen</th><th class="num">Candidates</th><th>Why</th></tr></thead>',
    `<tbody>${rows.join('')}</tbody></table>`,
  ].join('\n');
}

function costSection(cost: CostNotice): string {
  const [head, ...rest] = costNoticeLines(cost);
  return [
    '<h2>Running cost</h2>',
    '<div class="cost">',
    `<p>${escapeHtml(head ?? '')}</p>`,
    list('cost-lines', rest.map((line) => line.replace(/^- /, ''))),
    `<p><strong>Tear down when you are done.</strong></p>`,
    `<ol class="teardown">${cost.teardown.map((step) => `<li>${escapeHtml(step)}</li>`).join('')}</ol>`,
    '</div>',
  ].join('\n');
}

const INTEGRITY_CSS = '.integrity{border:2px solid #c62828;border-radius:6px;padding:4px 14px;margin-top:12px}';
const ELSEWHERE_CSS = '.elsewhere{border:2px solid #b26a00;border-radius:6px;padding:8px 14px;margin:12px 0;background:#fff4e0}';

/** The graded region holds none of the lab: said before anything else of the report. */
function elsewhereNotice(scorecard: Scorecard): string {
  const notice = labElsewhereNotice(scorecard);
  if (!notice) return '';
  return `<p class="elsewhere" id="lab-elsewhere"><strong>${escapeHtml(notice.headline)}</strong> ${escapeHtml(notice.detail)} ${escapeHtml(notice.command)}</p>`;
}

function integritySection(scorecard: Scorecard): string {
  const headline = integrityHeadline(scorecard);
  if (!headline) return '';
  const flags = integrityFlags(scorecard).map((flag) => `<li><strong>${escapeHtml(flag.title)}</strong>${list('evidence', flag.evidence)}</li>`);
  return `<section class="integrity" id="integrity"><h2>Integrity</h2><p><strong>${escapeHtml(headline)}</strong></p><ul class="flags">${flags.join('')}</ul></section>`;
}

function render(scorecard: Scorecard, options: ReportOptions): string {
  const { subject, total, bonusPoints, counts } = scorecard;
  const held = heldPoints(scorecard);
  const title = `${scorecard.lab}: ${held ? 'held for review' : `${formatPoints(total.earned)} / ${formatPoints(total.max)}`} (${subject.account})`;
  const countLine = (Object.keys(counts) as StepStatus[])
    .filter((status) => counts[status] > 0)
    .map((status) => `<span>${statusBadge(status)} ${counts[status]}</span>`)
    .join('');
  const sections = stepGroups(scorecard).map((group) => {
    const heading = group.id === 'bonus' ? group.title : `${group.id}. ${group.title}`;
    return [
      `<h2 id="section-${escapeHtml(group.id)}">${escapeHtml(heading)} <span class="meta">(${formatScore(group.points)})</span></h2>`,
      '<table class="steps"><thead><tr><th>Step</th><th>What the lab asks, and what the grader saw</th><th>Status</th><th class="num">Points</th></tr></thead>',
      `<tbody>${group.steps.map(stepRow).join('\n')}</tbody></table>`,
    ].join('\n');
  });
  const body = [
    '<header>',
    `<h1>${escapeHtml(scorecard.lab)}</h1>`,
    elsewhereNotice(scorecard),
    ...(held
      ? [
          `<p class="total" id="total">Held for review: ${formatPoints(held.total.earned)} / ${formatPoints(held.total.max)} points</p>`,
          `<p class="meta">Bonus ${formatPoints(held.bonusPoints.earned)} / ${formatPoints(held.bonusPoints.max)} · not counted until a person decides</p>`,
        ]
      : [
          `<p class="total" id="total">${formatPoints(total.earned)} / ${formatPoints(total.max)} points</p>`,
          `<p class="meta">Bonus ${formatPoints(bonusPoints.earned)} / ${formatPoints(bonusPoints.max)}</p>`,
        ]),
    `<p class="meta">Account <span class="mono">${escapeHtml(subject.account)}</span> · ${escapeHtml(subject.region)} · ${escapeHtml(profilesText(scorecard, options))} · collected ${escapeHtml(subject.collectedAt)}</p>`,
    `<p class="meta">Caller <span class="mono">${escapeHtml(subject.caller)}</span></p>`,
    `<p class="meta">${escapeHtml(targetLine(scorecard))}</p>`,
    `<p class="counts">${countLine}</p>`,
    '</header>',
    integritySection(scorecard),
    ...sections,
    choicesTable(scorecard.choices),
    scorecard.cost ? costSection(scorecard.cost) : '',
    `<footer><p>${escapeHtml(totalLine(scorecard))}</p><p>Graded by lab-grader with rubric <span class="mono">${escapeHtml(scorecard.rubric.file)}</span> (sha256 <span class="mono">${escapeHtml(scorecard.rubric.sha256.slice(0, 12))}</span>).</p></footer>`,
  ]
    .filter(Boolean)
    .join('\n');
  return htmlPage(title, body, `${scorecard.integrity ? INTEGRITY_CSS : ''}${scorecard.labElsewhere ? ELSEWHERE_CSS : ''}`);
}

export const htmlReporter: Reporter = { file: 'report.html', render };
