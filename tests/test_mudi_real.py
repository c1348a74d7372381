"Seg-Mix on real photos: MuDI's own benchmark pair dog6 + dog2 (DreamBench), GrabCut masks, collages, a tiny run."
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from prpg.data import load_image, load_mask
from prpg.generate.mudi import SegMixConfig, prepare_segmix_data, read_mudi_metadata, segmix_collage, train_segmix
from prpg.tiny import tiny_path

DB = Path(__file__).resolve().parents[2]/'shared'/'data'/'dreambench'

@pytest.mark.skipif(not (DB/'dog6').is_dir(), reason='../shared/data/dreambench is absent')
def test_segmix_on_dreambench_dogs(tmp_path):
    subjects = [{'name': n, 'photos': [str(p) for p in sorted((DB/n).glob('*.jpg'))[:3]], 'class_noun': 'dog'}
                for n in ('dog6', 'dog2')]
    data = prepare_segmix_data(subjects, tmp_path/'data', max_side=256)
    subs = read_mudi_metadata(data)
    assert [s.identifier for s in subs.values()] == ['olis dog', 'hta dog'] and all(len(s.images) == 3 for s in subs.values())
    for s in subs.values():                         # GrabCut found a dog: neither empty nor the whole photo
        for im, m in zip(s.images, s.masks):
            frac = load_mask(m, image_path=im).mean()
            assert 0.05 < frac < 0.95, (im, frac)
    a = (load_image(subs['dog6'].images[0]), load_mask(subs['dog6'].masks[0]))
    b = (load_image(subs['dog2'].images[0]), load_mask(subs['dog2'].masks[0]))
    img, (ma, mb), (ba, bb), _ = segmix_collage(a, b, np.random.default_rng(0), 256)
    arr = np.asarray(img)
    assert (arr[~(ma | mb)] == 255).all() and not (ma & mb).any() and ma.sum() > 500 and mb.sum() > 500
    for m, bx in ((ma, ba), (mb, bb)):
        ys, xs = np.nonzero(m)
        assert xs.min() >= bx[0] and xs.max() < bx[2] and ys.min() >= bx[1] and ys.max() < bx[3]
    run = train_segmix(SegMixConfig(data=str(data), base=str(tiny_path('sd15')), rank=2, steps=2, resolution=32,
                                    segmix_prob=1.0, validation_steps=2, out_root=str(tmp_path/'runs'), progress=False))
    assert (run/'pytorch_lora_weights.safetensors').is_file()
    assert Image.open(run/'validation'/'step_00002_layout.png').size == (32, 32)
