// Writing output files so that a reader (or a crash) never leaves half a file behind, a
// symlink is written through rather than replaced, a device or folder is never replaced, and
// output folders fail at once when they cannot be written.
import { readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { lstat, mkdir, readdir, readlink, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { threadId } from 'node:worker_threads';
import { UsageError } from './errors.js';

/** Numbers temporary files, so two writes of one file in this process never share one. */
let temporaryFiles = 0;

/** Symlinks followed before a chain counts as a loop (Linux's own limit). */
const MAX_SYMLINKS = 40;

/** `report.html.1234.0.7.tmp`: the file, the writer's process and thread, and a counter. */
const TEMPORARY = /^(.*)\.(\d+)\.\d+\.\d+\.tmp$/;

function describeKind(stats: Awaited<ReturnType<typeof lstat>>): string {
  if (stats.isDirectory()) return 'a folder';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  if (stats.isFIFO()) return 'a pipe';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * The file a write to `file` should replace: the end of its symlink chain (which may not
 * exist yet). Anything there other than a regular file is refused.
 */
export async function writeTarget(file: string): Promise<string> {
  let current = resolve(file);
  for (let hops = 0; hops <= MAX_SYMLINKS; hops += 1) {
    let stats;
    try {
      stats = await lstat(current);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return current;
      throw error;
    }
    if (stats.isSymbolicLink()) {
      current = resolve(dirname(current), await readlink(current));
      continue;
    }
    if (!stats.isFile()) {
      throw new UsageError(`${file} is ${describeKind(stats)}; lab-grader only writes regular files: choose another path`);
    }
    return current;
  }
  throw new UsageError(`${file}: more than ${MAX_SYMLINKS} symbolic links in a row (a loop?): choose another path`);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether the folder entry `entry` is a temporary file (of the file `of`, when given) whose writer died mid-write (a crash, SIGKILL). */
function leftByDeadWriter(entry: string, of?: string): boolean {
  const match = TEMPORARY.exec(entry);
  if (!match || (of !== undefined && match[1] !== of)) return false;
  const pid = Number(match[2]);
  return pid !== process.pid && !processAlive(pid);
}

/** Removes temporary files of `target` left by writers that died mid-write. */
async function removeLeftovers(target: string): Promise<void> {
  const name = basename(target);
  let entries: string[];
  try {
    entries = await readdir(dirname(target));
  } catch {
    return;
  }
  for (const entry of entries) if (leftByDeadWriter(entry, name)) await rm(join(dirname(target), entry), { force: true });
}

/** A new temporary file's name beside `target` (see TEMPORARY). */
function temporaryFor(target: string): string {
  temporaryFiles += 1;
  // Batch grading writes from worker threads that share the process id.
  return `${target}.${process.pid}.${threadId}.${temporaryFiles}.tmp`;
}

/** Writes through a temporary file in the target's folder, then renames it into place. */
export async function writeFileAtomically(file: string, text: string): Promise<void> {
  const target = await writeTarget(file);
  await removeLeftovers(target);
  const temporary = temporaryFor(target);
  try {
    await writeFile(temporary, text, { encoding: 'utf8', flag: 'wx' });
    await rename(temporary, target);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** Files of one folder written and removed by name, as writeFileAtomically and `rm -f` would. */
export interface FolderWriter {
  write(name: string, text: string): Promise<void>;
  /** Removes the file when it is there. */
  remove(name: string): Promise<void>;
}

/**
 * A writer for several files of the existing folder `dir` (a batch writes three per student):
 * the folder is listed once, instead of a look at each file and its folder per write, and what
 * the listing shows decides: a name that is absent or a regular file is replaced at once, a
 * symlink is written through and anything else refused (writeTarget); the temporary files of
 * dead writers are removed. Its own files are written with the synchronous calls, which cost a
 * fifth of the CPU of the promise ones per file (a batch's grading threads wait for nothing else).
 */
export async function folderWriter(dir: string): Promise<FolderWriter> {
  const listed = new Map(readdirSync(dir, { withFileTypes: true }).map((entry) => [entry.name, entry.isFile()]));
  for (const name of listed.keys()) if (leftByDeadWriter(name)) rmSync(join(dir, name), { force: true });
  return {
    async write(name, text) {
      const path = join(dir, name);
      const target = (listed.get(name) ?? true) ? path : await writeTarget(path);
      const temporary = temporaryFor(target);
      try {
        writeFileSync(temporary, text, { encoding: 'utf8', flag: 'wx' });
        renameSync(temporary, target);
      } catch (error) {
        rmSync(temporary, { force: true });
        throw error;
      }
      listed.set(name, true);
    },
    async remove(name) {
      if (!listed.has(name)) return;
      rmSync(join(dir, name), { force: true });
      listed.delete(name);
    },
  };
}

/**
 * Removes `dir` when nothing is left in it but temporary files of this process's writers (a
 * grading thread stopped mid-write), so an interrupted batch leaves no empty student folder.
 */
export async function removeIfEmpty(dir: string): Promise<void> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch {
    return;
  }
  const ours = (entry: string): boolean => TEMPORARY.exec(entry)?.[2] === String(process.pid);
  if (!entries.every(ours)) return;
  for (const entry of entries) await rm(join(dir, entry), { force: true });
  // rmdir fails on a folder a write filled meanwhile: then it is not empty, and stays.
  await rmdir(dir).catch(() => undefined);
}

/** What is at `path`: a folder, something else, or nothing. */
async function kindOf(path: string): Promise<'folder' | 'other' | 'none'> {
  try {
    return (await stat(path)).isDirectory() ? 'folder' : 'other';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'none';
    throw error;
  }
}

/**
 * Creates `dir` (and its missing parents) and proves it writable with a file created and
 * removed, so a folder that cannot hold the reports fails before any grading. Parents are
 * made one at a time: Node's recursive mkdir never returns inside /proc. Fails as `mkdir -p`
 * would: EEXIST when `dir` is a file, ENOTDIR when a parent is.
 */
export async function makeWritableFolder(dir: string): Promise<void> {
  const target = resolve(dir);
  const missing: string[] = [];
  for (let at = target; ; at = dirname(at)) {
    const kind = await kindOf(at);
    if (kind === 'folder') break;
    if (kind === 'other') throw Object.assign(new Error(`${at} is not a folder`), { code: at === target ? 'EEXIST' : 'ENOTDIR' });
    missing.unshift(at);
    if (dirname(at) === at) break;
  }
  for (const folder of missing) {
    await mkdir(folder).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    });
  }
  temporaryFiles += 1;
  const probe = join(target, `.lab-grader-write-check.${process.pid}.${threadId}.${temporaryFiles}`);
  try {
    await writeFile(probe, '', { flag: 'wx' });
  } finally {
    await rm(probe, { force: true }).catch(() => undefined);
  }
}

/**
 * Creates `dir` if needed and proves a file can be written in it, so a class batch pointed
 * at a file or a read-only folder stops before grading anyone (exit 2).
 */
export async function ensureWritableFolder(dir: string, flag: string): Promise<void> {
  await makeWritableFolder(dir).catch((error: unknown) => {
    throw new UsageError(`${flag} ${dir} cannot be written (${(error as NodeJS.ErrnoException).code ?? 'unwritable'}): choose a folder you can write to`);
  });
}
