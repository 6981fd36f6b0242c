// The probe target as a base URL, checked before anything is collected so a bad `--alb-url`
// costs no AWS calls.
import { UsageError } from '../errors.js';

/** The URL probes are sent under: http(s), no credentials, no query or fragment. */
export function probeBaseUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`The probe target "${text}" is not a URL; give one like http://my-alb-123.eu-west-1.elb.amazonaws.com`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`The probe target "${text}" must be an http:// or https:// URL.`);
  }
  if (url.username || url.password) throw new UsageError('The probe target must not carry credentials.');
  url.search = '';
  url.hash = '';
  return url;
}
