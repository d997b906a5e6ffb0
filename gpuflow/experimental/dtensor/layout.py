"""``dtensor.Layout``: for each axis of a tensor, the mesh dimension it is sharded over."""

from __future__ import annotations

from .mesh import Mesh

UNSHARDED = "unsharded"
MATCH = "match"


class Layout:
    """How a tensor is split over a mesh (``tf.experimental.dtensor.Layout``).

    Args:
        sharding_specs: one entry per tensor axis: a mesh dimension name, ``UNSHARDED``
            (the axis is whole on every device) or ``MATCH`` (relayout keeps the sharding).
        mesh: the :class:`Mesh`.

    Raises:
        ValueError: for a mesh dimension used twice or not in the mesh.
    """

    def __init__(self, sharding_specs, mesh: Mesh):
        if not isinstance(mesh, Mesh):
            raise ValueError("mesh is not a valid Mesh object.")
        specs = [str(s) for s in sharding_specs]
        for spec in specs:
            if spec in (UNSHARDED, MATCH):
                continue
            if specs.count(spec) > 1:
                raise ValueError(
                    f"Mesh dimension {spec} was repeated in sharding specification {specs}. "
                    "Mesh dimensions must be unique in a layout."
                )
            if spec not in mesh:
                raise ValueError(
                    f"{spec}: A dimension sharding must either be a valid mesh dimension or "
                    "UNSHARDED."
                )
        self._specs = specs
        self._mesh = mesh

    # -- constructors -----------------------------------------------------------------
    @classmethod
    def replicated(cls, mesh: Mesh, rank: int) -> "Layout":
        """A layout of ``rank`` axes, whole on every device."""
        return cls([UNSHARDED] * int(rank), mesh)

    @classmethod
    def batch_sharded(cls, mesh: Mesh, batch_dim: str, rank: int, axis: int = 0) -> "Layout":
        """Axis ``axis`` sharded over ``batch_dim``, the others unsharded."""
        specs = [UNSHARDED] * int(rank)
        specs[axis] = batch_dim
        return cls(specs, mesh)

    @classmethod
    def inner_sharded(cls, mesh: Mesh, inner_dim: str, rank: int) -> "Layout":
        """The last axis sharded over ``inner_dim``."""
        return cls.batch_sharded(mesh, inner_dim, rank, axis=rank - 1)

    @classmethod
    def from_string(cls, layout_str: str) -> "Layout":
        """The layout of :meth:`to_string`'s text."""
        text = str(layout_str)
        head, sep, mesh_str = text.partition(" mesh:")
        if not sep or not head.startswith("sharding_specs:"):
            raise ValueError(f"Layout.from_string: cannot parse {layout_str!r}")
        specs = [s for s in head[len("sharding_specs:") :].split(",") if s]
        return cls(specs, Mesh.from_string(mesh_str))

    def delete(self, dims) -> "Layout":
        """This layout without the axes ``dims``."""
        dims = dims if isinstance(dims, (list, tuple)) else [dims]
        return Layout([s for i, s in enumerate(self._specs) if i not in dims], self._mesh)

    # -- accessors --------------------------------------------------------------------
    @property
    def sharding_specs(self) -> list:
        return list(self._specs)

    @property
    def mesh(self) -> Mesh:
        return self._mesh

    @property
    def rank(self) -> int:
        return len(self._specs)

    @property
    def shape(self) -> list:
        """The mesh's shape (as TensorFlow's ``Layout.shape``)."""
        return self._mesh.shape()

    def num_shards(self, idx: int) -> int:
        """How many pieces axis ``idx`` is split into."""
        spec = self._specs[idx]
        return 1 if spec in (UNSHARDED, MATCH) else self._mesh.dim_size(spec)

    def is_fully_replicated(self) -> bool:
        return all(s == UNSHARDED for s in self._specs)

    def is_single_device(self) -> bool:
        return False

    def is_batch_parallel(self) -> bool:
        return (
            bool(self._specs)
            and self._specs[0] != UNSHARDED
            and all(s == UNSHARDED for s in self._specs[1:])
        )

    def offset_to_shard(self) -> list:
        """For each device of the mesh (row-major), the index of its shard along each axis."""
        out = []
        for _, loc in sorted(self._mesh.unravel_index().items()):
            out.append(tuple(0 if s in (UNSHARDED, MATCH) else loc[s] for s in self._specs))
        return out

    def offset_tuple_to_global_index(self, offset_tuple) -> int:
        index = 0
        for i, o in enumerate(offset_tuple):
            m = 1
            for x in range(i + 1, self.rank):
                m *= self.num_shards(x)
            index += m * o
        return index

    def local_shape_from_global_shape(self, global_shape) -> tuple:
        return tuple(int(d) // self.num_shards(i) for i, d in enumerate(global_shape))

    def global_shape_from_local_shape(self, local_shape) -> tuple:
        return tuple(int(d) * self.num_shards(i) for i, d in enumerate(local_shape))

    # -- string form, equality --------------------------------------------------------
    def to_string(self) -> str:
        # TF's form: each spec followed by a comma ("sharding_specs:x,unsharded, mesh:...",
        # "sharding_specs: mesh:..." for a scalar)
        specs = "".join(f"{spec}," for spec in self._specs)
        return f"sharding_specs:{specs} mesh:{self._mesh.to_string()}"

    def __eq__(self, other) -> bool:
        return isinstance(other, Layout) and self.to_string() == other.to_string()

    def __ne__(self, other) -> bool:
        return not self.__eq__(other)

    def __hash__(self) -> int:
        return hash(self.to_string())

    def __repr__(self) -> str:
        return f"Layout.from_string({self.to_string()})"

    __str__ = __repr__

    def __reduce__(self):
        return Layout.from_string, (self.to_string(),)
