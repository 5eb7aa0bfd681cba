import { inflateRawSync } from 'node:zlib';

/** One file of a zip archive, uncompressed. */
export interface ZipEntry {
  readonly name: string;
  readonly content: Buffer;
}

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_FILE_HEADER = 0x04034b50;
const STORED = 0;
const DEFLATED = 8;

/**
 * The entries of a zip archive (stored or deflated, no zip64), enough to read what a saved Terraform plan
 * file holds: the plan, the state and configuration snapshots. Throws on anything else.
 */
export function readZipEntries(archive: Buffer): ZipEntry[] {
  let end = -1;
  for (let offset = archive.length - 22; offset >= Math.max(0, archive.length - 22 - 0xffff); offset--) {
    if (archive.readUInt32LE(offset) === END_OF_CENTRAL_DIRECTORY) {
      end = offset;
      break;
    }
  }
  if (end < 0) throw new Error('not a zip archive: no end of central directory record');
  const entryCount = archive.readUInt16LE(end + 10);
  let cursor = archive.readUInt32LE(end + 16);
  const entries: ZipEntry[] = [];
  for (let index = 0; index < entryCount; index++) {
    if (archive.readUInt32LE(cursor) !== CENTRAL_DIRECTORY_ENTRY) throw new Error(`zip central directory entry ${index} is malformed`);
    const method = archive.readUInt16LE(cursor + 10);
    const compressedSize = archive.readUInt32LE(cursor + 20);
    const nameLength = archive.readUInt16LE(cursor + 28);
    const extraLength = archive.readUInt16LE(cursor + 30);
    const commentLength = archive.readUInt16LE(cursor + 32);
    const localHeader = archive.readUInt32LE(cursor + 42);
    const name = archive.toString('utf8', cursor + 46, cursor + 46 + nameLength);
    cursor += 46 + nameLength + extraLength + commentLength;

    if (archive.readUInt32LE(localHeader) !== LOCAL_FILE_HEADER) throw new Error(`zip entry ${name} has no local header`);
    const dataStart = localHeader + 30 + archive.readUInt16LE(localHeader + 26) + archive.readUInt16LE(localHeader + 28);
    const data = archive.subarray(dataStart, dataStart + compressedSize);
    if (method === STORED) entries.push({ name, content: Buffer.from(data) });
    else if (method === DEFLATED) entries.push({ name, content: inflateRawSync(data) });
    else throw new Error(`zip entry ${name} uses compression method ${method}`);
  }
  return entries;
}
