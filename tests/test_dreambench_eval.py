"The real DreamBench photos (flat layout: 3 references per subject, the rest as test, same-class subjects as look-alikes) run through global evaluation."
from pathlib import Path

import numpy as np
import pytest

from prpg.data import load_dataset
from prpg.evaluate import GlobalOptions, evaluate_global
from prpg.features import FeatureCache
from prpg.models import load_backbone
from prpg.tiny import tiny_path

DB = Path(__file__).resolve().parents[2]/'shared'/'data'/'dreambench'

@pytest.mark.skipif(not DB.is_dir(), reason='../shared/data/dreambench is absent')
def test_dreambench_global_evaluation(tmp_path):
    ds = load_dataset(DB)
    bb = load_backbone('dinov2_vits14', weights=tiny_path('timm_dinov2'), image_size=56)   # tiny stand-in: real weights cannot be downloaded here
    cache = FeatureCache(tmp_path)
    res = {i: evaluate_global(bb, ds, i, cache) for i in ('dog', 'dog2', 'teapot')}
    assert cache.misses == 116 and cache.hits > 0            # every photo embedded once, then reused for the other subjects
    r = res['dog']
    assert r['n_test'] == 50 and r['n_positives'] == 2 and 0 < r['classification_ap'] <= 1
    assert len(r['queries']) == 2 and all(0 < q['ndcg'] <= 1 for q in r['queries'])
    assert {s['path'] for s in r['scores']} == {str(p) for p in ds.images(split='test')}
    look = evaluate_global(bb, ds, 'dog', cache, GlobalOptions(negatives='category'))
    assert look['n_test'] == sum(len(ds.images(i, 'test')) for i in ds.instances_of('dog'))   # only the other dogs as negatives
