import { describe, expect, it } from 'vitest';
import { gainFilter, gainTo, parseLoudness } from '../media/loudness';
import {
  audioJoinArgs,
  chaptersFile,
  concatList,
  filterValue,
  frameAt,
  frameRateOf,
  msOfFrames,
  outputFormat,
  samplesAt,
  sceneArgs,
  stillArgs,
  timescaleOf,
  videoEncodeArgs,
} from './ffmpeg-args';

const f = outputFormat({ height: 480, fps: 24 }, 1080, 'veryfast', 21);

describe('outputFormat and frame rates', () => {
  it('is 16:9, at least 720 tall whatever the source, at most the limit', () => {
    expect(f).toEqual({ width: 1280, height: 720, rate: { num: 24, den: 1 }, preset: 'veryfast', crf: 21 });
    expect(outputFormat({ height: 2160, fps: 29.97 }, 1080, 'fast', 23)).toMatchObject({ width: 1920, height: 1080, rate: { num: 30000, den: 1001 } });
    expect(outputFormat({ height: 1080, fps: 25 }, 900, 'fast', 23)).toMatchObject({ width: 1600, height: 900 });
  });

  it('keeps NTSC rates exact, so that frames, samples and timescales add up', () => {
    const ntsc = frameRateOf(23.976);
    expect(ntsc).toEqual({ num: 24000, den: 1001 });
    expect(timescaleOf(ntsc)).toBe(24000);
    expect(timescaleOf({ num: 25, den: 1 })).toBe(90000);
    expect(timescaleOf({ num: 48, den: 1 })).toBe(90000);
    expect(timescaleOf({ num: 7, den: 1 })).toBe(7000);
    expect(frameAt(1001, ntsc)).toBe(24);
    expect(msOfFrames(24, ntsc)).toBeCloseTo(1001, 9);
    // Slices taken at frame boundaries add up to the whole, sample for sample.
    expect(samplesAt(7, ntsc) + (samplesAt(20, ntsc) - samplesAt(7, ntsc))).toBe(samplesAt(20, ntsc));
    expect(samplesAt(25, { num: 25, den: 1 })).toBe(48000);
  });
});

describe('videoEncodeArgs', () => {
  it('fixes every parameter that stream-copy joining depends on, without B-frames (segments start at 0)', () => {
    // prettier-ignore
    expect(videoEncodeArgs(f)).toEqual([
      '-an', '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '21', '-profile:v', 'high', '-level:v', '4.2', '-pix_fmt', 'yuv420p',
      '-r', '24', '-g', '48', '-bf', '0',
    ]);
  });
});

describe('sceneArgs', () => {
  const args = sceneArgs({
    source: '/in/ep.mp4',
    startMs: 8500,
    frames: 240,
    format: f,
    fontsDir: '/w/fonts',
    wav: '/w/scene.wav',
    horizontal: [{ ass: "/w/it's.ass", pattern: '/w/h.%03d.mp4', cuts: [30, 90] }],
    vertical: [
      {
        ass: '/w/v.ass',
        overlay: '/w/o.png',
        from: 10,
        to: 200,
        bandTop: 400,
        bandSize: 1080,
        background: '#14213d',
        preset: 'superfast',
        pattern: '/w/v.%03d.mp4',
        cuts: [20, 80],
      },
    ],
  });
  const graph = args[args.indexOf('-filter_complex') + 1];

  it('decodes the scene once and makes exactly its frames, split to every picture', () => {
    expect(args.slice(0, 6)).toEqual(['-ss', '8.500', '-t', '11.000', '-i', '/in/ep.mp4']);
    expect(graph).toContain('trim=end_frame=240');
    expect(graph).toContain('split=2[v0][v1]');
    expect(graph).toContain(`subtitles=filename=${filterValue("/w/it's.ass")}:fontsdir='/w/fonts'`);
  });

  it("crops the shorts' window into the band and lays the overlay over it", () => {
    expect(graph).toContain('trim=start_frame=10:end_frame=200');
    expect(graph).toContain('scale=1080:1080:force_original_aspect_ratio=increase,crop=1080:1080');
    expect(graph).toContain('pad=1080:1920:(ow-iw)/2:400:color=#14213d');
    expect(graph).toContain('[p0][1:v]overlay=0:0');
  });

  it('cuts each picture into files at the expressions, with keyframes there, and the sound to a WAV of the same length', () => {
    expect(args.join(' ')).toContain('-force_key_frames expr:eq(n,30)+eq(n,90) -f segment -segment_frames 30,90');
    expect(args.join(' ')).toContain('-segment_frames 20,80');
    expect(graph).toContain(`atrim=end_sample=${240 * 2000}`);
    expect(args.slice(-5)).toEqual(['-map', '[a]', '-c:a', 'pcm_s16le', '/w/scene.wav']);
  });
});

