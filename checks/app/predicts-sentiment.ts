import { defineCheck, fail, pass } from '../../src/check/define.js';
import { describeResult, failureHint, isSuccess, openApiNotUnderstood, probesOf, resultsFor, throwIfGraderSide } from '../../src/probe/evidence.js';
import type { ProbeResult } from '../../src/snapshot/types.js';

const LABEL_KEY = /label|sentiment|predict|class|category|result|output|verdict/i;
const SCORE_KEY = /score|prob|confidence|polarity|compound|value/i;

interface Reading {
  label?: string;
  score?: number;
}

/** The first label-like and score-like values in an answer, looking a few levels deep. */
function readAnswer(value: unknown, key = '', depth = 0, found: Reading = {}): Reading {
  if (depth > 4) return found;
  if (typeof value === 'string' && found.label === undefined && (depth === 0 || LABEL_KEY.test(key))) found.label = value.trim().toLowerCase();
  else if (typeof value === 'number' && found.score === undefined && SCORE_KEY.test(key)) found.score = value;
  else if ((typeof value === 'number' || typeof value === 'boolean') && found.label === undefined && LABEL_KEY.test(key)) found.label = String(value);
  else if (Array.isArray(value) && value.length > 0) readAnswer(value[0], key, depth + 1, found);
  else if (typeof value === 'object' && value !== null) {
    for (const [childKey, child] of Object.entries(value)) readAnswer(child, childKey, depth + 1, found);
  }
  return found;
}

function parse(result: ProbeResult): Reading {
  try {
    return readAnswer(JSON.parse(result.bodyExcerpt) as unknown);
  } catch {
    return result.bodyExcerpt.length > 0 && result.bodyExcerpt.length < 40 ? { label: result.bodyExcerpt.trim().toLowerCase() } : {};
  }
}

const quoted = (values: Iterable<string>): string => [...new Set(values)].map((value) => `"${value}"`).join(', ');

export default defineCheck({
  id: 'app.predicts-sentiment',
  title: 'The prediction endpoint tells positive from negative texts',
  run(lab) {
    const seen = probesOf(lab);
    if ('failure' in seen) return fail(seen.failure, seen.evidence);
    const endpoint = seen.probes.predictEndpoint;
    const positives = resultsFor(seen.probes, 'predict.positive');
    const negatives = resultsFor(seen.probes, 'predict.negative');
    const all = [...positives, ...negatives];
    const evidence = [`target ${seen.target}`, endpoint ? `prediction endpoint: ${endpoint.foundBy}` : 'no prediction endpoint found'];
    if (all.length === 0) {
      if (seen.probes.openapiNotUnderstood !== undefined) throw openApiNotUnderstood(seen.probes.openapiNotUnderstood);
      if (endpoint === null && seen.probes.results.some((result) => result.id === 'openapi' && isSuccess(result))) {
        return fail('The app should have a POST endpoint that takes a JSON body with a text field and returns its sentiment; none is in /openapi.json.', evidence);
      }
      const first = resultsFor(seen.probes, 'root', 'health');
      if (!first.some(isSuccess)) throwIfGraderSide(first);
      return fail(`The app was not reachable, so no prediction was requested. ${seen.probes.skipped ?? ''} ${failureHint(first[0])}`.trim(), [
        ...evidence,
        ...first.map(describeResult),
      ]);
    }
    evidence.push(...all.map((result) => `${describeResult(result)}: ${result.bodyExcerpt.slice(0, 120)}`));
    const failed = all.filter((result) => !isSuccess(result));
    if (failed.length === all.length) throwIfGraderSide(failed);
    if (failed.length > 0) {
      return fail(`The prediction endpoint ${endpoint?.path ?? ''} must answer 2xx for every text. ${failureHint(failed[0])}`, evidence);
    }

    const positiveReadings = positives.map(parse);
    const negativeReadings = negatives.map(parse);
    const readings = [...positiveReadings, ...negativeReadings];
    if (readings.every((reading) => reading.label !== undefined)) {
      const positiveLabels = positiveReadings.map((reading) => reading.label as string);
      const negativeLabels = negativeReadings.map((reading) => reading.label as string);
      const shared = positiveLabels.filter((label) => negativeLabels.includes(label));
      if (shared.length > 0) {
        return fail(
          `The endpoint answered ${quoted(shared)} for both positive and negative texts: it must return a sentiment that depends on the text (is the model loaded, and is the input field used?).`,
          evidence,
        );
      }
      const polar = (labels: string[], word: string): boolean => labels.every((label) => label.includes(word));
      const looksPolar = [...positiveLabels, ...negativeLabels].every((label) => /pos|neg/.test(label));
      if (looksPolar && !(polar(positiveLabels, 'pos') && polar(negativeLabels, 'neg'))) {
        return fail(`The labels are reversed: positive texts got ${quoted(positiveLabels)}, negative texts ${quoted(negativeLabels)}.`, evidence);
      }
      return pass([...evidence, `positive texts → ${quoted(positiveLabels)}; negative texts → ${quoted(negativeLabels)}`]);
    }
    if (readings.every((reading) => reading.score !== undefined)) {
      const positiveScores = positiveReadings.map((reading) => reading.score as number);
      const negativeScores = negativeReadings.map((reading) => reading.score as number);
      const apart = Math.min(...positiveScores) > Math.max(...negativeScores) || Math.max(...positiveScores) < Math.min(...negativeScores);
      evidence.push(`positive scores [${positiveScores.join(', ')}]; negative scores [${negativeScores.join(', ')}]`);
      if (apart) return pass(evidence);
      return fail('The scores of positive and negative texts overlap: the prediction must tell them apart.', evidence);
    }
    return fail('The answers carry no sentiment label (e.g. {"sentiment": "positive"}) or score that could be compared.', evidence);
  },
});
