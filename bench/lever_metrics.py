"""Do the speed levers keep the method's results? The offline demo benchmark (`data/demo.yaml`: 16 test instances, the
generic demo backbone) trained with the unchanged recipe and with each lever, the personalized metrics compared per
instance: the paired difference lever − unchanged with a 95 % bootstrap interval over the instances. A lever is kept
when the interval includes 0 or lies above it ("no difference" or "better") for every metric. The training seconds
recorded here are as they happened (other work may have shared the machine); speed-ups come from
`bench/train_throughput.py`, which interleaves the recipes.

    python bench/lever_metrics.py                  # every recipe in RECIPES
    python bench/lever_metrics.py fast             # some

Runs go to runs/levers/<recipe>/ (a rerun reuses finished runs); the JSON to bench/results/lever_metrics.json."""
import json, sys, time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
ROOT = Path(__file__).resolve().parents[1]
METRICS = ('classification_ap', 'classification_ap_lookalikes', 'retrieval_ndcg', 'detection_ap', 'segmentation_ap')
DEPTH = 4                                   # the demo generic backbone's blocks
RECIPES = {'unchanged': {},
           'last_blocks': {'train.lora.last_blocks': DEPTH // 2},
           'token_keep': {'train.token_keep': 0.5},
           'fast': {'train.lora.last_blocks': DEPTH // 2, 'train.token_keep': 0.5}}

def run(name:str) -> dict:
    "The demo with this recipe; returns its summary and how long its training took."
    from prpg.core import load_config
    from prpg.demo import DemoRunConfig, run_demo, with_overrides
    cfg = with_overrides(load_config(DemoRunConfig, ROOT/'data'/'demo.yaml', []), RECIPES[name])
    cfg.out = ROOT/'runs'/'levers'/name
    t = time.time()
    s = run_demo(cfg, verbose=False)
    runs = [Path(p) for p in s['runs'].values()]
    train_s = sum(json.loads((r/'done.json').read_text())['seconds'] for r in runs)
    return {'summary': s, 'train_seconds': train_s, 'wall_seconds': time.time() - t}

def main(names:list[str]):
    from _common import conditions, save
    from prpg.stats import format_delta, paired_delta, verdict
    got = {n: run(n) for n in ['unchanged', *[n for n in names if n != 'unchanged']]}
    base = got['unchanged']['summary']['per_instance']
    insts = sorted(base)
    results, ratios, table = {}, {}, []
    for n, g in got.items():
        results[f'{n}_train_seconds'] = g['train_seconds']
        if n == 'unchanged': continue
        per = g['summary']['per_instance']
        kept = True
        for m in METRICS:
            d = paired_delta([base[i][m]['personalized'] for i in insts], [per[i][m]['personalized'] for i in insts])
            results[f'{n}_{m}_delta'] = d
            v = verdict(d)
            kept &= v in ('better', 'no difference')
            table.append(f'{n:12s} {m:30s} {format_delta(d)}  {v}')
        results[f'{n}_kept'] = kept
    print('\nlever − unchanged recipe, personalized, paired over the 16 test instances:\n' + '\n'.join(table))
    save('lever_metrics', conditions(benchmark='data/demo.yaml (16 test instances)', recipes=RECIPES), results, ratios)

if __name__ == '__main__': main(sys.argv[1:] or list(RECIPES))
