"""The house style of the exported code, measured on the notebooks (the source of truth) and the package: short cells
(none over 60 lines, median at most 20), short functions (none over 60 lines), one statement per line and lines of at
most 120 characters. The module docstrings and `__all__` lists nbdev writes are not ours and are not measured."""
import ast, io, json, statistics, tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT/'nbs').glob('*.ipynb'))

def _exported_cells():
    for nb in NOTEBOOKS:
        for k, c in enumerate(json.loads(nb.read_text())['cells']):
            src = ''.join(c['source'])
            if c['cell_type'] == 'code' and any(l.replace(' ', '') == '#|export' for l in src.split('\n')[:3]):
                yield f'{nb.name} cell {k}', src

def _semicolon_lines(src:str) -> set:
    toks = tokenize.generate_tokens(io.StringIO(src).readline)
    return {t.start[0] for t in toks if t.type == tokenize.OP and t.string == ';'}

def test_exported_cells_are_short():
    n = {where: sum(1 for l in src.split('\n') if l.strip() and not l.startswith('#|')) for where, src in _exported_cells()}
    assert len(n) > 300, 'the exported cells were not found'
    assert not {w: k for w, k in n.items() if k > 60}, 'cells over 60 lines: cut them where the code changes subject'
    assert statistics.median(n.values()) <= 20

def test_one_statement_per_line_and_at_most_120_characters():
    bad = []
    for where, src in _exported_cells():
        semi = _semicolon_lines(src)
        bad += [f'{where}, line {i}: {"; joins statements" if i in semi else f"{len(l)} characters"}'
                for i, l in enumerate(src.split('\n'), 1) if len(l) > 120 or i in semi]
    assert not bad, '\n'.join(bad)

def test_functions_are_short():
    long = []
    for p in sorted((ROOT/'prpg').rglob('*.py')):
        for f in ast.walk(ast.parse(p.read_text())):
            if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef)) and f.end_lineno - f.lineno >= 60:
                long.append(f'{p.relative_to(ROOT)}: {f.name} ({f.end_lineno - f.lineno + 1} lines)')
    assert not long, 'split these into named steps:\n' + '\n'.join(long)

def test_the_checks_can_fail():
    assert _semicolon_lines('a = 1; b = 2\nc = "x; y"\n') == {1}
