// Jest test environment of `npx projen test:faults`: Node's own, and, once a test file has run to its end
// (after its last afterAll), a mark `finished/<file>` in the suite's evidence directory. The suite runs on
// two workers; its secret scan (secret-hygiene.test.ts, queued last) waits for every other file's mark, so
// it reads all the evidence whichever worker ran what. Plain JavaScript: Jest loads an environment as it is.
const fs = require('node:fs');
const path = require('node:path');
const { TestEnvironment } = require('jest-environment-node');

/** The variable support/evidence.ts names EVIDENCE_DIRECTORY_ENV (a wrong name here makes the scan wait and fail). */
const EVIDENCE_DIRECTORY_ENV = 'CDKTF_KEYPAIR_FAULTS_EVIDENCE';

class FaultSuiteEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.testFile = path.basename(context.testPath);
  }

  async teardown() {
    const directory = process.env[EVIDENCE_DIRECTORY_ENV];
    if (directory) {
      fs.mkdirSync(path.join(directory, 'finished'), { recursive: true, mode: 0o700 });
      fs.writeFileSync(path.join(directory, 'finished', this.testFile), '');
    }
    await super.teardown();
  }
}

module.exports = FaultSuiteEnvironment;
