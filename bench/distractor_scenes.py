"""Do distractor scenes help the distractor splits? (issue 16)

The offline demo (data/demo.yaml: 16 test instances, the generic backbone) is trained three ways on the same
triplet budget, and each personalized model is evaluated on the same test images:
  single     the demo as it is: 60 cut/paste positives of the instance alone per instance
  scenes     30 of those + 30 distractor scenes (the instance among 1-3 same-category look-alikes) as positives,
             and 25 % of the negatives from look-alike-only scenes
  scenes_pos the same positives as `scenes`, negatives as `single` (what the positives alone do)
Every comparison is paired by instance (personalized B − personalized A) with a 95 % bootstrap interval, per split
('all', 'distractors', 'pose_and_distractors', ...), for look-alike AP, classification AP, retrieval nDCG, detection
AP and segmentation AP.

    .venv/bin/python bench/distractor_scenes.py            # ~60 min on 2 cores; reruns reuse finished runs
Writes bench/results/distractor_scenes.json and prints the table."""
import argparse, dataclasses, sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import RESULTS, conditions, machine_slug

ROOT = Path(__file__).resolve().parents[1]
METRICS = ('classification_ap_lookalikes', 'classification_ap', 'retrieval_ndcg', 'detection_ap', 'segmentation_ap')
SPLITS = ('all', 'distractors', 'pose_and_distractors', 'in_distribution', 'pose')

def arms(base):
    from prpg.generate.cutpaste import SceneConfig
    half = base.cutpaste.n_per_instance // 2
    sc = SceneConfig(n_per_instance=half, n_negatives=half, size=base.cutpaste.size, rotate=base.cutpaste.rotate,
                     backgrounds=base.cutpaste.backgrounds, seed=base.cutpaste.seed)
    cp = dataclasses.replace(base.cutpaste, n_per_instance=half)
    pos = dataclasses.replace(base, cutpaste=cp, scenes=sc)
    both = dataclasses.replace(pos, triplets=dataclasses.replace(base.triplets, scene_negative_frac=0.25))
    return {'single': base, 'scenes': both, 'scenes_pos': pos}

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--out', default=str(ROOT/'runs'/'bench-scenes'))
    ap.add_argument('--arms', default='single,scenes,scenes_pos')
    a, extra = ap.parse_known_args()     # anything else overrides data/demo.yaml: --triplets.num_triplets 64 ...
    from prpg.core import load_config, machine
    from prpg.demo import DemoRunConfig, run_demo
    from prpg.report import compare, load_results
    base = load_config(DemoRunConfig, ROOT/'data'/'demo.yaml', extra)
    res = {}
    for name, cfg in arms(base).items():
        if name not in a.arms.split(','): continue
        cfg = dataclasses.replace(cfg, out=Path(a.out)/name)
        s = run_demo(cfg, verbose=False)
        res[name] = dict(s['runs'])                      # instance -> run folder
        print(f'{name}: {len(res[name])} instances trained and evaluated in {cfg.out}', flush=True)
    names = list(res)
    out = {'arms': {k: {'description': v} for k, v in (('single', '60 cut/paste positives'),
                                                        ('scenes', '30 cut/paste + 30 scenes; 25 % scene negatives'),
                                                        ('scenes_pos', '30 cut/paste + 30 scenes; negatives as single'))
                    if k in res}, 'comparisons': {}}
    loaded = {k: dict(zip(v, load_results(list(v.values())))) for k, v in res.items()}
    for b in names[1:]:
        insts = sorted(set(loaded['single']) & set(loaded[b]))
        pairs = [{'models': {'single': loaded['single'][i]['models']['personalized'],
                             b: loaded[b][i]['models']['personalized'],
                             'pretrained': loaded['single'][i]['models']['pretrained']}} for i in insts]
        cmp = compare(pairs, 'single', b, metrics=METRICS)
        out['comparisons'][f'{b} - single'] = {sp: cmp[sp] for sp in SPLITS if sp in cmp}
    for k in names:
        pairs = [{'models': x['models']} for x in loaded[k].values()]
        cmp = compare(pairs, 'pretrained', 'personalized', metrics=METRICS)
        out['comparisons'][f'{k} - pretrained'] = {sp: cmp[sp] for sp in SPLITS if sp in cmp}
    conds = conditions(machine=machine(), config='data/demo.yaml', overrides=extra, out=a.out)
    RESULTS.mkdir(parents=True, exist_ok=True)
    import json
    text = json.dumps({'conditions': conds, 'results': out}, indent=1, default=str) + '\n'
    (RESULTS/'distractor_scenes.json').write_text(text)
    (RESULTS/f'distractor_scenes.{machine_slug(conds["machine"])}.json').write_text(text)
    print(f'== distractor scenes (paired over instances, 95 % bootstrap intervals; machine {machine_slug()}) ==')
    for comp, splits in out['comparisons'].items():
        for sp, ms in splits.items():
            cells = [f"{m.replace('classification_', '')}: {d['mean']:+.3f} [{d['lo']:+.3f}, {d['hi']:+.3f}] "
                     f"({d['improved']}/{d['n']} up)" for m, d in ms.items()]
            print(f'{comp:26s} {sp:22s} ' + ' | '.join(cells))
    print(f'-> {RESULTS/"distractor_scenes.json"}')

if __name__ == '__main__':
    main()
