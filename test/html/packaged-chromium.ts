// Unpacks the Chromium that @sparticuz/chromium carries as Brotli files inside the npm
// package: the binary, the NSS/NSPR/expat libraries it links (so the system needs only
// glibc), SwiftShader and a font. Unpacked once into node_modules/.cache and renamed into
// place whole, so parallel test workers never run a half-written binary.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm, writeFile, chmod } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliDecompress } from 'node:zlib';

const unbrotli = promisify(brotliDecompress);
const CACHE = fileURLToPath(new URL('../../node_modules/.cache/lab-grader-chromium/', import.meta.url));

export interface PackagedChromium {
  executablePath: string;
  /** What the binary needs in its environment: its own libraries and fonts. */
  env: Record<string, string>;
}

export async function packagedChromium(): Promise<PackagedChromium> {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(
      `@sparticuz/chromium ships a Linux x64 Chromium only (this is ${process.platform} ${process.arch}): ` +
        'set LAB_GRADER_CHROMIUM to a Chromium or Chrome binary to run the HTML tests.',
    );
  }
  const require = createRequire(import.meta.url);
  // The package exports no package.json; its entry point is build/cjs/index.cjs.
  const root = join(dirname(require.resolve('@sparticuz/chromium')), '..', '..');
  const { version } = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { version: string };
  const dir = join(CACHE, version);
  if (!existsSync(join(dir, 'chromium'))) await unpack(join(root, 'bin'), dir);
  return {
    executablePath: join(dir, 'chromium'),
    env: { LD_LIBRARY_PATH: join(dir, 'lib'), FONTCONFIG_PATH: dir },
  };
}

async function unpack(bin: string, dir: string): Promise<void> {
  await mkdir(CACHE, { recursive: true });
  const staging = await mkdtemp(join(CACHE, 'unpacking-'));
  try {
    await writeFile(join(staging, 'chromium'), await unbrotli(await readFile(join(bin, 'chromium.br'))));
    await chmod(join(staging, 'chromium'), 0o755);
    for (const archive of ['al2023.tar.br', 'swiftshader.tar.br', 'fonts.tar.br']) {
      await untar(await unbrotli(await readFile(join(bin, archive))), staging);
    }
    // The package's fonts.conf names Lambda's folders; this one names the unpacked fonts.
    await writeFile(
      join(staging, 'fonts.conf'),
      `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig><dir>${join(dir, 'fonts')}</dir>` +
        `<cachedir>${join(dir, 'fonts-cache')}</cachedir></fontconfig>\n`,
    );
    await rename(staging, dir);
  } catch (error) {
    // Another worker renamed its copy into place first: theirs is as good as ours.
    if (!existsSync(join(dir, 'chromium'))) throw error;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** Extracts the regular files and folders of a ustar archive (all these archives hold). */
async function untar(archive: Buffer, into: string): Promise<void> {
  for (let at = 0; at + 512 <= archive.length; ) {
    const header = archive.subarray(at, at + 512);
    const name = field(header, 0, 100);
    if (!name) break;
    const prefix = field(header, 345, 155);
    const path = join(into, prefix ? `${prefix}/${name}` : name);
    if (!path.startsWith(into)) throw new Error(`archive entry ${name} leaves its folder`);
    const size = Number.parseInt(field(header, 124, 12) || '0', 8);
    const type = String.fromCharCode(header[156] ?? 0);
    if (type === '5') await mkdir(path, { recursive: true });
    if (type === '0' || type === '\0') {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, archive.subarray(at + 512, at + 512 + size), { mode: 0o755 });
    }
    at += 512 + Math.ceil(size / 512) * 512;
  }
}

function field(header: Buffer, start: number, length: number): string {
  return header.subarray(start, start + length).toString('utf8').replace(/\0.*$/s, '').trim();
}
