// The checklist a student reads in a terminal: one line per step, the hint under every miss.
import { neutralizeControls } from './safe-text.js';
import { costNoticeLines, type CostNotice } from '../cost/estimate.js';
import type { Scorecard, StepResult, StepStatus } from '../grade/scorecard.js';
import {
  allSteps,
  formatPoints,
  formatScore,
  isMiss,
  labElsewhereNotice,
  profilesText,
  skipReason,
  stepCauses,
  stepGroups,
  stepHints,
  stepNotes,
  statusText,
  statusTally,
  integrityFlags,
  integrityHeadline,
  heldPoints,
  targetLine,
  type Reporter,
  type ReportOptions,
} from './steps.js';

/** The width when the caller names none: terminals of 100 columns show every line whole. */
export const CONSOLE_WIDTH = 100;

/** How wide lines may be and how to colour them, for every helper of one render. */
interface Layout {
  width: number;
  paint: Paint;
}

const SYMBOLS: Record<StepStatus, string> = {
  pass: '✔',
  fail: '✘',
  partial: '◐',
  unearned: '○',
  error: '!',
  skip: '–',
  manual: '?',
};

const ANSI = {
  green: '\u001b[32m',
  red: '\u001b[31m',
  yellow: '\u001b[33m',
  magenta: '\u001b[35m',
  cyan: '\u001b[36m',
  dim: '\u001b[2m',
  bold: '\u001b[1m',
  reset: '\u001b[0m',
} as const;

const STATUS_COLORS: Record<StepStatus, keyof typeof ANSI> = {
  pass: 'green',
  fail: 'red',
  partial: 'yellow',
  unearned: 'dim',
  error: 'magenta',
  skip: 'dim',
  manual: 'cyan',
};

type Paint = (text: string, color: keyof typeof ANSI) => string;

const STEP_INDENT = '  ';
const DETAIL_INDENT = '        ';
/** Step ids are at most five characters (`bonus`), so titles line up. */
const ID_WIDTH = 5;
/** Wide enough for `10.00/10.00`. */
const POINTS_WIDTH = 11;

/** Text as the terminal should show it: one line, controls and bidi characters made visible, never interpreted. */
export const printable = neutralizeControls;

