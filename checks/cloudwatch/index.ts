import type { CheckDefinition } from '../../src/check/define.js';
import alarm from './alarm.js';

export const cloudwatchChecks: CheckDefinition[] = [alarm];
