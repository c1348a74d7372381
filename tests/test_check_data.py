"`prpg check-data` on a corpus of broken datasets made here: each kind of bad input is found and named."
import json, shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from prpg.core import DataError
from prpg.data import load_dataset, check_dataset
from prpg.demo_data import DemoConfig, build_demo

from cli_fork import run_prpg

SHARED = Path(__file__).resolve().parents[2]/'shared'/'data'/'dreambench'
SMALL = DemoConfig(seed=1, categories=['mug', 'shoe'], instances_per_category=2, n_test_per_shift=1,
                   n_dense_per_shift=1, n_negatives=3, width=48, height=40)

@pytest.fixture(scope='module')
def clean(tmp_path_factory):
    return build_demo(SMALL, tmp_path_factory.mktemp('demo')/'clean', progress=False)

@pytest.fixture
def ds(clean, tmp_path):
    root = tmp_path/'ds'; shutil.copytree(clean, root); return root

def check(root, *args):
    r = run_prpg(['check-data', str(root), *args])    # a fresh process forked after prpg's imports (cli_fork)
    return r.returncode, r.stdout + r.stderr

def first(root, split='train'):
    inst = sorted(p.name for p in (root/split).iterdir())[0]
    return inst, sorted((root/split/inst).iterdir())[0]

def info(root): return json.loads((root/'demo_info.json').read_text())

def test_clean_dataset_passes(clean):
    code, out = check(clean, '--need-masks', 'train,test_dense')
    assert code == 0 and '0 error(s)' in out
    assert 'test/pose=' in out and 'train/-=' in out             # counts per split are reported

def test_missing_train_folder(ds):
    shutil.rmtree(ds/'train')
    code, out = check(ds, '--layout', 'pods')
    assert code == 1 and 'missing folder' in out and 'train' in out

def test_missing_mask_folder(ds):
    shutil.rmtree(ds/'test_dense_masks')
    code, out = check(ds, '--need-masks', 'test_dense')
    assert code == 1 and 'missing folder test_dense_masks/' in out

def test_class_in_info_without_images(ds):
    i = info(ds); i['classes'].append('mug_ghost'); (ds/'demo_info.json').write_text(json.dumps(i))
    code, out = check(ds)
    assert code == 1 and "class 'mug_ghost' has no folder train/mug_ghost/" in out

def test_class_folder_without_images(ds):
    inst, _ = first(ds); shutil.rmtree(ds/'train'/inst); (ds/'train'/inst).mkdir()
    code, out = check(ds)
    assert code == 1 and f'{inst}: class has no training images' in out

def test_image_without_mask(ds):
    inst, img = first(ds); (ds/'train_masks'/inst/img.name).unlink()
    code, out = check(ds, '--need-masks', 'train')
    assert code == 1 and f'{img.name}: image has no mask in train_masks/{inst}/' in out
    assert check(ds)[0] == 0                                      # masks not needed: fine

def test_unreadable_and_truncated_images(ds):
    inst, img = first(ds, 'test')
    img.write_bytes(b'this is not a picture')
    inst2, img2 = first(ds, 'test_dense'); raw = img2.read_bytes(); img2.write_bytes(raw[:len(raw) // 3])
    code, out = check(ds)
    assert code == 1 and str(img.name) in out and 'not a readable image' in out
    assert 'truncated or corrupt' in out and img2.name in out
    assert '2 error(s)' in out                                    # every problem at once

def test_duplicate_class_names(ds):
    i = info(ds); i['classes'].append(i['classes'][0]); (ds/'demo_info.json').write_text(json.dumps(i))
    code, out = check(ds)
    assert code == 1 and f"class {i['classes'][0]!r} is listed 2 times" in out

def test_case_duplicate_folder_names(tmp_path):
    for n in ('Mug', 'mug'):
        for k in range(3):
            (tmp_path/n).mkdir(exist_ok=True); Image.new('RGB', (8, 8)).save(tmp_path/n/f'{k}.png')
    (tmp_path/'classes.csv').write_text('subject,class\nMug,mug\nmug,mug\n')
    code, out = check(tmp_path)
    assert code == 1 and 'duplicate class name' in out

def test_mismatched_mask_size(ds):
    inst, img = first(ds)
    Image.new('L', (40, 48), 255).save(ds/'train_masks'/inst/img.name)   # sides swapped
    code, out = check(ds, '--need-masks', 'train')
    assert code == 1 and 'mask is 40x48 but its image' in out and 'swapped' in out

def test_empty_and_noisy_masks_are_warnings(ds):
    inst, img = first(ds)
    Image.new('L', (48, 40), 0).save(ds/'train_masks'/inst/img.name)
    code, out = check(ds, '--need-masks', 'train')
    assert code == 0 and 'mask is empty' in out and '1 warning(s)' in out

def test_strict_reader_stops_with_the_same_message(ds):
    inst, img = first(ds); (ds/'train_masks'/inst/img.name).unlink()
    with pytest.raises(ValueError, match='image has no mask'):
        load_dataset(ds, need_masks=('train',))

def test_many_problems_reported_together(ds):
    inst, img = first(ds); (ds/'train_masks'/inst/img.name).unlink()
    inst2, img2 = first(ds, 'test'); img2.write_bytes(b'junk')
    i = info(ds); i['classes'].append('shoe_ghost'); (ds/'demo_info.json').write_text(json.dumps(i))
    r = check_dataset(ds, need_masks=('train',))
    assert len(r.errors) == 3, [str(p) for p in r.errors]

def test_bad_command_line(tmp_path):
    code, out = check(tmp_path/'nope')
    assert code == 1 and 'not found' in out
    r = run_prpg(['demo', '--triplets.nope', '1'])
    assert r.returncode == 2 and "unknown key 'nope'" in r.stderr

@pytest.mark.skipif(not SHARED.is_dir(), reason='../shared/data/dreambench is absent')
def test_dreambench_loads_through_the_flat_reader():
    db = load_dataset(SHARED)
    assert db.layout == 'flat' and len(db.instances) == 22
    assert db.instances_of('dog') == ['dog', 'dog2', 'dog3', 'dog6', 'dog7']
    assert all(len(db.images(i, 'train')) == 3 for i in db.instances)
    assert sum(len(db.images(i, 'test')) for i in db.instances) == 50
    assert check_dataset(SHARED).ok

def test_traversal_names_are_refused(ds, tmp_path):
    meta = info(ds)
    outside = tmp_path/'escape'; (outside).mkdir()                   # images outside the dataset that a name points at
    shutil.copy(first(ds)[1], outside/'00.png')
    meta['classes'].append('../../escape'); meta['class_to_sc']['../../escape'] = 'mug'
    victim = meta['classes'][0]; meta['class_to_sc'][victim] = '../negatives_elsewhere'
    (ds/'demo_info.json').write_text(json.dumps(meta))
    code, out = check(ds)
    assert code == 1 and "class name '../../escape' contains a path separator" in out
    assert "category name '../negatives_elsewhere' contains a path separator" in out
    assert sum('escape' in line for line in out.splitlines()) == 1     # named once, as a bad name; never read as a class
    with pytest.raises(DataError, match='contains a path separator'): load_dataset(ds)
