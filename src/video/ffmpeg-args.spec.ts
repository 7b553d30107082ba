import { describe, expect, it } from 'vitest';
import { concatArgs, concatList, cutArgs, encodeArgs, expressionClipArgs, filterValue, fitFilter, outputFormat, slideVideoArgs } from './ffmpeg-args';

const f = outputFormat({ width: 854, height: 480, fps: 24 }, 720, 'veryfast', 21);

describe('outputFormat', () => {
  it('keeps the aspect with even sides, never taller than the limit', () => {
    expect(f).toEqual({ width: 854, height: 480, fps: 24, preset: 'veryfast', crf: 21 });
    expect(outputFormat({ width: 1920, height: 1080, fps: 29.97 }, 720, 'fast', 23)).toMatchObject({ width: 1280, height: 720, fps: 29.97 });
    expect(outputFormat({ width: 853, height: 481, fps: 25 }, 720, 'fast', 23)).toMatchObject({ width: 854, height: 482 });
  });
});

describe('encodeArgs', () => {
  it('fixes every parameter that stream-copy joining depends on', () => {
    // prettier-ignore
    expect(encodeArgs(f)).toEqual([
      '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '21', '-profile:v', 'high', '-level:v', '4.1', '-pix_fmt', 'yuv420p',
      '-r', '24', '-g', '48', '-video_track_timescale', '90000',
      '-c:a', 'aac', '-b:a', '128k', '-ar', '48000', '-ac', '2', '-movflags', '+faststart',
    ]);
  });
});

describe('cutArgs and expressionClipArgs', () => {
  const plan = {
    source: '/in/ep.mp4',
    contextStartMs: 8500,
    contextDurationMs: 6000,
    expressionOffsetMs: 1250,
    expressionDurationMs: 3500,
    format: f,
    contextOut: '/w/ctx.mp4',
    expressionOut: '/w/expr.mp4',
  };

  it('decodes the window once and encodes the context clip with keyframes around the expression', () => {
    const args = cutArgs(plan);
    // prettier-ignore
    expect(args.slice(0, 6)).toEqual(['-ss', '8.500', '-t', '6.000', '-i', '/in/ep.mp4']);
    expect(args[args.indexOf('-filter_complex') + 1]).toBe(
      `[0:v]${fitFilter(f)}[vc];[0:a]aresample=48000,aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo[ac]`,
    );
    expect(args.slice(-3)).toEqual(['-force_key_frames', '1.250,4.750', '/w/ctx.mp4']);
    expect(args.filter((a) => a === 'libx264')).toHaveLength(1);
  });

  it('copies the expression clip out of the context clip, re-encoding only its sound', () => {
    // prettier-ignore
    expect(expressionClipArgs(plan)).toEqual([
      '-ss', '1.250', '-t', '3.500', '-i', '/w/ctx.mp4', '-map', '0:v', '-map', '0:a', '-c:v', 'copy', '-c:a', 'aac', '-b:a', '128k',
      '-ar', '48000', '-ac', '2', '-video_track_timescale', '90000', '-movflags', '+faststart', '/w/expr.mp4',
    ]);
  });

  it('adds the 9:16 segment as a second output of the same decode, texts drawn on the padding', () => {
    const args = cutArgs({
      ...plan,
      vertical: { out: 'v.mp4', preset: 'superfast', texts: [{ textFile: '/t/a.txt', fontFile: '/f/i.ttf', x: 60, y: 70.4, size: 86.4, color: 'white' }] },
    });
    const graph = args[args.indexOf('-filter_complex') + 1];
    expect(graph).toContain('[0:v]split=2[vc0][vs0]');
    expect(graph).toContain(
      "[vs0]scale=1080:-2,setsar=1,fps=24,pad=1080:1920:0:(oh-ih)/2:black,drawtext=fontfile='/f/i.ttf':textfile='/t/a.txt':x=60:y=70:fontsize=86:fontcolor=white,format=yuv420p[vs]",
    );
    expect(args.filter((a) => a === 'libx264')).toHaveLength(2);
    expect(args.filter((a) => a === 'superfast')).toHaveLength(1);
    expect(args.at(-1)).toBe('v.mp4');
  });
});

describe('slides and joins', () => {
  it('turns the slide picture into a segment as long as asked: decoded once, the expression audio under it', () => {
    const args = slideVideoArgs(f, 's.png', 'e.mp4', 5, 's.mp4');
    expect(args.slice(0, 4)).toEqual(['-i', 's.png', '-i', 'e.mp4']);
    const graph = args[args.indexOf('-filter_complex') + 1];
    expect(graph).toContain('[0:v]scale=854:480,setsar=1,format=yuv420p,loop=loop=119:size=1:start=0');
    expect(graph).toContain('[1:a]aresample=48000');
    expect(graph).toContain('apad[a]');
    expect(args.slice(args.indexOf('-t'), args.indexOf('-t') + 2)).toEqual(['-t', '5.000']);
    expect(args.at(-1)).toBe('s.mp4');
  });

  it('joins by stream copy from a quoted list', () => {
    expect(concatList(['/a/b.mp4', "/it's.mp4"])).toBe("file '/a/b.mp4'\nfile '/it'\\''s.mp4'\n");
    // prettier-ignore
    expect(concatArgs('l.txt', 'o.mp4')).toEqual(['-f', 'concat', '-safe', '0', '-i', 'l.txt', '-c', 'copy', '-movflags', '+faststart', 'o.mp4']);
  });

  it('quotes filter values', () => {
    expect(filterValue('/tmp/a:b,c.txt')).toBe("'/tmp/a:b,c.txt'");
  });
});
