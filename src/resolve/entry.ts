// TEMPORARY seam, replaced by the section-4 work: finds nothing yet.
import type { Stage } from './stage.js';

export const resolveEntry: Stage<'loadBalancer' | 'listeners' | 'targetGroup'> = () => ({
  resolved: { loadBalancer: undefined, listeners: [], targetGroup: undefined },
  choices: [],
});
