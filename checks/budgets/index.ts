import type { CheckDefinition } from '../../src/check/define.js';
import emailAlert from './email-alert.js';
import monthlyCostBudget from './monthly-cost-budget.js';

export const budgetsChecks: CheckDefinition[] = [monthlyCostBudget, emailAlert];
