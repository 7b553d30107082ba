import { describe, expect, it } from 'vitest';
import { concatArgs, concatList, cutArgs, encodeArgs, filterValue, fitFilter, outputFormat, slideImageArgs, slideSegmentArgs } from './ffmpeg-args';

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
    expect(encodeArgs(f)).toEqual([
      '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '21', '-profile:v', 'high', '-level:v', '4.1', '-pix_fmt', 'yuv420p',
      '-r', '24', '-g', '48', '-video_track_timescale', '90000',
      '-c:a', 'aac', '-b:a', '128k', '-ar', '48000', '-ac', '2', '-movflags', '+faststart',
    ]);
  });
});

describe('cutArgs', () => {
  it('decodes the window once and encodes the context and expression clips from one graph', () => {
    const args = cutArgs({
      source: '/in/ep.mp4', contextStartMs: 8500, contextDurationMs: 6000, expressionOffsetMs: 1250, expressionDurationMs: 3500,
      format: f, contextOut: '/w/ctx.mp4', expressionOut: '/w/expr.mp4',
    });
    expect(args.slice(0, 6)).toEqual(['-ss', '8.500', '-t', '6.000', '-i', '/in/ep.mp4']);
    const graph = args[args.indexOf('-filter_complex') + 1];
    expect(graph).toBe(
      `[0:v]${fitFilter(f)},split=2[vc][ve0];[ve0]trim=start=1.250:end=4.750,setpts=PTS-STARTPTS[ve];` +
        '[0:a]aresample=48000,aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo,asplit=2[ac][ae0];' +
        '[ae0]atrim=start=1.250:end=4.750,asetpts=PTS-STARTPTS[ae]',
    );
    expect(args.filter((a) => a === '-map')).toHaveLength(4);
    expect(args.at(-1)).toBe('/w/expr.mp4');
    expect(args.filter((a) => a === 'libx264')).toHaveLength(2);
  });

  it('adds the 9:16 segment as a third output of the same decode', () => {
    const args = cutArgs({
      source: 's.mp4', contextStartMs: 0, contextDurationMs: 4000, expressionOffsetMs: 0, expressionDurationMs: 2000, format: f,
      contextOut: 'c.mp4', expressionOut: 'e.mp4',
      vertical: { out: 'v.mp4', texts: [{ textFile: '/t/a.txt', fontFile: '/f/i.ttf', x: 60, y: 70.4, size: 86.4, color: 'white' }] },
    });
    const graph = args[args.indexOf('-filter_complex') + 1];
    expect(graph).toContain('split=3[vc][ve0][vs0]');
    expect(graph).toContain('color=c=black:s=1080x1920:r=24:d=4.000[bg]');
    expect(graph).toContain("drawtext=fontfile='/f/i.ttf':textfile='/t/a.txt':x=60:y=70:fontsize=86:fontcolor=white");
    expect(args.at(-1)).toBe('v.mp4');
  });
});

describe('slides and joins', () => {
  it('renders a slide picture in one frame', () => {
    expect(slideImageArgs({ width: 640, height: 360 }, [], '0x14213d', 'o.png')).toEqual(['-f', 'lavfi', '-i', 'color=c=0x14213d:s=640x360:d=1', '-frames:v', '1', '-vf', 'null', '-update', '1', 'o.png']);
  });

  it('turns the slide into a segment as long as asked, the expression audio under it', () => {
    const args = slideSegmentArgs('s.png', 'e.mp4', 5, f, 'o.mp4');
    expect(args.slice(0, 10)).toEqual(['-loop', '1', '-framerate', '24', '-t', '5.000', '-i', 's.png', '-i', 'e.mp4']);
    expect(args[args.indexOf('-filter_complex') + 1]).toContain('[1:a]aresample=48000');
    expect(args[args.indexOf('-filter_complex') + 1]).toContain('apad[a]');
  });

  it('joins by stream copy from a quoted list', () => {
    expect(concatList(['/a/b.mp4', "/it's.mp4"])).toBe("file '/a/b.mp4'\nfile '/it'\\''s.mp4'\n");
    expect(concatArgs('l.txt', 'o.mp4')).toEqual(['-f', 'concat', '-safe', '0', '-i', 'l.txt', '-c', 'copy', '-movflags', '+faststart', 'o.mp4']);
  });

  it('quotes filter values', () => {
    expect(filterValue('/tmp/a:b,c.txt')).toBe("'/tmp/a:b,c.txt'");
  });
});
