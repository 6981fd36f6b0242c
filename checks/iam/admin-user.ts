import { defineCheck, fail, pass } from '../../src/check/define.js';

export default defineCheck({
  id: 'iam.admin-user',
  title: 'An IAM user in the admin group',
  run(lab, params) {
    const group = lab.adminGroup?.GroupName;
    if (group === undefined) {
      return fail(
        `Create the ${params.iam.adminGroup} group (with AdministratorAccess) and add your new IAM user to it: no admin group was found.`,
        [`no group named ${params.iam.adminGroup} or with AdministratorAccess`],
      );
    }
    const members = lab.readKeyed('groupMembers', group).flatMap((user) => (user.UserName ? [user.UserName] : []));
    if (members.length > 0) return pass([`group ${group}: members ${members.join(', ')}`]);
    return fail(
      `Add your new IAM user to group ${group}: the group has no members.`,
      [`group ${group}: no members`],
    );
  },
});
