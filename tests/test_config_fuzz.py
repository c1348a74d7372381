"""Every field of every config dataclass, fed a value of the wrong type and a value out of range, is refused with one
`ConfigError` line that names the field; and every numeric field declares its range (`annotated_types` constraints in
its type: `Annotated[float, Gt(0)]`), so none is forgotten. The ranges are read from the declarations here, not through
prpg's own rendering of them."""
import dataclasses, importlib, math, pkgutil, re, types, typing
from pathlib import Path
from typing import Annotated, Literal, get_args, get_origin, get_type_hints

import annotated_types

import pytest

import prpg
from prpg.core import ConfigError, from_dict

_MODULES = [importlib.import_module(m.name) for m in pkgutil.walk_packages(prpg.__path__, 'prpg.')
            if not m.name.endswith(('_modidx', 'widgets'))]
CONFIGS = sorted({c for m in _MODULES for n, c in vars(m).items()
                  if isinstance(c, type) and dataclasses.is_dataclass(c) and c.__module__.startswith('prpg.')
                  and re.search(r'(Config|Options|Settings|Job)$', n)}, key=lambda c: c.__name__)
UNBOUNDED_OK = {}                                   # (class, field): why any number is fine; empty: every number has a range

def _strip_optional(t):
    if get_origin(t) in (typing.Union, types.UnionType):
        args = [a for a in get_args(t) if a is not type(None)]
        return args[0] if len(args) == 1 else t
    return t

def _numeric(t) -> bool:
    t = _strip_optional(t)
    if t in (int, float): return True
    return get_origin(t) in (tuple, list) and any(a in (int, float) for a in get_args(t))

def _required(cls) -> dict:
    "Plausible values for fields without defaults, so a config can be built around the one bad field."
    hints = get_type_hints(cls)
    return {f.name: ('x' if _strip_optional(hints[f.name]) in (str, Path) else 1) for f in dataclasses.fields(cls)
            if f.init and f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING}

def _wrong_type(t):
    "A value no field of type `t` may accept."
    t = _strip_optional(t)
    if get_origin(t) is Literal: return 'no-such-choice'
    if t is bool: return 'maybe'
    if t in (int, float): return 'abc'
    if t in (str, Path): return {'a': 1}
    if t is dict or get_origin(t) is dict: return 'abc'
    if get_origin(t) in (list, tuple) or dataclasses.is_dataclass(t): return 5
    return None

def _declared(t) -> dict:
    "The bounds a type declares ({'ge': 0, 'lt': 1}), from its `annotated_types` metadata, inside optional/tuple types."
    if get_origin(t) is Annotated:
        out = {}
        for m in t.__metadata__:
            for c in (m if isinstance(m, annotated_types.GroupedMetadata) else (m,)):
                for k in ('gt', 'ge', 'lt', 'le'):
                    if getattr(c, k, None) is not None: out[k] = getattr(c, k)
        return out
    return next((d for a in get_args(t) if a is not Ellipsis and (d := _declared(a))), {})

def _outside(b:dict, is_int:bool) -> list:
    "Values just outside declared bounds."
    step = 1 if is_int else 0.5
    out = [b['ge'] - step] if 'ge' in b else [b['gt']] if 'gt' in b else []
    out += [b['le'] + step] if 'le' in b else [b['lt']] if 'lt' in b else []
    return [int(v) if is_int and float(v).is_integer() else v for v in out]

FIELDS = [(c, f) for c in CONFIGS for f in dataclasses.fields(c) if f.init]

def test_configs_are_discovered():
    names = {c.__name__ for c in CONFIGS}
    assert {'TrainConfig', 'LoraSettings', 'TripletConfig', 'CutPasteConfig', 'DemoConfig', 'DreamBoothConfig',
            'GlobalOptions', 'DenseOptions', 'SweepConfig', 'CutPasteJob', 'FilterJob'} <= names, names
    assert len(FIELDS) > 150

def _refused(cls, key, value):
    with pytest.raises(ConfigError) as e: from_dict(cls, {**_required(cls), key: value})
    msg = str(e.value)
    assert '\n' not in msg and re.search(rf'\b{key}\b', msg), msg
    return msg

@pytest.mark.parametrize('cls,f', FIELDS, ids=[f'{c.__name__}.{f.name}' for c, f in FIELDS])
def test_wrong_type_is_refused_naming_the_field(cls, f):
    from_dict(cls, _required(cls))                                  # the defaults themselves are valid
    bad = _wrong_type(get_type_hints(cls)[f.name])
    if bad is None: pytest.skip(f'{f.name}: a free-form field')
    _refused(cls, f.name, bad)

NUMERIC = [(c, f) for c, f in FIELDS if _numeric(get_type_hints(c)[f.name])]

@pytest.mark.parametrize('cls,f', NUMERIC, ids=[f'{c.__name__}.{f.name}' for c, f in NUMERIC])
def test_out_of_range_is_refused_naming_the_field(cls, f):
    t = _strip_optional(get_type_hints(cls)[f.name])
    bounds = _declared(get_type_hints(cls, include_extras=True)[f.name])
    if not bounds:
        assert (cls.__name__, f.name) in UNBOUNDED_OK, f'{cls.__name__}.{f.name}: a number without a declared range'
        return
    is_int = t is int or (get_origin(t) in (tuple, list) and int in get_args(t))
    default = getattr(cls(**_required(cls)), f.name)
    for v in _outside(bounds, is_int):
        bad = [v] * len(default) if get_origin(t) in (tuple, list) and default else v
        _refused(cls, f.name, bad)
    if not is_int:
        _refused(cls, f.name, [math.nan] * len(default) if get_origin(t) in (tuple, list) else math.nan)
