// The forms of an English verb, so that a pattern's verb meets its token however the tagger lemmatised it
// ("riding" is not "rid", "scraping" not "scrap").

/** base: past, past participle (when it differs). */
const IRREGULAR: Record<string, string[]> = {
  be: ['am', 'is', 'are', 'was', 'were', 'been', 'being'],
  have: ['has', 'had', 'having'],
  do: ['does', 'did', 'done', 'doing'],
  go: ['went', 'gone'],
  get: ['got', 'gotten'],
  take: ['took', 'taken'],
  make: ['made'],
  come: ['came'],
  give: ['gave', 'given'],
  know: ['knew', 'known'],
  see: ['saw', 'seen'],
  say: ['said'],
  think: ['thought'],
  tell: ['told'],
  find: ['found'],
  leave: ['left'],
  feel: ['felt'],
  bring: ['brought'],
  keep: ['kept'],
  hold: ['held'],
  stand: ['stood'],
  run: ['ran'],
  put: [],
  set: [],
  let: [],
  cut: [],
  hit: [],
  shut: [],
  quit: [],
  beat: ['beaten'],
  break: ['broke', 'broken'],
  speak: ['spoke', 'spoken'],
  wake: ['woke', 'woken'],
  write: ['wrote', 'written'],
  ride: ['rode', 'ridden'],
  drive: ['drove', 'driven'],
  rise: ['rose', 'risen'],
  fall: ['fell', 'fallen'],
  throw: ['threw', 'thrown'],
  blow: ['blew', 'blown'],
  grow: ['grew', 'grown'],
  draw: ['drew', 'drawn'],
  fly: ['flew', 'flown'],
  show: ['showed', 'shown'],
  eat: ['ate', 'eaten'],
  bite: ['bit', 'bitten'],
  hide: ['hid', 'hidden'],
  forget: ['forgot', 'forgotten'],
  choose: ['chose', 'chosen'],
  freeze: ['froze', 'frozen'],
  steal: ['stole', 'stolen'],
  wear: ['wore', 'worn'],
  tear: ['tore', 'torn'],
  swear: ['swore', 'sworn'],
  bear: ['bore', 'born', 'borne'],
  lie: ['lay', 'lain', 'lying', 'lied'],
  lay: ['laid'],
  pay: ['paid'],
  buy: ['bought'],
  catch: ['caught'],
  teach: ['taught'],
  fight: ['fought'],
  seek: ['sought'],
  sell: ['sold'],
  send: ['sent'],
  spend: ['spent'],
  lend: ['lent'],
  build: ['built'],
  lose: ['lost'],
  mean: ['meant'],
  meet: ['met'],
  sit: ['sat'],
  sleep: ['slept'],
  feed: ['fed'],
  lead: ['led'],
  read: [],
  hear: ['heard'],
  win: ['won'],
  dig: ['dug'],
  hang: ['hung', 'hanged'],
  stick: ['stuck'],
  strike: ['struck', 'stricken'],
  swing: ['swung'],
  spin: ['spun'],
  sink: ['sank', 'sunk'],
  shrink: ['shrank', 'shrunk'],
  drink: ['drank', 'drunk'],
  ring: ['rang', 'rung'],
  sing: ['sang', 'sung'],
  begin: ['began', 'begun'],
  swim: ['swam', 'swum'],
  shake: ['shook', 'shaken'],
  light: ['lit'],
  slide: ['slid'],
  shoot: ['shot'],
  understand: ['understood'],
  mistake: ['mistook', 'mistaken'],
  undertake: ['undertook', 'undertaken'],
  overcome: ['overcame'],
  become: ['became'],
  bend: ['bent'],
  bleed: ['bled'],
  breed: ['bred'],
  deal: ['dealt'],
  dream: ['dreamt', 'dreamed'],
  flee: ['fled'],
  fling: ['flung'],
  forgive: ['forgave', 'forgiven'],
  grind: ['ground'],
  kneel: ['knelt'],
  leap: ['leapt', 'leaped'],
  slip: ['slipped'],
  spill: ['spilt', 'spilled'],
  spit: ['spat'],
  split: [],
  spread: [],
  sweep: ['swept'],
  weep: ['wept'],
  wind: ['wound'],
  wring: ['wrung'],
  shine: ['shone'],
  tread: ['trod', 'trodden'],
};

const VOWELS = /[aeiou]/;

/** Regular forms: -s/-es, -ed/-d, -ing, with the spelling rules (e dropped, y to i, a final consonant doubled). */
function regular(base: string): string[] {
  const out: string[] = [];
  if (/(s|x|z|ch|sh|o)$/.test(base)) out.push(`${base}es`);
  else if (/[^aeiou]y$/.test(base)) out.push(`${base.slice(0, -1)}ies`);
  else out.push(`${base}s`);
  const stem = base.endsWith('ie') ? `${base.slice(0, -2)}y` : base.endsWith('e') && base !== 'be' && !base.endsWith('ee') ? base.slice(0, -1) : base;
  out.push(base.endsWith('ie') ? `${base.slice(0, -2)}ying` : `${stem}ing`);
  if (base.endsWith('e')) out.push(`${base}d`);
  else if (/[^aeiou]y$/.test(base)) out.push(`${base.slice(0, -1)}ied`);
  else out.push(`${base}ed`);
  // A short verb ending consonant-vowel-consonant doubles its consonant: stop -> stopping, stopped.
  if (/^[^aeiou]*[aeiou][^aeiouwxy]$/.test(base) && VOWELS.test(base)) {
    const last = base[base.length - 1];
    out.push(`${base}${last}ing`, `${base}${last}ed`);
  }
  return out;
}

const cache = new Map<string, Set<string>>();

/** Every form of a verb (the base included), for a pattern's verb to meet however it is said. */
export function verbForms(base: string): Set<string> {
  let forms = cache.get(base);
  if (!forms) {
    forms = new Set([base, ...regular(base), ...(IRREGULAR[base] ?? [])]);
    cache.set(base, forms);
  }
  return forms;
}
