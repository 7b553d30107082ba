import { describe, expect, it } from 'vitest';
import { Expression } from '../analysis/analysis.types';
import { lessonParts, planLessons, sceneSubtitles, segmentsBetween, segmentsOf } from './lesson-plan';
import { planScenes, trimScene, TimedCue } from './scenes';

const cue = (startS: number, endS: number, text = 'line'): TimedCue => ({ startMs: startS * 1000, endMs: endS * 1000, text });
const scene = { breakMs: 1500, minMs: 8000, maxMs: 45000, tailMs: 400 };

describe('planScenes', () => {
  // Two exchanges: 10-19 s (three lines close together) and 40-42 s, then a lone line at 80 s.
  const cues = [cue(10, 12, 'Who broke the vase?'), cue(12.5, 15, 'I did.'), cue(15.8, 19, 'Time to face the music.'), cue(40, 42), cue(80, 81)];

  it('widens the expression to its exchange: the question before it is in, a line after a long silence is not', () => {
    const [s] = planScenes(cues, [{ startMs: 16000, endMs: 18000 }], 120000, scene);
    expect(s.cues).toEqual([0, 1, 2]);
    // The words' own times plus the tail, taken from the silence around the scene.
    expect(s).toMatchObject({ startMs: 9600, endMs: 19400 });
  });

  it('a line alone in its exchange is padded with the silence around it rather than joined to lines after a break', () => {
    const spaced = [cue(0, 2), cue(9, 11, 'alone'), cue(18, 20)];
    const [s] = planScenes(spaced, [{ startMs: 9000, endMs: 11000 }], 60000, scene);
    expect(s.cues).toEqual([1]);
    expect(s).toMatchObject({ startMs: 6000, endMs: 14000 });
    // Too little silence to pad it: the nearest line is taken.
    const [close] = planScenes([cue(0, 2), cue(4, 6), cue(9, 11)], [{ startMs: 4000, endMs: 6000 }], 60000, { ...scene, breakMs: 1000 });
    expect(close.cues.length).toBeGreaterThan(1);
  });

  it('a lone short line takes silence around it up to the minimum, never a word of the neighbouring lines', () => {
    const [s] = planScenes(cues, [{ startMs: 80000, endMs: 81000 }], 120000, scene);
    expect(s.endMs - s.startMs).toBe(8000);
    expect(s.startMs).toBeGreaterThanOrEqual(42000);
    const [end] = planScenes(cues, [{ startMs: 80000, endMs: 81000 }], 82000, scene);
    expect(end.endMs).toBe(82000); // not past the video
    expect(end.endMs - end.startMs).toBe(8000);
  });

  it('never longer than the maximum: a long stream of close lines is cut at whole lines', () => {
    const stream = Array.from({ length: 40 }, (_, i) => cue(i * 3, i * 3 + 2.5));
    const [s] = planScenes(stream, [{ startMs: 60000, endMs: 62500 }], 200000, { ...scene, maxMs: 20000 });
    expect(s.endMs - s.startMs).toBeLessThanOrEqual(20000 + 2 * scene.tailMs);
    for (const c of stream) expect(c.endMs <= s.startMs || c.startMs >= s.endMs || (c.startMs >= s.startMs && c.endMs <= s.endMs)).toBe(true);
  });

  it('expressions of one exchange share one scene', () => {
    const scenes = planScenes(
      cues,
      [
        { startMs: 10000, endMs: 12000 },
        { startMs: 16000, endMs: 18000 },
        { startMs: 40000, endMs: 42000 },
      ],
      120000,
      scene,
    );
    expect(scenes.map((s) => s.expressions)).toEqual([[0, 1], [2]]);
  });

  it('trims a scene for a short to whole lines around the expression, the line before first', () => {
    const [s] = planScenes(cues, [{ startMs: 16000, endMs: 18000 }], 120000, scene);
    const w = trimScene(cues, s, { startMs: 16000, endMs: 18000 }, 7500, 400);
    expect(w.startMs).toBeGreaterThanOrEqual(12000);
    expect(w.startMs).toBeLessThanOrEqual(12500);
    expect(w.endMs).toBe(19400);
  });
});

const expression = (text: string, startS: number, endS: number, extra: Partial<Expression> = {}): Expression =>
  ({ expression: text, matched: text, example: `we ${text} now`, definition: 'd', startMs: startS * 1000, endMs: endS * 1000, ...extra }) as Expression;

