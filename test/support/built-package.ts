// vitest's global setup: the published package, built from the current sources by
// scripts/bundle.mjs into a bare folder (package.json, rubric.yaml, policy/, examples/ and
// dist/bin, no node_modules), as npm installs it. Every test that runs the CLI as a process
// runs this bin: what is tested is what users run, and a start reads a few files instead of
// compiling the sources with tsx each time.
//
// The folder is named by the SHA-256 of everything the build reads (the sources, the
// lockfile, the shipped files), so a test never runs a stale bin and a run with nothing
// changed, or another checkout of the same commit, reuses the last build.
import { createHash } from 'node:crypto';
import { cp, mkdir, mkdtemp, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { bundle } from '../../scripts/bundle.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The build for this run: `package/` (the installed package) and `metafile.json` (see test/support/cli.ts). */
    builtPackage: string;
  }
}

const root = fileURLToPath(new URL('../../', import.meta.url));
const CACHE = join(tmpdir(), 'lab-grader-test-build');
/** The package's files beside dist/bin (package.json's `files`, without the tsc output the bin does not read). */
const SHIPPED = ['package.json', 'rubric.yaml', 'policy', 'examples'];
/** What else the bundle reads: the sources it bundles, the dependencies' versions, the build script and this setup. */
const INPUTS = [...SHIPPED, 'src', 'checks', 'package-lock.json', 'scripts/bundle.mjs', 'test/support/built-package.ts'];
const DAY_MS = 24 * 60 * 60 * 1000;

async function* files(path: string): AsyncGenerator<string> {
  const info = await stat(path);
  if (!info.isDirectory()) return yield path;
  for (const entry of (await readdir(path)).sort()) yield* files(join(path, entry));
}

async function inputsHash(): Promise<string> {
  const hash = createHash('sha256');
  for (const input of INPUTS) {
    for await (const file of files(join(root, input))) hash.update(`${relative(root, file)}\0`).update(await readFile(file)).update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

export default async function setup(project: TestProject): Promise<void> {
  const dir = join(CACHE, await inputsHash());
  const built = await stat(join(dir, 'metafile.json')).then(
    () => true,
    () => false,
  );
  if (!built) {
    await mkdir(CACHE, { recursive: true });
    const staging = await mkdtemp(join(CACHE, 'building-'));
    const pkg = join(staging, 'package');
    await Promise.all(SHIPPED.map((file) => cp(join(root, file), join(pkg, file), { recursive: true })));
    const metafile = await bundle(join(pkg, 'dist/bin'));
    // esbuild names outputs from the repository root; they are kept relative to the build's folder,
    // which checkouts at other depths share (test/support/cli.ts names them from each one's root).
    await writeFile(join(staging, 'metafile.json'), JSON.stringify(metafile).replaceAll(`${relative(root, staging)}/`, ''));
    // Another run that built the same sources first renamed its copy into place: it is as good as ours.
    await rename(staging, dir).catch(() => rm(staging, { recursive: true, force: true }));
  } else {
    // Used again: kept a day from now.
    const now = new Date();
    await utimes(dir, now, now);
  }
  // Builds of other sources, and leftovers of interrupted builds, a day after they were made.
  for (const entry of await readdir(CACHE)) {
    const path = join(CACHE, entry);
    if (path !== dir && Date.now() - (await stat(path)).mtimeMs > DAY_MS) await rm(path, { recursive: true, force: true });
  }
  project.provide('builtPackage', dir);
}
