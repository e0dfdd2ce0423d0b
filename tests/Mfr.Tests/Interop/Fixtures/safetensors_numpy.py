"""Reads and writes safetensors files with numpy only, as safetensors' own format spec says
(huggingface/safetensors README "Format": u64 little-endian header length, JSON header mapping
each tensor to dtype, shape and data_offsets relative to the byte after the header, optional
"__metadata__" of strings). SAELens and sparsify both load through safetensors.safe_open /
safetensors.torch.load_model, which read exactly this."""
import json
import struct

import numpy as np

DTYPES = {"F32": np.float32, "F16": np.float16, "F64": np.float64}


def load(path):
    """Returns {name: array} with every tensor of the file (bf16 is not needed by these fixtures)."""
    with open(path, "rb") as f:
        data = f.read()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + length].decode("utf-8"))
    body = data[8 + length :]
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = info["data_offsets"]
        dtype = np.dtype(DTYPES[info["dtype"]]).newbyteorder("<")
        array = np.frombuffer(body[start:end], dtype=dtype).reshape(info["shape"])
        tensors[name] = array.astype(np.float32)
    return tensors


def save(path, tensors, metadata=None):
    """Writes float32 tensors; header padded with spaces to 8 bytes as safetensors does."""
    header = {}
    if metadata is not None:
        header["__metadata__"] = metadata
    offset = 0
    blobs = []
    for name, array in tensors.items():
        blob = np.ascontiguousarray(array, dtype="<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(array.shape), "data_offsets": [offset, offset + len(blob)]}
        offset += len(blob)
        blobs.append(blob)
    encoded = json.dumps(header, separators=(",", ":")).encode("utf-8")
    encoded += b" " * ((8 - len(encoded) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(encoded)))
        f.write(encoded)
        for blob in blobs:
            f.write(blob)


def topk_indices(values, k):
    """Indices of the k largest values per row; ties to the lower index (torch.topk leaves ties unspecified)."""
    order = np.lexsort((np.broadcast_to(np.arange(values.shape[1]), values.shape), -values), axis=1)
    return order[:, :k]
