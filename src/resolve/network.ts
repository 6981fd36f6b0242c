// TEMPORARY seam, replaced by the section-4 work: finds nothing yet.
import type { Stage } from './stage.js';

export const resolveNetwork: Stage<
  'vpc' | 'publicSubnets' | 'privateSubnets' | 'internetGateway' | 'natGateway' | 'albSecurityGroup' | 'appSecurityGroup'
> = () => ({
  resolved: {
    vpc: undefined,
    publicSubnets: [],
    privateSubnets: [],
    internetGateway: undefined,
    natGateway: undefined,
    albSecurityGroup: undefined,
    appSecurityGroup: undefined,
  },
  choices: [],
});
