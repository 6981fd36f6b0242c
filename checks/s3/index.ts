import type { CheckDefinition } from '../../src/check/define.js';

export const s3Checks: CheckDefinition[] = [];
