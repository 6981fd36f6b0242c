import { defineCheck, fail, pass } from '../../src/check/define.js';

export default defineCheck({
  id: 'iam.account-alias',
  title: 'The account has an alias for the IAM sign-in URL',
  run(lab) {
    const account = lab.snapshot.account;
    const alias = lab.read('accountAliases')[0];
    if (alias !== undefined) {
      return pass([`account ${account}: alias ${alias} (sign-in URL https://${alias}.signin.aws.amazon.com/console)`]);
    }
    return fail(
      `Create an account alias for account ${account} (IAM dashboard → "Sign-in URL for IAM users in this account" → Create): none is set.`,
      [`account ${account}: no account alias`],
    );
  },
});
