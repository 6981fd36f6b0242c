// The report formats: one entry each in a name → reporter map, all reading the same Scorecard.
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { makeWritableFolder, writeFileAtomically } from '../files.js';
import type { Scorecard } from '../grade/scorecard.js';
import { classroomReporter } from './classroom.js';
import { consoleReporter } from './console.js';
import { gradescopeReporter } from './gradescope.js';
import { htmlReporter } from './html.js';
import { jsonReporter } from './json.js';
import { junitReporter } from './junit.js';
import { markdownReporter } from './markdown.js';
import { safeScorecard, type SafeScorecard } from './safe-text.js';
import type { Reporter, ReportOptions } from './steps.js';

export type { ManualPoints, Reporter, ReportOptions } from './steps.js';

export const FORMATS = ['console', 'json', 'junit', 'markdown', 'gradescope', 'classroom', 'html'] as const;
export type ReportFormat = (typeof FORMATS)[number];

/** Typed by FORMATS, so a format cannot be listed without its reporter, nor the reverse. */
export const REPORTERS: Record<ReportFormat, Reporter> = {
  console: consoleReporter,
  json: jsonReporter,
  junit: junitReporter,
  markdown: markdownReporter,
  gradescope: gradescopeReporter,
  classroom: classroomReporter,
  html: htmlReporter,
};

export interface WrittenReport {
  format: ReportFormat;
  /** Where the report was written, for formats with a file. */
  file?: string;
  /** The report itself, for formats printed on stdout (console). */
  text?: string;
}

function isFormat(name: string): name is ReportFormat {
  return (FORMATS as readonly string[]).includes(name);
}

/** `--format console,json` → the formats, in order, without duplicates; an unknown name is a UsageError. */
export function parseFormats(list: string): ReportFormat[] {
  const names = list
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
  if (names.length === 0) throw new UsageError(`--format needs at least one format; valid formats: ${FORMATS.join(', ')}.`);
  const unknown = names.filter((name) => !isFormat(name));
  if (unknown.length > 0) {
    const what = unknown.length === 1 ? 'format' : 'formats';
    throw new UsageError(`Unknown report ${what} ${unknown.map((name) => `"${name}"`).join(', ')}; valid formats: ${FORMATS.join(', ')}.`);
  }
  return [...new Set(names as ReportFormat[])];
}

export function renderReport(scorecard: Scorecard, format: ReportFormat, options: ReportOptions = {}): string {
  return REPORTERS[format].render(safeScorecard(scorecard), options);
}

export interface RenderedReport {
  format: ReportFormat;
  /** The reporter's file name (`report.html`); none for console. */
  file?: string;
  text: string;
}

/** Renders every format from one safe copy of the scorecard (a copy is made per call, not per format). */
export function renderReports(scorecard: Scorecard, formats: readonly ReportFormat[], options: ReportOptions = {}): RenderedReport[] {
  return renderSafeReports(safeScorecard(scorecard), formats, options);
}

/** Renders every format from a scorecard already made safe (safeScorecard, or makeScorecardSafe for one the caller owns). */
export function renderSafeReports(safe: SafeScorecard, formats: readonly ReportFormat[], options: ReportOptions = {}): RenderedReport[] {
  return formats.map((format) => {
    const reporter = REPORTERS[format];
    return { format, ...(reporter.file === undefined ? {} : { file: reporter.file }), text: reporter.render(safe, options) };
  });
}

/**
 * Renders every requested format: file formats are written under `outDir` (created if
 * missing), console is returned as text for the caller to print.
 */
export async function writeReports(
  scorecard: Scorecard,
  formats: readonly ReportFormat[],
  outDir: string,
  options: ReportOptions = {},
): Promise<WrittenReport[]> {
  const reports: WrittenReport[] = [];
  const needsDir = formats.some((format) => REPORTERS[format].file !== undefined);
  if (needsDir) await makeWritableFolder(outDir);
  for (const { format, file: name, text } of renderReports(scorecard, formats, options)) {
    if (name === undefined) {
      reports.push({ format, text });
      continue;
    }
    const file = join(outDir, name);
    await writeFileAtomically(file, text);
    reports.push({ format, file });
  }
  return reports;
}
