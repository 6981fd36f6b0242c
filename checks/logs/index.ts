import type { CheckDefinition } from '../../src/check/define.js';
import serviceLogs from './service-logs.js';

export const logsChecks: CheckDefinition[] = [serviceLogs];
