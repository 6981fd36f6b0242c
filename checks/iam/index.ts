import type { CheckDefinition } from '../../src/check/define.js';
import accountAlias from './account-alias.js';
import adminGroup from './admin-group.js';
import adminUserMfa from './admin-user-mfa.js';
import adminUser from './admin-user.js';
import cliAccess from './cli-access.js';
import rootMfa from './root-mfa.js';

export const iamChecks: CheckDefinition[] = [rootMfa, adminGroup, adminUser, adminUserMfa, accountAlias, cliAccess];
