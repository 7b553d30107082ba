import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Real media kept in the repository, with their licences (test/fixtures/README.md). */
export const FIXTURES = join(__dirname, '../fixtures');
export const BBB_CLIP = join(FIXTURES, 'bbb-480p-30s.mp4');
export const sintelSrt = () => readFileSync(join(FIXTURES, 'sintel_en.srt'), 'utf8');

const LINES = [
  'I will figure it out.',
  'She put her career on hold.',
  'Anton broke the ice at the party.',
  'We gave up after an hour.',
  'Do not beat around the bush.',
  'He kicked the bucket last winter.',
  'Let us call it a day.',
  'The news came out of the blue.',
];

const ts = (ms: number) => {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(Math.floor(ms / 3600000))}:${p(Math.floor(ms / 60000) % 60)}:${p(Math.floor(ms / 1000) % 60)},${p(ms % 1000, 3)}`;
};

/** An SRT file of `cues` cues (2.5 s each), cycling through sentences with known expressions. */
export function makeSrt(cues: number): string {
  let out = '';
  for (let i = 0; i < cues; i++) {
    out += `${i + 1}\n${ts(i * 2500)} --> ${ts(i * 2500 + 2000)}\n${LINES[i % LINES.length]}\n\n`;
  }
  return out;
}

/** Plain text of about `bytes` bytes, many short sentences: a long-running features stage. */
export function longText(bytes: number): string {
  const unit = LINES.join(' ') + '\n';
  return unit.repeat(Math.ceil(bytes / unit.length)).slice(0, bytes);
}
