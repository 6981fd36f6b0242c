import { describe, expect, it } from 'vitest';
import { defineCheck, fail, pass } from '../src/check/define.js';
import { completeLabWith, denied, example, runCheck } from './support/fixtures.js';

const vpcCount = defineCheck({
  id: 'test.vpc-count',
  title: 'counts VPCs',
  run: (lab) => {
    const vpcs = lab.read('vpcs');
    return vpcs.length > 0 ? pass([`${vpcs.length} VPCs`]) : fail('create a VPC', ['no VPC']);
  },
});

describe('check evaluation on fixtures', () => {
  it('reads facts of the complete lab', () => {
    expect(runCheck(vpcCount, example('complete-lab'))).toMatchObject({ status: 'pass', evidence: ['2 VPCs'] });
  });

  it('turns an unreadable fact into error naming the call, never fail', () => {
    const result = runCheck(vpcCount, completeLabWith((s) => { s.facts.vpcs = denied('ec2:DescribeVpcs'); }));
    expect(result.status).toBe('error');
    expect(result.cause).toContain('ec2:DescribeVpcs');
    expect(result.cause).toContain('AccessDenied');
  });
});
