// A one-line progress display for collection on a terminal; nothing in CI or when piped.
export interface ProgressEvent {
  done: number;
  total: number;
  label: string;
}

/** The stage after collection: each probe of the load balancer as it ends. */
export interface ProbeProgress {
  /** Probes ended so far. */
  done: number;
  /** `GET /health 200` or `GET /health ECONNREFUSED`. */
  label: string;
}

export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

export interface ProgressDisplay {
  /** Pass as `onProgress` to collectSnapshot. */
  onProgress(event: ProgressEvent): void;
  /** The probing stage, which follows collection. */
  onProbe(event: ProbeProgress): void;
  /** Clears the line, so the reports start on a clean one. */
  finish(): void;
}

/**
 * The display for `stream` (stderr by default), or undefined when it should stay quiet:
 * not a terminal, or CI set (GitHub Actions, GitLab CI and most others set CI=true).
 */
export function progressDisplay(
  stream: ProgressStream = process.stderr,
  env: NodeJS.ProcessEnv = process.env,
): ProgressDisplay | undefined {
  if (!stream.isTTY || (env.CI !== undefined && env.CI !== '' && env.CI !== 'false')) return undefined;
  let shown = false;
  const show = (line: string): void => {
    const width = Math.max(20, (stream.columns ?? 80) - 1);
    stream.write(`\r\x1b[2K${line.length > width ? `${line.slice(0, width - 1)}…` : line}`);
    shown = true;
  };
  return {
    onProgress: (event) => show(`collecting ${event.done}/${event.total} ${event.label}`),
    onProbe: (event) => show(`probing the load balancer: ${event.done} request${event.done === 1 ? '' : 's'} done, last ${event.label}`),
    finish() {
      if (shown) stream.write('\r\x1b[2K');
      shown = false;
    },
  };
}
