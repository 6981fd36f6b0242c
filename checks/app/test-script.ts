import { defineCheck, fail, manual, partial, pass } from '../../src/check/define.js';

export default defineCheck({
  id: 'app.test-script',
  title: "The student's Python script tests the app's endpoints",
  run(lab, params) {
    const submission = lab.submission;
    if (submission === null) {
      return manual('Run with --submission DIR (the folder with the student\'s Python test script), or review the student\'s script.', []);
    }
    const probes = lab.snapshot.probes;
    const predictPath = probes.predictEndpoint?.path ?? '/predict';
    const appPaths = new Set([
      predictPath,
      params.loadBalancer.healthCheckPath,
      '/',
      '/docs',
      ...probes.results.filter((result) => result.id.startsWith('get:')).map((result) => result.id.slice('get:'.length)),
    ]);
    const evidence = submission.pythonTests.map((test) => `${test.path} calls ${test.endpoints.join(', ') || 'no endpoint'}`);
    if (submission.pythonTests.length === 0) {
      return fail(
        `No Python test script found in ${submission.dir}: write tests (test_*.py, using requests or httpx) that call the app's endpoints through the ALB.`,
        [`no Python test files in ${submission.dir}`],
      );
    }
    const called = new Set(submission.pythonTests.flatMap((test) => test.endpoints));
    const known = [...called].filter((path) => appPaths.has(path));
    if (called.has(predictPath)) return pass(evidence);
    if (known.length > 0) {
      return partial(0.5, `The tests call ${known.join(', ')} but not the prediction endpoint ${predictPath}: test predictions too.`, evidence);
    }
    return fail(`The Python tests in ${submission.dir} call none of the app's endpoints (${[...appPaths].join(', ')}).`, evidence);
  },
});
