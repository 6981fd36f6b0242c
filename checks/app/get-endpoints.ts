import { defineCheck, fail, partial, pass } from '../../src/check/define.js';
import { describeResult, failureHint, isSuccess, probesOf, resultsFor, throwIfGraderSide } from '../../src/probe/evidence.js';

export default defineCheck({
  id: 'app.get-endpoints',
  title: "Every GET endpoint of the app's OpenAPI document answers",
  run(lab, params) {
    const seen = probesOf(lab);
    if ('failure' in seen) return fail(seen.failure, seen.evidence);
    const fromDocument = seen.probes.results.filter((result) => result.id.startsWith('get:'));
    const openapi = resultsFor(seen.probes, 'openapi')[0];
    // Without an OpenAPI document, the endpoints every lab app has stand in for the list.
    const results = fromDocument.length > 0 ? fromDocument : resultsFor(seen.probes, 'root', 'health');
    const evidence = [
      `target ${seen.target}`,
      fromDocument.length > 0
        ? `${fromDocument.length} GET endpoint(s) listed in /openapi.json`
        : `no GET endpoints from an OpenAPI document (${openapi ? describeResult(openapi) : 'not probed'}); probed / and ${params.loadBalancer.healthCheckPath}`,
      ...results.map(describeResult),
    ];
    const answered = results.filter(isSuccess);
    if (results.length > 0 && answered.length === results.length) return pass(evidence);
    if (answered.length === 0) throwIfGraderSide(results);
    const failed = results.filter((result) => !isSuccess(result));
    const hint = `Every GET endpoint should answer 2xx through the ALB; failing: ${failed
      .map((result) => new URL(result.url).pathname)
      .join(', ')}. ${failureHint(failed[0])}`;
    if (answered.length === 0) return fail(hint, evidence);
    return partial(answered.length / results.length, hint, evidence);
  },
});
