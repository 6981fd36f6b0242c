import { defineCheck, fail, pass } from '../../src/check/define.js';
import { describeResult, failureHint, isSuccess, probesOf, resultsFor, throwIfGraderSide } from '../../src/probe/evidence.js';

export default defineCheck({
  id: 'app.page-or-docs',
  title: "The app's page or API docs answer through the ALB",
  needs: [],
  run(lab) {
    const seen = probesOf(lab);
    if ('failure' in seen) return fail(seen.failure, seen.evidence);
    const results = resultsFor(seen.probes, 'root', 'docs');
    const evidence = [`target ${seen.target}`, ...results.map(describeResult)];
    if (results.some(isSuccess)) return pass(evidence);
    throwIfGraderSide(results);
    return fail(`Open the app through the ALB's DNS name: GET / or GET /docs must answer 2xx (step 6.1). ${failureHint(results[0])}`, evidence);
  },
});
