"""Files other people place (checkpoints, folders) never run code and are never deleted: each case exits 2 with one line
naming the file, and leaves everything as it was."""
import os
from pathlib import Path

import torch

from prpg.data import load_dataset
from prpg.demo_data import DemoConfig, build_demo
from prpg.tiny import tiny_path
from prpg.triplets import TripletConfig, make_triplets

from cli_fork import run_prpg

SMALL = DemoConfig(seed=2, categories=['mug', 'shoe'], instances_per_category=2, n_test_per_shift=1,
                   n_dense_per_shift=1, n_negatives=3, width=48, height=48)

def prpg(*args):
    r = run_prpg(args)                                # a fresh process forked after prpg's imports (cli_fork)
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
    ck = run/'checkpoints'/'last.safetensors'                       # a pickle where the safetensors checkpoint should be
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
    (mine/'manifest.json').write_text('{}')                          # a forged manifest proves nothing
    before = listing(mine)
    code, out, err = prpg('demo-data', mine, '--overwrite')
    assert code == 2 and len(err.strip().splitlines()) == 1 and 'does not list the files prpg wrote' in err
    assert listing(mine) == before

def test_overwrite_keeps_what_was_added_to_a_build(tmp_path):
    "A real demo build with a file added later (or a run written into it) is not replaced: the file is named."
    demo = build_demo(SMALL, tmp_path/'demo', progress=False)
    (demo/'train'/'notes.txt').write_text('mine')
    before = listing(demo)
    code, out, err = prpg('demo-data', demo, '--overwrite', '--seed', '2', '--categories', '[mug, shoe]',
                          '--instances_per_category', '2', '--n_test_per_shift', '1', '--n_dense_per_shift', '1',
                          '--n_negatives', '3', '--width', '48', '--height', '48')
    assert code == 2 and len(err.strip().splitlines()) == 1 and 'train/notes.txt' in err and 'nothing was deleted' in err
    assert listing(demo) == before
    (demo/'train'/'notes.txt').unlink()                              # once it is moved out, overwrite rebuilds it
    code, out, err = prpg('demo-data', demo, '--overwrite', '--seed', '2', '--categories', '[mug, shoe]',
                          '--instances_per_category', '2', '--n_test_per_shift', '1', '--n_dense_per_shift', '1',
                          '--n_negatives', '3', '--width', '48', '--height', '48')
    assert code == 0, err

BAD_ARGS = [  # (command line, the key the one-line message must name)
    (['train', '--triplets', 't.csv', '--lr', 'nan'], 'lr: nan is not a finite number'),
    (['train', '--triplets', 't.csv', '--lora.r', '0'], 'lora: r: 0'),
    (['train', '--triplets', 't.csv', '--lora.r', '-2'], 'lora: r: -2'),
    (['train', '--triplets', 't.csv', '--lora.dropout', '1.5'], 'lora: dropout: 1.5'),
    (['train', '--triplets', 't.csv', '--lora.alpha', '-1'], 'lora: alpha: -1'),
    (['train', '--triplets', 't.csv', '--image_size', '-56'], 'image_size: -56'),
    (['train', '--triplets', 't.csv', '--image_size', '0'], 'image_size: 0'),
    (['train', '--triplets', 't.csv', '--weight_decay', '-1'], 'weight_decay: -1'),
    (['train', '--triplets', 't.csv', '--num_workers', '-1'], 'num_workers: -1'),
    (['train', '--triplets', 't.csv', '--tau', '-1'], 'tau: -1'),
    (['train', '--triplets', 't.csv', '--margin', '-1'], 'margin: -1'),
    (['evaluate', '--run', 'r', '--dense.grid', '0'], 'dense: grid: 0'),
    (['evaluate', '--run', 'r', '--options.top_k', '-1'], 'options: top_k: -1'),
    (['evaluate', '--run', 'r', '--options.batch_size', '0'], 'options: batch_size: 0'),
    (['sweep', '--jobs', '-1'], 'jobs: -1'),
    (['train', '--triplets', 't.csv', '--lora.r', '100000'], 'lora: r: 100000 is out of range'),
    (['train', '--triplets', 't.csv', '--image_size', '100000'], 'image_size: 100000 is out of range'),
    (['pipeline', '--device', 'cuda:abc'], "device: 'cuda:abc' is not a device"),
    (['demo-data', 'out', '--n_test_per_shift', '-1'], 'n_test_per_shift: -1'),
    (['generate', 'cutpaste', '--data_root', 'd', '--cutpaste.size', '[100000,100000]'], 'cutpaste: size[0]: 100000 is out of range'),
    (['generate', 'cutpaste', '--data_root', 'd', '--cutpaste.feather', '-5'], 'cutpaste: feather: -5'),
    (['generate', 'cutpaste', '--data_root', 'd', '--cutpaste.flip', '2'], 'cutpaste: flip: 2'),
]

import pytest

@pytest.mark.parametrize('args,names', BAD_ARGS, ids=[' '.join(a[:1] + a[-2:]) for a, _ in BAD_ARGS])
def test_bad_value_is_one_line_and_writes_nothing(tmp_path, args, names):
    r = run_prpg(args, cwd=tmp_path)
    lines = r.stderr.strip().splitlines()
    assert r.returncode == 2 and len(lines) == 1 and names in lines[0], r.stderr
    assert list(tmp_path.iterdir()) == []                           # nothing written
