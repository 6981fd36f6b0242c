import { defineCheck, manual } from '../../src/check/define.js';
import { modelFileObjects, taskDefinitionImages } from '../../src/resolve/storage.js';
import { listObjects } from './model-files.js';

export default defineCheck({
  id: 's3.workflow-review',
  title: 'The app loads its model from S3 (reviewed by a person)',
  needs: ['buckets', 'bucketObjects'],
  run(lab, params) {
    const name = lab.bucket?.Name;
    const evidence: string[] = [];
    if (name === undefined) evidence.push('no lab bucket was found');
    else if (!lab.has('bucketObjects', name)) evidence.push(`bucket ${name}: objects could not be listed`);
    else {
      const files = modelFileObjects(lab.readKeyed('bucketObjects', name), params);
      evidence.push(`bucket ${name}: ${files.length > 0 ? `model files ${listObjects(files)}` : 'no model files'}`);
    }
    const taskDefinition = lab.taskDefinition;
    if (taskDefinition) {
      const environment = (taskDefinition.containerDefinitions ?? []).flatMap((container) => container.environment ?? []);
      // A variable naming the bucket is a strong sign the app reads its model from it.
      const mentions = environment.filter((variable) => name !== undefined && variable.value?.includes(name));
      evidence.push(
        `task definition ${taskDefinition.family}:${taskDefinition.revision}: image ${taskDefinitionImages(taskDefinition).join(', ') || 'none'}; ` +
          (mentions.length > 0
            ? `environment names the bucket (${mentions.map((variable) => variable.name).join(', ')})`
            : 'no environment variable names the bucket'),
      );
    } else evidence.push("the lab's task definition was not resolved");
    const predictions = lab.snapshot.probes.results.filter((result) => result.id.startsWith('predict.'));
    if (predictions.length === 0) evidence.push(`the deployed app was not asked for predictions${lab.snapshot.probes.skipped ? ` (${lab.snapshot.probes.skipped})` : ''}`);
    for (const probe of predictions) {
      evidence.push(
        `${probe.id}: ${probe.method} ${probe.url} → ${probe.error ? `${probe.error.code}: ${probe.error.message}` : `${probe.status} ${probe.bodyExcerpt.slice(0, 120)}`}`,
      );
    }
    return manual(
      'A person judges whether the app loads its model from the S3 bucket rather than from files baked in or downloaded elsewhere: ' +
        'review the evidence and the student\'s code.',
      evidence,
    );
  },
});
