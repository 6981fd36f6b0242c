import type { CheckDefinition } from '../../src/check/define.js';
import internetGateway from './internet-gateway.js';
import labVpc from './lab-vpc.js';
import natGateway from './nat-gateway.js';
import privateSubnets from './private-subnets.js';
import publicSubnets from './public-subnets.js';
import routeTables from './route-tables.js';
import securityGroups from './security-groups.js';

export const vpcChecks: CheckDefinition[] = [
  labVpc,
  publicSubnets,
  privateSubnets,
  internetGateway,
  routeTables,
  natGateway,
  securityGroups,
];
