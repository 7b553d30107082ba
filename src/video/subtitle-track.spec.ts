import { describe, expect, it } from 'vitest';
import { assColour, assText, assTime, subtitleDocument } from './subtitle-track';

describe('subtitleDocument', () => {
  const doc = subtitleDocument(
    [
      { startMs: 0, endMs: 1500, text: 'Who broke {the} vase?' },
      {
        startMs: 1600,
        endMs: 4000,
        text: 'Time to face the music, kid.',
        highlight: { matched: 'face the music', expression: 'face the music' },
        translation: '결과를 받아들일 때야',
      },
      { startMs: 5000, endMs: 5000, text: 'never shown' },
    ],
    { width: 1280, height: 720, fontSize: 37, alignment: 2, marginV: 40, marginH: 77 },
  );

  it('lays the lines out on the frame, on a translucent box', () => {
    expect(doc).toContain('PlayResX: 1280\nPlayResY: 720');
    expect(doc).toMatch(/Style: Line,Inter,37,&H00FFFFFF,&H00FFFFFF,&H[0-9A-F]{8},&H66000000,0,0,0,0,100,100,0,0,4,/);
    expect(doc).not.toContain('never shown');
  });

  it('highlights the words the expression was said in and puts the translation under its line', () => {
    expect(doc).toContain(
      `Dialogue: 0,0:00:01.60,0:00:04.00,Line,,0,0,0,,Time to {\\c${assColour('#ffd166')}\\b1}face the music,{\\r} kid.\\N{\\rTranslation}결과를 받아들일 때야`,
    );
  });

  it('shows text literally: no override block, no escape from it', () => {
    expect(doc).toContain('Who broke (the) vase?');
    expect(assText('a\\Nb {\\b1}')).toBe('a\u29f5Nb (\u29f5b1)');
    expect(assTime(3723456)).toBe('1:02:03.46');
    expect(assColour('#ffd166', 0.6)).toBe('&H6666D1FF');
  });
});
