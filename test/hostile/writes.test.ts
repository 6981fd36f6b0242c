// Output paths that are not plain files: symlinks are written through, folders, pipes and
// devices are refused, and what an interrupted write left behind is removed next time.
import { execFileSync } from 'node:child_process';
import { chmod, lstat, mkdir, mkdtemp, readFile, readdir, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { ensureWritableFolder, folderWriter, writeFileAtomically } from '../../src/files.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lab-grader-writes-'));
});
afterEach(async () => {
  await chmod(dir, 0o755);
  await rm(dir, { recursive: true, force: true });
});

describe('writeFileAtomically', () => {
  it('writes through a symlink to its target and keeps the link', async () => {
    await mkdir(join(dir, 'evidence'));
    await writeFile(join(dir, 'evidence', 'real.json'), 'old');
    await symlink(join('evidence', 'real.json'), join(dir, 'snapshot.json'));
    await writeFileAtomically(join(dir, 'snapshot.json'), 'new');
    expect((await lstat(join(dir, 'snapshot.json'))).isSymbolicLink()).toBe(true);
    expect(await readlink(join(dir, 'snapshot.json'))).toBe(join('evidence', 'real.json'));
    expect(await readFile(join(dir, 'evidence', 'real.json'), 'utf8')).toBe('new');
    expect(await readdir(join(dir, 'evidence'))).toEqual(['real.json']);
  });

  it('creates the target of a dangling symlink, through a chain of links', async () => {
    await symlink('second', join(dir, 'first'));
    await symlink('target.json', join(dir, 'second'));
    await writeFileAtomically(join(dir, 'first'), 'text');
    expect(await readFile(join(dir, 'target.json'), 'utf8')).toBe('text');
    expect((await lstat(join(dir, 'first'))).isSymbolicLink()).toBe(true);
  });

  it('refuses a symlink loop', async () => {
    await symlink('b', join(dir, 'a'));
    await symlink('a', join(dir, 'b'));
    await expect(writeFileAtomically(join(dir, 'a'), 'x')).rejects.toThrow(/symbolic links in a row/);
  });

  it('refuses to replace a folder or a named pipe, directly or through a link, and leaves them as they were', async () => {
    await mkdir(join(dir, 'folder'));
    await expect(writeFileAtomically(join(dir, 'folder'), 'x')).rejects.toThrow(UsageError);
    execFileSync('mkfifo', [join(dir, 'pipe')]);
    await symlink('pipe', join(dir, 'to-pipe'));
    await expect(writeFileAtomically(join(dir, 'to-pipe'), 'x')).rejects.toThrow(/is a pipe; lab-grader only writes regular files/);
    expect((await lstat(join(dir, 'pipe'))).isFIFO()).toBe(true);
    expect((await lstat(join(dir, 'folder'))).isDirectory()).toBe(true);
    expect((await readdir(dir)).sort()).toEqual(['folder', 'pipe', 'to-pipe']);
  });

  it("removes temporary files a dead writer left, and not a live writer's", async () => {
    // Above any pid_max Linux allows, so never a running process.
    const dead = join(dir, 'report.html.99999999.0.3.tmp');
    const live = join(dir, `report.html.${process.pid}.0.999.tmp`);
    const other = join(dir, 'junit.xml.99999999.0.1.tmp');
    for (const file of [dead, live, other]) await writeFile(file, 'half');
    await writeFileAtomically(join(dir, 'report.html'), '<html>');
    expect((await readdir(dir)).sort()).toEqual(['junit.xml.99999999.0.1.tmp', 'report.html', `report.html.${process.pid}.0.999.tmp`]);
  });
});

describe('folderWriter (the batch writes a student\'s files through one listing of their folder)', () => {
  it('replaces a file, creates a new one, writes through a symlink and keeps the link', async () => {
    await writeFile(join(dir, 'report.html'), 'old');
    await mkdir(join(dir, 'kept'));
    await writeFile(join(dir, 'kept', 'real.json'), 'old');
    await symlink(join('kept', 'real.json'), join(dir, 'scorecard.json'));
    const folder = await folderWriter(dir);
    await folder.write('report.html', 'new report');
    await folder.write('evidence.json', 'evidence');
    await folder.write('scorecard.json', 'scorecard');
    expect(await readFile(join(dir, 'report.html'), 'utf8')).toBe('new report');
    expect(await readFile(join(dir, 'evidence.json'), 'utf8')).toBe('evidence');
    expect((await lstat(join(dir, 'scorecard.json'))).isSymbolicLink()).toBe(true);
    expect(await readFile(join(dir, 'kept', 'real.json'), 'utf8')).toBe('scorecard');
    expect((await readdir(dir)).sort()).toEqual(['evidence.json', 'kept', 'report.html', 'scorecard.json']);
  });

  it('refuses to replace a folder or a pipe, and leaves them as they were', async () => {
    await mkdir(join(dir, 'report.html'));
    execFileSync('mkfifo', [join(dir, 'pipe')]);
    await symlink('pipe', join(dir, 'scorecard.json'));
    const folder = await folderWriter(dir);
    await expect(folder.write('report.html', 'x')).rejects.toThrow(/is a folder; lab-grader only writes regular files/);
    await expect(folder.write('scorecard.json', 'x')).rejects.toThrow(/is a pipe; lab-grader only writes regular files/);
    expect((await lstat(join(dir, 'report.html'))).isDirectory()).toBe(true);
    expect((await readdir(dir)).sort()).toEqual(['pipe', 'report.html', 'scorecard.json']);
  });

  it("removes a file only when it is there, and temporary files dead writers left, not a live writer's", async () => {
    const dead = 'report.html.99999999.0.3.tmp';
    const live = `scorecard.json.${process.pid}.0.999.tmp`;
    for (const file of [dead, live, 'error.json']) await writeFile(join(dir, file), 'half');
    const folder = await folderWriter(dir);
    await folder.remove('error.json');
    await folder.remove('never-there.json');
    expect((await readdir(dir)).sort()).toEqual([live]);
  });
});

describe('ensureWritableFolder', () => {
  it('refuses a path that is a file', async () => {
    await writeFile(join(dir, 'taken'), '');
    await expect(ensureWritableFolder(join(dir, 'taken'), '--out')).rejects.toThrow(/--out .*taken cannot be written \(EEXIST\)/);
  });

  it.skipIf(process.getuid?.() === 0)('refuses a read-only folder (root may write anywhere, so only as another user)', async () => {
    await chmod(dir, 0o555);
    await expect(ensureWritableFolder(dir, '--out')).rejects.toThrow(/cannot be written \(EACCES\)/);
  });

  it('creates a missing folder and leaves nothing in it', async () => {
    await ensureWritableFolder(join(dir, 'class', 'reports'), '--out');
    expect(await readdir(join(dir, 'class', 'reports'))).toEqual([]);
  });
});
