import { defineCheck, fail, partial, pass } from '../../src/check/define.js';
import { pushedImages } from './image-pushed.js';
import { missingRepository } from './repository.js';

export default defineCheck({
  id: 'ecr.version-tag',
  title: 'An image tagged with a version, not only latest',
  run(lab, params) {
    const repository = lab.repository;
    if (!repository?.repositoryName) return missingRepository(lab, params);
    const name = repository.repositoryName;
    const images = lab.readKeyed('repositoryImages', name);
    const versioned = pushedImages(lab, name).filter((image) => (image.imageTags ?? []).some((tag) => tag !== 'latest'));
    const example = params.repository.exampleTag;
    const tagCommand = `docker tag sentiment-app ${repository.repositoryUri}:${example}`;
    const newest = versioned[0];
    if (newest) {
      return pass([
        `repository ${name}: ${versioned.length} image(s) with a version tag; newest ${newest.imageDigest?.slice(0, 19)} tagged ${newest.imageTags?.join(', ')}`,
      ]);
    }
    if (images.length === 0) {
      return fail(
        `Build the image and tag it for ${name} with a version (\`${tagCommand}\`), then push it: the repository holds no image.`,
        [`repository ${name}: no image`],
      );
    }
    const tags = [...new Set(images.flatMap((image) => image.imageTags ?? []))];
    // The image was built and pushed; only the version tag is missing.
    return partial(
      0.5,
      `Tag the image in ${name} with a version, not only ${tags.length > 0 ? tags.join(', ') : 'a digest'}: the lab tags it by date, \`${tagCommand}\`, then pushes that tag.`,
      [`repository ${name}: ${images.length} image(s), tags: ${tags.length > 0 ? tags.join(', ') : 'none (untagged)'}`],
    );
  },
});
