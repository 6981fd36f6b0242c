// Writing output files so that a reader (or a crash) never leaves half a file behind.
import { rename, rm, writeFile } from 'node:fs/promises';
import { threadId } from 'node:worker_threads';

/** Numbers temporary files, so two writes of one file in this process never share one. */
let temporaryFiles = 0;

/** Writes through a temporary file in the same folder, then renames it into place. */
export async function writeFileAtomically(file: string, text: string): Promise<void> {
  temporaryFiles += 1;
  // Batch grading writes from worker threads that share the process id.
  const temporary = `${file}.${process.pid}.${threadId}.${temporaryFiles}.tmp`;
  try {
    await writeFile(temporary, text, 'utf8');
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
