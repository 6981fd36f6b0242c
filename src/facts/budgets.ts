// Budgets (a global service): the account's budgets and who each notification emails.
import type { Budget, Notification, Subscriber } from '@aws-sdk/client-budgets';
import * as z from 'zod';
import { call, collectPages, dataOf, keyed, listOf, sdkObject, single } from './define.js';

const BOUNDS = { budgets: 20 } as const;

export const budgets = single({
  key: 'budgets',
  description: 'Cost and usage budgets.',
  calls: [call('budgets', 'DescribeBudgetsCommand', 'budgets:ViewBudget')],
  slow: true,
  schema: listOf('BudgetName'),
  read: ({ sdk, aws, caller }) =>
    collectPages(sdk.budgets.paginateDescribeBudgets({ client: aws.budgets }, { AccountId: caller.Account }), (p) => p.Budgets),
  none: { codes: ['NotFoundException'], value: [] },
});

export const budgetNotifications = keyed({
  key: 'budgetNotifications',
  description: "Each budget's notifications with their subscribers.",
  keyedBy: 'budget name',
  calls: [
    call('budgets', 'DescribeNotificationsForBudgetCommand', 'budgets:ViewBudget'),
    call('budgets', 'DescribeSubscribersForNotificationCommand', 'budgets:ViewBudget'),
  ],
  after: ['budgets'],
  slow: true,
  schema: z.array(z.looseObject({ Notification: sdkObject, Subscribers: z.array(sdkObject) })),
  keys: (ctx) => (dataOf(ctx.get<Budget[]>('budgets')) ?? []).slice(0, BOUNDS.budgets).map((b) => b.BudgetName ?? ''),
  list: {
    read: ({ sdk, aws, caller }, budgetName) =>
      collectPages(
        sdk.budgets.paginateDescribeNotificationsForBudget({ client: aws.budgets }, { AccountId: caller.Account, BudgetName: budgetName }),
        (p) => p.Notifications,
      ),
    none: { codes: ['NotFoundException'], value: [] },
  },
  read: ({ sdk, aws, caller }, budgetName, notifications: Notification[]) =>
    Promise.all(
      notifications.map(async (notification): Promise<{ Notification: Notification; Subscribers: Subscriber[] }> => ({
        Notification: notification,
        Subscribers: await collectPages(
          sdk.budgets.paginateDescribeSubscribersForNotification(
            { client: aws.budgets },
            { AccountId: caller.Account, BudgetName: budgetName, Notification: notification },
          ),
          (p) => p.Subscribers,
        ),
      })),
    ),
});

export const definitions = [budgets, budgetNotifications] as const;
