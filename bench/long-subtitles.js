// A film-length SRT file (default 1200 cues, about 90 minutes) built from the sample episode's lines and the
// Sintel subtitles, re-timed one after another: real dialogue, realistic cue lengths.
const { readFileSync } = require('node:fs');
const path = require('node:path');

/** @param {string} file */
function cuesOf(file) {
  return readFileSync(file, 'utf8')
    .replace(/\r/g, '')
    .split(/\n\s*\n/)
    .map((b) => b.split('\n').slice(2).join('\n').trim())
    .filter(Boolean);
}

function longSubtitles(count = 1200) {
  const lines = [...cuesOf(path.join(__dirname, '../samples/episode.srt'))];
  lines.push(...cuesOf(path.join(__dirname, '../test/fixtures/sintel_en.srt')));
  const ts = (/** @type {number} */ ms) => new Date(ms).toISOString().slice(11, 23).replace('.', ',');
  let out = '';
  for (let i = 0, t = 0; i < count; i++, t += 4500) out += `${i + 1}\n${ts(t)} --> ${ts(t + 3800)}\n${lines[i % lines.length]}\n\n`;
  return out;
}

module.exports = { longSubtitles };
