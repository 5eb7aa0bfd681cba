/**
 * The handler's commands, as the synthesized provisioners and data source invoke them
 * (`node handler.js <command>`).
 */
export const HANDLER_COMMANDS = {
  /** Create or import the key pair (local-exec provisioner, `when = create`). */
  create: 'create',
  /** Describe the live key pair and print a flat JSON map of results (`data "external"`). */
  read: 'read',
  /** Delete the key pair if it is ours (local-exec provisioner, `when = destroy`). */
  delete: 'delete',
} as const;

export type HandlerCommand = (typeof HANDLER_COMMANDS)[keyof typeof HANDLER_COMMANDS];
