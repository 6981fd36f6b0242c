import { cp, mkdtemp, rm, writeFile, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sourceTag } from '../deploy/image-tag.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
let copy: string;

beforeAll(async () => {
  copy = await mkdtemp(join(tmpdir(), 'sentiment-image-tag-'));
  for (const file of ['package.json', 'package-lock.json', 'reference-service/package.json', 'reference-service/tsconfig.json', 'reference-service/Dockerfile', 'reference-service/src']) {
    await cp(join(repoRoot, file), join(copy, file), { recursive: true });
  }
});
afterAll(() => rm(copy, { recursive: true, force: true }));

describe('the default image tag', () => {
  it('is a hash of the image sources: the same from another clone, on any day', async () => {
    const tag = await sourceTag(repoRoot);
    expect(tag).toMatch(/^src-[0-9a-f]{12}$/);
    expect(await sourceTag(copy)).toBe(tag);
  });

  it('ignores what the image is not built from (tests, other folders), and changes with a source file', async () => {
    const before = await sourceTag(copy);
    await writeFile(join(copy, 'reference-service/src/extra.test.ts'), 'export {};\n');
    await writeFile(join(copy, 'README.md'), '# not in the image\n');
    expect(await sourceTag(copy)).toBe(before);
    await appendFile(join(copy, 'reference-service/src/app.ts'), '// changed\n');
    expect(await sourceTag(copy)).not.toBe(before);
  });
});
