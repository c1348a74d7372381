"""Do the speed levers keep the method's results? The offline demo benchmark (`data/demo.yaml`: 16 test instances, the
generic demo backbone) trained with the unchanged recipe and with each lever, the personalized metrics compared per
instance: the paired difference lever − unchanged with a 95 % bootstrap interval over the instances. A lever is kept
when the interval includes 0 or lies above it ("no difference" or "better") for every metric. The training seconds
recorded here are as they happened (other work may have shared the machine); speed-ups come from
`bench/train_throughput.py`, which interleaves the recipes.

    python bench/lever_metrics.py                  # the recipes of the first sweep (half the blocks / tokens)
    python bench/lever_metrics.py --mild           # the milder settings (three quarters), beside it
    python bench/lever_metrics.py fast             # some
    python bench/lever_metrics.py token_keep_060   # any share of tokens (or last_blocks_050: of blocks), by name

Runs go to runs/levers/<recipe>/ (a rerun reuses finished runs); the JSON to bench/results/lever_metrics.json, or
lever_metrics_mild.json with --mild,
lever_metrics_<names>.json for recipes named on the command line. Each recipe is a fraction of the blocks that get LoRA (the last ones) and a
share of patch tokens kept in training; `bench/train_throughput.py` times the kept recipe that costs least."""
import json, sys, time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
ROOT = Path(__file__).resolve().parents[1]
METRICS = ('classification_ap', 'classification_ap_lookalikes', 'retrieval_ndcg', 'detection_ap', 'segmentation_ap')
DEPTH = 4                                   # the demo generic backbone's blocks
FIRST = {'unchanged': {}, 'last_blocks': {'last_blocks_fraction': 0.5}, 'token_keep': {'token_keep': 0.5},
         'fast': {'last_blocks_fraction': 0.5, 'token_keep': 0.5}}
MILD = {'last_blocks_075': {'last_blocks_fraction': 0.75}, 'token_keep_075': {'token_keep': 0.75},
        'mild': {'last_blocks_fraction': 0.75, 'token_keep': 0.75}}
RECIPES = {**FIRST, **MILD}

def recipe(name:str) -> dict:
    "A recipe by name: one of RECIPES, or `token_keep_NNN` / `last_blocks_NNN` (NNN: the share in hundredths)."
    if name in RECIPES: return RECIPES[name]
    for lever, key in (('token_keep_', 'token_keep'), ('last_blocks_', 'last_blocks_fraction')):
        if name.startswith(lever) and name[len(lever):].isdigit(): return {key: int(name[len(lever):]) / 100}
    sys.exit(f'lever_metrics: unknown recipe {name!r}; known: {", ".join(RECIPES)}, token_keep_NNN, last_blocks_NNN')

def overrides(levers:dict) -> dict:
    "The demo configuration's overrides for a recipe (the demo backbone has DEPTH blocks)."
    o = {}
    if 'last_blocks_fraction' in levers: o['train.lora.last_blocks'] = round(DEPTH * levers['last_blocks_fraction'])
    if 'token_keep' in levers: o['train.token_keep'] = levers['token_keep']
    return o

def step_cost(levers:dict) -> float:
    """A step's compute relative to the unchanged recipe, estimated: the forward (1 unit) scales with the tokens
    kept, the backward (2 units) also with the share of blocks it runs through."""
    k, f = levers.get('token_keep', 1.0), levers.get('last_blocks_fraction', 1.0)
    return k * (1 + 2 * f) / 3

def run(name:str) -> dict:
    "The demo with this recipe; returns its summary and how long its training took."
    from prpg.core import load_config
    from prpg.demo import DemoRunConfig, run_demo, with_overrides
    cfg = with_overrides(load_config(DemoRunConfig, ROOT/'data'/'demo.yaml', []), overrides(recipe(name)))
    cfg.out = ROOT/'runs'/'levers'/name
    t = time.time()
    s = run_demo(cfg, verbose=False)
    runs = [Path(p) for p in s['runs'].values()]
    train_s = sum(json.loads((r/'done.json').read_text())['seconds'] for r in runs)
    return {'summary': s, 'train_seconds': train_s, 'wall_seconds': time.time() - t}

def main(names:list[str], out:str='lever_metrics'):
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
    save(out, conditions(benchmark='data/demo.yaml (16 test instances)', depth=DEPTH,
                         recipes={n: recipe(n) for n in got}, overrides={n: overrides(recipe(n)) for n in got}),
         results, ratios)

if __name__ == '__main__':
    args = sys.argv[1:]
    if args == ['--mild']: main(list(MILD), 'lever_metrics_mild')
    elif not args: main(list(FIRST))
    else: main(args, 'lever_metrics_' + '_'.join(args))
