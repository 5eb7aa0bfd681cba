/**
 * How long a delete keeps retrying a pair still bound to an instance (`deleteTimeoutSeconds`): one default
 * and one rule for the construct, which checks literal values, and the handler, which checks what reaches it.
 */
export const DEFAULT_DELETE_TIMEOUT_SECONDS = 300;

/**
 * 0 is valid: no wait beyond the step's own retries, so a bound pair fails the destroy at once. The handler
 * must accept whatever synth accepted, or a destroy step recorded in state could never run.
 */
const DELETE_TIMEOUT_RULE = 'a whole number of seconds, 0 or more';

/** Why `value` is no delete timeout, naming it `subject` and quoting it as `written`; undefined when it is one. */
export function deleteTimeoutViolation(subject: string, value: number, written = String(value)): string | undefined {
  return Number.isInteger(value) && value >= 0 ? undefined : `${subject} must be ${DELETE_TIMEOUT_RULE}; got ${written}`;
}
