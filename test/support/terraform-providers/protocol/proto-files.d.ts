/**
 * The build compiles each imported `.proto` into a serialized FileDescriptorSet and embeds it in the
 * bundle (see build-mirror.ts), so the provider executables read no file at run time.
 */
declare module '*.proto' {
  const fileDescriptorSet: Uint8Array;
  export default fileDescriptorSet;
}
