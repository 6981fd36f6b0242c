// `lab-grader demo`: grades the bundled example of a complete lab, so an installed package
// shows what it does without an AWS account.
import { join } from 'node:path';
import { FORMATS } from '../../report/index.js';
import { packageRoot } from '../paths.js';
import { gradeCommand } from './grade.js';

export interface DemoOptions {
  out: string;
  color: boolean;
}

/** The checklist on stdout and every report format under `out`. */
export async function demoCommand(options: DemoOptions): Promise<number> {
  const examples = join(packageRoot(), 'examples');
  return gradeCommand({
    snapshot: join(examples, 'complete-lab.snapshot.json'),
    submission: join(examples, 'submission'),
    param: [],
    format: FORMATS.join(','),
    out: options.out,
    color: options.color,
  });
}
