"A training run killed with SIGKILL mid-epoch resumes from its last checkpoint when started again; two at once leave one complete run."
import csv, json, subprocess, sys, time, warnings
from pathlib import Path

import yaml

from prpg.data import load_dataset
from prpg.demo_data import DemoConfig, build_demo
from prpg.tiny import tiny_path
from prpg.triplets import TripletConfig, make_triplets

from cli_fork import run_prpg

PRPG = str(Path(sys.executable).parent/'prpg')

def _config(tmp_path, **kw) -> Path:
    "A training config on 400 triplets of a tiny demo dataset (batch 2: 200 steps an epoch) with the tiny timm DINOv2."
    ds = load_dataset(build_demo(DemoConfig(categories=['mug'], instances_per_category=2, n_test_per_shift=1, n_dense_per_shift=1,
                                            n_negatives=8, width=64, height=64), tmp_path/'demo', progress=False))
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        trips = make_triplets(ds, ds.instances[0], tmp_path/'t.csv', TripletConfig(num_triplets=400, positives='real', distinct=True))
    cfg = tmp_path/'train.yaml'
    cfg.write_text(yaml.safe_dump({'triplets': str(trips), 'backbone': 'dinov2_vits14', 'weights': str(tiny_path('timm_dinov2')),
                                   'image_size': 56, 'batch_size': 2, 'epochs': 1, 'checkpoint_every': 10, 'lr': 1e-3,
                                   'lora': {'r': 2}, 'out_root': str(tmp_path/'runs'), 'progress': False, **kw}))
    return cfg

def test_kill_and_resume(tmp_path):
    cfg = _config(tmp_path)
    p = subprocess.Popen([PRPG, 'train', '--config', str(cfg)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline, ck = time.time() + 300, None
    while time.time() < deadline and p.poll() is None:
        found = list((tmp_path/'runs').glob('*/checkpoints/last.safetensors'))
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
    assert len([p for p in (tmp_path/'runs').iterdir() if not p.name.startswith('.')]) == 1   # the same run folder, not a new one
    r2 = subprocess.run([PRPG, 'train', '--config', str(cfg)], capture_output=True, text=True)
    assert 'reusing finished run' in r2.stdout

def test_two_trains_at_once_leave_one_complete_run(tmp_path):
    """A second `prpg train` on the same inputs while the first runs exits 2 with one line naming the holder; the first finishes whole.
    The first is the console script in a process of its own; the second and third are forked after prpg's imports (cli_fork), so
    the second reaches the lock within a second of the first's first step, while the first still has 599 steps to go."""
    cfg = _config(tmp_path, epochs=3, checkpoint_every=50)                # 600 steps: long enough to overlap
    a = subprocess.Popen([PRPG, 'train', '--config', str(cfg)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 300
    while time.time() < deadline and a.poll() is None and not list((tmp_path/'runs').glob('*/metrics.csv')):
        time.sleep(0.02)                                         # A owns the run and is training
    b = run_prpg(['train', '--config', cfg])
    a_running = a.poll() is None
    out, err = a.communicate(timeout=600)
    assert a.returncode == 0, err
    assert a_running, 'the first run finished before the second started: nothing was tested'
    lines = b.stderr.strip().splitlines()
    assert b.returncode == 2 and len(lines) == 1 and 'another prpg process (pid' in lines[0] and 'training this run' in lines[0], b.stderr
    assert 'Traceback' not in b.stderr
    run, = [p for p in (tmp_path/'runs').iterdir() if not p.name.startswith('.')]
    steps = [int(x['step']) for x in csv.DictReader(open(run/'metrics.csv'))]
    assert steps == list(range(1, 601)) and json.loads((run/'done.json').read_text())['steps'] == 600
    c = run_prpg(['train', '--config', cfg])
    assert c.returncode == 0 and 'reusing finished run' in c.stdout       # the lock went with the first process
