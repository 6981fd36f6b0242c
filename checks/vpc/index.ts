import type { CheckDefinition } from '../../src/check/define.js';

export const vpcChecks: CheckDefinition[] = [];
