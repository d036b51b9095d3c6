# Writes the small safetensors files the embedded-inference tests compile in (seeded, so reproducible):
# python3 make_weights.py  (from this folder). The tensors are PyTorch's names and shapes for the
# declarations in Networks/EmbeddedNetworks.cs.
import json, random, struct

def write(path, tensors, dtype):
    fmt, size = ('<%df', 4) if dtype == 'F32' else ('<%dd', 8)
    header, data, offset = {}, b'', 0
    for name, shape, values in tensors:
        blob = struct.pack(fmt % len(values), *values)
        header[name] = {'dtype': dtype, 'shape': shape, 'data_offsets': [offset, offset + len(blob)]}
        data += blob
        offset += len(blob)
    text = json.dumps(header).encode()
    text += b' ' * ((8 - len(text) % 8) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(text)) + text + data)

def tensor(rng, name, shape):
    n = 1
    for d in shape: n *= d
    return (name, shape, [rng.uniform(-0.8, 0.8) for _ in range(n)])

rng = random.Random(14)
write('embedded-mlp.safetensors', [tensor(rng, 'layers.0.weight', [9, 17]), tensor(rng, 'layers.0.bias', [9]),
                                    tensor(rng, 'layers.2.weight', [3, 9]), tensor(rng, 'layers.2.bias', [3])], 'F32')
write('embedded-conv.safetensors', [tensor(rng, 'conv.weight', [3, 1, 3, 3]), tensor(rng, 'conv.bias', [3]),
                                     tensor(rng, 'layers.3.weight', [5, 12]), tensor(rng, 'layers.3.bias', [5])], 'F32')
write('embedded-mlp64.safetensors', [tensor(rng, 'layers.0.weight', [1, 3]), tensor(rng, 'layers.0.bias', [1])], 'F64')
