"A training run killed with SIGKILL mid-epoch resumes from its last checkpoint when started again."
import csv, json, subprocess, sys, time, warnings
from pathlib import Path

import yaml

from prpg.data import load_dataset
from prpg.demo_data import DemoConfig, build_demo
from prpg.tiny import tiny_path
from prpg.triplets import TripletConfig, make_triplets

PRPG = str(Path(sys.executable).parent/'prpg')

def test_kill_and_resume(tmp_path):
    ds = load_dataset(build_demo(DemoConfig(categories=['mug'], instances_per_category=2, n_test_per_shift=1, n_dense_per_shift=1,
                                            n_negatives=8, width=64, height=64), tmp_path/'demo', progress=False))
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        trips = make_triplets(ds, ds.instances[0], tmp_path/'t.csv', TripletConfig(num_triplets=400, positives='real', distinct=True))
    cfg = tmp_path/'train.yaml'
    cfg.write_text(yaml.safe_dump({'triplets': str(trips), 'backbone': 'dinov2_vits14', 'weights': str(tiny_path('timm_dinov2')),
                                   'image_size': 56, 'batch_size': 2, 'epochs': 1, 'checkpoint_every': 10, 'lr': 1e-3,
                                   'lora': {'r': 2}, 'out_root': str(tmp_path/'runs'), 'progress': False}))
    p = subprocess.Popen([PRPG, 'train', '--config', str(cfg)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline, ck = time.time() + 300, None
    while time.time() < deadline and p.poll() is None:
        found = list((tmp_path/'runs').glob('*/checkpoints/last.pt'))
        if found: ck = found[0]; break
        time.sleep(0.02)
    assert ck is not None, p.communicate()
    time.sleep(0.3)
    p.kill(); p.wait()                                           # SIGKILL: no cleanup
    run = ck.parent.parent
    assert not (run/'done.json').exists(), 'the run finished before it could be killed'
    killed_at = len(list(csv.DictReader(open(run/'metrics.csv'))))
    assert 0 < killed_at < 200
    r = subprocess.run([PRPG, 'train', '--config', str(cfg)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert 'resuming' in r.stdout and str(run) in r.stdout
    steps = [int(x['step']) for x in csv.DictReader(open(run/'metrics.csv'))]
    assert steps == list(range(1, 201))                          # no step lost or repeated
    assert json.loads((run/'done.json').read_text())['steps'] == 200
    assert len(list((tmp_path/'runs').iterdir())) == 1          # the same run folder, not a new one
    r2 = subprocess.run([PRPG, 'train', '--config', str(cfg)], capture_output=True, text=True)
    assert 'reusing finished run' in r2.stdout
