// fflate verifies no checksums in its streaming inflater, so check the zip CRC ourselves:
// a truncated or corrupted artifact download must not yield plausible-looking totals.
const TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n += 1) {
    let c = n;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export class Crc32 {
  private value = 0xffffffff;

  update(chunk: Uint8Array): void {
    let c = this.value;
    for (let i = 0; i < chunk.length; i += 1) c = (TABLE[(c ^ (chunk[i] ?? 0)) & 0xff] ?? 0) ^ (c >>> 8);
    this.value = c;
  }

  digest(): number {
    return (this.value ^ 0xffffffff) >>> 0;
  }
}
