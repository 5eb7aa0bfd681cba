/**
 * The build compiles each imported `.proto` into the JSON of its resolved protobufjs root and embeds it
 * in the bundle (see build-mirror.ts), so the provider executables read no file and parse no `.proto`
 * or descriptor at run time.
 */
declare module '*.proto' {
  import type { INamespace } from 'protobufjs/light';

  const protocolJson: INamespace;
  export default protocolJson;
}