describe('planLessons', () => {
  const cues = [cue(10, 12, 'Who broke it?'), cue(12.5, 15, 'we face the music now'), cue(40, 42, 'we call it a day now')];
  const rate = { num: 25, den: 1 };
  const settings = { rate, scene, repeat: 2, slideMs: 5000, cardMs: 1500, shortsMaxMs: 60000 };
  const plan = planLessons(cues, [expression('call it a day', 40, 42), expression('face the music', 12.5, 15)], 120000, settings);

  it('numbers lessons in episode order and puts each on its scene, on the frame grid', () => {
    expect(plan.lessons.map((l) => [l.number, l.total, l.base])).toEqual([
      [1, 2, '01_face-the-music'],
      [2, 2, '02_call-it-a-day'],
    ]);
    const [s] = plan.scenes;
    expect(s.startMs % 40).toBe(0);
    const l = plan.lessons[0];
    // The expression's words with 250 ms either side, where the silence allows (the line before ends at 12 s).
    expect(Math.abs(s.startMs + (l.from * 1000) / 25 - 12250)).toBeLessThanOrEqual(20);
    expect(Math.abs(s.startMs + (l.to * 1000) / 25 - 15250)).toBeLessThanOrEqual(20);
    expect(s.cuts).toEqual([l.from, l.to]);
    expect(l.cardFrames).toBe(38);
  });

  it("numbers them in the order given when asked (a reviewer's order to teach), each still on its own scene", () => {
    const given = planLessons(cues, [expression('call it a day', 40, 42), expression('face the music', 12.5, 15)], 120000, { ...settings, order: 'given' });
    expect(given.lessons.map((l) => [l.number, l.base, l.scene])).toEqual([
      [1, '01_call-it-a-day', plan.lessons[1].scene],
      [2, '02_face-the-music', plan.lessons[0].scene],
    ]);
    // Each scene lists the lessons on it by their new places, cut where they are.
    for (const [k, sc] of given.scenes.entries()) {
      expect(sc.cuts).toEqual(plan.scenes[k].cuts);
      for (const i of sc.lessons) expect(given.lessons[i].scene).toBe(k);
    }
  });

  it("replays the expression's sound under the slide a whole number of times", () => {
    const l = plan.lessons[0];
    expect(l.slideFrames % (l.to - l.from)).toBe(0);
    const parts = lessonParts(l, '/s.wav', rate, { from: 0, to: plan.scenes[0].frames, repeat: 2, slideFrames: l.slideFrames }, true);
    expect(parts.map((p) => p.kind)).toEqual(['card', 'context', 'repeat', 'repeat', 'slide']);
    const slide = parts[4];
    expect(slide.audio.every((a) => 'wav' in a && a.to - a.from === ((l.to - l.from) * 48000) / 25)).toBe(true);
    // Sound and picture of every part are the same length, to the sample.
    for (const p of parts) expect(p.audio.reduce((t, a) => t + ('wav' in a ? a.to - a.from : a.silence), 0)).toBe((p.frames * 48000) / 25);
  });

  it('cuts a short scene so that the short stays within its maximum', () => {
    const long = planLessons(
      Array.from({ length: 20 }, (_, i) => cue(i * 2, i * 2 + 1.8, i === 10 ? 'we face the music now' : 'talk')),
      [expression('face the music', 20, 21.8)],
      100000,
      { ...settings, shortsMaxMs: 20000 },
    );
    const l = long.lessons[0];
    const frames = l.short.to - l.short.from + l.short.repeat * (l.to - l.from) + l.short.slideFrames;
    expect(frames / 25).toBeLessThanOrEqual(20);
    expect(l.short.repeat).toBe(2);
    expect(l.short.from).toBeLessThanOrEqual(l.from);
    expect(l.short.to).toBeGreaterThanOrEqual(l.to);
  });

  it('a tight maximum takes a shorter slide, then one replay, before the scene goes below its own line', () => {
    const tight = planLessons(cues, [expression('face the music', 12.5, 15)], 120000, { ...settings, shortsMaxMs: 10000 }).lessons[0];
    const play = tight.to - tight.from;
    expect(tight.short.repeat).toBe(1);
    const frames = tight.short.to - tight.short.from + tight.short.repeat * play + tight.short.slideFrames;
    expect(frames).toBeLessThanOrEqual(250);
    expect(tight.short.to - tight.short.from).toBeGreaterThanOrEqual(play);
    const parts = lessonParts(tight, '/s.wav', rate, tight.short);
    // Sound under every part, as long as its picture: the brief slide hears the start of the expression.
    for (const p of parts) expect(p.audio.reduce((t, a) => t + ('wav' in a ? a.to - a.from : a.silence), 0)).toBe((p.frames * 48000) / 25);
    expect(parts.at(-1)!.audio.every((a) => 'wav' in a)).toBe(true);
  });

  it("finds the files that hold the expression's frames", () => {
    const segments = segmentsOf('/w/s.%03d.mp4', 100, [20, 60]);
    expect(segments).toEqual([
      { file: '/w/s.000.mp4', from: 0, to: 20 },
      { file: '/w/s.001.mp4', from: 20, to: 60 },
      { file: '/w/s.002.mp4', from: 60, to: 100 },
    ]);
    expect(segmentsBetween(segments, 20, 60)).toEqual(['/w/s.001.mp4']);
    expect(segmentsBetween(segmentsOf('/w/s.%03d.mp4', 100, [20, 40, 60]), 20, 60)).toEqual(['/w/s.001.mp4', '/w/s.002.mp4']);
  });

  it("subtitles the scene: the expression highlighted in its line and translated under it, in the learner's language only", () => {
    const translated = planLessons(
      cues,
      [expression('face the music', 12.5, 15, { translations: { es: { expression: 'x', definition: 'y', example: 'lo afrontamos' } } })],
      120000,
      settings,
    );
    const s = translated.scenes[0];
    const es = sceneSubtitles(s, translated.lessons, 'es', rate);
    expect(es.map((l) => [l.startMs + s.startMs, l.text, l.highlight?.expression, l.translation])).toEqual([
      [10000, 'Who broke it?', undefined, undefined],
      [12500, 'we face the music now', 'face the music', 'lo afrontamos'],
    ]);
    expect(sceneSubtitles(s, translated.lessons, 'en', rate)[1].translation).toBeUndefined();
  });
});
