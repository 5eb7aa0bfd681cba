import { appendFileSync } from 'node:fs';

/** Names a file to which each stand-in provider process appends one line per RPC (off when unset). */
export const RPC_LOG_ENV = 'TF_STANDIN_PROVIDER_LOG';

export type RpcLog = (message: string) => void;

/**
 * Opens the optional RPC trace. Lines name RPCs, type names and attribute names only, never values:
 * triggers and query maps may carry secrets. Writes are synchronous so nothing is lost on exit.
 */
export function openRpcLog(providerName: string, file: string | undefined = process.env[RPC_LOG_ENV]): RpcLog {
  if (!file) return () => undefined;
  return (message) => appendFileSync(file, `${new Date().toISOString()} ${providerName}[${process.pid}] ${message}\n`);
}
