// Every doc and CI template installs the version in package.json, and the release script's
// notes come from the CHANGELOG. (The release itself, packed, checked and installed, runs in
// .ci/check-package.)
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { installDocuments, releaseNotes, releaseNotesFile, versionPins } from '../../scripts/release.js';
import { root } from '../support/cli.js';

const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
const read = (file: string): string => readFileSync(join(root, file), 'utf8');

describe('the pinned version', () => {
  const pins = installDocuments().flatMap((file) => versionPins(read(file)).map((pin) => ({ file, ...pin })));

  it('is package.json\'s in every doc and CI template that installs lab-grader', () => {
    expect(pins.filter((pin) => pin.version !== version).map((pin) => `${pin.file}:${pin.line}: ${pin.text}`)).toEqual([]);
  });

  it('is found where a course copies it from', () => {
    const files = new Set(pins.map((pin) => pin.file));
    for (const file of ['README.md', 'docs/install.md', 'docs/ci/github-actions.yml', 'docs/ci/classroom/classroom.yml']) expect(files).toContain(file);
  });

  it('finds a tarball name, a release URL and a git tag, with their lines', () => {
    const text = [
      'curl -fsSLO https://github.com/example-org/lab-grader/releases/download/v0.1.0/lab-grader-0.1.0.tgz',
      'git clone --branch v0.3.1 https://github.com/example-org/lab-grader.git',
      'lab-grader-X.Y.Z.tgz is a placeholder, not a pin; so is Node 20.19.0',
    ].join('\n');
    expect(versionPins(text).map((pin) => [pin.line, pin.version, pin.text])).toEqual([
      [1, '0.1.0', 'lab-grader-0.1.0.tgz'],
      [1, '0.1.0', '/releases/download/v0.1.0/'],
      [2, '0.3.1', '--branch v0.3.1'],
    ]);
  });
});

describe('npm run release', () => {
  it('takes the release notes from the CHANGELOG section of the version', () => {
    const changelog = '# Changelog\n\n## 0.3.0\n\n### Added\n\n- a thing\n\n## 0.2.0\n\n- older\n';
    expect(releaseNotes(changelog, '0.3.0')).toBe('### Added\n\n- a thing');
    expect(releaseNotes(changelog, '0.2.0')).toBe('- older');
    expect(releaseNotes(changelog, '0.4.0')).toBeUndefined();
    expect(releaseNotes(read('CHANGELOG.md'), version)).toMatch(/\S/);
  });

  it('writes notes with the install commands pinned to the tarball and its checksum', () => {
    const notes = releaseNotesFile('0.3.0', '- a thing', 'lab-grader-0.3.0.tgz', 'ab'.repeat(32), 'https://github.com/example-org/lab-grader');
    expect(notes).toMatch(/^# lab-grader 0\.3\.0\n\n- a thing\n/);
    expect(notes).toContain(`echo "${'ab'.repeat(32)}  lab-grader-0.3.0.tgz" | sha256sum --check -`);
    expect(notes).toContain('LAB_GRADER_URL: https://github.com/example-org/lab-grader/releases/download/v0.3.0/lab-grader-0.3.0.tgz');
    // The notes pin one version, their own.
    expect(new Set(versionPins(notes).map((pin) => pin.version))).toEqual(new Set(['0.3.0']));
  });

  it('refuses an unknown argument with exit 2 and its usage, before packing anything', async () => {
    const tsx = import.meta.resolve('tsx');
    const result = await new Promise<{ code: number; stderr: string }>((done) =>
      execFile(process.execPath, ['--import', tsx, join(root, 'scripts/release.ts'), '--publish'], (error, _stdout, stderr) => done({ code: error ? Number(error.code) : 0, stderr })),
    );
    expect(result).toEqual({ code: 2, stderr: 'release: usage: npm run release -- [--out DIR] [--allow-dirty] (got --publish)\n' });
  });
});
