// Jest test sequencer of `npx projen test:faults`: longest first (Jest's own order: by last duration, else by
// size), so that the suite's two workers finish together; the suite's secret scan (secret-hygiene.test.ts,
// which reads what every other file saved, and waits until they have all finished) queued last. Plain
// JavaScript: Jest loads a sequencer without transforming it.
const path = require('node:path');
const Sequencer = require('@jest/test-sequencer').default;

const LAST = 'secret-hygiene.test.ts';

class FaultSuiteSequencer extends Sequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    return [...sorted.filter((test) => path.basename(test.path) !== LAST), ...sorted.filter((test) => path.basename(test.path) === LAST)];
  }
}

module.exports = FaultSuiteSequencer;
