"""On a CUDA machine: the smoke pipeline (DreamBooth route, tiny models) runs every stage on the GPU — every forward of
every module sees its weights and tensor inputs on CUDA — and fp16 generation gives no NaN; the GPU benchmark runs at
toy sizes. Skipped where there is no CUDA GPU."""
import subprocess, sys, warnings
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
import torch

pytestmark = [pytest.mark.gpu, pytest.mark.skipif(not torch.cuda.is_available(), reason='no CUDA GPU')]
ROOT = Path(__file__).resolve().parents[1]

def test_every_stage_runs_on_the_gpu(tmp_path, monkeypatch):
    import prpg.pipeline as P
    from PIL import Image
    stage, seen, off = ['setup'], Counter(), []
    real = P.stage_device
    def tracking(s, device='auto'):
        stage[0] = s; return real(s, device)
    monkeypatch.setattr(P, 'stage_device', tracking)
    def on_gpu(mod, args):                     # every module's forward: its own weights and its tensor inputs on CUDA
        seen[stage[0]] += 1
        for t in [*mod.parameters(recurse=False), *(a for a in args if isinstance(a, torch.Tensor))]:
            if t.device.type != 'cuda': off.append((stage[0], type(mod).__name__, str(t.device)))
    h = torch.nn.modules.module.register_module_forward_pre_hook(on_gpu)
    try:
        cfg = P.load_pipeline_config(ROOT/'data'/'pipeline_smoke.yaml', ['--out', str(tmp_path/'p'), '--progress', 'false',
                                                                          '--device', 'cuda'])
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            rec = P.run_pipeline(cfg)
    finally: h.remove()
    assert not off, off[:10]
    assert {'generator', 'positives', 'filter', 'negatives', 'train', 'evaluate'} <= set(seen), seen
    for r in rec['instances'].values():            # fp16 sampling: finite, not the black images a NaN decodes to
        for f in sorted(Path(r['stages']['positives']['output']).glob('*.png'))[:4]:
            a = np.asarray(Image.open(f)); assert a.std() > 0, f

def test_gpu_benchmark_runs_at_toy_sizes():
    r = subprocess.run([sys.executable, str(ROOT/'bench'/'gpu_pipeline.py'), '--smoke', '--device', 'cuda', '--repeat', '1'],
                       capture_output=True, text=True)
    assert r.returncode == 0 and 'instance_wall_time' in r.stdout, r.stderr[-3000:]
