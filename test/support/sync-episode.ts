// Generates a "flash and beep" episode: a solid-colour picture in which exactly one frame is white at each
// event time, and a steady hum with a short 1 kHz beep starting at the same instants. Whatever a renderer does
// to such a file (cutting, repeating, scaling, cropping, normalising), each flash must still land on its beep,
// and since the hum never stops, any silence in an output is a gap the renderer made. The SRT has one cue
// around each event, each with an idiom the analyser knows, so every expression it finds is on an event.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** One idiom per cue: common ones the analyser surely finds (the same lines as scripts/make-episode.js). */
export const SYNC_LINES = [
  'Someone has to break the ice at this party.',
  'The news came out of the blue.',
  'Do not beat around the bush with me.',
  'We should call it a day and go home.',
  'Keep an eye on the kids, please.',
  'That was the last straw for him.',
];

/** The picture's colour (RGB): far from black, white, grey and the slides' navy, so it is easy to tell apart. */
export const SYNC_COLOUR: readonly [number, number, number] = [0x30, 0x70, 0xb0];
export const SYNC_SAMPLE_RATE = 48_000;
/** Hum: 220 Hz at -30 dBFS (peak); beep: 1 kHz at -6 dBFS (peak) for 40 ms. */
export const HUM_HZ = 220;
export const HUM_AMPLITUDE = 10 ** (-30 / 20);
export const BEEP_HZ = 1000;
export const BEEP_AMPLITUDE = 10 ** (-6 / 20);
export const BEEP_SECONDS = 0.04;

export interface SyncCue {
  startMs: number;
  endMs: number;
  text: string;
}

export interface SyncEpisode {
  video: string;
  srt: string;
  width: number;
  height: number;
  fps: number;
  seconds: number;
  colour: readonly [number, number, number];
  /** The event times in seconds: each on a frame boundary, where the flash frame starts and the beep begins. */
  events: number[];
  /** The white frame of each event (0-based frame number). */
  flashFrames: number[];
  /** The first sample of each beep (0-based, at SYNC_SAMPLE_RATE). */
  beepSamples: number[];
  cues: SyncCue[];
}

const srtTime = (ms: number) => new Date(Math.round(ms)).toISOString().slice(11, 23).replace('.', ',');

/** Writes DIR/episode.mp4 and DIR/episode.srt (see the top of this file) and says where the events are. */
export function makeSyncEpisode(dir: string, { seconds = 40, width = 640, height = 360, fps = 25 } = {}): SyncEpisode {
  const count = SYNC_LINES.length;
  // Every 6 s from 3 s (closer on a short clip), the last one at least 4 s before the end so that a context
  // around it still has picture; each on a frame boundary, so that the flash frame starts exactly when its beep does.
  const step = Math.min(6, (seconds - 7) / (count - 1));
  if (step < 4.1) throw new Error(`makeSyncEpisode: ${seconds} s is too short for ${count} cues more than 2 s apart`);
  const flashFrames = Array.from({ length: count }, (_, k) => Math.round((3 + k * step) * fps));
  const events = flashFrames.map((n) => n / fps);
  const beepSamples = events.map((t) => Math.round(t * SYNC_SAMPLE_RATE));
  const cues = events.map((t, k) => ({ startMs: Math.round((t - 0.8) * 1000), endMs: Math.round((t + 1.2) * 1000), text: SYNC_LINES[k] }));

  mkdirSync(dir, { recursive: true });
  const srt = join(dir, 'episode.srt');
  writeFileSync(srt, cues.map((c, i) => `${i + 1}\n${srtTime(c.startMs)} --> ${srtTime(c.endMs)}\n${c.text}\n`).join('\n'));

  const hex = SYNC_COLOUR.map((v) => v.toString(16).padStart(2, '0')).join('');
  // drawbox filling the whole frame on exactly the frame numbers of the events (n counts from 0 at t=0).
  const flash = `drawbox=x=0:y=0:w=iw:h=ih:color=white:t=fill:enable='${flashFrames.map((n) => `eq(n,${n})`).join('+')}'`;
  // One expression for the whole signal, so that each beep starts on its exact sample (at phase 0) and the hum
  // runs on unbroken underneath it. The beep window is [start, start + 40 ms) in samples: n is the sample index.
  const beepLength = Math.round(BEEP_SECONDS * SYNC_SAMPLE_RATE);
  const beeps = beepSamples.map((s) => `${BEEP_AMPLITUDE.toFixed(6)}*sin(2*PI*${BEEP_HZ}*(n-${s})/${SYNC_SAMPLE_RATE})*between(n,${s},${s + beepLength - 1})`);
  const signal = `${HUM_AMPLITUDE.toFixed(6)}*sin(2*PI*${HUM_HZ}*n/${SYNC_SAMPLE_RATE})+${beeps.join('+')}`;
  const video = join(dir, 'episode.mp4');
  // prettier-ignore
  execFileSync('ffmpeg', [
    '-v', 'error', '-y',
    '-f', 'lavfi', '-i', `color=c=0x${hex}:s=${width}x${height}:r=${fps}:d=${seconds},${flash},format=yuv420p`,
    '-f', 'lavfi', '-i', `aevalsrc=exprs='${signal}|${signal}':s=${SYNC_SAMPLE_RATE}:d=${seconds}`,
    '-map', '0:v', '-map', '1:a', '-t', String(seconds),
    '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '18', '-pix_fmt', 'yuv420p',
    '-c:a', 'aac', '-b:a', '192k', '-ar', String(SYNC_SAMPLE_RATE), '-ac', '2',
    video,
  ]);
  return { video, srt, width, height, fps, seconds, colour: SYNC_COLOUR, events, flashFrames, beepSamples, cues };
}
