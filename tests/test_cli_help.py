"""`prpg COMMAND --help` (and `prpg generate METHOD --help`) lists every key of the command's config, compared here
with the config's own fields: each dotted key appears with its default as it is typed on the command line, and its
range where the class declares one. The help is what a user reads instead of mistyping keys to learn them."""
import contextlib, dataclasses, io, re
from pathlib import Path
from typing import get_args, get_type_hints

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

def _expected(cls, obj, prefix=''):
    "(dotted key, shown default or None, range or None) of every field, by walking the dataclass."
    hints = get_type_hints(cls)
    for f in dataclasses.fields(cls):
        if not f.init: continue
        v = getattr(obj, f.name) if obj is not None else (
            f.default if f.default is not dataclasses.MISSING else f.default_factory()
            if f.default_factory is not dataclasses.MISSING else dataclasses.MISSING)
        sec = [a for a in (get_args(hints[f.name]) or (hints[f.name],)) if dataclasses.is_dataclass(a)]
        if sec:
            yield from _expected(sec[0], v, f'{prefix}{f.name}.')
            continue
        shown = 'required' if v is dataclasses.MISSING else None if isinstance(v, dict) else _typed(v)
        yield f'{prefix}{f.name}', shown, getattr(cls, 'BOUNDS', {}).get(f.name)

@pytest.mark.parametrize('cmd', list(_job_classes()))
def test_help_lists_every_key(cmd):
    text = _help(cmd)
    entries = dict(re.findall(r'^  --(\S+)\s+(.*(?:\n {6,}\S.*)*)', text, re.M))       # key -> its (wrapped) line
    for key, default, bound in _expected(*_job_classes()[cmd]):
        assert key in entries, f'prpg {cmd} --help: no --{key}'
        line = ' '.join(entries[key].split())
        if default is not None: assert f'default {default}' in line, (key, default, line)
        if bound: assert f'(must be {bound})' in line, (key, bound, line)

def test_generate_method_help_is_its_own():
    assert '--cutpaste.n_per_instance' in _help('generate cutpaste')
    assert '--dreambooth.' in _help('generate dreambooth') and '--cutpaste.' not in _help('generate dreambooth')
