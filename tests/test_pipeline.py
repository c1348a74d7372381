"""`prpg pipeline` runs the paper's DreamBooth route (DreamBooth-LoRA -> positives -> generated negatives -> filter ->
triplets -> train -> evaluate -> report) for 2 instances of the demo benchmark on the tiny offline models, asks the
one device policy at every stage, and a rerun does nothing."""
import json, os, subprocess, sys, warnings
from pathlib import Path

import torch

import prpg.pipeline as P
from prpg.core import read_json

ROOT = Path(__file__).resolve().parents[1]
PRPG = str(Path(sys.executable).parent/'prpg')

def test_smoke_route_every_stage_asks_the_device_policy_and_reruns_as_a_no_op(tmp_path, monkeypatch):
    asked = []
    real = P.stage_device
    def fake_accelerator(stage, device='auto'):              # stands in for a GPU: records who asks, answers the CPU
        asked.append(stage); real(stage, device); return torch.device('cpu')
    monkeypatch.setattr(P, 'stage_device', fake_accelerator)
    cfg = P.load_pipeline_config(ROOT/'data'/'pipeline_smoke.yaml', ['--out', str(tmp_path/'p'), '--progress', 'false'])
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        rec = P.run_pipeline(cfg)
    assert set(asked) == {'generator', 'positives', 'negatives', 'filter', 'train', 'evaluate'}, sorted(set(asked))
    assert len(rec['instances']) == 2
    for inst, r in rec['instances'].items():
        assert list(r['stages']) == ['generator', 'positives', 'filter', 'negatives', 'triplets', 'train', 'evaluate']
        assert all(v['did'] for k, v in r['stages'].items() if k != 'negatives')       # the second instance shares the first's negatives
        assert r['stages']['filter']['accepted'] == 6
        assert (Path(r['run'])/'done.json').is_file() and (Path(r['run'])/'eval'/'results.json').is_file()
        assert len(list(Path(r['stages']['filter']['output']).glob('*.png'))) == 6
    negs = {r['stages']['negatives']['output'] for r in rec['instances'].values()}
    assert len(negs) == 1                                      # one negatives root, a folder per category
    assert [r['stages']['negatives']['did'] for r in rec['instances'].values()] == [True, False]
    for r in rec['instances'].values():                        # negatives: both = the dataset's own and the generated ones
        csv = Path(r['stages']['triplets']['output'])
        roots = {k: (csv.parent/v).resolve() for k, v in read_json(csv.with_suffix('.json'))['roots'].items()}
        assert roots['negatives2'] == Path(next(iter(negs))).resolve() and roots['negatives'] != roots['negatives2']
    assert (tmp_path/'p'/'report'/'report.csv').is_file() and read_json(tmp_path/'p'/'pipeline.json')['did']
    # the same config again, through the command line: every stage's output is complete, nothing is done
    env = {**os.environ, 'PRPG_HOME': os.environ['PRPG_HOME']}
    r = subprocess.run([PRPG, 'pipeline', '--config', str(ROOT/'data'/'pipeline_smoke.yaml'), '--out', str(tmp_path/'p')],
                       capture_output=True, text=True, env=env)
    assert r.returncode == 0, r.stderr[-3000:]
    assert 'stages that did work: none' in r.stdout and r.stdout.count('skipped (complete)') == 14, r.stdout[-3000:]
    assert json.loads((tmp_path/'p'/'pipeline.json').read_text())['did'] == []
