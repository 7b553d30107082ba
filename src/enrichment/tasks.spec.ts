import { describe, expect, it } from 'vitest';
import { checkConfirm, checkPropose, checkTranslate, confirmRequest, translateRequest, wireSchema } from './tasks';

describe('the requests', () => {
  it('send a strict schema without the keywords some servers refuse', () => {
    const schema = confirmRequest([{ id: '0', expression: 'figure out', line: 'I will figure it out.', meaning: 'solve' }]).schema;
    expect(JSON.stringify(schema)).not.toMatch(/minLength|maxLength|maxItems/);
    expect(schema).toMatchObject({ type: 'object', required: ['items'], additionalProperties: false });
    expect(wireSchema({ a: [{ maxLength: 3, type: 'string' }] })).toEqual({ a: [{ type: 'string' }] });
  });
  it('ask for each target language by its code', () => {
    const r = translateRequest([{ id: '0', expression: 'figure out', definition: 'solve', example: 'I will figure it out.' }], ['ko', 'pt-BR']);
    expect(r.system).toContain('ko, pt-BR');
    expect(JSON.parse(r.user)).toMatchObject({ languages: ['ko', 'pt-BR'] });
  });
});

describe('the checks of an answer', () => {
  it('keep the items that follow the schema and count the others', () => {
    const text = JSON.stringify({
      items: [
        { id: '0', idiomatic: true, definition: 'solve' },
        { id: '1', definition: 'no verdict' },
        { id: '2', idiomatic: 'yes', definition: 'wrong type' },
        { id: '3', idiomatic: false, definition: '' },
      ],
    });
    expect(checkConfirm(text, 4)).toEqual({ items: [{ id: '0', idiomatic: true, definition: 'solve' }], invalid: 3 });
  });
  it('count every item as invalid when the answer is not JSON, or not the list', () => {
    expect(checkConfirm('Sure! {"items": [', 5)).toEqual({ items: [], invalid: 5 });
    expect(checkConfirm('{"answer": []}', 2)).toEqual({ items: [], invalid: 2 });
  });
  it('strip fields the schema does not have (times a model made up)', () => {
    const text = JSON.stringify({
      items: [
        { expression: 'spill the beans', category: 'idiom', sentence: 1, quote: 'spilled the beans', definition: 'tell', difficulty: 'advanced', startMs: 5 },
      ],
    });
    expect(checkPropose(text).items[0]).not.toHaveProperty('startMs');
  });
  it('refuse a translation into a language not asked for', () => {
    const item = (language: string) => ({ id: '0', similar: [], translations: [{ language, expression: 'x', definition: 'y', example: 'z' }] });
    expect(checkTranslate(JSON.stringify({ items: [item('ko')] }), ['ko'], 1).invalid).toBe(0);
    expect(checkTranslate(JSON.stringify({ items: [item('fr')] }), ['ko'], 1).invalid).toBe(1);
  });
});
