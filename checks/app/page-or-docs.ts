import { defineCheck } from '../../src/check/define.js';
import { anyAnswers } from '../../src/probe/evidence.js';

export default defineCheck({
  id: 'app.page-or-docs',
  title: "The app's page or API docs answer through the ALB",
  run: (lab) => anyAnswers(lab, ['root', 'docs'], "Open the app through the ALB's DNS name: GET / or GET /docs must answer 2xx."),
});
