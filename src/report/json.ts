// The scorecard itself, for tools and for regrading comparisons: byte-stable because the
// engine builds it in rubric order.
import type { Scorecard } from '../grade/scorecard.js';
import type { Reporter } from './steps.js';

export const jsonReporter: Reporter = {
  file: 'scorecard.json',
  render: (scorecard: Scorecard) => `${JSON.stringify(scorecard, null, 2)}\n`,
};
