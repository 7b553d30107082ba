// A stage thread for the hard time limit's test: the features stage of a text that says "walked on" loops
// without ever reaching a checkpoint (the real stages reach one every few milliseconds, whatever the input);
// everything else is the real stage thread.
const { join } = require('node:path');
require('ts-node').register({ transpileOnly: true });
/** @type {typeof import('../../src/pipeline/stages/stage.worker').default} */
const real = require(join(__dirname, '../../src/pipeline/stages/stage.worker.ts')).default;

/** @param {import('../../src/pipeline/stages/stage-task').StageTask} task */
module.exports = function stuckOnFeatures(task) {
  if (task.stage === 2 && String(task.inputIsJson ? task.input : JSON.stringify(task.input)).includes('walked on')) {
    const control = new Int32Array(task.control);
    Atomics.store(control, 2, 1); // started: the time limits count from now
    Atomics.notify(control, 2);
    for (;;) {
      // deliberately deaf to the soft limit
    }
  }
  return real(task);
};
