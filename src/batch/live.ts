// Reaching a student's account for a live batch: their named AWS profile, or a role in
// their account assumed with the instructor's own credentials (and the external id).
import { createClients } from '../aws/clients.js';
import { explainRoleFailure, roleCredentials } from '../aws/role.js';
import { readLiveAccount, type LiveOptions } from '../live/index.js';
import type { LiveCollector } from './runner.js';

export interface LiveCollectorOptions {
  /** `--region`, for students whose roster entry names none. */
  region?: string;
}

export function liveCollector(options: LiveCollectorOptions = {}): LiveCollector {
  return async (student, { params, profile, rubricSha256, deadline }) => {
    const { source } = student;
    const region = (source.kind === 'snapshot' ? undefined : source.region) ?? options.region;
    const base: LiveOptions = { params, profile, rubricSha256, ...(region === undefined ? {} : { region }), ...(deadline === undefined ? {} : { deadline }) };
    if (source.kind === 'awsProfile') return readLiveAccount({ ...base, awsProfile: source.awsProfile });
    if (source.kind !== 'role') throw new Error(`student ${student.id} has a snapshot file, not a live account`);
    const clients = createClients({ ...(region === undefined ? {} : { region }), credentials: roleCredentials(source, student.id, region) });
    try {
      return await readLiveAccount({ ...base, clients });
    } catch (error) {
      throw explainRoleFailure(error, source);
    } finally {
      clients.destroy();
    }
  };
}
