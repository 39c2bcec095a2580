import onnxProto from 'onnx-proto';
import { ONNX_INPUTS, ONNX_OUTPUT } from '../model-meta.ts';
import type { Network } from './network.ts';

// Builds the ONNX graph of the classifier with onnx-proto (opset 17):
//   ids:int32[B,L] ─Gather(embedding)→ [B,L,D] ─Mul(weights[B,L,1])→ ReduceSum(axis 1) → [B,D]
//   → Gemm(W1,b1) → Relu → Gemm(W2,b2) → Sigmoid → score[B,1]
// The bag mean is a weighted sum: a padded batch carries weight 1/len on each real id and 0 on the
// padding, so ReduceMean (which would count the pads) is not used. Gather takes int32 indices,
// which saves converting every id to BigInt on the hot path.

const { onnx } = onnxProto;
const FLOAT = onnx.TensorProto.DataType.FLOAT;
const INT32 = onnx.TensorProto.DataType.INT32;
const INT64 = onnx.TensorProto.DataType.INT64;
const INT = onnx.AttributeProto.AttributeType.INT;

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
      floatTensor('w1', [dim, hidden], net.w1),
      floatTensor('b1', [hidden], net.b1),
      floatTensor('w2', [hidden, 1], net.w2),
      floatTensor('b2', [1], net.b2),
      int64Tensor('axis2', [2]),
      int64Tensor('axis1', [1]),
    ],
    node: [
      {
        opType: 'Gather',
        input: ['embedding', ONNX_INPUTS.ids],
        output: ['rows'],
        attribute: [{ name: 'axis', type: INT, i: 0 }],
      },
      { opType: 'Unsqueeze', input: [ONNX_INPUTS.weights, 'axis2'], output: ['w3'] },
      { opType: 'Mul', input: ['rows', 'w3'], output: ['weighted'] },
      {
        opType: 'ReduceSum',
        input: ['weighted', 'axis1'],
        output: ['pooled'],
        attribute: [{ name: 'keepdims', type: INT, i: 0 }],
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
