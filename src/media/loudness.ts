// EBU R128 loudness: how it is measured (ffmpeg's ebur128 filter) and the filter that brings a track to a target. Pure.

/** Measures integrated loudness and true peak (the summary ffmpeg's ebur128 prints): see parseLoudness. */
export function loudnessArgs(file: string): string[] {
  return ['-nostats', '-i', file, '-map', '0:a', '-af', 'ebur128=peak=true:framelog=verbose', '-f', 'null', '-'];
}

export interface Loudness {
  integratedLufs: number;
  truePeakDb: number;
}

/** Reads ebur128's summary ("I: -23.1 LUFS", "Peak: -3.2 dBFS"). */
export function parseLoudness(log: string): Loudness {
  const summary = log.slice(log.lastIndexOf('Summary:'));
  const i = /I:\s+(-?[\d.]+|-inf)\s+LUFS/.exec(summary);
  const p = /True peak:\s+Peak:\s+(-?[\d.]+|-inf)\s+dBFS/.exec(summary);
  if (!i) throw new Error('no loudness summary in the log');
  const num = (s: string | undefined) => (s === undefined || s === '-inf' ? -Infinity : Number(s));
  return { integratedLufs: num(i[1]), truePeakDb: num(p?.[1]) };
}

/** Ceiling for true peaks after the gain: room for the AAC encoder's overshoot. */
export const PEAK_CEILING_DB = -1.5;

/** The gain that brings a measured track to `targetLufs`, within ±40 dB (0 for silence). */
export function gainTo(measured: Loudness, targetLufs: number): number {
  if (!Number.isFinite(measured.integratedLufs)) return 0;
  return Math.max(-40, Math.min(40, targetLufs - measured.integratedLufs));
}

/**
 * A linear gain, and a limiter (its delay compensated, so sync is kept) only when the gain would push the
 * track's true peak over the ceiling. A limited track comes out a little quieter than the gain says: the
 * caller measures again and raises the gain (see LessonRenderer's loudness passes).
 */
export function gainFilter(gainDb: number, truePeakDb: number): string {
  const volume = `volume=${gainDb.toFixed(2)}dB`;
  if (truePeakDb + gainDb <= PEAK_CEILING_DB) return volume;
  return `${volume},alimiter=limit=${Math.pow(10, PEAK_CEILING_DB / 20).toFixed(4)}:level=false:latency=1:attack=5:release=50`;
}

/** How close to the target a track must come; EBU R128 allows ±1 LU for live, ±0.5 where it can be met. */
export const LOUDNESS_TOLERANCE_LU = 0.5;
