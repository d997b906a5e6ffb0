"""Recurrent layers: SimpleRNN, LSTM, GRU, their cells, RNN, Bidirectional, TimeDistributed."""

from .bidirectional import Bidirectional
from .cells import GRUCell, LSTMCell, SimpleRNNCell
from .layers import GRU, LSTM, SimpleRNN
from .rnn import RNN
from .stacked_cells import StackedRNNCells
from .time_distributed import TimeDistributed

__all__ = [
    "GRU",
    "LSTM",
    "RNN",
    "Bidirectional",
    "GRUCell",
    "LSTMCell",
    "SimpleRNN",
    "SimpleRNNCell",
    "StackedRNNCells",
    "TimeDistributed",
]
