import { answered, attempt, defineCheck, fail, pass } from '../../src/check/define.js';
import { imageInRepository, taskDefinitionImages } from '../../src/resolve/storage.js';
import type { ImageDetail } from '@aws-sdk/client-ecr';
import type { Lab } from '../../src/resolve/lab.js';
import type { Json } from '../../src/snapshot/types.js';
import { missingRepository } from './repository.js';

/** The repository's pushed images, newest first. */
export function pushedImages(lab: Lab, repositoryName: string): Json<ImageDetail>[] {
  return lab
    .readKeyed('repositoryImages', repositoryName)
    .filter((image) => image.imagePushedAt !== undefined)
    .sort((a, b) => ((a.imagePushedAt ?? '') < (b.imagePushedAt ?? '') ? 1 : -1));
}

export default defineCheck({
  id: 'ecr.image-pushed',
  title: 'The image is pushed to the repository',
  run(lab, params) {
    const repository = lab.repository;
    if (!repository?.repositoryName) return missingRepository(lab, params);
    const name = repository.repositoryName;
    const pushed = pushedImages(lab, name);
    const latest = pushed[0];
    if (!latest) {
      return fail(
        `Push the tagged image to ${name}: \`docker push ${repository.repositoryUri}:${params.repository.exampleTag}\`; the repository holds no image.`,
        [`repository ${name}: no image pushed`],
      );
    }
    const megabytes = ((latest.imageSizeInBytes ?? 0) / 1024 / 1024).toFixed(1);
    const evidence = [
      `repository ${name}: ${pushed.length} image(s); newest ${latest.imageTags?.join(', ') || 'untagged'} (${latest.imageDigest?.slice(0, 19)}) pushed at ${latest.imagePushedAt}, ${megabytes} MiB`,
    ];
    // Which image runs is the task definition check's to grade; here it is only worth a note.
    const resolved = attempt(() => lab.taskDefinition);
    const taskDefinition = resolved.ok ? resolved.value : undefined;
    const images = taskDefinitionImages(taskDefinition).filter((image) => imageInRepository(image, repository));
    const usesPushed = images.some((image) =>
      pushed.some(
        (candidate) =>
          image.endsWith(`@${candidate.imageDigest}`) || (candidate.imageTags ?? []).some((tag) => image.endsWith(`:${tag}`)),
      ),
    );
    const note = !taskDefinition
      ? `the lab's task definition was ${resolved.ok ? 'not resolved' : `not read (${answered(resolved.unread)})`}, so whether it runs this image is unknown (graded with the task definition)`
      : `task definition ${taskDefinition.family}:${taskDefinition.revision} ` +
        (usesPushed
          ? `runs ${images.join(', ')}, an image pushed here (graded with the task definition)`
          : `runs ${taskDefinitionImages(taskDefinition).join(', ') || 'no image'}, not an image pushed to ${name} (graded with the task definition)`);
    return pass(evidence, [note]);
  },
});
