// ECR: the repositories and the images pushed to the lab's.
import type { Repository } from '@aws-sdk/client-ecr';
import { call, collectPages, dataOf, keyed, listOf, single } from './define.js';
import { labFirst } from './names.js';

const BOUNDS = { repositories: 20, imagePages: 5 } as const;

export const repositories = single({
  key: 'repositories',
  description: 'ECR repositories.',
  calls: [call('ecr', 'DescribeRepositoriesCommand', 'ecr:DescribeRepositories')],
  schema: listOf('repositoryName'),
  read: ({ sdk, aws }) => collectPages(sdk.ecr.paginateDescribeRepositories({ client: aws.ecr }, {}), (p) => p.repositories),
});

export const repositoryImages = keyed({
  key: 'repositoryImages',
  description: "Each repository's images (tags, digest, push date, size).",
  keyedBy: 'repository name',
  calls: [call('ecr', 'DescribeImagesCommand', 'ecr:DescribeImages')],
  after: ['repositories'],
  schema: listOf('imageDigest'),
  keys: (ctx) =>
    labFirst(dataOf(ctx.get<Repository[]>('repositories')) ?? [], (r) => r.repositoryName, ctx.hints.repository.nameHints, BOUNDS.repositories).map(
      (r) => r.repositoryName ?? '',
    ),
  read: ({ sdk, aws, get }, repositoryName) => {
    const registryId = (dataOf(get<Repository[]>('repositories')) ?? []).find((r) => r.repositoryName === repositoryName)?.registryId;
    return collectPages(
      sdk.ecr.paginateDescribeImages({ client: aws.ecr }, { repositoryName, registryId }),
      (p) => p.imageDetails,
      BOUNDS.imagePages,
    );
  },
});

export const definitions = [repositories, repositoryImages] as const;
