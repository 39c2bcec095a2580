import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

/**
 * A tiny ONNX model for the model-store tests: `y = x + C`, where C is a float initializer of
 * `width` values stored as raw bytes. The initializer makes the plaintext recognisable (tests grep
 * for it on disk) and proves the session keeps its own copy after the decrypted buffer is wiped.
 */
export function tinyAddModel(width = 4096, seed = 0): { bytes: Uint8Array; constant: Float32Array } {
  const constant = new Float32Array(width);
  // Distinctive, non-repeating values (a different seed, different bytes) so the plaintext cannot
  // appear by accident, not even in another test's files.
  for (let i = 0; i < width; i++) constant[i] = Math.sin(i * 1.618 + seed) * 1000 + i;
  const floatType = (dims: number[]) => ({
    tensorType: {
      elemType: onnx.TensorProto.DataType.FLOAT,
      shape: { dim: dims.map((d) => ({ dimValue: d })) },
    },
  });
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'redline-model-store-test',
    opsetImport: [{ domain: '', version: 17 }],
    graph: {
      name: 'tiny_add',
      node: [{ opType: 'Add', input: ['x', 'C'], output: ['y'], name: 'add' }],
      initializer: [
        {
          name: 'C',
          dims: [width],
          dataType: onnx.TensorProto.DataType.FLOAT,
          rawData: new Uint8Array(constant.buffer.slice(0)),
        },
      ],
      input: [{ name: 'x', type: floatType([width]) }],
      output: [{ name: 'y', type: floatType([width]) }],
    },
  });
  return { bytes: onnx.ModelProto.encode(model).finish(), constant };
}
