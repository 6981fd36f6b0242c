import type { CheckDefinition } from '../../src/check/define.js';
import modelFiles from './model-files.js';
import privateBucket from './private-bucket.js';
import workflowReview from './workflow-review.js';

export const s3Checks: CheckDefinition[] = [privateBucket, modelFiles, workflowReview];
