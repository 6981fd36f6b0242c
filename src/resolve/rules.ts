// Reading security group rules: which permissions let a TCP port in, and from where.
import type { IpPermission, SecurityGroup } from '@aws-sdk/client-ec2';
import type { Json } from '../snapshot/types.js';
import { isAnywhere } from './cidr.js';

/** True when the inbound permission admits TCP traffic to the port; `-1` (all traffic) admits every port. */
export function permitsTcpPort(permission: Json<IpPermission>, port: number): boolean {
  if (permission.IpProtocol === '-1') return true;
  if (permission.IpProtocol !== 'tcp' && permission.IpProtocol !== '6') return false;
  return (permission.FromPort ?? 0) <= port && port <= (permission.ToPort ?? 65535);
}

/** Inbound permissions of the group that admit TCP traffic to the port. */
export function permissionsFor(group: Json<SecurityGroup> | undefined, port: number): Json<IpPermission>[] {
  return (group?.IpPermissions ?? []).filter((permission) => permitsTcpPort(permission, port));
}

/** True when a permission's sources include 0.0.0.0/0 or ::/0. */
export function fromAnywhere(permission: Json<IpPermission>): boolean {
  return (
    (permission.IpRanges ?? []).some((range) => isAnywhere(range.CidrIp)) ||
    (permission.Ipv6Ranges ?? []).some((range) => isAnywhere(range.CidrIpv6))
  );
}

/** True when a permission's sources include the security group. */
export function fromGroup(permission: Json<IpPermission>, groupId: string | undefined): boolean {
  return groupId !== undefined && (permission.UserIdGroupPairs ?? []).some((pair) => pair.GroupId === groupId);
}

/** True when the group lets the port in from the whole internet. */
export function openToWorld(group: Json<SecurityGroup> | undefined, port: number): boolean {
  return permissionsFor(group, port).some(fromAnywhere);
}

/** True when the group lets the port in from members of another group. */
export function openToGroup(group: Json<SecurityGroup> | undefined, port: number, sourceGroupId: string | undefined): boolean {
  return permissionsFor(group, port).some((permission) => fromGroup(permission, sourceGroupId));
}

/** The VPC's `default` group, which every VPC has and the lab never asks for. */
export function isDefaultGroup(group: Json<SecurityGroup> | undefined): boolean {
  return group?.GroupName === 'default';
}

/** One permission in words for the evidence: `tcp 8000 from sg-0a1..., 0.0.0.0/0`. */
export function describePermission(permission: Json<IpPermission>): string {
  const ports =
    permission.IpProtocol === '-1'
      ? 'all traffic'
      : permission.FromPort === permission.ToPort
        ? `${permission.IpProtocol} ${permission.FromPort}`
        : `${permission.IpProtocol} ${permission.FromPort}-${permission.ToPort}`;
  const sources = [
    ...(permission.IpRanges ?? []).map((range) => range.CidrIp),
    ...(permission.Ipv6Ranges ?? []).map((range) => range.CidrIpv6),
    ...(permission.UserIdGroupPairs ?? []).map((pair) => pair.GroupId),
    ...(permission.PrefixListIds ?? []).map((prefixList) => prefixList.PrefixListId),
  ].filter((source): source is string => source !== undefined);
  return `${ports} from ${sources.length ? sources.join(', ') : 'nowhere'}`;
}
