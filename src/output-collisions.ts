import { TerraformOutput, TerraformStack } from 'cdktf';
import { IConstruct, IValidation } from 'constructs';

/**
 * Terraform keeps one `output` per name, and cdktf merges two outputs with one logical id into one without a
 * word: a user's `TerraformOutput(stack, 'bastion_fingerprint', …)` beside a key pair `bastion` would carry
 * the user's value under the construct's description, and the construct's own output would be gone. This
 * check fails the synth instead, naming both constructs.
 *
 * It is a validation of the stack: it runs when the stack synthesizes (`cdktf synth`, `cdktf deploy`,
 * `App.synth()`, `Testing.synth(stack, true)`), after every aspect, so it sees the final logical ids of every
 * output in the stack, the user's included, in whatever order they were declared and however they were
 * overridden. (It reads `friendlyUniqueId`, which cdktf fixes on first read: read any earlier, an aspect's
 * later `overrideLogicalId` would be ignored.)
 */
export class OutputCollisions implements IValidation {
  /** Each key pair output, with the key pair construct that added it. */
  private readonly owners = new Map<TerraformOutput, IConstruct>();

  constructor(private readonly stack: TerraformStack) {}

  /** Records an output a key pair construct adds. */
  public register(output: TerraformOutput, keyPair: IConstruct): void {
    this.owners.set(output, keyPair);
  }

  /** The validation: one message per logical id held by a key pair output and any other output. */
  public validate(): string[] {
    if (this.owners.size === 0) return [];
    const byLogicalId = new Map<string, TerraformOutput[]>();
    for (const output of outputsOf(this.stack)) {
      const id = output.friendlyUniqueId;
      const holders = byLogicalId.get(id);
      if (holders === undefined) byLogicalId.set(id, [output]);
      else holders.push(output);
    }
    const problems: string[] = [];
    for (const [id, outputs] of byLogicalId) {
      if (outputs.length < 2 || !outputs.some((output) => this.owners.has(output))) continue;
      const holders = outputs.map((output) => this.describe(output));
      const keyPairs = outputs.map((output) => this.owners.get(output)).filter((keyPair): keyPair is IConstruct => keyPair !== undefined);
      const others = outputs.filter((output) => !this.owners.has(output));
      const remedies = [
        ...others.map((output) => `rename the TerraformOutput ${output.node.path} (another construct id, or overrideLogicalId)`),
        ...(others.length === 0 ? ['rename one of the key pair constructs'] : []),
        `set outputs: false on ${keyPairs.map((keyPair) => keyPair.node.path).join(' or ')} and declare the outputs you need yourself`,
      ];
      problems.push(
        `cdktf-keypair: the Terraform output "${id}" is declared ${outputs.length === 2 ? 'twice' : `${outputs.length} times`} in stack ` +
          `${this.stack.node.id}: ${holders.join(', and ')}. ` +
          `Terraform keeps one output per name, so one would silently replace the other: ${remedies.join('; or ')}.`,
      );
    }
    return problems;
  }

  private describe(output: TerraformOutput): string {
    const keyPair = this.owners.get(output);
    return keyPair === undefined
      ? `by the TerraformOutput ${output.node.path}`
      : `by the key pair ${keyPair.node.path} (${keyPair.constructor.name}, outputs: true)`;
  }
}

/** Every `TerraformOutput` of the stack itself (not of stacks nested in it), as cdktf synthesizes them. */
function outputsOf(stack: TerraformStack): TerraformOutput[] {
  const found: TerraformOutput[] = [];
  const visit = (node: IConstruct): void => {
    if (TerraformOutput.isTerraformOutput(node)) found.push(node);
    for (const child of node.node.children) {
      if (!TerraformStack.isStack(child)) visit(child);
    }
  };
  visit(stack);
  return found;
}
