// Summarises a V8 CPU profile (node --cpu-prof): the functions, and the files, with the most
// self time. Used to find what a benchmark's figure is made of.
//
//   npx tsx bench/profile-top.ts PROFILE.cpuprofile [rows]
import { readFileSync } from 'node:fs';

const [file, rowsArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: npx tsx bench/profile-top.ts PROFILE.cpuprofile [rows]');
  process.exit(2);
}
const rows = Number(rowsArg ?? 25);
interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface Profile {
  nodes: { id: number; callFrame: CallFrame }[];
  samples: number[];
  timeDeltas: number[];
}
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const self = new Map<number, number>();
// timeDeltas[i] is the time before samples[i]; it is charged to that sample's node.
profile.samples.forEach((id, index) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0)));
const total = [...self.values()].reduce((sum, value) => sum + value, 0);

function tally(key: (frame: CallFrame) => string): [string, number][] {
  const sums = new Map<string, number>();
  for (const [id, micros] of self) {
    const name = key(byId.get(id)!.callFrame);
    sums.set(name, (sums.get(name) ?? 0) + micros);
  }
  return [...sums].sort((a, b) => b[1] - a[1]).slice(0, rows);
}

const short = (url: string): string => url.replace(/^file:\/\/.*?\/node_modules\//, '').replace(/^file:\/\/.*\//, '') || '(native)';
const print = (title: string, list: [string, number][]): void => {
  console.log(`\n${title}`);
  for (const [name, micros] of list) console.log(`${(micros / 1000).toFixed(1).padStart(8)} ms ${((micros / total) * 100).toFixed(1).padStart(5)}%  ${name}`);
};
console.log(`${file}: ${(total / 1000).toFixed(0)} ms sampled`);
print('by function (self time)', tally((frame) => `${frame.functionName || '(anonymous)'}  ${short(frame.url)}:${frame.lineNumber + 1}`));
print('by file (self time)', tally((frame) => short(frame.url)));
