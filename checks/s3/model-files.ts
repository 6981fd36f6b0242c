import type { _Object } from '@aws-sdk/client-s3';
import { defineCheck, fail, partial, pass, type Verdict } from '../../src/check/define.js';
import type { Lab } from '../../src/resolve/lab.js';
import { modelFileObjects } from '../../src/resolve/storage.js';
import type { LabParams } from '../../src/rubric/params.js';
import type { Json } from '../../src/snapshot/types.js';

const MAX_LISTED = 5;

function size(bytes: number | undefined): string {
  const value = bytes ?? 0;
  if (value < 1024) return `${value} B`;
  if (value < 1024 * 1024) return `${(value / 1024).toFixed(1)} KiB`;
  return `${(value / 1024 / 1024).toFixed(1)} MiB`;
}

/** `a (12.5 MiB), b (3 B) and 4 more`: a bounded list of objects for evidence lines. */
export function listObjects(objects: readonly Json<_Object>[]): string {
  const shown = objects.slice(0, MAX_LISTED).map((object) => `${object.Key} (${size(object.Size)})`);
  return shown.join(', ') + (objects.length > MAX_LISTED ? ` and ${objects.length - MAX_LISTED} more` : '');
}

/** The verdict when no bucket could be taken for the lab's: why, and what the lab asks. */
export function missingBucket(lab: Lab, params: LabParams): Verdict {
  const choice = lab.choices.find((entry) => entry.resource === 'bucket');
  return fail(
    `Create a private S3 bucket (e.g. named with ${params.bucket.nameHints[0]}) and upload the model files from Lab 1 to it: ` +
      `no bucket could be taken for the lab's: ${choice?.why ?? 'none found'}.`,
    [`no lab bucket: ${choice?.why ?? 'none found'}`],
  );
}

export default defineCheck({
  id: 's3.model-files',
  title: 'The model files are in the lab bucket',
  run(lab, params) {
    const name = lab.bucket?.Name;
    if (name === undefined) return missingBucket(lab, params);
    const objects = lab.readKeyed('bucketObjects', name);
    const matched = modelFileObjects(objects, params);
    const filled = matched.filter((object) => (object.Size ?? 0) > 0);
    const empty = matched.filter((object) => (object.Size ?? 0) === 0);
    const wanted = params.bucket.minModelFiles;
    const evidence = [
      `bucket ${name}: ${objects.length} object(s) listed, ${filled.length} non-empty model file(s)` + (filled.length > 0 ? `: ${listObjects(filled)}` : ''),
      ...(empty.length > 0 ? [`bucket ${name}: empty model file(s): ${listObjects(empty)}`] : []),
    ];
    if (filled.length >= wanted) return pass(evidence);
    const found = (): string => {
      if (filled.length > 0) return `it holds ${filled.length} of the ${wanted} model files the rubric expects`;
      if (objects.length === 0) return 'it is empty';
      if (empty.length > 0) return `${empty.map((object) => object.Key).join(', ')} ${empty.length === 1 ? 'is' : 'are'} 0 bytes`;
      return `its ${objects.length} object(s) (${listObjects(objects)}) match none of ${params.bucket.modelFiles.join(', ')}`;
    };
    const hint =
      `Upload the model files from Lab 1 to bucket ${name}: ${found()} (at least ${wanted} non-empty model file(s)).`;
    return filled.length === 0 ? fail(hint, evidence) : partial(filled.length / wanted, hint, evidence);
  },
});
