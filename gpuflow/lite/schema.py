"""TensorFlow Lite's flatbuffer schema (tensorflow/compiler/mlir/lite/schema/schema.fbs), the
parts gpuflow reads and writes: enum values, and the field slots of the tables and of the
builtin-options tables of the ops gpuflow runs. One table for the reader and the writer."""

from __future__ import annotations

import numpy as np

SCHEMA_VERSION = 3  # Model.version; the TFLite runtime refuses other versions
FILE_IDENTIFIER = b"TFL3"

# enum BuiltinOperator, in value order (0 .. 209)
OP_NAMES = tuple(
    """
ADD AVERAGE_POOL_2D CONCATENATION CONV_2D DEPTHWISE_CONV_2D DEPTH_TO_SPACE DEQUANTIZE
EMBEDDING_LOOKUP FLOOR FULLY_CONNECTED HASHTABLE_LOOKUP L2_NORMALIZATION L2_POOL_2D
LOCAL_RESPONSE_NORMALIZATION LOGISTIC LSH_PROJECTION LSTM MAX_POOL_2D MUL RELU RELU_N1_TO_1
RELU6 RESHAPE RESIZE_BILINEAR RNN SOFTMAX SPACE_TO_DEPTH SVDF TANH CONCAT_EMBEDDINGS
SKIP_GRAM CALL CUSTOM EMBEDDING_LOOKUP_SPARSE PAD UNIDIRECTIONAL_SEQUENCE_RNN GATHER
BATCH_TO_SPACE_ND SPACE_TO_BATCH_ND TRANSPOSE MEAN SUB DIV SQUEEZE
UNIDIRECTIONAL_SEQUENCE_LSTM STRIDED_SLICE BIDIRECTIONAL_SEQUENCE_RNN EXP TOPK_V2 SPLIT
LOG_SOFTMAX DELEGATE BIDIRECTIONAL_SEQUENCE_LSTM CAST PRELU MAXIMUM ARG_MAX MINIMUM LESS NEG
PADV2 GREATER GREATER_EQUAL LESS_EQUAL SELECT SLICE SIN TRANSPOSE_CONV SPARSE_TO_DENSE TILE
EXPAND_DIMS EQUAL NOT_EQUAL LOG SUM SQRT RSQRT SHAPE POW ARG_MIN FAKE_QUANT REDUCE_PROD
REDUCE_MAX PACK LOGICAL_OR ONE_HOT LOGICAL_AND LOGICAL_NOT UNPACK REDUCE_MIN FLOOR_DIV
REDUCE_ANY SQUARE ZEROS_LIKE FILL FLOOR_MOD RANGE RESIZE_NEAREST_NEIGHBOR LEAKY_RELU
SQUARED_DIFFERENCE MIRROR_PAD ABS SPLIT_V UNIQUE CEIL REVERSE_V2 ADD_N GATHER_ND COS WHERE
RANK ELU REVERSE_SEQUENCE MATRIX_DIAG QUANTIZE MATRIX_SET_DIAG ROUND HARD_SWISH IF WHILE
NON_MAX_SUPPRESSION_V4 NON_MAX_SUPPRESSION_V5 SCATTER_ND SELECT_V2 DENSIFY SEGMENT_SUM
BATCH_MATMUL PLACEHOLDER_FOR_GREATER_OP_CODES CUMSUM CALL_ONCE BROADCAST_TO RFFT2D CONV_3D
IMAG REAL COMPLEX_ABS HASHTABLE HASHTABLE_FIND HASHTABLE_IMPORT HASHTABLE_SIZE REDUCE_ALL
CONV_3D_TRANSPOSE VAR_HANDLE READ_VARIABLE ASSIGN_VARIABLE BROADCAST_ARGS
RANDOM_STANDARD_NORMAL BUCKETIZE RANDOM_UNIFORM MULTINOMIAL GELU DYNAMIC_UPDATE_SLICE
RELU_0_TO_1 UNSORTED_SEGMENT_PROD UNSORTED_SEGMENT_MAX UNSORTED_SEGMENT_SUM ATAN2
UNSORTED_SEGMENT_MIN SIGN BITCAST BITWISE_XOR RIGHT_SHIFT STABLEHLO_LOGISTIC STABLEHLO_ADD
STABLEHLO_DIVIDE STABLEHLO_MULTIPLY STABLEHLO_MAXIMUM STABLEHLO_RESHAPE STABLEHLO_CLAMP
STABLEHLO_CONCATENATE STABLEHLO_BROADCAST_IN_DIM STABLEHLO_CONVOLUTION STABLEHLO_SLICE
STABLEHLO_CUSTOM_CALL STABLEHLO_REDUCE STABLEHLO_ABS STABLEHLO_AND STABLEHLO_COSINE
STABLEHLO_EXPONENTIAL STABLEHLO_FLOOR STABLEHLO_LOG STABLEHLO_MINIMUM STABLEHLO_NEGATE
STABLEHLO_OR STABLEHLO_POWER STABLEHLO_REMAINDER STABLEHLO_RSQRT STABLEHLO_SELECT
STABLEHLO_SUBTRACT STABLEHLO_TANH STABLEHLO_SCATTER STABLEHLO_COMPARE STABLEHLO_CONVERT
STABLEHLO_DYNAMIC_SLICE STABLEHLO_DYNAMIC_UPDATE_SLICE STABLEHLO_PAD STABLEHLO_IOTA
STABLEHLO_DOT_GENERAL STABLEHLO_REDUCE_WINDOW STABLEHLO_SORT STABLEHLO_WHILE
STABLEHLO_GATHER STABLEHLO_TRANSPOSE DILATE STABLEHLO_RNG_BIT_GENERATOR REDUCE_WINDOW
STABLEHLO_COMPOSITE STABLEHLO_SHIFT_LEFT STABLEHLO_CBRT STABLEHLO_CASE""".split()
)
OP_CODES = {name: code for code, name in enumerate(OP_NAMES)}


