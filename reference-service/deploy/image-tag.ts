// The default image tag: a hash of what the image is built from, so an unchanged deploy
// (on any day, from any clone) finds its image and its task definition and changes nothing.
import { createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';

/** The build context Dockerfile.dockerignore lets through, and the Dockerfile itself. */
const CONTEXT_FILES = ['package.json', 'package-lock.json', 'reference-service/package.json', 'reference-service/tsconfig.json', 'reference-service/Dockerfile'];
const CONTEXT_FOLDER = 'reference-service/src';

async function sourceFiles(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile() && !entry.name.endsWith('.test.ts')).map((entry) => join(entry.parentPath, entry.name));
}

/** `src-` and the first 12 hex digits of the SHA-256 over every context file's path and bytes. */
export async function sourceTag(repoRoot: string): Promise<string> {
  const files = [...CONTEXT_FILES.map((file) => join(repoRoot, file)), ...(await sourceFiles(join(repoRoot, CONTEXT_FOLDER)))];
  const paths = files.map((file) => relative(repoRoot, file).split('\\').join('/')).sort();
  const hash = createHash('sha256');
  for (const path of paths) hash.update(`${path}\0`).update(await readFile(join(repoRoot, path))).update('\0');
  return `src-${hash.digest('hex').slice(0, 12)}`;
}
