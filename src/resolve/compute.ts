// TEMPORARY seam, replaced by the section-5 work: finds nothing yet.
import type { Stage } from './stage.js';

export const resolveCompute: Stage<'cluster' | 'service' | 'taskDefinition' | 'logGroup'> = () => ({
  resolved: { cluster: undefined, service: undefined, taskDefinition: undefined, logGroup: undefined },
  choices: [],
});
