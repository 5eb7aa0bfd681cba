/**
 * Input that breaks a rule: reported before any cloud call, with the rule. Its own module, below everything
 * that reads input (the step's inputs, the tuning variables), so that none of them imports another for it.
 */
export class InvalidInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidInputError';
  }
}
