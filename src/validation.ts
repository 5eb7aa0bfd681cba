import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { ruleViolation, type TextRule } from './contract';

/**
 * Collects what is wrong with a construct's props, so one synth reports every problem at once, each with
 * the rule it breaks. Values that are tokens are skipped: the handler checks them before any cloud call.
 */
export class PropsCheck {
  private readonly problems: string[] = [];

  constructor(private readonly construct: Construct) {}

  /** Records `problem` (a sentence that names the rule) unless it is undefined. */
  report(problem: string | undefined): void {
    if (problem !== undefined) this.problems.push(problem);
  }

  /** Checks a literal value against a contract rule; a token or an absent value passes. */
  rule(rule: TextRule, value: string | undefined): void {
    if (value === undefined || Token.isUnresolved(value)) return;
    this.report(ruleViolation(rule, value));
  }

  /** Throws one error listing every problem recorded, naming the construct. */
  throwIfAny(): void {
    if (this.problems.length === 0) return;
    const list = this.problems.map((problem) => `\n  - ${problem}`).join('');
    throw new Error(`cdktf-keypair: ${this.construct.node.path} (${this.construct.constructor.name}) has invalid props:${list}`);
  }
}
