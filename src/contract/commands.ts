/**
 * The handler's commands, as the synthesized provisioners and data source invoke them
 * (`node handler.js <command>`).
 */
export const HANDLER_COMMANDS = {
  /** Create or import the key pair (local-exec provisioner, `when = create`). */
  create: 'create',
  /**
   * Describe every key pair of the stack, and look up its references, and print one JSON entry each (the
   * stack's two `data "external"` reads).
   */
  read: 'read',
  /**
   * Delete the key pair if it is ours (local-exec provisioner, `when = destroy`: the carrier's, and the
   * stack registry's entry of a pair removed from the app).
   */
  delete: 'delete',
  /** Put the tags of the stack's key pairs back to what the app declares (the stack's tag resource). */
  tags: 'tags',
} as const;

export type HandlerCommand = (typeof HANDLER_COMMANDS)[keyof typeof HANDLER_COMMANDS];
