// A rubric profile by name, and the params it grades with: the rubric's, then the profile's
// overrides, then the command line's `--param`.
import { UsageError } from '../errors.js';
import { ParamOverrideError, applyParamOverrides, coerceParamValue } from './overrides.js';
import type { LabParams } from './params.js';
import type { Rubric, RubricProfile } from './types.js';

/** The rubric profile by name (the default when absent); an unknown name says what exists. */
export function pickProfile(rubric: Rubric, name: string | undefined): RubricProfile {
  const profile = name === undefined ? rubric.profiles.find((candidate) => candidate.default) : rubric.profiles.find((candidate) => candidate.name === name);
  if (profile) return profile;
  const known = rubric.profiles.map((candidate) => candidate.name).join(', ');
  throw new UsageError(
    `"${name}" is not a lab profile of ${rubric.file} (its profiles: ${known}). ` +
      `To use the AWS credentials profile "${name}", pass --profile ${name}.`,
  );
}

/** The rubric's params, then the profile's, then the command line's `--param` overrides. */
export function paramsFor(rubric: Rubric, profile: RubricProfile, overrides: Record<string, string>): LabParams {
  let params: LabParams;
  try {
    params = applyParamOverrides(rubric.params, profile.params);
  } catch (error) {
    if (error instanceof ParamOverrideError) throw new UsageError(`${rubric.file}: profiles.${profile.name}.params.${error.message}`);
    throw error;
  }
  try {
    const typed = Object.fromEntries(Object.entries(overrides).map(([key, text]) => [key, coerceParamValue(key, text)]));
    return applyParamOverrides(params, typed);
  } catch (error) {
    if (error instanceof ParamOverrideError) throw new UsageError(`--param ${error.message}`);
    throw error;
  }
}