def op_name(code: int) -> str:
    return OP_NAMES[code] if 0 <= code < len(OP_NAMES) else f"BuiltinOperator({code})"


# enum TensorType -> NumPy dtype (the types gpuflow's interpreter holds)
TENSOR_TYPES = {
    0: np.dtype(np.float32),
    1: np.dtype(np.float16),
    2: np.dtype(np.int32),
    3: np.dtype(np.uint8),
    4: np.dtype(np.int64),
    6: np.dtype(np.bool_),
    7: np.dtype(np.int16),
    9: np.dtype(np.int8),
    10: np.dtype(np.float64),
}
TYPE_NAMES = {
    0: "FLOAT32", 1: "FLOAT16", 2: "INT32", 3: "UINT8", 4: "INT64", 5: "STRING", 6: "BOOL",
    7: "INT16", 8: "COMPLEX64", 9: "INT8", 10: "FLOAT64", 11: "COMPLEX128", 12: "UINT64",
    13: "RESOURCE", 14: "VARIANT", 15: "UINT32", 16: "UINT16", 17: "INT4", 18: "BFLOAT16",
}  # fmt: skip
TYPE_CODES = {dtype: code for code, dtype in TENSOR_TYPES.items()}

PADDING = {0: "SAME", 1: "VALID"}
ACTIVATIONS = {0: "NONE", 1: "RELU", 2: "RELU_N1_TO_1", 3: "RELU6", 4: "TANH", 5: "SIGN_BIT"}

# Field slots of the tables (the order of the fields in schema.fbs)
MODEL = {"version": 0, "operator_codes": 1, "subgraphs": 2, "description": 3, "buffers": 4,
         "metadata_buffer": 5, "metadata": 6, "signature_defs": 7}  # fmt: skip
OPERATOR_CODE = {"deprecated_builtin_code": 0, "custom_code": 1, "version": 2, "builtin_code": 3}
SUBGRAPH = {"tensors": 0, "inputs": 1, "outputs": 2, "operators": 3, "name": 4}
TENSOR = {"shape": 0, "type": 1, "buffer": 2, "name": 3, "quantization": 4, "is_variable": 5,
          "sparsity": 6, "shape_signature": 7}  # fmt: skip
