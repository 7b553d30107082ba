// The studio's pure parts: the event-stream parser, the review's render request, the record kept from events.
import { describe, expect, it } from 'vitest';
import { applyEvent } from './job-state';
import { explain } from './api';
import { move, pickUse, problems, renderRequest, startReview, translationsNeedCheck } from './review';
import { SseParser } from './sse';
import type { Expression, Job } from './types';

describe('SseParser', () => {
  it('finds the messages however the chunks cut them, skipping heartbeats and the retry line', () => {
    const p = new SseParser();
    const stream = 'retry: 3000\n\n: heartbeat\n\nid: 4\nevent: status\ndata: {"a":1}\n\nid: 5\r\nevent: status\r\ndata: {"b":\r\ndata: 2}\r\n\r\n';
    const got = [];
    for (let i = 0; i < stream.length; i += 7) got.push(...p.push(stream.slice(i, i + 7)));
    expect(got).toEqual([
      { event: 'status', data: '{"a":1}', id: '4' },
      { event: 'status', data: '{"b":\n2}', id: '5' },
    ]);
  });
});

const expression = (name: string, extra: Partial<Expression> = {}): Expression => ({
  expression: name,
  definition: `the sense of ${name}`,
  example: `A line with ${name}.`,
  matched: name,
  startMs: 1000,
  endMs: 3000,
  difficulty: 'intermediate',
  category: 'idiom',
  score: 0.5,
  occurrences: 1,
  ...extra,
});

describe('the review', () => {
  const twice = expression('figure out', {
    otherUses: [{ example: 'We figured out the map.', matched: 'figured out', startMs: 9000, endMs: 11000, definition: 'understand something' }],
    translations: { ko: { expression: '알아내다', definition: '답을 찾다', example: '내가 알아낼게.' } },
  });
  const items = startReview([expression('break the ice'), twice, expression('call it a day', { startMs: 5000 })]);

  it('sends nothing but the names when nothing was changed', () => {
    expect(renderRequest(items)).toEqual({ expressions: [{ expression: 'break the ice' }, { expression: 'figure out' }, { expression: 'call it a day' }] });
  });

  it('sends the kept ones in the order set, with only what was edited', () => {
    let list = move(items, 2, -2); // call it a day first
    list = list.map((i) => (i.source.expression === 'break the ice' ? { ...i, keep: false } : i));
    list = list.map((i) =>
      i.source.expression === 'figure out'
        ? { ...pickUse(i, 9000), translations: { ko: { expression: '알아내다', definition: '마침내 이해하다' } } }
        : { ...i, definition: '  stop working for today ' },
    );
    expect(renderRequest(list)).toEqual({
      expressions: [
        { expression: 'call it a day', definition: 'stop working for today' },
        { expression: 'figure out', startMs: 9000, translations: [{ language: 'ko', definition: '마침내 이해하다' }] },
      ],
    });
  });

  it('will not send an empty definition or translation of a kept expression, nor an empty list, and says which', () => {
    expect(problems(items)).toEqual([]);
    const [a, b, c] = items;
    expect(problems([{ ...a, definition: '  ' }, { ...b, translations: { ko: { expression: '', definition: 'x' } } }, c])).toEqual([
      'The definition of "break the ice" is empty: write one.',
      'The ko translation of "figure out" is empty: write one.',
    ]);
    // A dropped one may be left as it is.
    expect(problems([{ ...a, definition: '', keep: false }, b])).toEqual([]);
    expect(problems(items.map((i) => ({ ...i, keep: false })))).toEqual(['Keep at least one expression.']);
  });

  it('asks for the translations to be checked once another line is picked', () => {
    expect(translationsNeedCheck(items[1])).toBe(false);
    expect(translationsNeedCheck(pickUse(items[1], 9000))).toBe(true);
    expect(translationsNeedCheck(pickUse(items[0], 9000))).toBe(false);
  });

  it("another use brings its own sense's definition, unless the reviewer wrote one", () => {
    const [, figure] = items;
    expect(pickUse(figure, 9000).definition).toBe('understand something');
    expect(pickUse({ ...figure, definition: 'mine' }, 9000).definition).toBe('mine');
    expect(renderRequest([pickUse(figure, 9000)]).expressions[0]).toEqual({ expression: 'figure out', startMs: 9000 });
  });
});

describe('a record kept from its stream', () => {
  const stage = (n: number, name: string) => ({
    stage: n,
    name,
    status: 'PENDING' as const,
    progress: 0,
    message: null,
    attempt: 0,
    startedAt: null,
    finishedAt: null,
    error: null,
  });
  const job = {
    version: 3,
    status: 'PROGRESS',
    progress: 10,
    currentStage: 1,
    stages: [stage(1, 'probe'), stage(2, 'analysis'), stage(3, 'clips')],
  } as unknown as Job;

  it('moves the stage the event is about, marks the earlier ones done, and never goes back', () => {
    const next = applyEvent(job, {
      id: 'x',
      version: 4,
      status: 'PROGRESS',
      currentStage: 2,
      progress: 30,
      stage: 2,
      stageStatus: 'PROGRESS',
      stageProgress: 40,
      message: 'cues',
    });
    expect(next.stages.map((s) => [s.status, s.progress, s.message])).toEqual([
      ['SUCCESS', 100, null],
      ['PROGRESS', 40, 'cues'],
      ['PENDING', 0, null],
    ]);
    expect(applyEvent(next, { ...({} as any), version: 2, status: 'PENDING', progress: 0, stage: null })).toBe(next);
    // Waiting for review after step 2: steps 1 and 2 are done, whatever events were missed.
    const review = applyEvent(next, {
      id: 'x',
      version: 5,
      status: 'REVIEW',
      currentStage: 2,
      progress: 5,
      stage: null,
      stageStatus: null,
      stageProgress: null,
      message: null,
    });
    expect(review.stages.map((s) => [s.status, s.progress])).toEqual([
      ['SUCCESS', 100],
      ['SUCCESS', 100],
      ['PENDING', 0],
    ]);
  });
});

describe('errors in plain words', () => {
  it('says what to change', () => {
    expect(explain(400, { message: ['maxExpressions must be 1 to 50', 'level must be one of: mixed'] })).toBe(
      'maxExpressions must be 1 to 50; level must be one of: mixed',
    );
    expect(explain(401, { message: 'the API key is not valid' })).toMatch(/Enter a valid key/);
    expect(explain(429, { message: 'too many requests' }, '12')).toMatch(/try again in 12 s/);
  });
});
