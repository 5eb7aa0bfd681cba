import { CtyObject, CtyValue, isUnknown } from './cty-values';
import { ExternalProgramOutcome, runExternalProgram } from './external-program';
import { goQuote } from './go-quote';
import { BlockSchema, DataSourceReadResult, DataSourceType, Diagnostic, errorDiagnostic } from './provider-definition';

export const EXTERNAL_DATA_SOURCE_SCHEMA: BlockSchema = {
  version: 0,
  description: 'Runs an external program with a JSON query on stdin and exposes the flat JSON object of strings it prints.',
  attributes: [
    {
      name: 'program',
      type: ['list', 'string'],
      required: true,
      description: 'The program to run followed by its arguments; no shell is involved.',
    },
    { name: 'working_dir', type: 'string', optional: true, description: "The program's working directory; Terraform's own if unset." },
    { name: 'query', type: ['map', 'string'], optional: true, description: 'Strings sent to the program as a JSON object on stdin.' },
    { name: 'result', type: ['map', 'string'], computed: true, description: 'The strings the program printed as a JSON object.' },
    { name: 'id', type: 'string', computed: true, description: 'Always `-`.' },
  ],
};

/** The opening sentence of every execution error the real provider reports. */
const EXECUTION_FAILED = 'The data source received an unexpected error while attempting to execute the program.';

/** The real provider's validator: `program` needs at least one element (unknown elements are fine). */
export function validateExternalConfig(config: CtyObject): Diagnostic[] {
  const program = config.program;
  if (Array.isArray(program) && program.length === 0) {
    return [errorDiagnostic('Invalid Attribute Value', 'Attribute program list must contain at least 1 elements, got: 0', 'program')];
  }
  return [];
}

/** Runs the program (Terraform only reads a data source once its config is wholly known). */
export async function readExternalDataSource(config: CtyObject): Promise<DataSourceReadResult> {
  const command = stringList(config.program).filter((argument) => argument !== '');
  if (command.length === 0) {
    return failure(errorDiagnostic(
      'External Program Missing',
      'The data source was configured without a program to execute. Verify the configuration contains at least one non-empty value.',
      'program',
    ));
  }
  const query = stringMap(config.query);
  const workingDir = typeof config.working_dir === 'string' ? config.working_dir : undefined;
  const outcome = await runExternalProgram({ command, query, workingDir });
  const configured = Array.isArray(config.program) ? config.program[0] : undefined;
  if (outcome.kind !== 'result') return failure(diagnoseFailure(outcome, frameworkString(configured)));
  return {
    state: {
      program: config.program ?? null,
      working_dir: config.working_dir ?? null,
      query: config.query ?? null,
      result: outcome.result,
      id: '-',
    },
    diagnostics: [],
  };
}

/** The real provider's lookup-failure detail, including its stray opening sentence about the query. */
const LOOKUP_FAILED_DETAIL = 'The data source received an unexpected error while attempting to parse the query. '
  + 'The data source received an unexpected error while attempting to find the program.\n\n'
  + 'The program must be accessible according to the platform where Terraform is running.\n\n'
  + 'If the expected program should be automatically found on the platform where Terraform is running, ensure that the program '
  + "is in an expected directory. On Unix-based platforms, these directories are typically searched based on the '$PATH' "
  + "environment variable. On Windows-based platforms, these directories are typically searched based on the '%PATH%' environment variable.\n\n"
  + 'If the expected program is relative to the Terraform configuration, it is recommended that the program name includes the '
  + "interpolated value of 'path.module' before the program name to ensure that it is compatible with varying module usage. "
  + 'For example: "${path.module}/my-program"\n\n'
  + 'The program must also be executable according to the platform where Terraform is running. On Unix-based platforms, the file '
  + 'on the filesystem must have the executable bit set. On Windows-based platforms, no action is typically necessary.\n';

/**
 * The real provider's diagnostics, word for word. `programName` is the first element of `program` as
 * configured (before empty ones are dropped), printed the way the plugin framework prints a string.
 */
export function diagnoseFailure(outcome: Exclude<ExternalProgramOutcome, { kind: 'result' }>, programName: string): Diagnostic {
  switch (outcome.kind) {
    case 'lookup-failed':
      return errorDiagnostic(
        'External Program Lookup Failed',
        `${LOOKUP_FAILED_DETAIL}\nPlatform: ${process.platform}\nProgram: ${programName}\nError: ${outcome.error}`,
        'program',
      );
    case 'exited-with-error':
      return errorDiagnostic(
        'External Program Execution Failed',
        outcome.stderr.length > 0
          ? `${EXECUTION_FAILED}\n\nProgram: ${outcome.programPath}\nError Message: ${outcome.stderr}\nState: ${outcome.state}`
          : `${EXECUTION_FAILED}\n\nThe program was executed, however it returned no additional error messaging.`
            + `\n\nProgram: ${outcome.programPath}\nState: ${outcome.state}`,
        'program',
      );
    case 'invalid-result':
      return errorDiagnostic(
        'Unexpected External Program Results',
        'The data source received unexpected results after executing the program.\n\n'
          + 'Program output must be a JSON encoded map of string keys and string values.\n\n'
          + "If the error is unclear, the output can be viewed by enabling Terraform's logging at TRACE level. "
          + 'Terraform documentation on logging: https://www.terraform.io/internals/debugging\n'
          + `\nProgram: ${outcome.programPath}\nResult Error: ${outcome.error}`,
        'program',
      );
  }
}

function failure(diagnostic: Diagnostic): DataSourceReadResult {
  return { state: null, diagnostics: [diagnostic] };
}

function stringList(value: CtyValue | undefined): string[] {
  return Array.isArray(value) ? value.map((item) => (typeof item === 'string' ? item : '')) : [];
}

/**
 * The query as the real provider sends it: elements whose value is null are left out
 * (docs/cloud-behaviour.md#external-query-drops-null-values).
 */
function stringMap(value: CtyValue | undefined): Record<string, string> {
  if (value === null || value === undefined || typeof value !== 'object' || Array.isArray(value) || isUnknown(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

/** A string as the plugin framework prints it in a message: quoted, or `<null>`. */
function frameworkString(value: CtyValue | undefined): string {
  return typeof value === 'string' ? goQuote(value) : '<null>';
}

export const externalDataSource: DataSourceType = {
  schema: EXTERNAL_DATA_SOURCE_SCHEMA,
  validate: validateExternalConfig,
  read: readExternalDataSource,
};
