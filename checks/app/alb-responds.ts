import { defineCheck } from '../../src/check/define.js';
import { anyAnswers } from '../../src/probe/evidence.js';

export default defineCheck({
  id: 'app.alb-responds',
  title: 'The ALB answers over HTTP with a success status',
  run: (lab, params) =>
    anyAnswers(lab, ['root', 'health'], `The ALB must answer GET / or GET ${params.loadBalancer.healthCheckPath} with a 2xx status.`),
});
