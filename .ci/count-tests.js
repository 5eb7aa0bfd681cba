// Prints "N passed, N failed" from jest-junit's reports, summed over every report named on the command line
// (the main suite's and the fault suite's): the line CI reads (it does not read jest's own). A report that is
// missing or holds no test counts as a failure: its runner did not run.
const fs = require('node:fs');
const files = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;
let broken = false;
for (const file of files) {
  if (!fs.existsSync(file)) {
    failed += 1;
    broken = true;
    console.error(`no test report at ${file}: the test runner did not run`);
    continue;
  }
  const xml = fs.readFileSync(file, 'utf8');
  const root = /<testsuites\b([^>]*)>/.exec(xml);
  const attribute = (name) => Number((new RegExp(`\\b${name}="(\\d+)"`).exec(root ? root[1] : '') || [])[1] || 0);
  const total = attribute('tests');
  const fileFailed = attribute('failures') + attribute('errors');
  const fileSkipped = attribute('skipped');
  if (total === 0) {
    failed += 1;
    broken = true;
    console.error(`the test report at ${file} holds no test`);
    continue;
  }
  passed += total - fileFailed - fileSkipped;
  failed += fileFailed;
  skipped += fileSkipped;
}
if (files.length === 0) {
  failed += 1;
  broken = true;
  console.error('no test report named');
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
if (broken) process.exit(1);
