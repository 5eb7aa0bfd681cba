/** The cdktf-keypair handler protocol version shared by the constructs and the deploy-time handler. */
export const HANDLER_PROTOCOL_VERSION = '1';
