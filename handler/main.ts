/**
 * The deploy-time handler's entry point. Terraform's local-exec provisioners and the external data source
 * run this bundle with plain `node`; the commands it dispatches to live beside it.
 */

const USAGE = `cdktf-keypair handler: creates, reads and deletes SSH key pairs on Alibaba Cloud ECS,
Tencent Cloud CVM and UCloud UHost. Terraform runs it; you rarely need to.

Usage: node handler.js <command>

Commands:
  create   create or import the key pair described by the triggers (provisioner, when = create)
  read     describe the live key pair and print a flat JSON map (external data source)
  delete   delete the key pair, if it is still ours (provisioner, when = destroy)
  --help   print this text

Credentials come from the environment, with the names each cloud's Terraform provider reads:
  Alibaba Cloud  ALICLOUD_ACCESS_KEY / ALIBABA_CLOUD_ACCESS_KEY_ID, ALICLOUD_SECRET_KEY /
                 ALIBABA_CLOUD_ACCESS_KEY_SECRET, ALICLOUD_SECURITY_TOKEN / ALIBABA_CLOUD_SECURITY_TOKEN
  Tencent Cloud  TENCENTCLOUD_SECRET_ID, TENCENTCLOUD_SECRET_KEY, TENCENTCLOUD_SECURITY_TOKEN
  UCloud         UCLOUD_PUBLIC_KEY, UCLOUD_PRIVATE_KEY, UCLOUD_SECURITY_TOKEN
`;

export async function main(argv: readonly string[]): Promise<number> {
  const command = argv[0];
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(USAGE);
    return command === undefined ? 1 : 0;
  }
  process.stderr.write(`cdktf-keypair handler: unknown command "${command}". Run with --help for the commands.\n`);
  return 2;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`cdktf-keypair handler: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
