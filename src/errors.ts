// The errors a person can fix. Anything else thrown is a bug and prints its stack.

/** Bad input: a rubric, snapshot, roster or flag. Exit 2. The message says where and what to do. */
export class UsageError extends Error {
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** AWS could not be reached, or credentials are missing or expired. Exit 3. The message says how to fix it. */
export class AwsAccessError extends Error {
  readonly exitCode = 3;
  constructor(message: string) {
    super(message);
    this.name = 'AwsAccessError';
  }
}

/** A file-system refusal (no such folder, no permission, disk full) is the person's to fix: exit 2. */
export function unwritable(error: unknown, flag: string): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' ? new UsageError(`cannot write ${flag} (${code}): choose a folder you can write to`) : error;
}
