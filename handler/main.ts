/**
 * The deploy-time handler's entry point. Terraform's local-exec provisioners and the external data source
 * run this bundle with plain `node`; everything it does is `runHandler` (run.ts), wired to the process here.
 */
import { runHandler } from './run';

function readStdin(): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    process.stdin.on('data', (chunk: Buffer) => chunks.push(chunk));
    process.stdin.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    process.stdin.on('error', reject);
  });
}

if (require.main === module) {
  const onStderr = (text: string) => void process.stderr.write(text);
  runHandler({ argv: process.argv.slice(2), env: process.env, stdin: readStdin, onStderr }).then(
    (outcome) => {
      process.stdout.write(outcome.stdout);
      process.exitCode = outcome.exitCode;
    },
    (err: unknown) => {
      process.stderr.write(`cdktf-keypair: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
