import type { CheckDefinition } from '../../src/check/define.js';
import albResponds from './alb-responds.js';
import getEndpoints from './get-endpoints.js';
import pageOrDocs from './page-or-docs.js';
import predictsSentiment from './predicts-sentiment.js';
import testScript from './test-script.js';

export const appChecks: CheckDefinition[] = [albResponds, pageOrDocs, getEndpoints, predictsSentiment, testScript];
