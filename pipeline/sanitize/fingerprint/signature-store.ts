// The SimHash filter's hot loop in WebAssembly: V8 has no popcount instruction for JS, and the
// table-lookup popcount over a few thousand entries was the largest single cost of the stage; wasm's
// i64.popcnt does an entry in about a nanosecond. The module is tiny and hand-assembled (no
// toolchain needed at build or run time); its text form:
//
//   (func (export "scan") (param $n i32) (param $cutoff i32) (param $out i32) (result i32)
//     (local $i i32) (local $c i32) (local $q0 i64) (local $q1 i64)
//     (local.set $q0 (i64.load offset=0 (i32.const 0)))            ;; the query: bytes 0-15
//     (local.set $q1 (i64.load offset=8 (i32.const 0)))
//     (block (loop
//       (br_if 1 (i32.ge_u (local.get $i) (local.get $n)))
//       (if (i64.le_u
//             (i64.add                                             ;; entry i: bytes 16 + 16i
//               (i64.popcnt (i64.xor (local.get $q0) (i64.load offset=16 (i32.shl (local.get $i) (i32.const 4)))))
//               (i64.popcnt (i64.xor (local.get $q1) (i64.load offset=24 (i32.shl (local.get $i) (i32.const 4))))))
//             (i64.extend_i32_u (local.get $cutoff)))
//         (then (i32.store (i32.add (local.get $out) (i32.shl (local.get $c) (i32.const 2))) (local.get $i))
//               (local.set $c (i32.add (local.get $c) (i32.const 1)))))
//       (local.set $i (i32.add (local.get $i) (i32.const 1)))
//       (br 0)))
//     (local.get $c))
//   (memory (export "mem") 1)
const SCAN_WASM =
  'AGFzbQEAAAABCAFgA39/fwF/AwIBAAUDAQABBw4CBHNjYW4AAANtZW0CAApiAWACAn8CfkEAKQMAIQVBACkDCCEGAkADQCADIABPDQEgBSADQQR0KQMQhXsgBiADQQR0KQMYhXt8IAGtWARAIAIgBEECdGogAzYCACAEQQFqIQQLIANBAWohAwwACwsgBAs=';
// The project's TypeScript lib has no WebAssembly declarations (no DOM lib); the little used here:
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: Record<string, unknown> };
}
const Wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
const MODULE = new Wasm.Module(Buffer.from(SCAN_WASM, 'base64'));
const PAGE = 65_536;

/** 128-bit signatures in wasm memory: bytes 0-15 the query, entry i at 16 + 16i, then the output area. */
export class SignatureStore {
  private readonly memory: WasmMemory;
  private readonly scanFn: (n: number, cutoff: number, out: number) => number;
  private words!: Uint32Array;
  private capacity = 0;
  size = 0;

  constructor(capacity: number) {
    const instance = new Wasm.Instance(MODULE);
    this.memory = instance.exports.mem as WasmMemory;
    this.scanFn = instance.exports.scan as (n: number, cutoff: number, out: number) => number;
    this.reserve(Math.max(16, capacity));
  }

  private get outOffset(): number {
    return 16 + 16 * this.capacity;
  }

  private reserve(capacity: number): void {
    const bytes = 16 + 20 * capacity;
    const missing = bytes - this.memory.buffer.byteLength;
    if (missing > 0) this.memory.grow(Math.ceil(missing / PAGE));
    this.capacity = capacity;
    this.words = new Uint32Array(this.memory.buffer);
  }

  /** Appends a signature (SIGNATURE_WORDS 32-bit words from `sig`). */
  add(sig: Uint32Array): void {
    if (this.size === this.capacity) this.reserve(this.capacity * 2);
    this.words.set(sig, 4 + 4 * this.size);
    this.size++;
  }

  /** Indexes of the entries within `cutoff` bits of the query (a view, valid until the next call). */
  within(query: Uint32Array, cutoff: number): Uint32Array {
    this.words.set(query, 0);
    const count = this.scanFn(this.size, cutoff, this.outOffset);
    const start = this.outOffset / 4;
    return this.words.subarray(start, start + count);
  }
}
