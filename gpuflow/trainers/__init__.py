"""The training machinery behind ``Model.fit`` / ``evaluate`` / ``predict`` (Keras 3 layout)."""
