// Jest test sequencer of `npx projen test:faults`: the files in name order, the suite's secret scan
// (secret-hygiene.test.ts, which reads what every other file saved) last. Plain JavaScript: Jest loads a
// sequencer without transforming it.
const path = require('node:path');

const LAST = 'secret-hygiene.test.ts';

class FaultSuiteSequencer {
  sort(tests) {
    const byName = [...tests].sort((a, b) => a.path.localeCompare(b.path));
    return [...byName.filter((test) => path.basename(test.path) !== LAST), ...byName.filter((test) => path.basename(test.path) === LAST)];
  }

  cacheResults() {}

  allFailedTests(tests) {
    return tests;
  }

  shard(tests) {
    return tests;
  }
}

module.exports = FaultSuiteSequencer;
