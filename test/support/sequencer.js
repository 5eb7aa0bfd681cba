// Jest test sequencer of the main suite: longest first, so that the workers finish together. Jest orders
// the files by their last duration when its cache has it; without one (a clean clone, as in CI) it orders
// them by size, which leaves the files that drive terraform or cdktf (short files that take up to minutes)
// for last, to run one after another on one worker while the other idles. Those go first among the files
// of unknown duration. Plain JavaScript: Jest loads a sequencer without transforming it.
const Sequencer = require('@jest/test-sequencer').default;

const TERRAFORM_DRIVEN = [/\/test\/e2e\//, /\/test\/examples\//, /\/test\/terraform-providers\//, /\/test\/bad-input\/terraform\.test\.ts$/];

class LongestFirstSequencer extends Sequencer {
  sort(tests) {
    // Failed first, then the files of unknown duration by size, then the others by duration.
    const sorted = super.sort(tests);
    const rank = (test) => {
      if (this.hasFailed(test)) return 0;
      return test.duration == null && TERRAFORM_DRIVEN.some((pattern) => pattern.test(test.path)) ? 1 : 2;
    };
    return sorted
      .map((test, index) => ({ test, index }))
      .sort((a, b) => rank(a.test) - rank(b.test) || a.index - b.index)
      .map(({ test }) => test);
  }
}

module.exports = LongestFirstSequencer;
