// `npm run release [-- --out DIR] [--allow-dirty]`: makes the files a release publishes, from a
// clean checkout of the release tag: the tarball (`npm pack`, which builds dist/ afresh), its
// SHA-256 in `sha256sum` format, and the release notes, which are the CHANGELOG's section for
// the package's version with the pinned install commands filled in. It stops (exit 2) before
// packing when the CHANGELOG has no section for the version, or when a doc or CI template
// installs another version than package.json's.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));

/** Where this project's docs show a course how to install lab-grader: each must pin package.json's version. */
export function installDocuments(): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)]));
  return ['README.md', ...walk('docs')];
}

export interface VersionPin {
  version: string;
  /** 1-based line of the pin in its file. */
  line: number;
  text: string;
}

// A release tarball (lab-grader-0.2.0.tgz), a release tag in a download URL or a clone (v0.2.0).
const PINS = [/\blab-grader-(\d+\.\d+\.\d+)\.tgz\b/g, /\/releases\/download\/v(\d+\.\d+\.\d+)\//g, /--branch v(\d+\.\d+\.\d+)\b/g];

/** Every version of lab-grader a text installs, with its line. */
export function versionPins(text: string): VersionPin[] {
  const lines = text.split('\n');
  return lines.flatMap((line, index) => PINS.flatMap((pattern) => [...line.matchAll(pattern)].map((match) => ({ version: match[1]!, line: index + 1, text: match[0] }))));
}

/** The CHANGELOG's section for a version, without its heading; undefined when it has none. */
export function releaseNotes(changelog: string, version: string): string | undefined {
  const lines = changelog.split('\n');
  const start = lines.findIndex((line) => line.trim() === `## ${version}`);
  if (start < 0) return undefined;
  const end = lines.findIndex((line, index) => index > start && /^## /.test(line));
  return lines
    .slice(start + 1, end < 0 ? undefined : end)
    .join('\n')
    .trim();
}

/** The notes published with the release: what changed, and how a course pins this release. */
export function releaseNotesFile(version: string, notes: string, tarball: string, sha256: string, repositoryUrl: string): string {
  const url = `${repositoryUrl}/releases/download/v${version}/${tarball}`;
  return [
    `# lab-grader ${version}`,
    '',
    notes,
    '',
    '## Install',
    '',
    `\`${tarball}\`, SHA-256 \`${sha256}\`:`,
    '',
    '```sh',
    `curl -fsSLO ${url}`,
    `echo "${sha256}  ${tarball}" | sha256sum --check -`,
    `npm install --global ./${tarball}`,
    '```',
    '',
    'In CI (docs/ci/), set the two values the templates read:',
    '',
    '```yaml',
    `LAB_GRADER_URL: ${url}`,
    `LAB_GRADER_SHA256: "${sha256}"`,
    '```',
    '',
  ].join('\n');
}

class ReleaseError extends Error {}

function main(args: string[]): void {
  const outIndex = args.indexOf('--out');
  const out = resolve(outIndex >= 0 ? (args[outIndex + 1] ?? '') : join(root, 'release'));
  const unknown = args.filter((arg, index) => !['--out', '--allow-dirty'].includes(arg) && !(outIndex >= 0 && index === outIndex + 1));
  if (unknown.length > 0 || (outIndex >= 0 && !args[outIndex + 1])) throw new ReleaseError(`usage: npm run release -- [--out DIR] [--allow-dirty] (got ${args.join(' ')})`);

  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string; repository?: { url?: string } };
  const { version } = pkg;
  const notes = releaseNotes(readFileSync(join(root, 'CHANGELOG.md'), 'utf8'), version);
  if (notes === undefined) throw new ReleaseError(`CHANGELOG.md has no "## ${version}" section: write what changed in ${version} first`);
  const stale = installDocuments().flatMap((file) =>
    versionPins(readFileSync(join(root, file), 'utf8'))
      .filter((pin) => pin.version !== version)
      .map((pin) => `${file}:${pin.line}: ${pin.text}`),
  );
  if (stale.length > 0) throw new ReleaseError(`these install another version than package.json's ${version}; change them to ${version}:\n${stale.join('\n')}`);
  if (!args.includes('--allow-dirty')) {
    const dirty = execFileSync('git', ['status', '--porcelain'], { cwd: root, encoding: 'utf8' }).trim();
    if (dirty !== '') throw new ReleaseError(`the checkout has uncommitted changes: release from a clean checkout of the tag v${version} (or pass --allow-dirty for a trial)`);
  }

  mkdirSync(out, { recursive: true });
  // npm pack runs prepack, which builds dist/ afresh; its last line of output is the file name.
  const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', out], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })
    .trim()
    .split('\n')
    .at(-1)!;
  const sha256 = createHash('sha256').update(readFileSync(join(out, tarball))).digest('hex');
  writeFileSync(join(out, `${tarball}.sha256`), `${sha256}  ${tarball}\n`);
  // Where the course publishes lab-grader: package.json's repository, else the placeholder the docs use.
  const repositoryUrl = (pkg.repository?.url ?? 'https://github.com/example-org/lab-grader').replace(/^git\+/, '').replace(/\.git$/, '');
  writeFileSync(join(out, `lab-grader-${version}.notes.md`), releaseNotesFile(version, notes, tarball, sha256, repositoryUrl));
  const near = relative(process.cwd(), out);
  const shown = near === '' ? '.' : near.startsWith('..') ? out : near;
  console.log(`release ${version}: ${shown}/${tarball}, ${shown}/${tarball}.sha256 (${sha256}), ${shown}/lab-grader-${version}.notes.md`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof ReleaseError)) throw error;
    console.error(`release: ${error.message}`);
    process.exitCode = 2;
  }
}