describe('stills, sound and chapters', () => {
  it('a still is its picture decoded once, exactly `frames` long', () => {
    const args = stillArgs('/w/s.png', 120, f, '/w/s.mp4');
    expect(args.slice(0, 2)).toEqual(['-i', '/w/s.png']);
    expect(args.join(' ')).toContain('loop=loop=119:size=1:start=0');
    expect(args.join(' ')).toContain('-frames:v 120');
  });

  it('joins audio slices by sample number, with generated silence', () => {
    const args = audioJoinArgs(
      [{ wav: '/a.wav', from: 0, to: 48000 }, { silence: 9600 }, { wav: '/b.wav', from: 100, to: 200 }, { wav: '/a.wav', from: 5, to: 10 }],
      '/o.wav',
    );
    expect(args.filter((a) => a === '-i')).toHaveLength(2);
    const graph = args[args.indexOf('-filter_complex') + 1];
    expect(graph).toContain('[0:a]atrim=start_sample=0:end_sample=48000');
    expect(graph).toContain('anullsrc=r=48000:cl=stereo,atrim=end_sample=9600');
    expect(graph).toContain('[1:a]atrim=start_sample=100:end_sample=200');
    expect(graph).toContain('concat=n=4:v=0:a=1[a]');
  });

  it('writes chapters as ffmetadata, escaping what the format reserves', () => {
    expect(chaptersFile([{ startMs: 0, endMs: 1500.4, title: '1/2 · a=b; c' }])).toBe(
      ';FFMETADATA1\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=0\nEND=1500\ntitle=1/2 · a\\=b\\; c\n',
    );
    expect(concatList(["/w/it's.mp4"])).toBe("file '/w/it'\\''s.mp4'\n");
  });
});

describe('loudness', () => {
  const log = `[Parsed_ebur128_0 @ 0x1] Summary:\n\n  Integrated loudness:\n    I:         -23.4 LUFS\n    Threshold: -33.9 LUFS\n\n  Loudness range:\n    LRA:         5.1 LU\n\n  True peak:\n    Peak:       -4.2 dBFS\n`;

  it("reads ebur128's summary", () => {
    expect(parseLoudness(log)).toEqual({ integratedLufs: -23.4, truePeakDb: -4.2 });
    expect(parseLoudness(log.replace('-23.4', '-inf')).integratedLufs).toBe(-Infinity);
    expect(() => parseLoudness('nothing')).toThrow(/no loudness summary/);
  });

  it('a gain alone when the peaks allow it, a delay-compensated limiter when they would go over the ceiling', () => {
    expect(gainTo({ integratedLufs: -23.4, truePeakDb: -10 }, -16)).toBeCloseTo(7.4);
    expect(gainTo({ integratedLufs: -Infinity, truePeakDb: -Infinity }, -16)).toBe(0);
    expect(gainFilter(7.4, -10)).toBe('volume=7.40dB');
    expect(gainFilter(7.4, -4.2)).toMatch(/^volume=7.40dB,alimiter=limit=0\.8414:level=false:latency=1/);
  });
});
