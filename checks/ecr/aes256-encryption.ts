import { defineCheck, fail, pass } from '../../src/check/define.js';
import { encryptionName, missingRepository } from './repository.js';

export default defineCheck({
  id: 'ecr.aes256-encryption',
  title: (params) => `The repository is encrypted with ${encryptionName(params.repository.encryption)}`,
  run(lab, params) {
    const repository = lab.repository;
    if (!repository) return missingRepository(lab, params);
    const name = repository.repositoryName;
    // ECR reports AES256 for repositories created without a choice; a missing field means the same default.
    const type = repository.encryptionConfiguration?.encryptionType ?? 'AES256';
    const key = repository.encryptionConfiguration?.kmsKey;
    const evidence = [`repository ${name}: encryption ${type}${key ? ` with key ${key}` : ''}`];
    if (type === params.repository.encryption) return pass(evidence);
    return fail(
      `Repository ${name} is encrypted with ${type}; the lab asks for ${params.repository.encryption}. ` +
        `Encryption cannot be changed after creation: create a new repository with ${encryptionName(params.repository.encryption)}, push the image there and point the task definition at it.`,
      evidence,
    );
  },
});
