#!/usr/bin/env node
// Checks the learner lexicon (src/analysis/lexicon/learner/*.json): every entry well formed, no expression or
// variant written twice, and prints how many entries, senses and blockers there are per category.
// Usage: node scripts/check-lexicon.js [file.json ...]   (default: every file of the lexicon)
const { readFileSync, readdirSync } = require('node:fs');
const path = require('node:path');

const DIR = path.join(__dirname, '../src/analysis/lexicon/learner');
const CATEGORIES = ['idiom', 'phrasal_verb', 'fixed_phrase'];
const OBJECTS = ['person', 'thing', 'none'];
const ENTRY_KEYS = new Set(['expression', 'category', 'common', 'transparent', 'variants', 'literal', 'senses']);
const SENSE_KEYS = new Set(['id', 'definition', 'example', 'object', 'cues', 'strict']);
const FORM = /^[a-z0-9' -]+$/;

/** @param {string[]} files */
function check(files) {
  /** @type {string[]} */
  const problems = [];
  /** @type {Map<string, string>} */
  const seen = new Map();
  /** @type {Record<string, { entries: number, blockers: number }>} */
  const counts = {};
  let senses = 0;
  for (const file of files) {
    let entries;
    try {
      entries = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      problems.push(`${path.basename(file)}: not valid JSON: ${/** @type {Error} */ (err).message}`);
      continue;
    }
    if (!Array.isArray(entries)) {
      problems.push(`${path.basename(file)}: must be an array of entries`);
      continue;
    }
    entries.forEach((/** @type {any} */ e, /** @type {number} */ i) => {
      const where = `${path.basename(file)}[${i}] ${JSON.stringify(e && e.expression)}`;
      const bad = (/** @type {string} */ msg) => problems.push(`${where}: ${msg}`);
      if (!e || typeof e !== 'object') return bad('not an object');
      for (const k of Object.keys(e)) if (!ENTRY_KEYS.has(k)) bad(`unknown field "${k}"`);
      if (typeof e.expression !== 'string' || !FORM.test(e.expression) || e.expression.trim().split(/\s+/).length < 2) {
        bad('expression must be two or more lower-case words (letters, digits, apostrophes, hyphens)');
      }
      if (!CATEGORIES.includes(e.category)) bad(`category must be one of ${CATEGORIES.join(', ')}`);
      for (const k of ['common', 'transparent']) {
        const max = k === 'common' ? 5 : 3;
        if (!Number.isInteger(e[k]) || e[k] < 1 || e[k] > max) bad(`${k} must be a whole number from 1 to ${max}`);
      }
      for (const k of ['variants', 'literal']) {
        if (e[k] !== undefined && (!Array.isArray(e[k]) || e[k].some((v) => typeof v !== 'string' || !FORM.test(v))))
          bad(`${k} must be a list of lower-case strings`);
      }
      if (!Array.isArray(e.senses)) return bad('senses must be a list (empty for a blocker)');
      const ids = new Set();
      e.senses.forEach((/** @type {any} */ s, /** @type {number} */ j) => {
        const at = (/** @type {string} */ msg) => bad(`sense ${j}: ${msg}`);
        for (const k of Object.keys(s)) if (!SENSE_KEYS.has(k)) at(`unknown field "${k}"`);
        if (typeof s.id !== 'string' || !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(s.id)) at('id must be kebab-case');
        if (ids.has(s.id)) at(`id "${s.id}" used twice`);
        ids.add(s.id);
        if (typeof s.definition !== 'string' || s.definition.length < 3 || s.definition.length > 140) at('definition must be 3..140 characters');
        if (typeof s.example !== 'string' || s.example.length < 5) at('example is missing');
        if (s.object !== undefined && !OBJECTS.includes(s.object)) at(`object must be one of ${OBJECTS.join(', ')}`);
        if (
          s.cues !== undefined &&
          (!Array.isArray(s.cues) || s.cues.some((/** @type {unknown} */ c) => typeof c !== 'string' || c !== c.toLowerCase() || !c.trim()))
        )
          at('cues must be lower-case strings');
        if (s.strict !== undefined && typeof s.strict !== 'boolean') at('strict must be true or false');
      });
      if (e.senses.length > 1 && e.senses.filter((/** @type {any} */ s) => !s.cues || !s.cues.length).length > 1)
        bad('with several senses, at most one (the default) may go without cues');
      for (const form of [e.expression, ...(e.variants || [])]) {
        if (typeof form !== 'string') continue;
        const before = seen.get(form);
        if (before) bad(`"${form}" is also written in ${before}`);
        else seen.set(form, where);
      }
      counts[e.category] = counts[e.category] || { entries: 0, blockers: 0 };
      if (e.senses.length) counts[e.category].entries++;
      else counts[e.category].blockers++;
      senses += e.senses.length;
    });
  }
  return { problems, counts, senses };
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const files = args.length
    ? args
    : readdirSync(DIR)
        .filter((f) => f.endsWith('.json'))
        .map((f) => path.join(DIR, f));
  const { problems, counts, senses } = check(files);
  for (const [category, c] of Object.entries(counts)) console.log(`${category}: ${c.entries} entries, ${c.blockers} blockers`);
  console.log(`senses: ${senses}`);
  if (problems.length) {
    console.error(`${problems.length} problem(s):\n  ${problems.slice(0, 200).join('\n  ')}`);
    process.exit(1);
  }
  console.log('lexicon ok');
}

module.exports = { check };
