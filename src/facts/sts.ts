// STS: who is calling. The credentials check reads it in the first round; the fact records it.
import { call, callerIdentitySchema, single, type CallerIdentity } from './define.js';

export const callerIdentity = single({
  key: 'callerIdentity',
  description: 'The account, ARN and user id the credentials belong to (never a credential).',
  calls: [call('sts', 'GetCallerIdentityCommand', 'sts:GetCallerIdentity')],
  schema: callerIdentitySchema,
  read: async ({ caller }): Promise<CallerIdentity> => caller,
});

export const definitions = [callerIdentity] as const;
