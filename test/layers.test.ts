// The layer order written in the README's Layout section, kept: every import in src/ and
// checks/ runs down it, and the reference service reaches the grader only by package name.
import { readFileSync, readdirSync } from 'node:fs';
import { posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../', import.meta.url));

/** A source file, by its path from the repository root. */
interface SourceFile {
  path: string;
  text: string;
}

interface Import {
  from: string;
  line: number;
  /** The imported file from the repository root (`.js` read as the `.ts` it is compiled from). */
  to: string;
}

/** The layers, top first: each a list of folders (ending in `/`) and files, from the README's block. */
function readLayers(readme: string): string[][] {
  const section = readme.split('\n### Layers\n')[1];
  const block = section === undefined ? undefined : /```\n([\s\S]*?)\n```/.exec(section)?.[1];
  if (block === undefined) throw new Error('README.md has no "### Layers" section with a code block');
  // A line is its folders and files, then two or more spaces, then what they are.
  return block
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => line.split(/\s{2,}/)[0]!.split(' '));
}

/** Relative imports of every kind: static, type-only, re-exports and dynamic `import()`. */
function importsOf(file: SourceFile): Import[] {
  return ts
    .preProcessFile(file.text, true, true)
    .importedFiles.filter((reference) => reference.fileName.startsWith('.'))
    .map((reference) => ({
      from: file.path,
      line: file.text.slice(0, reference.pos).split('\n').length,
      to: posix.join(posix.dirname(file.path), reference.fileName).replace(/\.js$/, '.ts'),
    }));
}

function unitOf(layers: string[][], path: string): { unit: string; layer: number } | undefined {
  for (const [layer, units] of layers.entries()) {
    const unit = units.find((candidate) => (candidate.endsWith('/') ? path.startsWith(candidate) : path === candidate));
    if (unit !== undefined) return { unit, layer };
  }
  return undefined;
}

/** Every import that runs up or across the layers, or into a file no layer holds, as `from:line → to (why)`. */
function layerViolations(layers: string[][], files: readonly SourceFile[]): string[] {
  const problems: string[] = [];
  for (const { from, line, to } of files.flatMap(importsOf)) {
    const source = unitOf(layers, from);
    const target = unitOf(layers, to);
    const where = `${from}:${line} → ${to}`;
    if (!source) problems.push(`${where} (${from} is in no layer)`);
    else if (!target) problems.push(`${where} (${to} is in no layer)`);
    else if (source.unit === target.unit || target.layer > source.layer) continue;
    else problems.push(`${where} (${target.layer < source.layer ? 'upward' : 'across one layer'}: ${source.unit} may not import ${target.unit})`);
  }
  return problems;
}

/** Imports from the reference service that leave its folder by path instead of going through `lab-grader`. */
function reachesOutside(folder: string, files: readonly SourceFile[]): string[] {
  return files
    .flatMap(importsOf)
    .filter((entry) => !entry.to.startsWith(folder))
    .map(({ from, line, to }) => `${from}:${line} → ${to} (import it from 'lab-grader' instead)`);
}

function sourcesUnder(folder: string): SourceFile[] {
  return readdirSync(`${root}${folder}`, { recursive: true, encoding: 'utf8' })
    .map((name) => posix.join(folder, name.split('\\').join('/')))
    .filter((path) => path.endsWith('.ts') && !path.split('/').some((part) => part === 'node_modules' || part === 'dist'))
    .sort()
    .map((path) => ({ path, text: readFileSync(`${root}${path}`, 'utf8') }));
}

const layers = readLayers(readFileSync(`${root}README.md`, 'utf8'));
/** Tests may import across layers: they build what they test. */
const layered = [...sourcesUnder('src'), ...sourcesUnder('checks')].filter((file) => !file.path.endsWith('.test.ts'));

describe('the layer rule', () => {
  // The same README block as the real run, with one synthetic file per kind of mistake.
  const check = (path: string, text: string): string[] => layerViolations(layers, [{ path, text }]);

  it('fails on an upward import, type-only and dynamic ones too', () => {
    expect(check('src/rubric/load.ts', "import { grade } from '../grade/engine.js';")).toEqual([
      'src/rubric/load.ts:1 → src/grade/engine.ts (upward: src/rubric/ may not import src/grade/)',
    ]);
    expect(check('src/resolve/lab.ts', "\nimport type { Part } from '../check/parts.js';")).toEqual([
      'src/resolve/lab.ts:2 → src/check/parts.ts (upward: src/resolve/ may not import src/check/)',
    ]);
    expect(check('src/cost/estimate.ts', "const { grade } = await import('../grade/engine.js');")).toHaveLength(1);
  });

  it('fails on an import across one layer and on a file no layer holds', () => {
    expect(check('src/grade/engine.ts', "import { checksById } from '../../checks/index.js';")).toEqual([
      'src/grade/engine.ts:1 → checks/index.ts (across one layer: src/grade/ may not import checks/)',
    ]);
    expect(check('src/resolve/index.ts', "export * from '../collect/calls.js';")).toEqual([
      'src/resolve/index.ts:1 → src/collect/calls.ts (across one layer: src/resolve/ may not import src/collect/)',
    ]);
    expect(check('src/plugins/extra.ts', "import { UsageError } from '../errors.js';")).toEqual([
      'src/plugins/extra.ts:1 → src/errors.ts (src/plugins/extra.ts is in no layer)',
    ]);
    expect(check('src/grade/engine.ts', "import { example } from '../../test/support/fixtures.js';")).toEqual([
      'src/grade/engine.ts:1 → test/support/fixtures.ts (test/support/fixtures.ts is in no layer)',
    ]);
  });

  it('lets a module import its own folder and anything below its layer', () => {
    expect(check('src/grade/engine.ts', "import { addPoints } from '../rubric/points.js';\nimport { evaluateCheck } from './evaluate.js';")).toEqual([]);
    expect(check('src/cli/commands/grade.ts', "import { checksById } from '../../../checks/index.js';")).toEqual([]);
  });

  it('fails when the reference service reaches into the grader by path', () => {
    const files = [
      { path: 'reference-service/test/a.test.ts', text: "import { grade } from '../../src/grade/engine.js';\nimport { grade as g } from 'lab-grader';" },
      { path: 'reference-service/deploy/b.ts', text: "import { buildApp } from '../src/app.js';" },
    ];
    expect(reachesOutside('reference-service/', files)).toEqual([
      "reference-service/test/a.test.ts:1 → src/grade/engine.ts (import it from 'lab-grader' instead)",
    ]);
  });
});

describe('the code keeps the README layers', () => {
  it('every file in src/ and checks/ belongs to a layer', () => {
    expect(layered.map((file) => file.path).filter((path) => !unitOf(layers, path))).toEqual([]);
  });

  it('every import in src/ and checks/ runs down the layers', () => {
    expect(layerViolations(layers, layered)).toEqual([]);
  });

  it('the reference service imports the grader only as lab-grader', () => {
    expect(reachesOutside('reference-service/', sourcesUnder('reference-service'))).toEqual([]);
  });
});
