// Files shipped with lab-grader, found relative to this module so the CLI works from any folder.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root: the nearest folder above this module holding package.json and rubric.yaml. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'rubric.yaml'))) return dir;
    const parent = dirname(dir);
    // Only a broken installation gets here: rubric.yaml is in the package's `files`.
    if (parent === dir) throw new Error(`rubric.yaml not found above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

/** The rubric to use: the one given, or the bundled one (named `rubric.yaml` in reports). */
export function rubricLocation(given: string | undefined): { path: string; name: string } {
  return given === undefined ? { path: join(packageRoot(), 'rubric.yaml'), name: 'rubric.yaml' } : { path: given, name: given };
}
