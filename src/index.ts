// The package's library entry (`import ... from 'lab-grader'`): grade a snapshot, probe a
// service, and the types of what they read and write. The reference service's tests use it.
export { checksById } from '../checks/index.js';
export { grade, type GradeInput } from './grade/engine.js';
export type { CheckResult, Scorecard } from './grade/scorecard.js';
export { probeLab, type ProbeOptions } from './probe/index.js';
export { loadRubric } from './rubric/load.js';
export type { Rubric } from './rubric/types.js';
export { parseSnapshot } from './snapshot/load.js';
export type { Facts, Json, ProbeResult, Probes, Snapshot } from './snapshot/types.js';
