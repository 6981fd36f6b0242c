// TEMPORARY seam, replaced by the sections 1-3 work: finds nothing yet.
import type { Stage } from './stage.js';

export const resolveStorage: Stage<'adminGroup' | 'bucket' | 'repository'> = () => ({
  resolved: { adminGroup: undefined, bucket: undefined, repository: undefined },
  choices: [],
});
