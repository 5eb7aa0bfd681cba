/**
 * `cdktf-keypair-emulator`: serves local emulators of the Alibaba Cloud ECS, Tencent Cloud CVM and UCloud
 * UHost key pair APIs (and of Alibaba KMS and Tencent SSM secret stores) until interrupted. Prints one JSON line when ready: the endpoints and the environment
 * that points the cdktf-keypair handler at them.
 */
import * as fs from 'node:fs';
import { parseArgs } from 'node:util';
import { parseFaultSpec } from './faults';
import { CLOUDS, RunningEmulator, startEmulator } from './index';
import { pemPrivateKeysIn } from './key-pool';
import { watchLifeline } from './lifeline';
import { CLOUD_NAMES, CloudName, isCloudName, perCloud } from '../src/contract';

const USAGE = `Usage: cdktf-keypair-emulator [options]

Serves emulators of the three clouds' SSH key pair APIs on loopback, one port per cloud.

Options:
  --host <address>        interface to listen on (default 127.0.0.1)
  --port <n>              first port: Alibaba on n, Tencent on n+1, UCloud on n+2 (default: free ports)
  --state <file>          keep state in this JSON file across restarts (default: in memory)
  --quota <n>             key pairs per region (region+project on UCloud, account on Tencent) before
                          the quota error (default 500; Tencent 100)
  --fault <spec>          inject a fault, repeatable: cloud:kind[:count][:action]
                          kinds: throttle, server-error, latency, drop-connection, malformed-body, denied
                          e.g. --fault tencentcloud:throttle:3:CreateKeyPair
  --bind <spec>           bind a key pair of the state file to an instance, repeatable:
                          cloud:keyPairIdOrName[:deleteAttempts] — its delete answers the cloud's
                          in-use code until released (POST /_emulator/bindings/release) or for
                          deleteAttempts deletes (UCloud: only with --ucloud-refuse-bound-deletes)
  --describe-lag-ms <n>   a new key pair shows in describes only n ms after it was made (read-after-write
                          lag; duplicate-name and quota checks see it at once)
  --key-pool <file>       PEM RSA private keys (any number, one after another) that creates hand out
                          before generating their own, each to one key pair: for test runs that start
                          many emulators (default: every create generates its key)
  --ucloud-key-bits <n>   RSA size of UCloud's generated keys: 2048 (UCloud) or 4096 (UCloud-Global)
  --ucloud-duplicate-names
                          UCloud accepts a second key pair under a name already used in the region
                          and project (UCloud does not document whether names are unique)
  --ucloud-refuse-bound-deletes
                          UCloud refuses to delete a key pair bound to an instance (by default it
                          deletes it, as UCloud very likely does)
  --outlive-parent        keep serving after the process that started it has exited, and leave SIGHUP
                          as inherited (for nohup); by default it stops then
  --verbose               log one line per request to stderr
  --help                  print this text

When ready it prints one JSON line to stdout:
  {"endpoints":{...},"environment":{...},"pid":<n>}
Export "environment" to point the cdktf-keypair handler at the emulator. The emulator accepts well-known
test credentials only; it never contacts a real cloud. Stop it with Ctrl-C (SIGINT), SIGTERM or SIGHUP, or
end the process that started it (a wrapper, npx, a test), by any signal: it notices within a second.
`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'host': { type: 'string' },
      'port': { type: 'string' },
      'state': { type: 'string' },
      'quota': { type: 'string' },
      'fault': { type: 'string', multiple: true },
      'bind': { type: 'string', multiple: true },
      'key-pool': { type: 'string' },
      'ucloud-key-bits': { type: 'string' },
      'ucloud-duplicate-names': { type: 'boolean' },
      'describe-lag-ms': { type: 'string' },
      'ucloud-refuse-bound-deletes': { type: 'boolean' },
      'outlive-parent': { type: 'boolean' },
      'verbose': { type: 'boolean' },
      'help': { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const firstPort = values.port === undefined ? 0 : parsePositiveInteger('--port', values.port);
  const ports = perCloud((cloud) => (firstPort === 0 ? 0 : firstPort + CLOUDS.indexOf(cloud)));
  // Signal handlers and the lifeline come first, so that a stop requested while starting also frees every port.
  let stopRequested = false;
  let emulator: RunningEmulator | undefined;
  const stop = (running: RunningEmulator) =>
    running.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  const shutdown = () => {
    if (stopRequested) return; // A second signal, or the lifeline after a signal, changes nothing.
    stopRequested = true;
    if (emulator) void stop(emulator); // Otherwise still starting: stopped below as soon as it is up.
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  if (!values['outlive-parent']) {
    // A handler replaces an inherited "ignore" (nohup's), so SIGHUP is left alone for --outlive-parent.
    process.on('SIGHUP', shutdown);
    // Stops when the wrapper, npx or test that started it has gone, whatever signal ended it (./lifeline.ts).
    watchLifeline(shutdown);
  }
  // Once the reader of stdout or stderr has gone (with the process that started it), a write fails with EPIPE:
  // nothing can be reported any more, and the failure must not stop the emulator before it frees its ports.
  process.stdout.on('error', () => undefined);
  process.stderr.on('error', () => undefined);

  emulator = await startEmulator({
    host: values.host,
    ports,
    stateFile: values.state,
    quotaPerScope: values.quota === undefined ? undefined : parsePositiveInteger('--quota', values.quota),
    faults: (values.fault ?? []).map(parseFaultSpec),
    keyPool: values['key-pool'] === undefined ? undefined : readKeyPool(values['key-pool']),
    ucloudGeneratedKeyBits: values['ucloud-key-bits'] === undefined ? undefined : parsePositiveInteger('--ucloud-key-bits', values['ucloud-key-bits']),
    ucloudDuplicateNames: values['ucloud-duplicate-names'],
    describeLagMs: values['describe-lag-ms'] === undefined ? undefined : parsePositiveInteger('--describe-lag-ms', values['describe-lag-ms']),
    ucloudRefuseBoundDeletes: values['ucloud-refuse-bound-deletes'],
    log: values.verbose ? (line) => process.stderr.write(`${line}\n`) : undefined,
  });
  if (stopRequested) {
    void stop(emulator);
    return;
  }
  for (const spec of values.bind ?? []) {
    const { cloud, keyPair, deleteAttempts } = parseBindSpec(spec);
    emulator.bindKeyPair(cloud, keyPair, { deleteAttempts });
  }
  const ready = { endpoints: emulator.endpoints, environment: emulator.handlerEnvironment(), pid: process.pid };
  process.stdout.write(`${JSON.stringify(ready)}\n`);
}

function readKeyPool(file: string): string[] {
  const keys = pemPrivateKeysIn(fs.readFileSync(file, 'utf8'));
  if (keys.length === 0) throw new Error(`--key-pool ${file}: no PEM private key in it`);
  return keys;
}

function parseBindSpec(text: string): { cloud: CloudName; keyPair: string; deleteAttempts?: number } {
  const [cloud, keyPair, attempts] = text.split(':');
  if (!isCloudName(cloud) || !keyPair) {
    throw new Error(`--bind "${text}": expected cloud:keyPairIdOrName[:deleteAttempts] with cloud one of ${CLOUD_NAMES.join(', ')}`);
  }
  return { cloud, keyPair, deleteAttempts: attempts === undefined ? undefined : parsePositiveInteger('--bind', attempts) };
}

function parsePositiveInteger(flag: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${flag} must be a positive integer, got "${text}"`);
  return value;
}

main().catch((err: unknown) => {
  process.stderr.write(`cdktf-keypair-emulator: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
