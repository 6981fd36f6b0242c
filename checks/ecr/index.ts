import type { CheckDefinition } from '../../src/check/define.js';

export const ecrChecks: CheckDefinition[] = [];
