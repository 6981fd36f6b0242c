// Times whole processes from outside, as a person running the command sees them: wall time, and
// the CPU time of the process and its children (Linux: from /proc/self/stat after the wait).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';

export interface Timed {
  wallMs: number;
  /** User + system CPU of the finished child and its children; null off Linux. */
  cpuMs: number | null;
  /** Of cpuMs, the time in the kernel (system calls: files, threads, pipes); null off Linux. */
  systemMs: number | null;
  /** The child's peak resident memory (VmHWM, read every 10 ms while it runs); null off Linux. */
  peakRssMiB: number | null;
  code: number | null;
  stdout: string;
  stderr: string;
}

/** CPU time of this process's waited-for children, user and system, in ms (clock ticks of 10 ms). */
function childrenCpuMs(): { user: number; system: number } | null {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After the command name: field 16 (cutime) and 17 (cstime) are at offsets 13 and 14.
    return { user: Number(fields[13]) * 10, system: Number(fields[14]) * 10 };
  } catch {
    return null;
  }
}

/** The peak resident memory so far of a running process, in MiB; null when unreadable. */
function peakRss(pid: number | undefined): number | null {
  try {
    const kib = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kib === undefined ? null : Number(kib) / 1024;
  } catch {
    return null;
  }
}

/** Runs one command to its end; processes are timed one at a time so their CPU is told apart. */
export function timeProcess(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const cpuBefore = childrenCpuMs();
    const started = performance.now();
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    let peakRssMiB: number | null = null;
    const sample = setInterval(() => {
      const now = peakRss(child.pid);
      if (now !== null) peakRssMiB = Math.max(peakRssMiB ?? 0, now);
    }, 10);
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(sample);
      const wallMs = performance.now() - started;
      const cpuAfter = childrenCpuMs();
      const known = cpuBefore !== null && cpuAfter !== null;
      const systemMs = known ? cpuAfter.system - cpuBefore.system : null;
      const cpuMs = known ? cpuAfter.user - cpuBefore.user + systemMs! : null;
      resolve({ wallMs, cpuMs, systemMs, peakRssMiB, code, stdout, stderr });
    });
  });
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The machine's load, printed with every figure: wall times on a shared machine depend on it. */
export function loadLine(): string {
  return `load average ${loadavg()
    .map((load) => load.toFixed(2))
    .join(' ')} (1, 5, 15 min)`;
}

/**
 * Runs each command from a small node process of its own, all at once, and gives each one's
 * wall time and CPU (the waiting process reads its child's from its own /proc/self/stat, so
 * commands running together are still told apart). Two builds timed at once share the
 * machine's drift: on a shared machine their ratio holds where each figure swings by a fifth.
 * Linux only: elsewhere cpuMs is null.
 */
export function timeProcessesAtOnce(commands: { command: string; args: string[]; cwd?: string; env?: NodeJS.ProcessEnv }[]): Promise<Timed[]> {
  // The waiting process reads its child's CPU with childrenCpuMs itself (its source, as this module runs it).
  const waiter = `
const { spawnSync } = require('node:child_process');
const { readFileSync } = require('node:fs');
${childrenCpuMs.toString()}
const [command, ...args] = process.argv.slice(1);
const run = spawnSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
process.stdout.write(JSON.stringify({ status: run.status, cpu: childrenCpuMs(), stderr: String(run.stderr ?? '') }));
`;
  return Promise.all(
    commands.map(async ({ command, args, cwd, env }) => {
      const timed = await timeProcess(process.execPath, ['-e', waiter, command, ...args], { ...(cwd === undefined ? {} : { cwd }), ...(env === undefined ? {} : { env }) });
      const reported = JSON.parse(timed.stdout) as { status: number | null; cpu: { user: number; system: number } | null; stderr: string };
      return {
        ...timed,
        // The waiting process's own memory, not the command's: not reported.
        peakRssMiB: null,
        code: reported.status,
        cpuMs: reported.cpu === null ? null : reported.cpu.user + reported.cpu.system,
        systemMs: reported.cpu?.system ?? null,
        stdout: '',
        stderr: reported.stderr,
      };
    }),
  );
}
