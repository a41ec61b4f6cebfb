import { CoverageParseError } from './errors';

export interface ZipEntry {
  readonly name: string;
  readonly flags: number;
  readonly method: number;
  readonly crc32: number;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
  readonly localHeaderOffset: number;
  /** Where the entry's compressed bytes start, from its local header. */
  readonly dataOffset: number;
}

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const EOCD_SIZE = 22;
const CENTRAL_SIZE = 46;
const LOCAL_SIZE = 30;
const MAX_COMMENT = 0xffff;
const ZIP64_16 = 0xffff;
const ZIP64_32 = 0xffffffff;
const FLAG_UTF8 = 0x800;

/**
 * Read the central directory without inflating anything. The entry count is checked against
 * `maxEntries` before the directory is walked, every offset is bounds-checked, and entries
 * whose data overlap (the trick behind non-recursive zip bombs) are refused.
 */
export function readZipDirectory(zip: Uint8Array, maxEntries: number): ZipEntry[] {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const eocd = findEndOfCentralDirectory(view);

  const diskNumber = view.getUint16(eocd + 4, true);
  const directoryDisk = view.getUint16(eocd + 6, true);
  const entriesOnDisk = view.getUint16(eocd + 8, true);
  const entryCount = view.getUint16(eocd + 10, true);
  const directorySize = view.getUint32(eocd + 12, true);
  const directoryOffset = view.getUint32(eocd + 16, true);

  if (entryCount === ZIP64_16 || directorySize === ZIP64_32 || directoryOffset === ZIP64_32) {
    unsupported(
      'ZIP64 archives are not supported (an artifact that needs ZIP64 is far over the size limits)',
    );
  }
  if (diskNumber !== 0 || directoryDisk !== 0 || entriesOnDisk !== entryCount) {
    unsupported('multi-volume archives are not supported');
  }
  if (entryCount > maxEntries) {
    throw new CoverageParseError(
      'zip',
      'too_large',
      `archive has ${entryCount} entries, over the limit of ${maxEntries}`,
    );
  }
  if (directoryOffset + directorySize > eocd) {
    malformed('central directory lies outside the archive (truncated download?)');
  }

  const entries: ZipEntry[] = [];
  let cursor = directoryOffset;
  for (let index = 0; index < entryCount; index += 1) {
    if (cursor + CENTRAL_SIZE > eocd || view.getUint32(cursor, true) !== CENTRAL_SIGNATURE) {
      malformed(`central directory entry ${index + 1} of ${entryCount} is missing or corrupt`);
    }
    const flags = view.getUint16(cursor + 8, true);
    const method = view.getUint16(cursor + 10, true);
    const crc32 = view.getUint32(cursor + 16, true);
    const compressedSize = view.getUint32(cursor + 20, true);
    const uncompressedSize = view.getUint32(cursor + 24, true);
    const nameLength = view.getUint16(cursor + 28, true);
    const extraLength = view.getUint16(cursor + 30, true);
    const commentLength = view.getUint16(cursor + 32, true);
    const localHeaderOffset = view.getUint32(cursor + 42, true);
    const nameStart = cursor + CENTRAL_SIZE;
    if (nameStart + nameLength > eocd)
      malformed(`central directory entry ${index + 1} runs past the directory`);
    const name = decodeName(zip.subarray(nameStart, nameStart + nameLength), flags);
    if (compressedSize === ZIP64_32 || uncompressedSize === ZIP64_32 || localHeaderOffset === ZIP64_32) {
      unsupported(`entry ${name} uses ZIP64 sizes, which are not supported`);
    }
    entries.push({
      name,
      flags,
      method,
      crc32,
      compressedSize,
      uncompressedSize,
      localHeaderOffset,
      dataOffset: dataOffsetOf(view, name, localHeaderOffset, compressedSize, directoryOffset),
    });
    cursor = nameStart + nameLength + extraLength + commentLength;
  }

  assertNoOverlap(entries);
  return entries;
}

function findEndOfCentralDirectory(view: DataView): number {
  const lowest = Math.max(0, view.byteLength - EOCD_SIZE - MAX_COMMENT);
  for (let offset = view.byteLength - EOCD_SIZE; offset >= lowest; offset -= 1) {
    if (view.getUint32(offset, true) === EOCD_SIGNATURE) return offset;
  }
  return malformed('not a zip archive (no end-of-central-directory record; truncated download?)');
}

function dataOffsetOf(
  view: DataView,
  name: string,
  localOffset: number,
  compressedSize: number,
  limit: number,
): number {
  if (localOffset + LOCAL_SIZE > limit || view.getUint32(localOffset, true) !== LOCAL_SIGNATURE) {
    malformed(`local header of ${name} is missing or corrupt`);
  }
  const dataOffset =
    localOffset +
    LOCAL_SIZE +
    view.getUint16(localOffset + 26, true) +
    view.getUint16(localOffset + 28, true);
  if (dataOffset + compressedSize > limit) malformed(`data of ${name} runs past the end of the archive`);
  return dataOffset;
}

function assertNoOverlap(entries: readonly ZipEntry[]): void {
  const sorted = [...entries].sort((a, b) => a.localHeaderOffset - b.localHeaderOffset);
  for (let i = 1; i < sorted.length; i += 1) {
    const previous = sorted[i - 1];
    const next = sorted[i];
    if (previous && next && previous.dataOffset + previous.compressedSize > next.localHeaderOffset) {
      throw new CoverageParseError(
        'zip',
        'unsafe',
        `entries ${previous.name} and ${next.name} overlap; refused as a possible zip bomb`,
      );
    }
  }
}

function decodeName(bytes: Uint8Array, flags: number): string {
  // Names without the UTF-8 flag are CP437; latin1 is close enough to match report names.
  return new TextDecoder(flags & FLAG_UTF8 ? 'utf-8' : 'latin1').decode(bytes);
}

function malformed(detail: string): never {
  throw new CoverageParseError('zip', 'malformed', detail);
}

function unsupported(detail: string): never {
  throw new CoverageParseError('zip', 'unsupported', detail);
}
