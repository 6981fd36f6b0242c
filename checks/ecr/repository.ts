import { defineCheck, fail, pass, type Verdict } from '../../src/check/define.js';
import type { Lab } from '../../src/resolve/lab.js';
import type { LabParams } from '../../src/rubric/params.js';

/** The encryption types as the ECR console names them. */
const ENCRYPTION_NAMES: Record<LabParams['repository']['encryption'], string> = { AES256: 'AES-256', KMS: 'KMS', KMS_DSSE: 'DSSE-KMS' };

/** How the ECR console names an encryption type (`AES256` is AES-256). */
export function encryptionName(type: LabParams['repository']['encryption']): string {
  return ENCRYPTION_NAMES[type];
}

/** The verdict when no repository could be taken for the lab's: why, and what the lab asks. */
export function missingRepository(lab: Lab, params: LabParams): Verdict {
  const choice = lab.choices.find((entry) => entry.resource === 'repository');
  const names = lab.read('repositories').map((repository) => repository.repositoryName);
  return fail(
    `Create a private ECR repository for the app (e.g. ${params.repository.nameHints[0]}-app) with ${encryptionName(params.repository.encryption)} encryption: ` +
      `${names.length > 0 ? `found ${names.join(', ')}, but ${choice?.why ?? 'none fits'}` : 'the region has none'}.`,
    [`no lab repository: ${choice?.why ?? 'none found'}`],
  );
}

export default defineCheck({
  id: 'ecr.repository',
  title: 'An ECR repository for the app',
  run(lab, params) {
    const repository = lab.repository;
    if (!repository) return missingRepository(lab, params);
    const choice = lab.choices.find((entry) => entry.resource === 'repository');
    return pass([
      `repository ${repository.repositoryName} (${repository.repositoryUri}), created ${repository.createdAt}` +
        (choice ? `; chosen because ${choice.why}` : ''),
    ]);
  },
});
