/**
 * The handler's `--help` is built from the variables the handler reads, so it names every one; the
 * credentials page documents the same list and every tuning variable, and the README's credentials table
 * names every credential.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { environmentNamesOf } from '../../handler/clouds/factory';
import { USAGE } from '../../handler/run';
import { TUNING_ENV } from '../../handler/tuning';
import { CLOUD_NAMES } from '../../src/contract';

const CREDENTIALS_PAGE = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'credentials.md'), 'utf8');
/** The README's table of credential variables, one row per cloud. */
const README_CREDENTIALS_TABLE = /\| cloud \| access key id \|[^]*?\n\n/.exec(fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8'))?.[0] ?? '';

test.each(Object.values(TUNING_ENV))('tuning variable %s is in --help and in docs/credentials.md', (variable) => {
  expect(USAGE).toContain(variable);
  expect(CREDENTIALS_PAGE).toContain(`\`${variable}\``);
});

describe.each(CLOUD_NAMES)('%s variables', (cloud) => {
  const names = environmentNamesOf(cloud);
  const variables = [...names.accessKeyId, ...names.accessKeySecret, ...names.securityToken, ...names.settings];

  test.each(variables)('%s is in --help and in docs/credentials.md', (variable) => {
    expect(USAGE).toContain(variable);
    expect(CREDENTIALS_PAGE).toContain(variable);
  });

  test.each([...names.accessKeyId, ...names.accessKeySecret, ...names.securityToken])('%s is in the README\'s credentials table', (variable) => {
    expect(README_CREDENTIALS_TABLE).toContain(`\`${variable}\``);
  });
});
