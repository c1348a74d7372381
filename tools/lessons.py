"""Make the lesson notebooks read on GitHub (a developer tool, not part of the package; `make lessons`).

1. After every exported cell, a `show_doc(name)` cell for each public, documented function or class it defines
   (idempotent). The notebook's hidden cell renders them as signature + docstring (fastcore's MarkdownRenderer:
   no Quarto-only source link, which GitHub would show as text).
2. Runs the notebook as `nbdev_test` does (in nbs/, the same skipped flags, a throw-away PRPG_HOME) and keeps only
   outputs that are documentation, pictures or short printed tables: show_doc markdown, images, HTML/markdown, and
   printed text under 4 KB that names no temporary file. Warnings, progress bars and widgets are dropped.
3. Keeps each notebook's outputs under MAX_BYTES (a tutorial's under MAX_BYTES_TUTORIAL), dropping the largest
   images first.

    python tools/lessons.py                      # every numbered notebook
    python tools/lessons.py nbs/14_maps.ipynb    # some
    python tools/lessons.py nbs/tutorials/walkthrough.ipynb nbs/tutorials/own_object.ipynb   # the tutorials
"""
import ast, hashlib, json, os, re, sys, tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAX_BYTES = 200_000
MAX_BYTES_TUTORIAL = 400_000                  # a tutorial shows a picture at every stage
SKIP = {'90_pipeline.ipynb'}                  # the papermill batch notebook: parameters, not a lesson
DOC_CELL = ('#|hide\nfrom functools import partial\nfrom fastcore.docments import MarkdownRenderer\n'
            'from nbdev.showdoc import show_doc\n'
            'show_doc = partial(show_doc, renderer=MarkdownRenderer)   # signature and docstring')
KEEP = ('image/png', 'text/markdown', 'text/html')

def _public_defs(src:str) -> list[str]:
    body = '\n'.join(l for l in src.split('\n') if not l.startswith('#|'))
    return [n.name for n in ast.parse(body).body if isinstance(n, (ast.FunctionDef, ast.ClassDef))
            and not n.name.startswith('_') and ast.get_docstring(n)]

def _code(src:str, where:str) -> dict:
    cid = hashlib.sha1(f'{where}:{src}'.encode()).hexdigest()[:8]       # stable: the same cell gets the same id
    return {'cell_type': 'code', 'execution_count': None, 'id': cid, 'metadata': {}, 'outputs': [], 'source': src}

def add_show_doc(nb:dict, where:str='') -> int:
    "Insert the missing show_doc cells and the hidden cell that defines show_doc; returns how many were added."
    cells, out, added = nb['cells'], [], 0
    have = {m.group(1) for c in cells if c['cell_type'] == 'code'
            for m in re.finditer(r'^show_doc\((\w+)\)$', ''.join(c['source']), re.M)}
    for c in cells:
        out.append(c)
        src = ''.join(c['source'])
        if c['cell_type'] == 'code' and re.match(r'#\|\s*export\b', src):
            for name in _public_defs(src):
                if name not in have: out.append(_code(f'show_doc({name})', where)); have.add(name); added += 1
    if added and not any(''.join(c['source']).startswith(DOC_CELL[:40]) for c in out):
        i = next(k for k, c in enumerate(out) if c['cell_type'] == 'code' and ''.join(c['source']).startswith('#|hide'))
        out.insert(i + 1, _code(DOC_CELL, where))
    nb['cells'] = out
    return added

def run_and_keep(path:Path):
    "Execute like nbdev_test and keep only documentation and picture outputs."
    from execnb.shell import CaptureShell
    from nbdev.config import get_config
    from nbdev.process import NBProcessor
    from nbdev.frontmatter import FrontmatterProc
    flags = set(get_config().tst_flags.split())
    nb = NBProcessor(path, procs=FrontmatterProc, process=True).nb
    def no_eval(cell):
        if cell.cell_type != 'code' or 'nbdev_export(' in cell.source: return True
        direc = getattr(cell, 'directives_', {}) or {}
        return direc.get('eval:', [''])[0].lower() == 'false' or bool(flags & direc.keys())
    cwd = os.getcwd(); os.chdir(path.parent)
    try: CaptureShell(path, mpl_format='png').run_all(nb, exc_stop=True, preproc=no_eval)
    finally: os.chdir(cwd)
    raw = json.loads(path.read_text())
    for c, r in zip(nb.cells, raw['cells']):
        if r['cell_type'] != 'code': continue
        outs = c.get('outputs') or []
        r['outputs'] = [_display(o) for o in outs if _is_picture(o)] + _printed(outs)
    _cap(raw, MAX_BYTES_TUTORIAL if path.parent.name == 'tutorials' else MAX_BYTES)
    return raw

def _is_picture(o) -> bool:
    d = o.get('data', {})
    return (o.get('output_type') in ('execute_result', 'display_data') and any(k in d for k in KEEP)
            and 'application/vnd.jupyter.widget-view+json' not in d)

def _display(o) -> dict:
    "One representation: the picture, else markdown, else html."
    best = next(k for k in KEEP if k in o['data'])
    return {'output_type': 'display_data', 'metadata': {}, 'data': {best: o['data'][best]}}

def _printed(outs) -> list:
    "A cell's printed text (a table, a listing), when it is short and names no temporary file; else nothing."
    text = ''.join(o['text'] if isinstance(o['text'], str) else ''.join(o['text'])
                   for o in outs if o.get('output_type') == 'stream' and o.get('name') == 'stdout')
    if not text.strip() or len(text) > 4000 or re.search(r'/tmp|prpg-lessons|\r', text): return []
    return [{'output_type': 'stream', 'name': 'stdout', 'text': text}]

def _cap(raw:dict, limit:int=MAX_BYTES):
    size = lambda o: len(json.dumps(o))
    outs = [(size(o), c, o) for c in raw['cells'] if c['cell_type'] == 'code' for o in c['outputs']]
    total = sum(s for s, _, _ in outs)
    for s, c, o in sorted(outs, key=lambda t: -t[0]):
        if total <= limit: break
        if 'image/png' in o['data']: c['outputs'].remove(o); total -= s

def main(paths):
    os.environ.setdefault('PRPG_HOME', tempfile.mkdtemp(prefix='prpg-lessons-'))
    os.environ.setdefault('HF_HUB_OFFLINE', '1')
    for p in paths:
        p = Path(p).resolve()
        nb = json.loads(p.read_text())
        n = add_show_doc(nb, p.name)
        p.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + '\n')
        raw = run_and_keep(p)
        p.write_text(json.dumps(raw, indent=1, ensure_ascii=False) + '\n')
        kept = sum(len(json.dumps(o)) for c in raw['cells'] if c['cell_type'] == 'code' for o in c['outputs'])
        print(f'{p.name}: {n} show_doc cells added, {kept / 1000:.0f} KB of outputs kept')

if __name__ == '__main__':
    main(sys.argv[1:] or [p for p in sorted((ROOT/'nbs').glob('[0-9]*.ipynb')) if p.name not in SKIP])
