/**
 * The handler's commands, as the synthesized provisioners and data source invoke them
 * (`node handler.js <command>`).
 */
export const HANDLER_COMMANDS = {
  /** Create or import the key pair (local-exec provisioner, `when = create`). */
  create: 'create',
  /** Describe the live key pair and print a flat JSON map of results (`data "external"`). */
  read: 'read',
  /**
   * Delete the key pair if it is ours (local-exec provisioner, `when = destroy`: the carrier's, and the
   * stack registry's entry of a pair removed from the app).
   */
  delete: 'delete',
  /** Put the tags of the stack's key pairs back to what the app declares (the stack's tag resource). */
  tags: 'tags',
  /** Describe a key pair made elsewhere, by name or id, and print a flat JSON map (a reference's data source). */
  lookup: 'lookup',
} as const;

export type HandlerCommand = (typeof HANDLER_COMMANDS)[keyof typeof HANDLER_COMMANDS];
