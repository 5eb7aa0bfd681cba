/**
 * Secret hygiene of the whole fault and load suite: every artifact every other file of the suite produced —
 * synthesized JSON, state files, saved plan files (every file inside them) and `terraform show -json` of them,
 * terraform's output and its TRACE logs, the handler's own output — searched for every secret the suite used:
 * the emulators' access key secrets and STS tokens, the wrong and expired credentials handed to the handler,
 * `PRIVATE KEY`, and every line of every private key seen (key files, keys the clouds made out of band,
 * imported keys' private halves). And every private key file seen while its pair existed had mode 0600.
 *
 * The other files save what they produced as they finish (support/evidence.ts); the suite's sequencer queues this
 * file last, and it waits for the other worker's file to finish. Run it with the suite: `npx projen test:faults`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findSecrets } from '../e2e/helpers';
import { finishedFiles, loadEvidence, SuiteFileEvidence } from './support/evidence';
import { BAD_SECRETS, STS_CREDENTIALS } from './support/suite';
import { DEFAULT_EMULATOR_CREDENTIALS } from '../../emulator';
import { eventually } from '../support/eventually';

const OTHER_FILES = fs.readdirSync(__dirname).filter((file) => file.endsWith('.test.ts') && file !== path.basename(__filename)).sort();
/** The longest any other file of the suite may still run once this one starts (the load test takes about a minute). */
const OTHER_FILES_TIMEOUT_MS = 15 * 60_000;

describe('secrets in everything the fault and load suite produced', () => {
  let saved: SuiteFileEvidence[];

  beforeAll(async () => {
    if (!loadEvidence()) throw new Error('no evidence directory: run the suite with `npx projen test:faults`, which queues this file last');
    // The other worker may still be running a file: read the evidence once every other file has finished.
    const unfinished = () => OTHER_FILES.filter((file) => !finishedFiles().has(file));
    if (!(await eventually(() => unfinished().length === 0, OTHER_FILES_TIMEOUT_MS, 500))) {
      throw new Error(`still running or never run after ${OTHER_FILES_TIMEOUT_MS / 60_000} min: ${unfinished().join(', ')}`);
    }
    saved = [...loadEvidence()!.values()];
  }, OTHER_FILES_TIMEOUT_MS + 10_000);

  test('every other file of the suite saved what it produced, of every kind', () => {
    // THEN
    expect(OTHER_FILES.filter((file) => !saved.some((record) => record.file.split(' ')[0] === file))).toEqual([]);
    const kinds: Record<string, number> = {};
    for (const record of saved) {
      for (const { source } of record.evidence) kinds[source.split(':')[0]] = (kinds[source.split(':')[0]] ?? 0) + 1;
    }
    // synthesized JSON, state, saved plan files, terraform output, TRACE logs, the handler's own output
    expect(Object.keys(kinds).sort()).toEqual(expect.arrayContaining(['handler', 'plan', 'state', 'synth', 'terraform', 'trace']));
    const traceBytes = saved.flatMap((record) => record.evidence).filter(({ source }) => source.startsWith('trace:')).reduce((sum, { text }) => sum + text.length, 0);
    expect(traceBytes).toBeGreaterThan(1_000_000);
  });

  test('no secret the suite used appears in any of it', () => {
    // GIVEN every secret of every file, searched for in the evidence of every file
    const needles = saved.flatMap((record) => record.needles);
    const evidence = saved.flatMap((record) => record.evidence.map(({ source, text }) => ({ source: `${record.file} ${source}`, text })));

    // WHEN
    const findings = findSecrets(evidence, needles);

    // THEN nothing, and the search held what it should: every emulator secret and token, the bad credentials,
    // and the lines of many private keys
    expect(findings).toEqual([]);
    const values = new Set(needles.map((needle) => needle.value));
    const expectedSecrets = [
      ...Object.values(DEFAULT_EMULATOR_CREDENTIALS).map((credential) => credential.accessKeySecret),
      ...Object.values(STS_CREDENTIALS).flatMap(([credential]) => [credential.accessKeySecret, credential.securityToken]),
      ...BAD_SECRETS.map((secret) => secret.value),
      'PRIVATE KEY',
    ];
    expect(expectedSecrets.filter((secret) => !values.has(secret))).toEqual([]);
    expect(needles.filter((needle) => needle.what === 'a line of a private key').length).toBeGreaterThan(1_000);
  });

  test('the search finds a secret where there is one', () => {
    // GIVEN one private key line and one access key secret of the suite, planted in copies of its evidence
    const needles = saved.flatMap((record) => record.needles);
    const keyLine = needles.find((needle) => needle.what === 'a line of a private key')!;
    const secret = needles.find((needle) => needle.what.includes('secret'))!;
    const planted = [
      { source: 'planted state', text: `{"attributes":{"note":"${keyLine.value}"}}` },
      { source: 'planted log', text: `[TRACE] signing with ${secret.value}` },
    ];

    // WHEN
    const findings = findSecrets(planted, needles);

    // THEN
    expect(findings).toEqual(expect.arrayContaining(['a line of a private key in planted state', `${secret.what} in planted log`]));
  });

  test('every private key file, seen while its key pair existed, had mode 0600', () => {
    // GIVEN
    const observations = saved.flatMap((record) => record.keyFiles);

    // THEN
    expect(observations.length).toBeGreaterThan(100);
    expect(observations.filter((observation) => observation.mode !== 0o600).map((observation) => `${observation.context}: ${observation.mode.toString(8)}`)).toEqual([]);
  });
});
