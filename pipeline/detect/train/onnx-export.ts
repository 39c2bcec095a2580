import onnxProto from 'onnx-proto';
import { ONNX_INPUTS, ONNX_OUTPUT } from '../model-meta.ts';
import type { Network } from './network.ts';

// Builds the ONNX graph of the classifier with onnx-proto (opset 17):
//   ids:int32[B,L] ─Gather(embedding)→ rows[B,L,D];  weights[B,L] ─Unsqueeze→ [B,1,L]
//   mean = Squeeze(MatMul(weights, rows)) [B,D];  max = ReduceMax(rows, axis 1) [B,D]
//   Concat(mean, max) [B,2D] → Gemm(W1,b1) → Relu → Gemm(W2,b2) → Sigmoid → score[B,1]
// Padding repeats a real id of the row with weight 0, so it changes neither the mean nor the max.
// The bag mean is a weighted sum: a padded batch carries the bag's weights on its real ids and 0 on
// the padding, so ReduceMean (which would count the pads) is not used; a batched MatMul does the
// weighting and the sum in one pass (Mul then ReduceSum wrote a second [B,L,D] tensor and ran at
// half the speed). Gather takes int32 indices, which saves converting every id to BigInt.

const { onnx } = onnxProto;
const FLOAT = onnx.TensorProto.DataType.FLOAT;
const INT32 = onnx.TensorProto.DataType.INT32;
const INT64 = onnx.TensorProto.DataType.INT64;
const INT = onnx.AttributeProto.AttributeType.INT;
const INTS = onnx.AttributeProto.AttributeType.INTS;

function floatTensor(name: string, dims: number[], data: Float32Array): onnxProto.onnx.ITensorProto {
  return {
    name,
    dims,
    dataType: FLOAT,
    rawData: new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength)),
  };
}

function int64Tensor(name: string, values: number[]): onnxProto.onnx.ITensorProto {
  return { name, dims: [values.length], dataType: INT64, int64Data: values };
}

function valueInfo(
  name: string,
  elemType: number,
  dims: Array<string | number>,
): onnxProto.onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) },
      },
    },
  };
}

export function exportOnnx(net: Network, docString: string): Uint8Array {
  const { buckets, dim, hidden } = net;
  const graph: onnxProto.onnx.IGraphProto = {
    name: 'redline_detector',
    input: [
      valueInfo(ONNX_INPUTS.ids, INT32, ['batch', 'len']),
      valueInfo(ONNX_INPUTS.weights, FLOAT, ['batch', 'len']),
    ],
    output: [valueInfo(ONNX_OUTPUT, FLOAT, ['batch', 1])],
    initializer: [
      floatTensor('embedding', [buckets, dim], net.embedding),
      floatTensor('w1', [2 * dim, hidden], net.w1),
      floatTensor('b1', [hidden], net.b1),
      floatTensor('w2', [hidden, 1], net.w2),
      floatTensor('b2', [1], net.b2),
      int64Tensor('axis1', [1]),
    ],
    node: [
      {
        opType: 'Gather',
        input: ['embedding', ONNX_INPUTS.ids],
        output: ['rows'],
        attribute: [{ name: 'axis', type: INT, i: 0 }],
      },
      { opType: 'Unsqueeze', input: [ONNX_INPUTS.weights, 'axis1'], output: ['w3'] },
      { opType: 'MatMul', input: ['w3', 'rows'], output: ['pooled3'] },
      { opType: 'Squeeze', input: ['pooled3', 'axis1'], output: ['mean'] },
      {
        opType: 'ReduceMax',
        input: ['rows'],
        output: ['max'],
        attribute: [
          { name: 'axes', type: INTS, ints: [1] },
          { name: 'keepdims', type: INT, i: 0 },
        ],
      },
      {
        opType: 'Concat',
        input: ['mean', 'max'],
        output: ['pooled'],
        attribute: [{ name: 'axis', type: INT, i: 1 }],
      },
      { opType: 'Gemm', input: ['pooled', 'w1', 'b1'], output: ['h1'] },
      { opType: 'Relu', input: ['h1'], output: ['h'] },
      { opType: 'Gemm', input: ['h', 'w2', 'b2'], output: ['logit'] },
      { opType: 'Sigmoid', input: ['logit'], output: [ONNX_OUTPUT] },
    ],
  };
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'redline',
    producerVersion: '0.1.0',
    docString,
    opsetImport: [{ domain: '', version: 17 }],
    graph,
  });
  return onnx.ModelProto.encode(model).finish();
}