QUANTIZATION = {"min": 0, "max": 1, "scale": 2, "zero_point": 3, "quantized_dimension": 6}
BUFFER = {"data": 0, "offset": 1, "size": 2}
OPERATOR = {"opcode_index": 0, "inputs": 1, "outputs": 2, "builtin_options_type": 3,
            "builtin_options": 4, "custom_options": 5}  # fmt: skip
SIGNATURE_DEF = {"inputs": 0, "outputs": 1, "signature_key": 2, "subgraph_index": 4}
TENSOR_MAP = {"name": 0, "tensor_index": 1}
METADATA = {"name": 0, "buffer": 1}

# Builtin options: op -> (union type of BuiltinOptions, [(field, slot, kind, default)]).
# kinds: "i8", "i32", "bool", "f32" scalars; "[i32]" a vector of int32.
_FUSED = ("fused_activation_function", "i8", 0)
_CONV = [("padding", 0, "i8", 0), ("stride_w", 1, "i32", 0), ("stride_h", 2, "i32", 0),
         ("fused_activation_function", 3, "i8", 0), ("dilation_w_factor", 4, "i32", 1),
         ("dilation_h_factor", 5, "i32", 1)]  # fmt: skip
_DEPTHWISE = [("padding", 0, "i8", 0), ("stride_w", 1, "i32", 0), ("stride_h", 2, "i32", 0),
              ("depth_multiplier", 3, "i32", 0), ("fused_activation_function", 4, "i8", 0),
              ("dilation_w_factor", 5, "i32", 1), ("dilation_h_factor", 6, "i32", 1)]  # fmt: skip
_POOL = [("padding", 0, "i8", 0), ("stride_w", 1, "i32", 0), ("stride_h", 2, "i32", 0),
         ("filter_width", 3, "i32", 0), ("filter_height", 4, "i32", 0),
         ("fused_activation_function", 5, "i8", 0)]  # fmt: skip
_ARITH = [("fused_activation_function", 0, "i8", 0)]
_REDUCER = (27, [("keep_dims", 0, "bool", False)])
OPTIONS = {
    "CONV_2D": (1, _CONV),
    "DEPTHWISE_CONV_2D": (2, _DEPTHWISE),
    "AVERAGE_POOL_2D": (5, _POOL),
    "MAX_POOL_2D": (5, _POOL),
    "FULLY_CONNECTED": (8, [("fused_activation_function", 0, "i8", 0),
                            ("weights_format", 1, "i8", 0), ("keep_num_dims", 2, "bool", False)]),
    "SOFTMAX": (9, [("beta", 0, "f32", 0.0)]),
    "CONCATENATION": (10, [("axis", 0, "i32", 0), ("fused_activation_function", 1, "i8", 0)]),
    "ADD": (11, _ARITH),
    "RESHAPE": (17, [("new_shape", 0, "[i32]", None)]),
    "MUL": (21, _ARITH),
    "PAD": (22, []),
    "GATHER": (23, [("axis", 0, "i32", 0), ("batch_dims", 1, "i32", 0)]),
    "TRANSPOSE": (26, []),
    "MEAN": _REDUCER,
    "SUM": _REDUCER,
    "REDUCE_PROD": _REDUCER,
    "REDUCE_MAX": _REDUCER,
    "SUB": (28, _ARITH),
    "DIV": (29, _ARITH),
    "STRIDED_SLICE": (32, [("begin_mask", 0, "i32", 0), ("end_mask", 1, "i32", 0),
                           ("ellipsis_mask", 2, "i32", 0), ("new_axis_mask", 3, "i32", 0),
                           ("shrink_axis_mask", 4, "i32", 0), ("offset", 5, "bool", False)]),
    "SHAPE": (55, [("out_type", 0, "i8", 0)]),
    "PACK": (59, [("values_count", 0, "i32", 0), ("axis", 1, "i32", 0)]),
    "LEAKY_RELU": (75, [("alpha", 0, "f32", 0.0)]),
}  # fmt: skip
