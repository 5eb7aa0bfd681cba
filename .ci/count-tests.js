// Prints "N passed, N failed" from jest-junit's report, the line CI reads (it does not read jest's own).
const fs = require('node:fs');
const file = process.argv[2];
if (!fs.existsSync(file)) {
  console.log('0 passed, 1 failed');
  console.error(`no test report at ${file}: the test runner did not run`);
  process.exit(1);
}
const xml = fs.readFileSync(file, 'utf8');
const root = /<testsuites\b([^>]*)>/.exec(xml);
const attribute = (name) => Number((new RegExp(`\\b${name}="(\\d+)"`).exec(root ? root[1] : '') || [])[1] || 0);
const total = attribute('tests');
const failed = attribute('failures') + attribute('errors');
const skipped = attribute('skipped');
console.log(`${total - failed - skipped} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
if (total === 0) process.exit(1);
