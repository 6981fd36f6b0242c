import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { endpointsIn, scanSubmission } from '../../src/submission/scan.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'submission-'));
  const files: Record<string, string> = {
    // A pytest file using an f-string base URL.
    'tests/test_endpoints.py': [
      'import os',
      'import requests',
      'BASE_URL = os.environ.get("ALB_URL", "http://sentiment-app-alb-1234567890.eu-west-1.elb.amazonaws.com")',
      '',
      'def test_health():',
      '    assert requests.get(f"{BASE_URL}/health").status_code == 200',
      '',
      'def test_predict():',
      '    r = requests.post(BASE_URL + "/predict", json={"text": "I love it"})',
      '    assert r.json()["prediction"] == "positive"',
    ].join('\n'),
    // A script that is a test by content: an HTTP client and asserts.
    'check_api.py': ['import httpx', 'r = httpx.get("http://example.com/docs")', 'assert r.status_code == 200'].join('\n'),
    // Neither named as a test nor asserting: the app itself.
    'app/main.py': ['from fastapi import FastAPI', 'app = FastAPI()', '@app.get("/health")', 'def health():', '    return {"status": "ok"}'].join('\n'),
    // Installed packages are never the student's tests.
    '.venv/lib/site-packages/requests/test_requests.py': 'import requests\nassert requests.get("/x")\n',
    // A test file that calls no endpoint.
    'test_math.py': 'def test_add():\n    assert 1 + 1 == 2\n',
  };
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), text);
  }
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('scanSubmission', () => {
  it('finds the Python tests and the endpoints each calls, skipping the app and installed packages', async () => {
    expect(await scanSubmission(dir)).toEqual({
      dir,
      pythonTests: [
        { path: 'check_api.py', endpoints: ['/docs'] },
        { path: 'test_math.py', endpoints: [] },
        { path: 'tests/test_endpoints.py', endpoints: ['/health', '/predict'] },
      ],
    });
  });

  it('says what to give when the folder does not exist', async () => {
    await expect(scanSubmission(join(dir, 'missing'))).rejects.toBeInstanceOf(UsageError);
  });
});

describe('endpointsIn', () => {
  it.each([
    ['requests.get("http://my-alb.example.com/health")', ['/health']],
    ["client.post('/analyze', json={'review': 'ok'})", ['/analyze']],
    ['url = f"{BASE}/predict?debug=1"', ['/predict']],
    ['requests.get(f"{BASE}/")', ['/']],
    ['print("/")', []],
    ['open("data/reviews.csv")', []],
    ['msg = "hello world"', []],
  ])('%s → %j', (source, expected) => {
    expect(endpointsIn(source)).toEqual(expected);
  });
});
