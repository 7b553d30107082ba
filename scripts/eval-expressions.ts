// npm run eval:expressions [--json] [--write-thresholds]
// Measures the analysis against the project's gold set (eval/gold): subtitle files of several genres, every
// idiomatic use annotated with its sense, a teacher's picks, and traps (literal uses, grammar, lyrics when a
// spoken use exists, offensive lines). Prints, per file and overall: precision@10 and @30 (returned items
// that are annotated expressions), recall@30 (of the teacher's picks), sense accuracy (the definition's sense
// is the one used in the example line), and junk (a trap returned, a lyric or offensive example, an example
// over 15 s). Fails (exit 1) when a figure falls below eval/thresholds.json.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AnalysisEngine } from '../src/analysis/analysis-engine';
import { Expression } from '../src/analysis/analysis.types';
import { parseSrt, parseVtt } from '../src/analysis/subtitles';
import { InputFormat, Level } from '../src/common/enums';

interface GoldUse {
  cue: number;
  text: string;
  expression: string;
  gloss: string;
  pick: boolean;
  lexicon: string | null;
  sense: string | null;
}
interface GoldFile {
  genre: string;
  expressions: GoldUse[];
  traps: { cue: number; text: string; not: string; why: string }[];
  offensive?: { cue: number }[];
}

export interface FileScore {
  file: string;
  returned: number;
  precisionAt10: number;
  precisionAt30: number;
  recallAt30: number;
  senseAccuracy: number;
  senseJudged: number;
  junk: number;
  misses: string[];
  wrong: string[];
  wrongSense: string[];
  junkItems: string[];
}

const GOLD = join(__dirname, '../eval/gold');
const THRESHOLDS = join(__dirname, '../eval/thresholds.json');
const MAX_EXAMPLE_MS = 15_000;

const norm = (s: string) =>
  s
    .toLowerCase()
    .replace(/\b(their|his|her|my|your|our)\b/g, "one's")
    .replace(/\s+/g, ' ')
    .trim();
const keyOf = (u: GoldUse) => u.lexicon ?? norm(u.expression);

/** The cue numbers (1-based) an example's times cover. */
function cuesOf(e: Expression, cues: { startMs: number; endMs: number }[]): number[] {
  if (e.startMs === null || e.endMs === null) return [];
  return cues.flatMap((c, i) => (c.startMs >= e.startMs! - 1 && c.endMs <= e.endMs! + 1 ? [i + 1] : []));
}

export function scoreFile(file: string, engine: AnalysisEngine): FileScore {
  const gold = JSON.parse(readFileSync(join(GOLD, `${file}.json`), 'utf8')) as GoldFile;
  const subtitleFile = readdirSync(GOLD).find((f) => f.startsWith(`${file}.`) && !f.endsWith('.json'))!;
  const text = readFileSync(join(GOLD, subtitleFile), 'utf8');
  const cues = subtitleFile.endsWith('.vtt') ? parseVtt(text) : parseSrt(text);
  const result = engine.analyse(text, { format: InputFormat.Auto, language: 'en', maxExpressions: 30, level: Level.Mixed });
  const listed = new Set(gold.expressions.map(keyOf));
  const offensiveCues = new Set((gold.offensive ?? []).map((o) => o.cue));
  const lyricCues = new Set(gold.traps.filter((t) => t.why.startsWith('lyric')).map((t) => t.cue));
  const correct = (e: Expression) => listed.has(e.expression);
  const top = (k: number) => result.expressions.slice(0, k);
  const precision = (k: number) => (top(k).length ? top(k).filter(correct).length / top(k).length : 0);
  const picks = [...new Set(gold.expressions.filter((u) => u.pick).map(keyOf))];
  const found = new Set(top(30).map((e) => e.expression));
  const misses = picks.filter((p) => !found.has(p));

  let judged = 0;
  let right = 0;
  const wrongSense: string[] = [];
  const junkItems: string[] = [];
  for (const e of top(30)) {
    const at = cuesOf(e, cues);
    if (gold.traps.some((t) => at.includes(t.cue) && norm(t.not) === e.expression)) junkItems.push(`${e.expression}: a trap at cue ${at.join('+')}`);
    if (at.some((c) => offensiveCues.has(c))) junkItems.push(`${e.expression}: offensive example at cue ${at.join('+')}`);
    if (at.some((c) => lyricCues.has(c))) junkItems.push(`${e.expression}: lyric example at cue ${at.join('+')}`);
    if (e.startMs !== null && e.endMs! - e.startMs > MAX_EXAMPLE_MS) junkItems.push(`${e.expression}: example of ${e.endMs! - e.startMs} ms`);
    if (!correct(e) || !e.sense) continue;
    const uses = gold.expressions.filter((u) => keyOf(u) === e.expression && u.sense);
    const here = uses.filter((u) => at.includes(u.cue));
    const senses = new Set((here.length ? here : uses).map((u) => u.sense));
    if (!uses.length || (!here.length && senses.size > 1)) continue;
    judged++;
    if (senses.has(e.sense)) right++;
    else wrongSense.push(`${e.expression}: "${e.sense}" for ${[...senses].join('/')} (${e.example})`);
  }
  return {
    file,
    returned: result.expressions.length,
    precisionAt10: precision(10),
    precisionAt30: precision(30),
    recallAt30: picks.length ? 1 - misses.length / picks.length : 1,
    senseAccuracy: judged ? right / judged : 1,
    senseJudged: judged,
    junk: top(30).length ? junkItems.length / top(30).length : 0,
    misses,
    wrong: top(30)
      .filter((e) => !correct(e))
      .map((e) => `${e.expression} (${e.example})`),
    wrongSense,
    junkItems,
  };
}

