import type { Budget } from '@aws-sdk/client-budgets';
import { defineCheck, fail, partial, pass } from '../../src/check/define.js';
import type { LabParams } from '../../src/rubric/params.js';
import type { BudgetNotification, Json } from '../../src/snapshot/types.js';

interface Part {
  ok: boolean;
  line: string;
  miss: string;
}

function limitOf(budget: Json<Budget>): { amount: number; unit: string } | undefined {
  const limit = budget.BudgetLimit ?? Object.values(budget.PlannedBudgetLimits ?? {})[0];
  const amount = Number(limit?.Amount);
  return Number.isFinite(amount) && amount > 0 ? { amount, unit: limit?.Unit ?? 'USD' } : undefined;
}

function partsOf(budget: Json<Budget>, notifications: BudgetNotification[], params: LabParams): Part[] {
  const limit = limitOf(budget);
  const types = notifications.map((entry) => entry.Notification.NotificationType);
  // Alerts are graded in budgets.email-alert; here only a forecast-only setup misses "monitor actual costs".
  const forecastOnly = types.length > 0 && !types.includes('ACTUAL');
  const actualSpend = budget.CalculatedSpend?.ActualSpend;
  return [
    {
      ok: budget.BudgetType === params.budget.budgetType,
      line: `type ${budget.BudgetType}`,
      miss: `a ${params.budget.budgetType} budget (the "Cost budget" template), not ${budget.BudgetType}`,
    },
    {
      ok: budget.TimeUnit === params.budget.timeUnit,
      line: `period ${budget.TimeUnit}`,
      miss: `a ${params.budget.timeUnit} period, not ${budget.TimeUnit}`,
    },
    {
      ok: limit !== undefined,
      line: limit ? `limit ${limit.amount} ${limit.unit}` : 'no positive limit',
      miss: `a monthly limit (e.g. $${params.budget.exampleLimitUsd})`,
    },
    {
      ok: !forecastOnly,
      line: forecastOnly
        ? `tracks forecasted cost only (${types.length} FORECASTED alert(s))`
        : `tracks actual cost` + (actualSpend ? ` (actual spend ${actualSpend.Amount} ${actualSpend.Unit})` : ''),
      miss: 'monitoring of actual costs (its alerts are all FORECASTED)',
    },
  ];
}

export default defineCheck({
  id: 'budgets.monthly-cost-budget',
  title: 'A monthly cost budget with a limit, tracking actual cost',
  run(lab, params) {
    const budgets = lab.read('budgets');
    if (budgets.length === 0) {
      return fail(
        `Create a budget in Billing and Cost Management → Budgets for account ${lab.snapshot.account}: none exists; ` +
          `use a monthly limit (e.g. $${params.budget.exampleLimitUsd}) that monitors actual costs.`,
        ['no budget in the account'],
      );
    }
    // The budget that meets most of the lab's parts is the lab's; ties go by name.
    const [best] = budgets
      .map((budget) => {
        const name = budget.BudgetName ?? '';
        const parts = partsOf(budget, lab.readKeyed('budgetNotifications', name), params);
        return { name, parts, met: parts.filter((part) => part.ok).length };
      })
      .sort((a, b) => b.met - a.met || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    if (!best) throw new Error('unreachable: budgets is not empty');
    const evidence = [
      `budget ${best.name}: ${best.parts.map((part) => part.line).join(', ')}` +
        (budgets.length > 1 ? ` (best of ${budgets.length} budgets)` : ''),
    ];
    const misses = best.parts.filter((part) => !part.ok).map((part) => part.miss);
    if (misses.length === 0) return pass(evidence);
    const hint =
      `Edit budget ${best.name}: the lab asks for ${misses.join('; ')}. ` +
      `"Choose the 'Cost budget' template, set a monthly limit (e.g. $${params.budget.exampleLimitUsd}), and configure it to monitor actual costs."`;
    return best.met === 0 ? fail(hint, evidence) : partial(best.met / best.parts.length, hint, evidence);
  },
});
