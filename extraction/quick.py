"""Frozen records that are cheap to build.

The `__init__` that `@dataclass(frozen=True)` writes sets every field through `object.__setattr__`: some 100 ns a
field, several times the cost of a plain assignment. Extraction builds its small records (numbers, dates,
frames, units, sentences) by the hundred per document, and those calls alone were about 5 % of its time.
`quick_init` gives such a class an `__init__` with the same signature, defaults, default factories and
`__post_init__` that stores the fields directly (in the instance dict, or through the slot descriptors of a
`slots=True` class). The instances stay frozen: assignment still raises, equality and hashing are the
dataclass's own.
"""
from __future__ import annotations

import dataclasses

_MISSING = dataclasses.MISSING


def quick_init(cls):
    params = cls.__dataclass_params__
    if not params.frozen or not params.init:
        raise TypeError(f"{cls.__name__}: quick_init is for frozen dataclasses with an __init__")
    if len(dataclasses.fields(cls)) != len(cls.__dataclass_fields__):
        raise TypeError(f"{cls.__name__}: class variables and InitVars are not supported")
    slots = "__slots__" in cls.__dict__
    ns: dict = {"_MISSING": _MISSING}
    args: list[str] = []
    body: list[str] = [] if slots else ["d = self.__dict__"]
    for f in dataclasses.fields(cls):
        if f.kw_only:
            raise TypeError(f"{cls.__name__}.{f.name}: keyword-only fields are not supported")
        if f.init:
            if f.default is not _MISSING:
                ns[f"_d_{f.name}"] = f.default
                args.append(f"{f.name}=_d_{f.name}")
            elif f.default_factory is not _MISSING:
                ns[f"_f_{f.name}"] = f.default_factory
                args.append(f"{f.name}=_MISSING")
                body.append(f"if {f.name} is _MISSING: {f.name} = _f_{f.name}()")
            else:
                args.append(f.name)
            value = f.name
        elif f.default is not _MISSING:
            ns[f"_d_{f.name}"] = f.default
            value = f"_d_{f.name}"
        elif f.default_factory is not _MISSING:
            ns[f"_f_{f.name}"] = f.default_factory
            value = f"_f_{f.name}()"
        else:
            continue
        if slots:
            ns[f"_s_{f.name}"] = cls.__dict__[f.name].__set__
            body.append(f"_s_{f.name}(self, {value})")
        else:
            body.append(f"d[{f.name!r}] = {value}")
    if hasattr(cls, "__post_init__"):
        body.append("self.__post_init__()")
    src = f"def __init__(self, {', '.join(args)}):\n" + "".join(f"    {line}\n" for line in body)
    exec(src, ns)
    init = ns["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__module__ = cls.__module__
    cls.__init__ = init
    return cls
