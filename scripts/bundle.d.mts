// Types of scripts/bundle.mjs, for the test that builds the published bin.
import type { Metafile } from 'esbuild';

/** Bundles the bin into `outdir` (default dist/bin, emptied first); returns esbuild's metafile. */
export function bundle(outdir?: string): Promise<Metafile>;

/** The AWS SDK schema module `source` with each computed trait key of a string constant written as that string. */
export function literalSchemaKeys(source: string): string;

/** commander's lib/command.js `source` requiring node:child_process only where it spawns; throws when commander reads otherwise. */
export function lazyChildProcess(source: string): string;
