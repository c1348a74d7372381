"""The Colab demo notebook is valid, is linked from the README with an "Open in Colab" badge, is never executed by the
tests (every code cell is `#|eval: false`: it needs the hub and a GPU), and calls only public prpg API that exists,
with keyword arguments the called functions accept."""
import ast, importlib, inspect
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
NB = ROOT/'nbs'/'tutorials'/'colab_demo.ipynb'

def _code(nb):
    for c in nb.cells:
        if c.cell_type == 'code':
            yield c.source, '\n'.join(l for l in c.source.splitlines() if not l.lstrip().startswith(('!', '%')))

def test_colab_notebook_is_valid_and_linked():
    nb = nbformat.read(NB, as_version=4); nbformat.validate(nb)
    assert all(src.lstrip().startswith('#|eval: false') for src, _ in _code(nb))
    readme = (ROOT/'README.md').read_text()
    assert 'colab.research.google.com/github/prpg/prpg/blob/main/nbs/tutorials/colab_demo.ipynb' in readme
    assert 'colab-badge.svg' in readme

def test_colab_notebook_uses_public_prpg_api():
    nb = nbformat.read(NB, as_version=4)
    tree = ast.parse('\n'.join(code for _, code in _code(nb)))
    names = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split('.')[0] == 'prpg':
            mod = importlib.import_module(node.module)
            for a in node.names:
                assert not a.name.startswith('_'), f'{node.module}.{a.name} is private'
                assert hasattr(mod, a.name), f'{node.module} has no {a.name}'
                public = getattr(mod, '__all__', None)
                assert public is None or a.name in public, f'{node.module}.{a.name} is not in __all__'
                names[a.asname or a.name] = getattr(mod, a.name)
    assert len(names) >= 10
    calls = 0
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in names and callable(names[node.func.id]):
            sig = inspect.signature(names[node.func.id]); ps = sig.parameters
            varkw = any(p.kind == p.VAR_KEYWORD for p in ps.values())
            for kw in node.keywords:
                assert kw.arg is None or varkw or kw.arg in ps, f'{node.func.id}() has no parameter {kw.arg!r}'
            calls += 1
    assert calls >= 10
