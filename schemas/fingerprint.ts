// CRC-64-AVRO, the Rabin fingerprint that Avro's single-object encoding puts in every frame.
// avsc has no built-in for it (its getFingerprint hashes with md5/sha256), hence this small port
// of the algorithm in the Avro specification.

const EMPTY = 0xc15d213aa4d7a795n;
const MASK = 0xffffffffffffffffn;

const TABLE: bigint[] = Array.from({ length: 256 }, (_, i) => {
  let fp = BigInt(i);
  for (let j = 0; j < 8; j++) fp = (fp >> 1n) ^ (EMPTY & -(fp & 1n) & MASK);
  return fp;
});

/** The fingerprint of a schema's Parsing Canonical Form, as an unsigned 64-bit integer. */
export function rabinFingerprint64(canonical: string): bigint {
  let fp = EMPTY;
  for (const byte of Buffer.from(canonical, 'utf8')) {
    fp = (fp >> 8n) ^ TABLE[Number((fp ^ BigInt(byte)) & 0xffn)]!;
  }
  return fp;
}

/** The 8 bytes of the fingerprint, little-endian, as they stand in a single-object frame. */
export function fingerprintBytes(canonical: string): Buffer {
  const buf = Buffer.alloc(8);
  buf.writeBigUInt64LE(rabinFingerprint64(canonical));
  return buf;
}
