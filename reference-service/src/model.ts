// The sentiment model: an AFINN-style lexicon (word → valence -5..+5) with simple negation.
// It is data, not code: the service loads it from artifact files (see artifacts.ts).

/** metadata.json: describes lexicon.json and the scoring settings that go with it. */
export interface ModelMetadata {
  format: 'lexicon-sentiment/1';
  name: string;
  version: string;
  source: string;
  license: string;
  /** Number of entries in lexicon.json. */
  words: number;
  /** SHA-256 (hex) of the lexicon.json bytes, so a truncated or mixed-up upload is caught. */
  lexiconSha256: string;
  /** Words that flip the valence of the next scored words within `negationWindow` tokens. */
  negators: string[];
  negationWindow: number;
  /** score = 1 / (1 + e^(-valence / temperature)). */
  temperature: number;
}

/** lexicon.json: word or short phrase → valence. */
export type Lexicon = Record<string, number>;

export type SentimentLabel = 'positive' | 'negative' | 'neutral';

export interface Match {
  /** The lexicon entry that matched (a word or a phrase). */
  term: string;
  valence: number;
  /** The entry followed a negator, so its valence was flipped. */
  negated: boolean;
}

export interface Prediction {
  label: SentimentLabel;
  /** Probability-like positivity in 0..1: above 0.5 positive, below negative, 0.5 neutral. */
  score: number;
  /** Sum of the matched valences, after negation. */
  valence: number;
  /** Valence per token, comparable across text lengths. */
  comparative: number;
  tokens: number;
  matches: Match[];
}

export interface SentimentModel {
  metadata: ModelMetadata;
  predict(text: string): Prediction;
}

const TOKEN = /[a-z0-9]+(?:['-][a-z0-9]+)*/g;
const CLAUSE_BREAK = /[.!?;:,]+/;

function clauses(text: string): string[][] {
  const normalised = text.toLowerCase().replace(/[\u2018\u2019\u02bc]/g, "'");
  return normalised.split(CLAUSE_BREAK).map((clause) => clause.match(TOKEN) ?? []);
}

export function createModel(metadata: ModelMetadata, lexicon: Lexicon): SentimentModel {
  const entries = new Map(Object.entries(lexicon));
  const negators = new Set(metadata.negators);
  const longestPhrase = Math.max(1, ...[...entries.keys()].map((term) => term.split(' ').length));

  function longestMatch(words: string[], start: number): { term: string; valence: number; length: number } | undefined {
    for (let length = Math.min(longestPhrase, words.length - start); length >= 1; length--) {
      const term = words.slice(start, start + length).join(' ');
      const valence = entries.get(term);
      if (valence !== undefined) return { term, valence, length };
    }
    return undefined;
  }

  function predict(text: string): Prediction {
    const matches: Match[] = [];
    let tokens = 0;
    for (const words of clauses(text)) {
      tokens += words.length;
      // Index of the last negator seen in this clause; negation never crosses punctuation.
      let lastNegator = -Infinity;
      for (let i = 0; i < words.length; ) {
        const found = longestMatch(words, i);
        // A negator is a switch, not a sentiment word, unless it starts a phrase ("no fun").
        if (negators.has(words[i]!) && (found === undefined || found.length === 1)) {
          lastNegator = i;
          i += 1;
          continue;
        }
        if (found === undefined) {
          i += 1;
          continue;
        }
        const negated = i - lastNegator <= metadata.negationWindow;
        matches.push({ term: found.term, valence: negated ? -found.valence : found.valence, negated });
        i += found.length;
      }
    }
    const valence = matches.reduce((sum, match) => sum + match.valence, 0);
    const label: SentimentLabel = valence > 0 ? 'positive' : valence < 0 ? 'negative' : 'neutral';
    const score = 1 / (1 + Math.exp(-valence / metadata.temperature));
    return {
      label,
      score: Math.round(score * 10_000) / 10_000,
      valence,
      comparative: tokens === 0 ? 0 : Math.round((valence / tokens) * 10_000) / 10_000,
      tokens,
      matches,
    };
  }

  return { metadata, predict };
}
