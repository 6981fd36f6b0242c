// Step 6.2's evidence from the student's own files: Python tests that call the app's endpoints.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { UsageError } from '../errors.js';
import type { Submission } from '../resolve/lab.js';

/** Folders that hold installed packages or tool caches, never the student's own tests. */
const SKIPPED_DIRS = new Set(['node_modules', '.git', '.venv', 'venv', 'env', '__pycache__', 'site-packages', '.tox', '.mypy_cache', '.pytest_cache', 'dist', 'build']);
const MAX_DEPTH = 8;
const MAX_FILES = 5000;
const MAX_FILE_BYTES = 1024 * 1024;

const TEST_FILE_NAME = /^(test_.*|.*_test)\.py$/;
const HTTP_CLIENT = /\b(import\s+(requests|httpx|aiohttp|urllib)|from\s+(requests|httpx|aiohttp|urllib[\w.]*|fastapi\.testclient|starlette\.testclient)\s+import)\b/;
const STRING_LITERAL = /[rfbu]{0,2}("""[\s\S]*?"""|'''[\s\S]*?'''|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')/gi;
/** A URL's origin, or an f-string placeholder for one (`{BASE_URL}`), before the path. */
const BASE_PREFIX = /^(?:https?:\/\/[^/\s"']+|\{[^}]*\})/;
const PATH = /^\/[\w\-.~/]*$/;

/** The endpoint paths a Python file's string literals name (`"/predict"`, `f"{BASE}/health"`, `"http://host/docs"`). */
export function endpointsIn(source: string): string[] {
  const found = new Set<string>();
  for (const match of source.matchAll(STRING_LITERAL)) {
    const literal = (match[1] as string).replace(/^("""|'''|"|')|("""|'''|"|')$/g, '');
    const prefix = BASE_PREFIX.exec(literal)?.[0] ?? '';
    const rest = literal.slice(prefix.length).split(/[?#]/)[0] ?? '';
    if (!PATH.test(rest)) continue;
    // A bare "/" is a path only after a base URL; alone it is more often a separator.
    if (rest === '/' && prefix === '') continue;
    found.add(rest.length > 1 ? rest.replace(/\/+$/, '') : rest);
  }
  return [...found].sort();
}

async function walk(dir: string, depth: number, files: string[]): Promise<void> {
  if (depth > MAX_DEPTH || files.length >= MAX_FILES) return;
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    if (files.length >= MAX_FILES) return;
    const path = join(dir, entry.name);
    if (entry.isDirectory() && !SKIPPED_DIRS.has(entry.name)) await walk(path, depth + 1, files);
    else if (entry.isFile() && entry.name.endsWith('.py')) files.push(path);
  }
}

/** Look through a student's submission folder for their Python endpoint tests. */
export async function scanSubmission(dir: string): Promise<Submission> {
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) throw new UsageError(`--submission ${dir}: not a folder. Give the folder that holds the student's Python test script.`);
  const files: string[] = [];
  await walk(dir, 0, files);
  const pythonTests: Submission['pythonTests'] = [];
  for (const file of files) {
    if ((await stat(file)).size > MAX_FILE_BYTES) continue;
    const source = await readFile(file, 'utf8');
    const name = file.split(sep).pop() ?? file;
    const usesHttp = HTTP_CLIENT.test(source) || /\bTestClient\(/.test(source);
    const isTest = TEST_FILE_NAME.test(name) || (usesHttp && /^\s*assert\b/m.test(source));
    if (!isTest) continue;
    pythonTests.push({ path: relative(dir, file).split(sep).join('/'), endpoints: usesHttp ? endpointsIn(source) : [] });
  }
  return { dir, pythonTests };
}
