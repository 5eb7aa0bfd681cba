import { Fn, Token } from 'cdktf';

/**
 * A value for a string of the configuration. Terraform reads `${` and `%{` in every string of a JSON
 * configuration as template syntax, and cdktf passes literal strings through unchanged: a literal value
 * carrying them is escaped (`$${`, `%%{`) so the handler receives it exactly. A token becomes a Terraform
 * string (`tostring`): a number variable, say, would otherwise stay a number in a `terraform_data`'s
 * triggers and in the stack registry, and the handler, which reads strings, would refuse it.
 */
export function terraformString(value: string): string {
  if (Token.isUnresolved(value)) return Fn.tostring(value);
  return value.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
}
