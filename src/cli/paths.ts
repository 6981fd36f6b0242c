// Files shipped with lab-grader, found relative to this module so the CLI works from any folder.
import { join } from 'node:path';
import { packageRoot } from '../package.js';

export { packageRoot } from '../package.js';

/** The rubric to use: the one given, or the bundled one (named `rubric.yaml` in reports). */
export function rubricLocation(given: string | undefined): { path: string; name: string } {
  return given === undefined ? { path: join(packageRoot(), 'rubric.yaml'), name: 'rubric.yaml' } : { path: given, name: given };
}
