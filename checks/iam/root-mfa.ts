import { defineCheck, fail, pass } from '../../src/check/define.js';

export default defineCheck({
  id: 'iam.root-mfa',
  title: 'The root user has MFA enabled',
  run(lab) {
    const summary = lab.read('accountSummary');
    const account = lab.snapshot.account;
    // Root access keys take no points, but the lab says AWS recommends removing them all.
    const notes =
      summary.AccountAccessKeysPresent === 1
        ? [`account ${account}: the root user has access keys (AccountAccessKeysPresent = 1); the lab: "AWS recommends removing all access keys for root accounts"`]
        : [];
    const mfa = summary.AccountMFAEnabled;
    if (mfa === 1) return pass([`account ${account}: root MFA enabled (AccountMFAEnabled = 1)`], notes);
    return fail(
      `Enable MFA for the root user of account ${account}: the account summary shows AccountMFAEnabled = ${mfa ?? 'absent'}. ` +
        'Sign in as root, open the IAM dashboard\'s security recommendations and "Set up MFA" with an authenticator app.',
      [`account ${account}: root MFA not enabled (AccountMFAEnabled = ${mfa ?? 'absent'})`],
      notes,
    );
  },
});
