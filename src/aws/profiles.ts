// The profile names the AWS CLI's shared files define, read only to tell a person that the
// name they typed as --profile is not an AWS profile (and was likely meant as --lab-profile).
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Section names of ~/.aws/config (`[default]`, `[profile NAME]`) and ~/.aws/credentials (`[NAME]`). */
export function awsProfileNames(env: NodeJS.ProcessEnv = process.env): Set<string> {
  const names = new Set<string>();
  const config = env.AWS_CONFIG_FILE || join(homedir(), '.aws', 'config');
  const credentials = env.AWS_SHARED_CREDENTIALS_FILE || join(homedir(), '.aws', 'credentials');
  for (const section of sections(config)) {
    const named = /^profile\s+(.+)$/.exec(section);
    if (named?.[1]) names.add(named[1].trim());
    else if (section === 'default') names.add(section);
  }
  for (const section of sections(credentials)) names.add(section);
  return names;
}

function sections(file: string): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return [...text.matchAll(/^\s*\[([^\]]+)\]/gm)].map((match) => (match[1] ?? '').trim());
}
