"""`prpg sweep` as the README writes it — relative `--grid`, `--out runs/sweep` and notebook path, the Slurm form's
`--slurm.*` keys — from another working folder, with the pipeline notebook (nbs/90_pipeline.ipynb) over the smoke-size
demo benchmark's instances and submitit's local executor standing in for Slurm (the code path Slurm uses): it
finishes, collects every metric, survives one deliberately failing point (an instance that does not exist), resumes
without redoing finished points, writes the aggregate table and figure, and writes nothing outside `--out`."""
import json, os, subprocess, sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
PRPG = str(Path(sys.executable).parent/'prpg')

def test_sweep_demo_instances(tmp_path):
    from prpg.data import load_dataset
    from prpg.demo_data import DemoConfig, build_demo
    # the benchmark the pipeline notebook builds when data_root is None (same config, so the same cached folder)
    ds = load_dataset(build_demo(DemoConfig(categories=['mug', 'shoe'], instances_per_category=2, n_test_per_shift=1,
                                            n_dense_per_shift=1, n_negatives=4, width=64, height=64), progress=False))
    grid = {'instance': ds.instances[:3] + ['no_such_instance'], 'num_triplets': 8}
    (tmp_path/'grid.yaml').write_text(yaml.safe_dump(grid))
    nb = os.path.relpath(ROOT/'nbs'/'90_pipeline.ipynb', tmp_path)
    cmd = [PRPG, 'sweep', '--notebook', nb, '--grid', 'grid.yaml', '--out', 'runs/sweep', '--jobs', '2',
           '--executor', 'submitit-local',               # submitit's local cluster standing in for Slurm
           '--slurm.slurm_partition', 'gpu', '--slurm.gpus_per_node', '1', '--slurm.timeout_min', '120']
    run = lambda: subprocess.run(cmd, capture_output=True, text=True, cwd=tmp_path)
    r = run()
    assert r.returncode == 1, r.stderr[-3000:]                     # 1 = finished with a failed point
    assert 'FAILED instance-no_such_instance' in r.stdout and "is not in" in r.stdout
    rows = json.loads((tmp_path/'runs'/'sweep'/'results.json').read_text())
    done = [x for x in rows if x['status'] == 'done']
    assert len(done) == 3 and all(0 <= x['classification_ap_personalized'] <= 1 for x in done)
    assert (tmp_path/'runs'/'sweep'/'sweep.png').is_file() and (tmp_path/'runs'/'sweep'/'results.csv').is_file()
    for x in done:
        d = tmp_path/'runs'/'sweep'/'points'/x['name']
        assert (d/'notebook.ipynb').is_file() and (d/'metrics.json').is_file()
    # resume: finished points are skipped, the failed one is tried again (and fails again)
    r2 = run()
    assert r2.returncode == 1 and '3 already finished, running 1' in r2.stdout
    assert not any((Path(ROOT)/'nbs').glob('*.ipynb.*')) and not (ROOT/'nbs'/'runs').exists()   # nothing written into nbs/
    assert sorted(p.name for p in tmp_path.iterdir()) == ['grid.yaml', 'runs']           # nothing beside --out
