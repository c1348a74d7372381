"""The learning signal: on the offline demo benchmark, LoRA-personalizing the generic demo backbone improves each target
instance's separation from its same-category look-alikes on held-out test images, for most instances: the paired
difference's bootstrap interval lies above 0 (never a raw margin between two means). fp32 throughout (no bf16 on
some CPUs and fp32 on others). (Real-only triplets: no generator; hard negatives from the other
instances' reference photos.) The runs go to a folder keyed on prpg's source and the libraries (`conftest.keyed_dir`):
a later run of the same tree reuses the finished runs through `train`'s own reuse and evaluates them again."""
import json, warnings
from pathlib import Path

import numpy as np
import pytest
from sklearn.metrics import average_precision_score

from prpg.data import load_dataset
from prpg.demo_data import DemoConfig, build_demo
from prpg.models import embed_images, load_backbone
from prpg.train import make_train_config, train, load_personalized
from prpg.generic import demo_generic_path
from prpg.triplets import TripletConfig, make_triplets
from prpg.stats import paired_delta

from conftest import keyed_dir

ROOT = Path(__file__).resolve().parents[1]

def lookalike_ap(bb, ds, inst):
    "AP of ranking the category's test images by max cosine to the instance's 3 references (positives: its own)."
    refs = embed_images(bb, ds.images(inst, 'train'), precision='fp32')
    tests = [(p, o == inst) for o in ds.instances_of(ds.category[inst]) for p in ds.images(o, 'test')]
    e = embed_images(bb, [p for p, _ in tests], precision='fp32')
    return average_precision_score([y for _, y in tests], (e @ refs.T).max(1).values.numpy())

def test_personalization_beats_generic():
    out = keyed_dir('personalization')
    ds = load_dataset(build_demo(DemoConfig(), progress=False))
    generic = load_backbone('demo_generic')
    assert (Path(demo_generic_path())/'prpg_generic.json').is_file()
    rows = []
    for inst in ds.instances[::2]:                      # 6 of the 12 instances, 2 per category
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            csv = make_triplets(ds, inst, out/f'{inst}.csv',
                                TripletConfig(num_triplets=960, positives='real', distinct=True, hard_negative_frac=0.5))
        run = train(make_train_config(triplets=csv, backbone='demo_generic', lr=1e-3, batch_size=16, epochs=1, precision='fp32',
                                      out_root=out/'runs', progress=False))
        rows.append((inst, lookalike_ap(generic, ds, inst), lookalike_ap(load_personalized(run), ds, inst)))
    rep = ROOT/'runs'/'test-reports'; rep.mkdir(parents=True, exist_ok=True)
    (rep/'personalization.json').write_text(json.dumps([dict(zip(('instance', 'generic_ap', 'personalized_ap'), r)) for r in rows], indent=1))
    print('\ninstance                         generic  personalized')
    for i, g, p in rows: print(f'{i:32s} {g:.3f}    {p:.3f}')
    g, p = np.array([r[1] for r in rows]), np.array([r[2] for r in rows])
    print(f'{"mean":32s} {g.mean():.3f}    {p.mean():.3f}   improved {int((p > g).sum())}/{len(rows)}')
    d = paired_delta(g, p)                              # personalized − generic, paired by instance
    print(f'paired difference {d["mean"]:+.3f} [{d["lo"]:+.3f}, {d["hi"]:+.3f}]')
    assert (p > g).sum() >= 4, rows                     # most instances improve
    assert d['lo'] > 0, d                               # and the interval of the paired difference lies above 0