/**
 * Breaks text into lines of at most `width` characters, splitting words longer than a line. A
 * line the text's own words would start with `::` starts `\::` instead: CI runners take a line
 * starting `::` (after spaces) as a workflow command, and a student's name may be one.
 */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (let word of printable(text).split(/\s+/).filter(Boolean)) {
    while (word.length > width) {
      if (line) lines.push(line);
      lines.push(word.slice(0, width));
      word = word.slice(width);
      line = '';
    }
    if (!line) line = word;
    else if (line.length + 1 + word.length <= width) line += ` ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line || lines.length === 0) lines.push(line);
  return lines.map((wrapped) => (wrapped.startsWith('::') ? `\\${wrapped}` : wrapped));
}

/** A labelled paragraph under a step, wrapped and indented so it stays inside the width. */
function detail(label: string, text: string, width: number): string[] {
  const available = width - DETAIL_INDENT.length - label.length;
  const continuation = DETAIL_INDENT + ' '.repeat(label.length);
  return wrap(text, available).map((line, index) => (index === 0 ? DETAIL_INDENT + label : continuation) + line);
}

/** `  ✔ 4.1    Create a new VPC ......... 0.50/0.50`, the title wrapped when it is too long. */
function row(prefix: string, title: string, score: string, paint: Paint, color: keyof typeof ANSI, width: number): string[] {
  const titleWidth = width - prefix.length - POINTS_WIDTH - 1;
  const titleLines = wrap(title, titleWidth);
  const last = titleLines.length - 1;
  return titleLines.map((line, index) => {
    const lead = index === 0 ? prefix : ' '.repeat(prefix.length);
    if (index !== last) return lead + line;
    return lead + line.padEnd(titleWidth + 1) + paint(score.padStart(POINTS_WIDTH), color);
  });
}

function stepLines(step: StepResult, profile: string, { width, paint }: Layout): string[] {
  const color = STATUS_COLORS[step.status];
  const prefix = `${STEP_INDENT}${SYMBOLS[step.status]} ${step.id.padEnd(ID_WIDTH)}  `;
  const lines = row(prefix, step.title, formatScore(step.points), paint, color, width).map((line, index) =>
    // Only the symbol is coloured on the first line, so the points keep their own colour.
    index === 0 ? line.replace(SYMBOLS[step.status], paint(SYMBOLS[step.status], color)) : line,
  );
  if (step.status === 'skip') {
    lines.push(...detail('', skipReason(step, profile), width).map((line) => paint(line, 'dim')));
    return lines;
  }
  if (step.status === 'manual') lines.push(...detail('', `${statusText(step)}; a person judges the rest`, width));
  if (isMiss(step)) {
    for (const cause of stepCauses(step)) lines.push(...detail('cause: ', cause, width));
    const label = step.status === 'manual' ? 'review: ' : 'hint: ';
    for (const hint of stepHints(step)) lines.push(...detail(label, hint, width));
  }
  for (const note of stepNotes(step)) lines.push(...detail('note: ', note, width).map((line) => paint(line, 'dim')));
  return lines;
}

/** What the resources seen running cost per hour, and how to stop paying. */
function costLines(notice: CostNotice, { width, paint }: Layout): string[] {
  const lines = ['', paint('Cost while left running', 'bold')];
  for (const line of costNoticeLines(notice)) {
    const bullet = line.startsWith('- ');
    lines.push(...wrap(bullet ? line.slice(2) : line, width - 2).map((text, index) => (bullet ? (index === 0 ? '- ' : '  ') : '') + text));
  }
  if (notice.teardown.length > 0) lines.push('To stop paying:');
  for (const step of notice.teardown) {
    lines.push(...wrap(step, width - 2).map((text, index) => (index === 0 ? '- ' : '  ') + text));
  }
  return lines;
}

function render(scorecard: Scorecard, options: ReportOptions): string {
  const paint: Paint = options.color ? (text, color) => `${ANSI[color]}${text}${ANSI.reset}` : (text) => text;
  const width = options.width ?? CONSOLE_WIDTH;
  const layout: Layout = { width, paint };
  const { subject } = scorecard;
  const elsewhere = labElsewhereNotice(scorecard);
  const lines: string[] = [
    ...(elsewhere === undefined
      ? []
      : [...wrap(elsewhere.headline, width).map((line) => paint(line, 'bold')), ...wrap(`${elsewhere.detail} ${elsewhere.command}`, width), '']),
    paint(printable(scorecard.lab), 'bold'),
    ...wrap(
      `Account ${subject.account} · ${subject.region} · ${profilesText(scorecard, options)} · collected ${subject.collectedAt}`,
      width,
    ),
    ...wrap(targetLine(scorecard), width),
  ];
  const headline = integrityHeadline(scorecard);
  if (headline) {
    lines.push('', ...wrap(headline, width).map((line) => paint(line, 'bold')));
    for (const flag of integrityFlags(scorecard)) {
      lines.push(...wrap(flag.title, width - 2).map((text, index) => (index === 0 ? '- ' : '  ') + text));
      for (const line of flag.evidence) lines.push(...wrap(line, width - 4).map((text) => `    ${text}`));
    }
  }
  for (const group of stepGroups(scorecard)) {
    const steps = options.missesOnly ? group.steps.filter(isMiss) : group.steps;
    if (steps.length === 0) continue;
    lines.push('');
    const heading = group.id === 'bonus' ? group.title : `${group.id}. ${group.title}`;
    lines.push(...row('', heading, formatScore(group.points), (text) => text, 'bold', width).map((line) => paint(line, 'bold')));
    for (const step of steps) lines.push(...stepLines(step, scorecard.profile, layout));
  }
  const tally = statusTally(allSteps(scorecard)).join(' · ');
  const held = heldPoints(scorecard);
  const shown = held ?? scorecard;
  lines.push(
    '',
    paint(`${held ? 'Held for review (not counted):' : 'Total'} ${formatPoints(shown.total.earned)} / ${formatPoints(shown.total.max)}`, 'bold') +
      `   Bonus ${formatPoints(shown.bonusPoints.earned)} / ${formatPoints(shown.bonusPoints.max)}`,
    ...wrap(`Steps: ${tally}`, width),
  );
  if (scorecard.cost && !options.missesOnly) lines.push(...costLines(scorecard.cost, layout));
  if (elsewhere !== undefined) lines.push('', ...[elsewhere.headline, elsewhere.command].flatMap((text) => wrap(text, width)).map((line) => paint(line, 'bold')));
  return `${lines.join('\n')}\n`;
}

export const consoleReporter: Reporter = { render };
