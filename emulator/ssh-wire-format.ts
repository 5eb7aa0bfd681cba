/**
 * The SSH binary encoding a public key blob is made of (RFC 4251 section 5): `string` is a uint32
 * big-endian length and that many bytes; `mpint` is a `string` holding a two's complement big-endian
 * integer. The emulator's own reading and writing of it, so a client's key encoding is checked by code
 * that shares nothing with the client's.
 */

/** Thrown when a blob does not hold what its reader asked for. */
export class SshWireFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SshWireFormatError';
  }
}

/** Reads a blob front to back; every read refuses to run past its end. */
export class SshWireReader {
  private offset = 0;

  constructor(private readonly blob: Buffer) {}

  /** The bytes of the next `string`. */
  readBytes(): Buffer {
    if (this.offset + 4 > this.blob.length) throw new SshWireFormatError('a length runs past the end of the key');
    const length = this.blob.readUInt32BE(this.offset);
    const start = this.offset + 4;
    if (start + length > this.blob.length) throw new SshWireFormatError('a field runs past the end of the key');
    this.offset = start + length;
    return this.blob.subarray(start, start + length);
  }

  /** The next `string` as text (algorithm and curve names are ASCII). */
  readText(): string {
    return this.readBytes().toString('latin1');
  }

  /**
   * The magnitude of the next `mpint`, without its sign byte. Key parameters are positive, so a negative
   * value (a first byte of 0x80 or more: the top bit is the sign) or zero is refused.
   */
  readPositiveMpint(): Buffer {
    const bytes = this.readBytes();
    if (bytes.length === 0) throw new SshWireFormatError('a key parameter is zero');
    if (bytes[0] >= 0x80) throw new SshWireFormatError('a key parameter is negative');
    let first = 0;
    while (first < bytes.length && bytes[first] === 0) first++;
    if (first === bytes.length) throw new SshWireFormatError('a key parameter is zero');
    return bytes.subarray(first);
  }

  /** Refuses bytes left over after the last field: OpenSSH rejects a blob that carries any. */
  expectEnd(): void {
    if (this.offset !== this.blob.length) throw new SshWireFormatError('the key has bytes after its last field');
  }
}

/** One `string` field. */
export function sshString(value: Buffer | string): Buffer {
  const bytes = typeof value === 'string' ? Buffer.from(value, 'latin1') : value;
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

/**
 * One `mpint` field for a positive magnitude (big-endian, as a JWK carries it): leading zero bytes are
 * dropped, and one zero byte is put back in front when the top bit is set (a byte of 0x80 or more), so it
 * does not read as negative.
 */
export function sshPositiveMpint(magnitude: Buffer): Buffer {
  let first = 0;
  while (first < magnitude.length - 1 && magnitude[first] === 0) first++;
  const trimmed = magnitude.subarray(first);
  return sshString(trimmed[0] >= 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed);
}
