import { defineCheck, fail, pass } from '../../src/check/define.js';
import { describeResult, failureHint, isSuccess, probesOf, resultsFor, throwIfGraderSide } from '../../src/probe/evidence.js';

export default defineCheck({
  id: 'app.alb-responds',
  title: 'The ALB answers over HTTP with a success status',
  needs: [],
  run(lab, params) {
    const seen = probesOf(lab);
    if ('failure' in seen) return fail(seen.failure, seen.evidence);
    const results = resultsFor(seen.probes, 'root', 'health');
    const evidence = [`target ${seen.target}`, ...results.map(describeResult)];
    if (results.some(isSuccess)) return pass(evidence);
    throwIfGraderSide(results);
    return fail(`The ALB must answer GET / or GET ${params.loadBalancer.healthCheckPath} with a 2xx status (step 5.5). ${failureHint(results[0])}`, evidence);
  },
});
