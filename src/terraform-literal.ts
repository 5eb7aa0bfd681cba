import { Token } from 'cdktf';

/**
 * Terraform reads `${` and `%{` in every string of a JSON configuration as template syntax, and cdktf
 * passes literal strings through unchanged: a literal value carrying them is escaped (`$${`, `%%{`) so
 * the handler receives it exactly. Tokens are left alone.
 */
export function terraformLiteral(value: string): string {
  if (Token.isUnresolved(value)) return value;
  return value.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
}
