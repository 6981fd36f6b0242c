import { defineCheck, fail, pass } from '../../src/check/define.js';

export default defineCheck({
  id: 'iam.admin-user-mfa',
  title: 'The admin user has an MFA device',
  run(lab) {
    const group = lab.adminGroup?.GroupName;
    const members = group === undefined ? [] : lab.readKeyed('groupMembers', group);
    // With nobody in the admin group, the users the student created are still the administrator accounts the lab means.
    const admins = (members.length > 0 ? members : lab.read('users')).flatMap((user) => (user.UserName ? [user.UserName] : []));
    const whose = members.length > 0 ? `member(s) of group ${group}` : 'IAM user(s) (the admin group has no members)';
    if (admins.length === 0) {
      return fail(
        'Create your administrator IAM user and set up MFA for it: the account has no IAM user.',
        ['no IAM user in the account'],
      );
    }
    const devices = admins.map((user) => ({ user, serials: lab.readKeyed('userMfaDevices', user).map((device) => device.SerialNumber) }));
    const evidence = devices.map(({ user, serials }) =>
      serials.length > 0 ? `user ${user}: MFA device ${serials.join(', ')}` : `user ${user}: no MFA device`,
    );
    const without = devices.filter(({ serials }) => serials.length === 0).map(({ user }) => user);
    if (without.length < admins.length) {
      const notes = without.length > 0 ? [`without MFA: ${without.join(', ')}`] : [];
      return pass([`${admins.length} ${whose}`, ...evidence], notes);
    }
    return fail(
      `Set up MFA for ${without.join(', ')} (IAM → Users → Security credentials → Assign MFA device): none of the ${whose} has an MFA device.`,
      [`${admins.length} ${whose}`, ...evidence],
    );
  },
});
