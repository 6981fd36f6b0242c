// The registry of checks: every file under checks/<service>/ is listed in its service's
// index, and a test keeps this registry, the folders and rubric.yaml in agreement.
import type { CheckDefinition } from '../src/check/define.js';
import { appChecks } from './app/index.js';
import { budgetsChecks } from './budgets/index.js';
import { cloudwatchChecks } from './cloudwatch/index.js';
import { ecrChecks } from './ecr/index.js';
import { ecsChecks } from './ecs/index.js';
import { elbChecks } from './elb/index.js';
import { iamChecks } from './iam/index.js';
import { logsChecks } from './logs/index.js';
import { s3Checks } from './s3/index.js';
import { vpcChecks } from './vpc/index.js';

export const allChecks: readonly CheckDefinition[] = [
  ...iamChecks,
  ...budgetsChecks,
  ...s3Checks,
  ...ecrChecks,
  ...vpcChecks,
  ...elbChecks,
  ...ecsChecks,
  ...appChecks,
  ...logsChecks,
  ...cloudwatchChecks,
];

export const checksById: ReadonlyMap<string, CheckDefinition> = new Map(allChecks.map((check) => [check.id, check]));
