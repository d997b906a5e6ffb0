"""Recurrent layers: SimpleRNN, LSTM, GRU, their cells, RNN, Bidirectional, TimeDistributed."""

from .bidirectional import Bidirectional
from .cells import GRUCell, LSTMCell, SimpleRNNCell
from .conv_lstm import ConvLSTM1D, ConvLSTM2D, ConvLSTM3D
from .layers import GRU, LSTM, SimpleRNN
from .rnn import RNN
from .stacked_cells import StackedRNNCells
from .time_distributed import TimeDistributed

__all__ = [
    "GRU",
    "LSTM",
    "RNN",
    "ConvLSTM1D",
    "ConvLSTM2D",
    "ConvLSTM3D",
    "Bidirectional",
    "GRUCell",
    "LSTMCell",
    "SimpleRNN",
    "SimpleRNNCell",
    "StackedRNNCells",
    "TimeDistributed",
]
