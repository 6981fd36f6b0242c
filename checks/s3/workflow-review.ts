import { answered, attempt, defineCheck, manual, type UnreadFact } from '../../src/check/define.js';
import { modelFileObjects, taskDefinitionImages } from '../../src/resolve/storage.js';
import { listObjects } from './model-files.js';

export default defineCheck({
  id: 's3.workflow-review',
  title: 'The app loads its model from S3 (reviewed by a person)',
  run(lab, params) {
    // A person judges this check whatever the grader could read: what it could not is listed for them.
    const unreadable = (what: string, unread: UnreadFact) => `${what} could not be read (${answered(unread)})`;
    const bucket = attempt(() => lab.bucket);
    const name = bucket.ok ? bucket.value?.Name : undefined;
    const evidence: string[] = [];
    const objects = name === undefined ? undefined : attempt(() => lab.readKeyed('bucketObjects', name));
    if (!bucket.ok) evidence.push(unreadable("the lab's bucket", bucket.unread));
    else if (objects === undefined) evidence.push('no lab bucket was found');
    else if (!objects.ok) evidence.push(`bucket ${name}: objects could not be listed`);
    else {
      const files = modelFileObjects(objects.value, params);
      evidence.push(`bucket ${name}: ${files.length > 0 ? `model files ${listObjects(files)}` : 'no model files'}`);
    }
    const resolved = attempt(() => lab.taskDefinition);
    const taskDefinition = resolved.ok ? resolved.value : undefined;
    if (taskDefinition) {
      const environment = (taskDefinition.containerDefinitions ?? []).flatMap((container) => container.environment ?? []);
      // A variable naming the bucket is a strong sign the app reads its model from it. Values are
      // never stored; what is stored says which of the account's buckets the value named.
      const mentions = environment.filter((variable) => name !== undefined && variable.value?.includes(name));
      evidence.push(
        `task definition ${taskDefinition.family}:${taskDefinition.revision}: image ${taskDefinitionImages(taskDefinition).join(', ') || 'none'}; ` +
          (mentions.length > 0
            ? `environment names the bucket (${mentions.map((variable) => variable.name).join(', ')})`
            : 'no environment variable names the bucket'),
      );
    } else evidence.push(resolved.ok ? "the lab's task definition was not resolved" : unreadable("the lab's task definition", resolved.unread));
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
