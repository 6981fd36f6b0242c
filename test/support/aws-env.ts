// Fake AWS credentials for tests that build real SDK clients: no profile or file on the
// machine running the tests is ever read.
import { vi } from 'vitest';

export function stubTestCredentials(): void {
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIAFAKEEXAMPLEKEY01');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY');
  vi.stubEnv('AWS_CONFIG_FILE', '/nonexistent/lab-grader-test-config');
  vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', '/nonexistent/lab-grader-test-credentials');
}
