import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../../src/snapshot/types.js';
import { gradeChecks, type Mistake, testMistakes } from '../../test/support/mistakes.js';
import { completeLabWith, denied, example } from '../../test/support/fixtures.js';

const BUDGET = 'monthly-cost-budget';

function budget(s: Snapshot) {
  if (!s.facts.budgets.ok) throw new Error('the complete lab has budgets');
  return s.facts.budgets.data[0]!;
}

function alertOf(s: Snapshot) {
  const entry = s.facts.budgetNotifications[BUDGET];
  if (!entry?.ok) throw new Error('the complete lab has a budget alert');
  return entry.data[0]!;
}

const mistakes: Mistake[] = [
  {
    name: 'budget without notification',
    mutate: (s) => { s.facts.budgetNotifications[BUDGET] = { ok: true, data: [] }; },
    expected: { 'budgets.email-alert': { status: 'fail', says: [`budget ${BUDGET}`, 'no notification', 'Add an email notification'] } },
  },
  {
    name: 'alert to an SNS topic only',
    mutate: (s) => { alertOf(s).Subscribers = [{ SubscriptionType: 'SNS', Address: 'arn:aws:sns:eu-west-1:123456789012:billing' }]; },
    expected: { 'budgets.email-alert': { status: 'partial', fraction: 0.5, says: [BUDGET, 'SNS', 'no email address'] } },
  },
  {
    name: 'no budget at all',
    mutate: (s) => {
      s.facts.budgets = { ok: true, data: [] };
      s.facts.budgetNotifications = {};
    },
    expected: {
      'budgets.monthly-cost-budget': { status: 'fail', says: ['none exists', '"Cost budget" template'] },
      'budgets.email-alert': { status: 'fail', says: ['no budget'] },
    },
  },
  {
    name: 'a usage budget by the day',
    mutate: (s) => {
      budget(s).BudgetType = 'USAGE';
      budget(s).TimeUnit = 'DAILY';
    },
    expected: { 'budgets.monthly-cost-budget': { status: 'partial', fraction: 0.5, says: [`budget ${BUDGET}`, 'a COST budget', 'not USAGE', 'a MONTHLY period, not DAILY'] } },
  },
  {
    name: 'no limit',
    mutate: (s) => { budget(s).BudgetLimit = { Amount: '0', Unit: 'USD' }; },
    expected: { 'budgets.monthly-cost-budget': { status: 'partial', fraction: 0.75, says: ['a monthly limit (e.g. $5)'] } },
  },
  {
    name: 'forecast-only alerts',
    mutate: (s) => { alertOf(s).Notification.NotificationType = 'FORECASTED'; },
    expected: { 'budgets.monthly-cost-budget': { status: 'partial', fraction: 0.75, says: ['monitoring of actual costs', 'FORECASTED'] } },
  },
  {
    name: 'unreadable budgets',
    mutate: (s) => { s.facts.budgets = denied('budgets:ViewBudget'); },
    expected: {
      'budgets.monthly-cost-budget': { status: 'error', says: ['budgets:ViewBudget', 'AccessDenied'] },
      'budgets.email-alert': { status: 'error', says: ['budgets:ViewBudget'] },
    },
  },
  {
    name: 'unreadable notifications',
    mutate: (s) => { s.facts.budgetNotifications[BUDGET] = denied('budgets:ViewBudget'); },
    expected: {
      'budgets.monthly-cost-budget': { status: 'error', says: ['budgets:ViewBudget'] },
      'budgets.email-alert': { status: 'error', says: ['budgets:ViewBudget'] },
    },
  },
];

describe('budgets checks', () => {
  it('pass on the complete lab, each part in the evidence', () => {
    const results = gradeChecks(example('complete-lab'));
    expect(results['budgets.monthly-cost-budget']).toMatchObject({
      status: 'pass',
      evidence: [`budget ${BUDGET}: type COST, period MONTHLY, limit 5 USD, tracks actual cost (actual spend 0.42 USD)`],
    });
    expect(results['budgets.email-alert']).toMatchObject({
      status: 'pass',
      evidence: [`budget ${BUDGET}: alert when ACTUAL cost is GREATER_THAN 80%, emails 1 address(es)`],
    });
    expect(JSON.stringify(results)).not.toContain('student@example.com');
  });

  testMistakes(mistakes);

  it('grades the budget that meets most parts when there are several', () => {
    const results = gradeChecks(
      completeLabWith((s) => {
        if (s.facts.budgets.ok) s.facts.budgets.data.unshift({ BudgetName: 'a-daily-usage', BudgetType: 'USAGE', TimeUnit: 'DAILY' });
        s.facts.budgetNotifications['a-daily-usage'] = { ok: true, data: [] };
      }),
    );
    expect(results['budgets.monthly-cost-budget']?.status).toBe('pass');
    expect(results['budgets.monthly-cost-budget']?.evidence[0]).toContain(`budget ${BUDGET}:`);
    expect(results['budgets.monthly-cost-budget']?.evidence[0]).toContain('(best of 2 budgets)');
  });
});
