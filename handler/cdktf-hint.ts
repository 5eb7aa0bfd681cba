import * as fs from 'node:fs';
import * as path from 'node:path';

/** The file cdktf synthesizes into every stack directory (`<outdir>/stacks/<stack>/cdk.tf.json`). */
const CDKTF_STACK_FILE = 'cdk.tf.json';
/** The folder of cdktf's output directory that holds one directory per stack. */
const CDKTF_STACKS_FOLDER = 'stacks';

/** Where Terraform runs a cdktf stack: the stack's name and its directory as a cdktf user finds it. */
export interface CdktfStackDirectory {
  readonly stack: string;
  /** `cdktf.out/stacks/<stack>`: the output directory's own name, `stacks`, the stack. */
  readonly display: string;
}

/**
 * The cdktf stack Terraform is running, from its working directory (every provisioner and the external data
 * source run there): a directory `<outdir>/stacks/<stack>` holding `cdk.tf.json`. Undefined for Terraform
 * run on a configuration of its own.
 */
export function cdktfStackDirectory(workingDirectory: string, exists: (file: string) => boolean = fs.existsSync): CdktfStackDirectory | undefined {
  const stacks = path.dirname(workingDirectory);
  if (path.basename(stacks) !== CDKTF_STACKS_FOLDER || !exists(path.join(workingDirectory, CDKTF_STACK_FILE))) return undefined;
  const stack = path.basename(workingDirectory);
  return { stack, display: [path.basename(path.dirname(stacks)), CDKTF_STACKS_FOLDER, stack].join('/') };
}

const COMMANDS: ReadonlyArray<readonly [RegExp, string]> = [
  [/terraform apply\b/, 'deploy'],
  [/terraform destroy\b/, 'destroy'],
];

/**
 * A message that asks for a Terraform command, with what a cdktf user runs instead: `cdktf deploy` /
 * `cdktf destroy` for the stack. Other messages, and messages to a Terraform user outside cdktf, are
 * returned unchanged.
 */
export function withCdktfHint(message: string, stack: CdktfStackDirectory | undefined): string {
  if (stack === undefined) return message;
  const sentence = message.replace(/\.$/, '');
  const commands = COMMANDS.filter(([pattern]) => pattern.test(message)).map(([, command]) => `cdktf ${command} ${stack.stack}`);
  if (commands.length === 0) return message;
  return `${sentence}. With cdktf: ${commands.join(' or ')} (Terraform runs in ${stack.display})`;
}
