import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { expectNoSecrets } from '../support/loopback-server';
import { TerraformWorkspace, usingStandInProviders } from '../support/terraform';
import { RPC_LOG_ENV } from '../support/terraform-providers/rpc-log';

const PRIVATE_KEY = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n-----END OPENSSH PRIVATE KEY-----';

// The RPC log is the stand-ins' own: against a mirror of the real providers there is nothing to test.
const standInTest = usingStandInProviders() ? test : test.skip;

standInTest('the optional RPC log traces every call by name and never carries a value', async () => {
  // GIVEN a trigger and a query that hold a secret
  const workspace = await TerraformWorkspace.create({
    files: {
      'main.tf': `
        variable "private_key" {
          type      = string
          sensitive = true
        }
        resource "null_resource" "key" {
          triggers = { private_key = var.private_key }
        }
        data "external" "echo" {
          program = ["sh", "-c", "cat >/dev/null; echo '{}'"]
          query   = { private_key = var.private_key }
        }
      `,
    },
  });
  const logFile = path.join(workspace.rootDirectory, 'rpc.log');
  const env = { [RPC_LOG_ENV]: logFile, TF_VAR_private_key: PRIVATE_KEY };

  // WHEN
  await workspace.runOrThrow(['init'], { env });
  await workspace.runOrThrow(['apply', '-auto-approve'], { env });
  await workspace.runOrThrow(['destroy', '-auto-approve'], { env });

  // THEN
  const lines = readFileSync(logFile, 'utf8').trim().split('\n');
  const calls = new Set(lines.map((line) => line.split(' ').slice(2).join(' ')));
  for (const call of ['GetSchema', 'PlanResourceChange null_resource', 'ApplyResourceChange null_resource', 'ReadDataSource external', 'Shutdown']) {
    expect(calls.has(call)).toBe(true);
  }
  expect(lines.every((line) => /^\S+ (null|external)\[\d+\] /.test(line))).toBe(true);
  expectNoSecrets(lines, [PRIVATE_KEY, 'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ']);
  workspace.dispose();
});
