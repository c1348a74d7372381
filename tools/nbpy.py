"""Round-trip helper for writing prpg notebooks as plain text (a developer tool, not part of the package).

Text format: cells start with a line `#%%` (code) or `#%% md` (markdown); a code cell may carry
papermill tags as `#%% tags=parameters`. Markdown is written verbatim.

    python tools/nbpy.py to-nb src.py nbs/NN_name.ipynb   # text -> notebook (keeps ids of unchanged cells)
    python tools/nbpy.py to-py nbs/NN_name.ipynb out.py   # notebook -> text

Unchanged cells keep their ids and outputs; a changed cell loses its outputs until `make lessons` runs again.

Why not jupytext: its percent format writes markdown cells as `#` comments, while this one keeps markdown verbatim
and the ids of unchanged cells (nbdev writes cell ids into every exported module's `# %%` headers, so a round trip
must not renew them). It is a developer tool of 60 lines, never imported by prpg, so it saves a dev dependency;
jupytext is the better choice if this ever grows.
"""
import sys, hashlib
from pathlib import Path
import nbformat

def parse(text):
    cells, cur = [], None
    for line in text.splitlines():
        if line.startswith('#%%'):
            if cur: cells.append(cur)
            spec = line[3:].strip()
            kind = 'markdown' if spec.startswith('md') else 'code'
            tags = spec.split('tags=', 1)[1].split(',') if 'tags=' in spec else []
            cur = dict(kind=kind, tags=tags, lines=[])
        elif cur is not None: cur['lines'].append(line)
    if cur: cells.append(cur)
    for c in cells:
        while c['lines'] and not c['lines'][-1].strip(): c['lines'].pop()
        while c['lines'] and not c['lines'][0].strip(): c['lines'].pop(0)
    return cells

def to_nb(src, dst):
    cells = parse(Path(src).read_text())
    old = {}
    if Path(dst).exists():
        for c in nbformat.read(dst, as_version=4).cells: old.setdefault(c.source, (c.get('id'), c.get('outputs', [])))
    nb = nbformat.v4.new_notebook()
    nb.metadata = {'kernelspec': {'display_name': 'python3', 'language': 'python', 'name': 'python3'}}
    used = set()
    for c in cells:
        s = '\n'.join(c['lines'])
        cell = nbformat.v4.new_markdown_cell(s) if c['kind'] == 'markdown' else nbformat.v4.new_code_cell(s)
        cid, outs = old.get(s, (None, []))
        if c['kind'] == 'code' and outs: cell['outputs'] = outs            # an unchanged cell keeps its outputs (`make lessons`)
        if not cid or cid in used: cid = hashlib.sha1(f'{dst}:{len(used)}:{s}'.encode()).hexdigest()[:8]
        used.add(cid); cell['id'] = cid
        if c['tags']: cell.metadata['tags'] = c['tags']
        nb.cells.append(cell)
    nbformat.write(nb, dst)

def to_py(src, dst):
    out = []
    for c in nbformat.read(src, as_version=4).cells:
        tags = c.metadata.get('tags', [])
        head = '#%% md' if c.cell_type == 'markdown' else '#%%'
        if tags: head += ' tags=' + ','.join(tags)
        out += [head, c.source, '']
    Path(dst).write_text('\n'.join(out))

if __name__ == '__main__':
    {'to-nb': to_nb, 'to-py': to_py}[sys.argv[1]](sys.argv[2], sys.argv[3])
