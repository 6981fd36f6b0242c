// Names as students see them in the console: the `Name` tag for EC2 resources.
import type { Tag } from '@aws-sdk/client-ec2';
import type { Json } from '../snapshot/types.js';

/** The value of the `Name` tag, or undefined when the resource has none. */
export function nameTag(tags: readonly Json<Tag>[] | undefined): string | undefined {
  return tags?.find((tag) => tag.Key === 'Name')?.Value;
}

/** How a resource appears in evidence: `public-subnet-1 (subnet-0aa...)`, or the bare id when unnamed. */
export function label(id: string | undefined, tags?: readonly Json<Tag>[]): string {
  const name = nameTag(tags);
  return name ? `${name} (${id ?? 'no id'})` : (id ?? 'unnamed');
}
