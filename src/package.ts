// lab-grader's own package: where its shipped files are, and its version, read from the one
// package.json so a snapshot, `--version` and the release never disagree.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/** The package root: the nearest folder above this module holding package.json and rubric.yaml (found once). */
export function packageRoot(): string {
  if (root !== undefined) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'rubric.yaml'))) return (root = dir);
    const parent = dirname(dir);
    // Only a broken installation gets here: rubric.yaml is in the package's `files`.
    if (parent === dir) throw new Error(`rubric.yaml not found above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

let version: string | undefined;

/** The `version` of lab-grader's package.json (read once). */
export function packageVersion(): string {
  version ??= (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
  return version;
}
