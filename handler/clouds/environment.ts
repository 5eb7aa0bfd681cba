/** The process environment, passed explicitly so tests and the lifecycle never mutate `process.env`. */
export type Environment = Readonly<Record<string, string | undefined>>;

/** The first non-empty value among `names`, in order (the clouds' Terraform providers resolve the same way). */
export function firstEnvValue(env: Environment, names: readonly string[]): string | undefined {
  for (const name of names) {
    const value = env[name];
    if (value !== undefined && value.trim() !== '') return value.trim();
  }
  return undefined;
}

/** Raised before any request when a credential is missing; names the variables to set, never values. */
export class MissingCredentialsError extends Error {
  constructor(cloudLabel: string, what: string, names: readonly string[]) {
    super(`${cloudLabel}: no ${what} found. Set one of ${names.join(', ')} in the environment that runs terraform.`);
    this.name = 'MissingCredentialsError';
  }
}
