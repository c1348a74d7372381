"""Files other people place (checkpoints, folders) never run code and are never deleted: each case exits 2 with one line
naming the file, and leaves everything as it was."""
import os, subprocess, sys
from pathlib import Path

import torch

from prpg.data import load_dataset
from prpg.demo_data import DemoConfig, build_demo
from prpg.tiny import tiny_path
from prpg.triplets import TripletConfig, make_triplets

PRPG = str(Path(sys.executable).parent/'prpg')
SMALL = DemoConfig(seed=2, categories=['mug', 'shoe'], instances_per_category=2, n_test_per_shift=1,
                   n_dense_per_shift=1, n_negatives=3, width=48, height=48)

def prpg(*args):
    r = subprocess.run([PRPG, *map(str, args)], capture_output=True, text=True)
    return r.returncode, r.stdout, r.stderr

def listing(root: Path) -> dict:
    return {str(p.relative_to(root)): (p.stat().st_size, p.stat().st_mtime_ns) for p in sorted(root.rglob('*'))}

class _Evil:                                  # unpickling this would run a shell command
    def __init__(self, target): self.target = target
    def __reduce__(self): return (os.system, (f'touch {self.target}',))

def test_planted_checkpoint_is_refused_never_run(tmp_path):
    ds = load_dataset(build_demo(SMALL, tmp_path/'demo', progress=False))
    csv = make_triplets(ds, ds.instances[0], tmp_path/'t.csv', TripletConfig(num_triplets=8, positives='real'))
    args = ['train', '--triplets', csv, '--backbone', 'dinov2_vits14', '--weights', tiny_path('timm_dinov2'), '--image_size', '56',
            '--batch_size', '4', '--epochs', '1', '--lora.r', '2', '--out_root', tmp_path/'runs', '--progress', 'false']
    code, out, err = prpg(*args)
    assert code == 0, err
    run = Path(out.strip().splitlines()[-1])
    (run/'done.json').unlink()                                       # an unfinished run, whose checkpoint someone replaced
    ck = run/'checkpoints'/'last.pt'
    torch.save({'lora': _Evil(tmp_path/'pwned'), 'step': 1}, ck)
    before = listing(run)
    code, out, err = prpg(*args)
    assert code == 2 and not (tmp_path/'pwned').exists()
    lines = err.strip().splitlines()
    assert len(lines) == 1 and str(ck) in lines[0] and 'not a valid prpg checkpoint' in lines[0] and 'Traceback' not in err
    assert listing(run) == before                                    # nothing written or changed

def test_overwrite_never_deletes_a_folder_prpg_did_not_make(tmp_path):
    mine = tmp_path/'mine'; (mine/'sub').mkdir(parents=True)
    (mine/'thesis.tex').write_text('years of work'); (mine/'sub'/'data.csv').write_text('1,2\n')
    before = listing(mine)
    code, out, err = prpg('demo-data', mine, '--overwrite')
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert str(mine) in err and 'not a demo build' in err
    assert listing(mine) == before
