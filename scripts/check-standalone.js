#!/usr/bin/env node
// Fails when a tracked file names a path outside the repository: a relative path that climbs above the
// repository's root from where it is written (a folder beside the clone, reached by climbing), or this machine's absolute
// layout (/work/...); a line that says "standalone: outside on purpose" is left alone. A user's clone has nothing beside it, so everything the code, tests, benchmarks and
// docs point at must be inside. Usage: node scripts/check-standalone.js
const { execFileSync } = require('node:child_process');
const { readFileSync } = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
/** "../x", "../../x/y": a relative path that starts by climbing. */
const CLIMB = /(?<![\w./-])((?:\.\.\/)+)([\w.-]*)/g;
/** Absolute paths of the machines this project is developed on. */
const MACHINE_PATH = /(?<![\w.-])\/work\/[\w.-]+/g;

/**
 * @param {string} file path relative to the root
 * @param {string} text
 * @returns {string[]} what is wrong, one line per finding
 */
function findings(file, text) {
  /** @type {string[]} */
  const out = [];
  const dir = path.dirname(path.join(root, file));
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    // A path that is meant to point outside (a hostile input in a test) says so on its line.
    if (line.includes('standalone: outside on purpose')) return;
    for (const m of line.matchAll(CLIMB)) {
      const target = path.resolve(dir, m[1] + m[2]);
      if (path.relative(root, target).startsWith('..')) out.push(`${file}:${i + 1}: "${m[0]}" is outside the repository`);
    }
    for (const m of line.matchAll(MACHINE_PATH)) out.push(`${file}:${i + 1}: "${m[0]}" is a path of this machine, not of the repository`);
  });
  return out;
}

function main() {
  const files = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' }).split('\0').filter(Boolean);
  const problems = [];
  for (const file of files) {
    if (file === 'scripts/check-standalone.js') continue; // its own patterns and examples
    let buffer;
    try {
      buffer = readFileSync(path.join(root, file));
    } catch {
      continue; // deleted in the working tree
    }
    if (buffer.includes(0)) continue; // binary
    problems.push(...findings(file, buffer.toString('utf8')));
  }
  if (problems.length) {
    console.error(`${problems.length} reference(s) to paths outside the repository:\n  ${problems.join('\n  ')}`);
    process.exit(1);
  }
  console.log(`standalone: ${files.length} tracked files name no path outside the repository`);
}

if (require.main === module) main();

module.exports = { findings };
