"""`prpg COMMAND --help` (and `prpg generate METHOD --help`) lists every key of the command's config, compared here
with the config's own fields: each dotted key appears with its default as it is typed on the command line, and its
range where the class declares one. The help is what a user reads instead of mistyping keys to learn them."""
import contextlib, dataclasses, io, re
from pathlib import Path
from typing import Annotated, get_args, get_origin, get_type_hints

import annotated_types

import pytest

from prpg.cli import _job_classes, main

def _help(cmd:str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit) as e: main([*cmd.split(), '--help'])
    assert e.value.code == 0
    return out.getvalue()

def _typed(v) -> str:
    "A default as typed on the command line, written out independently of prpg's own rendering."
    if v is None: return 'none'
    if v == '': return "''"
    if isinstance(v, bool): return 'true' if v else 'false'
    if isinstance(v, (list, tuple)): return '[' + ', '.join(_typed(x) for x in v) + ']'
    return str(v)

def _bounds(t) -> list:
    "The numbers of the bounds a field's type declares (annotated_types metadata, inside optional and tuple types)."
    if get_origin(t) is Annotated:
        cs = [c for m in t.__metadata__ for c in (m if isinstance(m, annotated_types.GroupedMetadata) else (m,))]
        return [getattr(c, k) for c in cs for k in ('gt', 'ge', 'lt', 'le') if getattr(c, k, None) is not None]
    return next((b for a in get_args(t) if a is not Ellipsis and (b := _bounds(a))), [])

def _expected(cls, obj, prefix=''):
    "(dotted key, shown default or None, range or None) of every field, by walking the dataclass."
    hints = get_type_hints(cls, include_extras=True)
    for f in dataclasses.fields(cls):
        if not f.init: continue
        v = getattr(obj, f.name) if obj is not None else (
            f.default if f.default is not dataclasses.MISSING else f.default_factory()
            if f.default_factory is not dataclasses.MISSING else dataclasses.MISSING)
        sec = [a for a in (get_args(hints[f.name]) or (hints[f.name],)) if isinstance(a, type) and dataclasses.is_dataclass(a)]
        if sec:
            yield from _expected(sec[0], v, f'{prefix}{f.name}.')
            continue
        shown = 'required' if v is dataclasses.MISSING else None if isinstance(v, dict) else _typed(v)
        yield f'{prefix}{f.name}', shown, _bounds(hints[f.name])

@pytest.mark.parametrize('cmd', list(_job_classes()))
def test_help_lists_every_key(cmd):
    text = _help(cmd)
    entries = dict(re.findall(r'^  --(\S+)\s+(.*(?:\n {6,}\S.*)*)', text, re.M))       # key -> its (wrapped) line
    for key, default, bound in _expected(*_job_classes()[cmd]):
        assert key in entries, f'prpg {cmd} --help: no --{key}'
        line = ' '.join(entries[key].split())
        if default is not None: assert f'default {default}' in line, (key, default, line)
        if bound:                                   # the range is shown, with each of its numbers
            m = re.search(r'\(must be ([^)]*\)?)\)?', line)
            assert m and all(f'{b:g}' in re.findall(r'-?[\d.]+', m.group(1)) for b in bound), (key, bound, line)

def test_generate_method_help_is_its_own():
    assert '--cutpaste.n_per_instance' in _help('generate cutpaste')
    assert '--dreambooth.' in _help('generate dreambooth') and '--cutpaste.' not in _help('generate dreambooth')
