// A student's submission as `--submission` reports it: Python tests that call /health and /predict.
import type { Submission } from '../../src/resolve/lab.js';

export const submission: Submission = { dir: 'submission', pythonTests: [{ path: 'tests/test_api.py', endpoints: ['/health', '/predict'] }] };
