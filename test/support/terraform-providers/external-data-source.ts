import { CtyObject, CtyValue, isUnknown } from './cty-values';
import { ExternalProgramOutcome, runExternalProgram } from './external-program';
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
  if (outcome.kind !== 'result') return failure(diagnoseFailure(outcome, command[0]));
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

/** The real provider's diagnostics, word for word where its texts are known. */
export function diagnoseFailure(outcome: Exclude<ExternalProgramOutcome, { kind: 'result' }>, programName: string): Diagnostic {
  switch (outcome.kind) {
    case 'lookup-failed':
      return errorDiagnostic(
        'External Program Lookup Failed',
        'The data source received an unexpected error while attempting to find the program.\n\n'
          + 'The program must be accessible according to the platform where Terraform is running, and executable.\n'
          + `\nPlatform: ${process.platform}\nProgram: ${programName}\nError: ${outcome.error}`,
        'program',
      );
    case 'start-failed':
      return errorDiagnostic('External Program Execution Failed', `${EXECUTION_FAILED}\n\nProgram: ${outcome.programPath}\nError: ${outcome.error}`, 'program');
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

/** Null elements become "" as in the real provider. */
function stringMap(value: CtyValue | undefined): Record<string, string> {
  if (value === null || value === undefined || typeof value !== 'object' || Array.isArray(value) || isUnknown(value)) return {};
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, typeof item === 'string' ? item : '']));
}

export const externalDataSource: DataSourceType = {
  schema: EXTERNAL_DATA_SOURCE_SCHEMA,
  validate: validateExternalConfig,
  read: readExternalDataSource,
};
