import { defineCheck } from '../../src/check/define.js';
import { byParts } from '../../src/check/parts.js';
import { subnetPlan } from '../../src/check/subnet-plan.js';

export default defineCheck({
  id: 'vpc.public-subnets',
  title: 'Two public subnets in different Availability Zones, inside the VPC, without overlaps',
  run(lab, params) {
    const { parts, evidence, notes } = subnetPlan(lab, params, 'public');
    return byParts(parts, evidence, notes);
  },
});