export function evaluate(engine = new AnalysisEngine()): { files: FileScore[]; overall: Record<string, number> } {
  const files = readdirSync(GOLD)
    .filter((f) => f.endsWith('.json'))
    .map((f) => scoreFile(f.replace(/\.json$/, ''), engine));
  const mean = (k: keyof FileScore) => files.reduce((s, f) => s + (f[k] as number), 0) / files.length;
  const judged = files.reduce((s, f) => s + f.senseJudged, 0);
  const overall = {
    precisionAt10: mean('precisionAt10'),
    precisionAt30: mean('precisionAt30'),
    recallAt30: mean('recallAt30'),
    // Pooled: every judged item counts the same, whichever file it is in.
    senseAccuracy: judged ? files.reduce((s, f) => s + f.senseAccuracy * f.senseJudged, 0) / judged : 1,
    junk: mean('junk'),
  };
  return { files, overall };
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

function main(): void {
  const { files, overall } = evaluate();
  if (process.argv.includes('--json')) return void console.log(JSON.stringify({ files, overall }, null, 2));
  for (const f of files) {
    console.log(
      `${f.file.padEnd(22)} p@10 ${pct(f.precisionAt10).padStart(6)}  p@30 ${pct(f.precisionAt30).padStart(6)}  recall@30 ${pct(f.recallAt30).padStart(6)}  sense ${pct(f.senseAccuracy).padStart(6)} (${f.senseJudged})  junk ${pct(f.junk)}`,
    );
    if (process.argv.includes('--verbose')) {
      for (const [label, list] of [
        ['missed picks', f.misses],
        ['not annotated', f.wrong],
        ['wrong sense', f.wrongSense],
        ['junk', f.junkItems],
      ] as const) {
        if (list.length) console.log(`    ${label}: ${list.join('; ')}`);
      }
    }
  }
  const line = Object.entries(overall)
    .map(([k, v]) => `${k}=${v.toFixed(3)}`)
    .join(' ');
  console.log(`EVAL expressions ${line}`);
  if (process.argv.includes('--write-thresholds')) {
    // A little below what is reached today, so that noise-free regressions fail and nothing else does.
    const floor = (x: number) => Math.floor(x * 100 - 2) / 100;
    const thresholds = {
      precisionAt10: floor(overall.precisionAt10),
      precisionAt30: floor(overall.precisionAt30),
      recallAt30: floor(overall.recallAt30),
      senseAccuracy: floor(overall.senseAccuracy),
      maxJunk: Math.ceil(overall.junk * 100 + 1) / 100,
    };
    writeFileSync(THRESHOLDS, `${JSON.stringify(thresholds, null, 2)}\n`);
    console.log(`wrote ${THRESHOLDS}`);
    return;
  }
  const limits = JSON.parse(readFileSync(THRESHOLDS, 'utf8')) as Record<string, number>;
  const failures = [
    ...(['precisionAt10', 'precisionAt30', 'recallAt30', 'senseAccuracy'] as const)
      .filter((k) => overall[k] < limits[k])
      .map((k) => `${k} ${overall[k].toFixed(3)} < ${limits[k]}`),
    ...(overall.junk > limits.maxJunk ? [`junk ${overall.junk.toFixed(3)} > ${limits.maxJunk}`] : []),
  ];
  if (failures.length) {
    console.error(`below the thresholds of eval/thresholds.json: ${failures.join('; ')}`);
    process.exit(1);
  }
}

if (require.main === module) main();
