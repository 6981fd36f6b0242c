// The profile names the AWS CLI's shared files define, read only to tell a person that the
// name they typed as --profile is no AWS profile (mistyped, or meant as --lab-profile) before
// the credential chain fails with a message about something else (no region, no credentials).
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The two files the SDK reads profiles from, as AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE set them. */
export function awsProfileFiles(env: NodeJS.ProcessEnv = process.env): { config: string; credentials: string } {
  return {
    config: env.AWS_CONFIG_FILE || join(homedir(), '.aws', 'config'),
    credentials: env.AWS_SHARED_CREDENTIALS_FILE || join(homedir(), '.aws', 'credentials'),
  };
}

/**
 * Section names of ~/.aws/config (`[default]`, `[profile NAME]`, which holds SSO, process and
 * role profiles too) and ~/.aws/credentials (`[NAME]`).
 */
export function awsProfileNames(env: NodeJS.ProcessEnv = process.env): Set<string> {
  const names = new Set<string>();
  const files = awsProfileFiles(env);
  for (const section of sections(files.config)) {
    const named = /^profile\s+(.+)$/.exec(section);
    if (named?.[1]) names.add(named[1].trim());
    else if (section === 'default') names.add(section);
  }
  for (const section of sections(files.credentials)) names.add(section);
  return names;
}

/** A file's path as a person writes it: `~/.aws/config` rather than the home folder spelled out. */
export function homeRelative(path: string, home = homedir()): string {
  return home !== '' && path.startsWith(`${home}/`) ? `~${path.slice(home.length)}` : path;
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
