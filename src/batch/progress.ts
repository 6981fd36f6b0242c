// The batch's progress bar on a terminal (stderr); nothing in CI or when piped.
import type { BatchProgress } from './runner.js';

export interface BarStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

export interface ProgressBar {
  onProgress(progress: BatchProgress): void;
  /** Clears the bar so the summary starts on a clean line. */
  finish(): void;
}

const WIDTH = 24;

/** `[██████░░░░░░] 12/50 · 1 error · 3 skipped · s0012` */
export function barLine(progress: BatchProgress): string {
  const filled = progress.total === 0 ? WIDTH : Math.round((progress.done / progress.total) * WIDTH);
  const parts = [`[${'█'.repeat(filled)}${'░'.repeat(WIDTH - filled)}] ${progress.done}/${progress.total}`];
  if (progress.failed > 0) parts.push(`${progress.failed} error${progress.failed === 1 ? '' : 's'}`);
  if (progress.skipped > 0) parts.push(`${progress.skipped} skipped`);
  parts.push(progress.student);
  return parts.join(' · ');
}

export function progressBar(stream: BarStream = process.stderr, env: NodeJS.ProcessEnv = process.env): ProgressBar | undefined {
  if (!stream.isTTY || (env.CI !== undefined && env.CI !== '' && env.CI !== 'false')) return undefined;
  let shown = false;
  return {
    onProgress(progress) {
      const width = Math.max(20, (stream.columns ?? 80) - 1);
      const line = barLine(progress);
      stream.write(`\r\x1b[2K${line.length > width ? `${line.slice(0, width - 1)}…` : line}`);
      shown = true;
    },
    finish() {
      if (shown) stream.write('\r\x1b[2K');
      shown = false;
    },
  };
}
