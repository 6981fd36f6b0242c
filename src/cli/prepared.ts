// What is the same for every run of a release, prepared once when the package is built
// (scripts/bundle.mjs writes prepared.json beside the bin): the bundled rubric parsed and
// validated, and the bundled examples' verification evidence. A run uses a prepared value only
// for the exact bytes it was made from (the SHA-256 of rubric.yaml, of each example), so an
// edited file is parsed as before; so is everything when run from source, where nothing is built.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { snapshotEvidence } from '../integrity/evidence.js';
import type { Evidence } from '../integrity/types.js';
import { INPUT_LIMITS, readLimitedSync } from '../limits.js';
import type { Rubric } from '../rubric/types.js';
import { parseSnapshot } from '../snapshot/load.js';
import { packageRoot, rubricLocation } from './paths.js';

/** The file the build writes beside the bin. */
export const PREPARED_FILE = 'prepared.json';

/** A bundled example snapshot: anyone can download it, so a student handing it in proves nothing. */
export interface BundledExample {
  /** `examples/complete-lab.snapshot.json`: the name flags show. */
  name: string;
  evidence: Evidence;
}

export interface PreparedState {
  /** The bundled rubric.yaml as `loadRubric` returns it (its `sha256` names the bytes). */
  rubric: Rubric;
  /** Each bundled example with the SHA-256 of its file. */
  examples: (BundledExample & { sha256: string })[];
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

function exampleFiles(root: string): string[] {
  return readdirSync(join(root, 'examples'))
    .filter((file) => file.endsWith('.snapshot.json'))
    .sort();
}

function exampleOf(name: string, bytes: Buffer): BundledExample {
  return { name, evidence: snapshotEvidence(parseSnapshot(bytes.toString('utf8'), name)) };
}

/** Computes the prepared state of the package at `root` (the build calls this). */
export async function prepareState(root: string): Promise<PreparedState> {
  const { loadRubric } = await import('../rubric/load.js');
  return {
    rubric: loadRubric(join(root, 'rubric.yaml'), 'rubric.yaml'),
    examples: exampleFiles(root).map((file) => {
      const bytes = readFileSync(join(root, 'examples', file));
      return { ...exampleOf(`examples/${file}`, bytes), sha256: sha256(bytes) };
    }),
  };
}

let loaded: PreparedState | null | undefined;

/** The build's prepared state beside this module, or null (run from source, or no readable file). */
export function preparedState(): PreparedState | null {
  if (loaded === undefined) {
    try {
      loaded = JSON.parse(readFileSync(new URL(PREPARED_FILE, import.meta.url), 'utf8')) as PreparedState;
    } catch {
      loaded = null;
    }
  }
  return loaded;
}

/**
 * The rubric to grade with: `--rubric FILE` when given, else the bundled rubric.yaml, taken
 * from the prepared state when its bytes are the ones it was prepared from. The YAML parser and
 * the rubric's schema are loaded only when a rubric has to be parsed.
 */
export async function loadGradingRubric(given: string | undefined, prepared = preparedState()): Promise<Rubric> {
  const location = rubricLocation(given);
  if (given === undefined && prepared) {
    let bytes: Uint8Array | undefined;
    try {
      bytes = readLimitedSync(location.path, INPUT_LIMITS.rubricBytes, 'rubric');
    } catch {
      // loadRubric below says what is wrong with the file.
    }
    if (bytes && sha256(bytes) === prepared.rubric.sha256) return prepared.rubric;
  }
  const { loadRubric } = await import('../rubric/load.js');
  return loadRubric(location.path, location.name);
}

/** The bundled examples' evidence: prepared for the files the build saw, read and parsed for any other. */
export function bundledExamples(prepared = preparedState(), root = packageRoot()): BundledExample[] {
  return exampleFiles(root).map((file) => {
    const name = `examples/${file}`;
    const bytes = readFileSync(join(root, 'examples', file));
    const known = prepared?.examples.find((example) => example.name === name);
    return known && known.sha256 === sha256(bytes) ? { name, evidence: known.evidence } : exampleOf(name, bytes);
  });
}
