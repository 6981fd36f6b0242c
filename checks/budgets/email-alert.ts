import { defineCheck, fail, partial, pass } from '../../src/check/define.js';

export default defineCheck({
  id: 'budgets.email-alert',
  title: 'A budget alert that emails someone',
  run(lab) {
    const alerts = lab
      .read('budgets')
      .flatMap((budget) => (budget.BudgetName ? [budget.BudgetName] : []))
      .sort()
      .flatMap((budget) =>
        lab.readKeyed('budgetNotifications', budget).map(({ Notification: notification, Subscribers: subscribers }) => ({
          budget,
          line:
            `budget ${budget}: alert when ${notification.NotificationType} cost is ${notification.ComparisonOperator} ` +
            `${notification.Threshold}${notification.ThresholdType === 'PERCENTAGE' ? '%' : ' USD'}`,
          emails: subscribers.filter((subscriber) => subscriber.SubscriptionType === 'EMAIL').length,
          others: subscribers.filter((subscriber) => subscriber.SubscriptionType !== 'EMAIL').map((subscriber) => subscriber.SubscriptionType),
        })),
      );
    const emailing = alerts.filter((alert) => alert.emails > 0);
    // Subscriber addresses are the student's personal data: the evidence counts them instead.
    if (emailing.length > 0) return pass(emailing.map((alert) => `${alert.line}, emails ${alert.emails} address(es)`));
    if (alerts.length > 0) {
      return partial(
        0.5,
        `Add an email subscriber to the alert of budget ${alerts[0]?.budget}: its alerts notify ${[...new Set(alerts.flatMap((alert) => alert.others))].join(', ') || 'no one'} but no email address.`,
        alerts.map((alert) => `${alert.line}, no email subscriber`),
      );
    }
    const budgets = lab.read('budgets').map((budget) => budget.BudgetName);
    return fail(
      budgets.length > 0
        ? `Add an alert with your email address to budget ${budgets.join(', ')}: it has no notification.`
        : `Create a monthly cost budget with an email alert: the account has no budget.`,
      budgets.length > 0 ? budgets.map((budget) => `budget ${budget}: no notification`) : ['no budget in the account'],
    );
  },
});
