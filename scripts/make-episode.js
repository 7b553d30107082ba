#!/usr/bin/env node
// Generates a test episode with speech: ffmpeg's testsrc2 picture and espeak-ng reading each subtitle line at
// its cue time, plus the matching SRT. Used by the video tests and the video benchmark; the output is never
// committed. Usage: node scripts/make-episode.js OUT_DIR [SECONDS] [LINES]
const { execFileSync } = require('node:child_process');
const { mkdirSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const LINES = [
  'I will figure it out, I promise.',
  'We should call it a day and go home.',
  'She put her career on hold for a year.',
  'Someone has to break the ice at this party.',
  'The news came out of the blue.',
  'Do not beat around the bush with me.',
  'Keep an eye on the kids, please.',
  'We ran out of coffee this morning.',
  'Take it easy, everything is fine.',
  'Let us sleep on it and decide tomorrow.',
  'In the long run, it will pay off.',
  'That was the last straw for him.',
];

const ts = (/** @type {number} */ ms) => new Date(ms).toISOString().slice(11, 23).replace('.', ',');

/**
 * @param {string} dir
 * @param {number} [seconds]
 * @param {number} [lines]
 * @param {{ width?: number, height?: number, fps?: number }} [format]
 */
function makeEpisode(dir, seconds = 60, lines = 6, { width = 640, height = 360, fps = 25 } = {}) {
  mkdirSync(dir, { recursive: true });
  const gap = (seconds * 1000) / lines;
  const cues = [];
  const inputs = [];
  const delays = [];
  for (let i = 0; i < lines; i++) {
    const text = LINES[i % LINES.length];
    const wav = join(dir, `line${i}.wav`);
    execFileSync('espeak-ng', ['-s', '150', '-w', wav, text]);
    // prettier-ignore
    const durMs = Math.round(Number(execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', wav]).toString()) * 1000);
    const start = Math.round(i * gap + 500);
    cues.push(`${i + 1}\n${ts(start)} --> ${ts(start + durMs)}\n${text}\n`);
    inputs.push('-i', wav);
    delays.push(`[${i + 1}:a]adelay=${start}|${start}[a${i}]`);
  }
  const srt = join(dir, 'episode.srt');
  writeFileSync(srt, cues.join('\n'));
  const video = join(dir, 'episode.mp4');
  const mix = `${delays.join(';')};${cues.map((_, i) => `[a${i}]`).join('')}amix=inputs=${lines}:normalize=0,apad[aout]`;
  // prettier-ignore
  execFileSync('ffmpeg', [
    '-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=s=${width}x${height}:r=${fps}:d=${seconds}`, ...inputs,
    '-filter_complex', mix, '-map', '0:v', '-map', '[aout]', '-t', String(seconds),
    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-ac', '2', '-ar', '48000', video,
  ]);
  return { video, srt };
}

module.exports = { makeEpisode };

if (require.main === module) {
  const [dir, seconds, lines] = process.argv.slice(2);
  if (!dir) {
    console.error('usage: make-episode.js OUT_DIR [SECONDS] [LINES]');
    process.exit(2);
  }
  console.log(makeEpisode(dir, Number(seconds) || 60, Number(lines) || 6));
}
