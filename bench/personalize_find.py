"""Does `prpg personalize` make a model that finds its object? On every one of the offline demo benchmark's 16 test
instances (`data/demo.yaml`'s benchmark): its 3 reference photos, copied without their masks, stand in for "my photos",
the category's negatives are the negatives; `personalize` runs with its defaults on the stand-in backbone
(`demo_generic`), then `find` searches every test photo of the benchmark (all 24 instances', 960 photos).

Recorded per instance and paired over the 16 instances (95 % bootstrap intervals, `prpg.stats.paired_delta`):
- leave-one-out: held-out negatives scoring at least as high as the left-out photo, summed over the 3 folds, pretrained
  and personalized (lower is better: personalized - pretrained should be below 0);
- find: AP and precision@10 of the instance's own test photos among all 960, personalized and pretrained (`--compare`);
- the model's threshold: the share of the instance's own photos at or above it, and of the others below it;
- the wall time of each `personalize` (the issue asks <= 3 min on 2 cores).

    python bench/personalize_find.py             # the 16 instances (~15 min on 2 cores)
    python bench/personalize_find.py 4           # the first 4 (a quick look)

Models go to runs/bench-personalize/<instance>/ (a rerun with the same inputs reuses them: `personalize` is a no-op),
the JSON to bench/results/personalize_find.json and personalize_find.<machine>.json."""
import json, shutil, sys, time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from _common import conditions, save

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT/'runs'/'bench-personalize'

def _demo():
    from prpg.core import load_config
    from prpg.data import load_dataset
    from prpg.demo import DemoRunConfig
    from prpg.demo_data import build_demo
    cfg = load_config(DemoRunConfig, ROOT/'data'/'demo.yaml')
    ds = load_dataset(build_demo(cfg.data, progress=False))
    return ds, [i for i in ds.instances if ds.class_split.get(i) == 'test']

def _collection(ds) -> Path:
    "Every test photo of the benchmark under OUT/photos/<instance>/ (find reads a folder)."
    root = OUT/'photos'
    for it in ds.select(split='test'):
        dst = root/it.instance/it.path.name
        if not dst.exists():
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(it.path, dst)
    return root

def _one(ds, inst:str, photos:Path) -> dict:
    from sklearn.metrics import average_precision_score
    from prpg.find import FindConfig, find
    from prpg.personalize import PersonalizeConfig, personalize
    mine = OUT/'mine'/inst
    mine.mkdir(parents=True, exist_ok=True)
    for p in ds.images(inst, 'train'):
        if not (mine/p.name).exists(): shutil.copy(p, mine/p.name)
    t = time.perf_counter()
    model = personalize(PersonalizeConfig(folder=mine, category=ds.category[inst], negatives=ds.negatives_root,
                                          out=OUT/'models'/inst, backbone='demo_generic', progress=False))
    seconds = time.perf_counter() - t
    info = json.loads((model/'prpg.json').read_text())
    res = find(FindConfig(model=model, images=photos, out=OUT/'found'/inst, compare=True, maps=0, progress=False))
    own = np.array([r['path'].split('/')[0] == inst for r in res['rows']])
    out = {'seconds': seconds, 'threshold': res['threshold'],
           'loo_above': {m: info['check'][f'{m}_above'] for m in ('pretrained', 'personalized')}}
    for m, k in (('personalized', 'score'), ('pretrained', 'pretrained_score')):
        s = np.array([float(r[k]) for r in res['rows']])
        top = np.argsort(-s, kind='stable')[:10]
        out[m] = {'ap': float(average_precision_score(own, s)), 'p_at_10': float(own[top].mean())}
    s = np.array([float(r['score']) for r in res['rows']])
    out['own_above_threshold'] = float((s[own] >= res['threshold']).mean())
    out['others_below_threshold'] = float((s[~own] < res['threshold']).mean())
    return out

def main(limit:int|None=None):
    from prpg.stats import paired_delta, verdict
    ds, insts = _demo()
    insts = insts[:limit] if limit else insts
    photos = _collection(ds)
    per = {}
    for inst in insts:
        per[inst] = _one(ds, inst, photos)
        r = per[inst]
        print(f"{inst}: {r['seconds']:.0f} s; leave-one-out negatives above {r['loo_above']['pretrained']} -> "
              f"{r['loo_above']['personalized']}; AP {r['pretrained']['ap']:.3f} -> {r['personalized']['ap']:.3f}")
    col = lambda f: np.array([f(per[i]) for i in insts], float)
    deltas = {'loo_negatives_above': paired_delta(col(lambda r: r['loo_above']['pretrained']),
                                                  col(lambda r: r['loo_above']['personalized'])),
              'find_ap': paired_delta(col(lambda r: r['pretrained']['ap']), col(lambda r: r['personalized']['ap'])),
              'find_p_at_10': paired_delta(col(lambda r: r['pretrained']['p_at_10']),
                                           col(lambda r: r['personalized']['p_at_10']))}
    results = {'instances': len(insts), 'photos_searched': len(ds.select(split='test')),
               'personalize_seconds_max': float(col(lambda r: r['seconds']).max()),
               'personalize_seconds_mean': float(col(lambda r: r['seconds']).mean()),
               'own_above_threshold_mean': float(col(lambda r: r['own_above_threshold']).mean()),
               'others_below_threshold_mean': float(col(lambda r: r['others_below_threshold']).mean()),
               **{f'delta_{k}_{s}': v[s] for k, v in deltas.items() for s in ('mean', 'lo', 'hi')},
               **{f'verdict_{k}': verdict(v) if k != 'loo_negatives_above' else
                  ('fewer (better)' if v['hi'] < 0 else 'more (worse)' if v['lo'] > 0 else 'no difference')
                  for k, v in deltas.items()}}
    save('personalize_find' if not limit else f'personalize_find_first{limit}',
         conditions(per_instance=per, deltas=deltas), results, {}, per_machine=not limit)

if __name__ == '__main__':
    main(int(sys.argv[1]) if len(sys.argv) > 1 else None)
