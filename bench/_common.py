"Shared helpers for prpg benchmarks: machine conditions, best-of-N timing, JSON results and a printed table."
import json, os, platform, time
from datetime import datetime, timezone
from pathlib import Path

RESULTS = Path(__file__).resolve().parent/'results'

def conditions(**extra) -> dict:
    "Machine and library versions the numbers were measured under."
    import numpy, PIL
    c = {'date': datetime.now(timezone.utc).isoformat(timespec='seconds'), 'python': platform.python_version(),
         'platform': platform.platform(), 'processor': platform.processor() or platform.machine(),
         'cpus': os.cpu_count(), 'numpy': numpy.__version__, 'pillow': PIL.__version__}
    try:
        import torch
        c.update(torch=torch.__version__, torch_threads=torch.get_num_threads(), cuda=torch.cuda.is_available())
    except ImportError: pass
    try:
        from prpg.core import machine
        c['machine'] = machine()            # CPU model and flags (avx2, avx512_bf16, amx...), cores, torch threads, GPU
    except ImportError: pass
    c.update(extra)
    return c

def best_of(fn, repeat:int=3, warmup:int=1) -> float:
    "Minimum wall time of `fn()` over `repeat` runs (these machines are noisy: take the minimum)."
    for _ in range(warmup): fn()
    ts = []
    for _ in range(repeat):
        t = time.perf_counter(); fn(); ts.append(time.perf_counter() - t)
    return min(ts)

def machine_slug(m:dict|None=None) -> str:
    "A file-name tag for this machine: CPU vendor and family plus its fastest matmul extension ('intel-xeon-amx')."
    import re
    if m is None:
        from prpg.core import machine
        m = machine()
    words = [w for w in re.findall(r'[a-z0-9]+', m.get('cpu', 'cpu').lower().replace('(r)', ''))
             if w not in ('processor', 'r', 'tm', 'cpu')][:3]
    fl = set(m.get('flags', []))
    top = next((t for f, t in (('amx_bf16', 'amx'), ('avx512_bf16', 'avx512bf16'), ('avx512f', 'avx512'),
                               ('avx2', 'avx2')) if f in fl), 'generic')
    if m.get('kernels') == 'AVX2' and top != 'avx2': top = 'as-avx2'      # torch's kernels restricted to AVX2
    return '-'.join(words + [top])

def save(name:str, conds:dict, results:dict, ratios:dict, per_machine:bool=False) -> Path:
    """Write bench/results/NAME.json (with `per_machine`, also NAME.<machine>.json, so each machine's figures stay
    side by side) and print a table of results and ratios."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    p = RESULTS/f'{name}.json'
    text = json.dumps({'conditions': conds, 'results': results, 'ratios': ratios}, indent=1) + '\n'
    p.write_text(text)
    if per_machine: (RESULTS/f'{name}.{machine_slug(conds.get("machine"))}.json').write_text(text)
    rows = [(k, f'{v:.4g}' if isinstance(v, float) else str(v)) for k, v in results.items()]
    rows += [(f'ratio {k}', f'{v:.2f}x') for k, v in ratios.items()]
    w = max(len(r[0]) for r in rows)
    print(f'== {name} ==')
    for k, v in rows: print(f'{k.ljust(w)}  {v}')
    print(f'-> {p}')
    return p
