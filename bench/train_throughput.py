"""Training throughput against the reference's pattern and against this machine's own limit: ViT-S/14 and ViT-B/14
(DINOv2 architecture, random weights, 224 px, batch 16 triplets, LoRA r16 alpha 0.5 dropout 0.3 on the fused qkv, the
reference's settings), JPEG decoding and augmentation included in every step.

Recipes, each timed over the same JPEG triplets in one process, steps interleaved across recipes (drift and other
load hit all alike; each recipe's median step is kept):

- `reference`: the authors' pattern: anchor, positive and negative through the backbone as three 16-image forwards,
  fp32, timm's default attention kernel, peft's LoRA dropout, every image decoded and augmented again at every step
  (no decode cache) by a DataLoader with as many workers as cores (the reference asks for 16);
- `prpg_default`: `prpg train` as it runs by default on this machine, with `prefetch: true` (`precision: auto`: bf16
  autocast where the CPU has bf16, else fp32; one 48-image forward; `FastDropout`; the decode cache; the attention
  kernel measured faster on this machine, `prpg.models.faster_attention`);
- `prpg_fast`: prpg's fastest recipe whose metrics hold on the offline benchmark: `prpg_default` plus the levers that
  need no bf16 (LoRA and backward only in the last blocks, patch tokens dropped in training) at the settings
  `bench/lever_metrics.py` kept that cost least (`fast_recipe`); `prpg_default` itself when it kept none. Both decode
  on a prefetch thread (`prefetch: true`);
- `prpg_levers`: `prpg_default` with both levers on, kept or not, for their speed-up (`levers_vs_default`).

The machine's limit is measured in the same run: the FLOP/s of the matmuls that dominate (the four linear layers of a
block at the training batch: 48 images x 257 tokens), fp32 and, where the CPU has it, bf16. Each recipe's achieved
FLOP/s (its forward and backward FLOPs counted by torch's FlopCounterMode, divided by the step time) over the limit
at its precision is its `roofline_fraction`. The JSON records the CPU model and flags, threads and GPU."""
import json, statistics, sys, tempfile, time, warnings
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).parent))
BATCH, STEPS, WARMUP = 16, 3, 1
MODELS = {'vits14': 'dinov2_vits14', 'vitb14': 'dinov2_vitb14'}
LORA = dict(r=16, alpha=0.5, dropout=0.3)
# The levers at their first-sweep settings (`prpg_levers`: their speed-up, kept or not)
LEVERS = {'last_blocks': dict(last_blocks_fraction=0.5), 'token_keep': dict(token_keep=0.5)}

def fast_recipe() -> dict:
    """The levers of `prpg_fast`: of the recipes bench/lever_metrics.py kept (every `lever_metrics*.json`, each naming
    its recipes), the one whose step costs least (`lever_metrics.step_cost`); none kept: {} (`prpg_fast` is
    `prpg_default`)."""
    from lever_metrics import step_cost
    kept = []
    for p in sorted((Path(__file__).parent/'results').glob('lever_metrics*.json')):
        d = json.loads(p.read_text())
        recipes, res = d['conditions'].get('recipes', {}), d['results']
        kept += [recipes[n] for n in recipes if res.get(f'{n}_kept')]
    return min(kept, key=step_cost) if kept else {}

FAST = fast_recipe()

def jpeg_triplets(root:Path, n_images:int=64, n:int=BATCH * (STEPS + WARMUP + 1)) -> list:
    "Photo-sized JPEGs (640 x 480, smooth random colour fields) and random triplets over them."
    from PIL import Image
    from prpg.triplets import Triplet
    rng = np.random.default_rng(0)
    paths = []
    for k in range(n_images):
        small = rng.integers(0, 256, (12, 16, 3), dtype=np.uint8)
        im = Image.fromarray(small).resize((640, 480), Image.BICUBIC)
        paths.append(root/f'{k:03d}.jpg')
        im.save(paths[-1], quality=90)
    pick = lambda: paths[int(rng.integers(len(paths)))]
    return [Triplet(k, 1, pick(), pick(), pick()) for k in range(n)]

class ReferenceData(torch.utils.data.Dataset):
    "The reference's data path: decode and augment every image at every access (no cache)."
    def __init__(self, trips, pre): self.t, self.pre = trips, pre
    def __len__(self): return len(self.t)
    def __getitem__(self, i):
        from prpg.data import load_image
        t = self.t[i]
        g = torch.Generator().manual_seed(i)
        return tuple(self.pre.finish(self.pre.base(load_image(p)), g) for p in (t.anchor, t.positive, t.negative))

def reference_steps(model:str, trips:list):
    "Batches from a worker DataLoader and the three-forward fp32 step of the reference."
    import os
    from prpg.losses import contrastive_loss
    from prpg.models import AugmentConfig, LoraSettings, Preprocess, add_lora, load_backbone
    torch.manual_seed(0)
    bb = add_lora(load_backbone(MODELS[model], pretrained=False), LoraSettings(**LORA), fast_dropout=False).train()
    opt = torch.optim.AdamW([p for p in bb.parameters() if p.requires_grad], lr=1e-4)
    pre = Preprocess.for_backbone(bb, AugmentConfig())
    dl = torch.utils.data.DataLoader(ReferenceData(trips, pre), batch_size=BATCH, num_workers=os.cpu_count(),
                                     persistent_workers=True)
    it = iter(dl)
    def step():
        a, p, n = next(it)
        loss = contrastive_loss('infonce', bb(a), bb(p), bb(n))
        opt.zero_grad()
        loss.backward()
        opt.step()
    return step, 'fp32'

def prpg_steps(model:str, trips:list, levers:dict):
    "prpg's own training step (`prpg.train.training_step`: `train`'s set-up, data path and update) with these levers."
    from prpg.train import make_train_config, training_step
    lora = dict(LORA)
    if 'last_blocks_fraction' in levers: lora['last_blocks'] = round(12 * levers['last_blocks_fraction'])
    cfg = make_train_config(backbone=MODELS[model], lora=lora, batch_size=BATCH, seed=0, progress=False,
                            token_keep=levers.get('token_keep', 1.0), prefetch=True)
    return training_step(cfg, trips, pretrained=False)

def matmul_limit(width:int, dtype:torch.dtype, rows:int=3 * BATCH * 257, repeat:int=3) -> float:
    "FLOP/s of a ViT block's four linear layers at the training batch (best of `repeat`)."
    shapes = [(width, 3 * width), (width, width), (width, 4 * width), (4 * width, width)]
    mats = [(torch.randn(rows, k, dtype=dtype), torch.randn(k, n, dtype=dtype)) for k, n in shapes]
    flops = sum(2 * rows * k * n for k, n in shapes)
    for a, b in mats: a @ b
    best = float('inf')
    for _ in range(repeat):
        t = time.perf_counter()
        for a, b in mats: a @ b
        best = min(best, time.perf_counter() - t)
    return flops / best

def step_flops(step) -> float:
    "Forward and backward FLOPs of one step (matmuls and attention, as torch's FlopCounterMode counts them)."
    from torch.utils.flop_counter import FlopCounterMode
    with FlopCounterMode(display=False) as fc: step()
    return float(fc.get_total_flops())

def run_model(model:str) -> dict:
    "Median step seconds, FLOPs and precision of every recipe, interleaved."
    from prpg.core import machine
    tmp = Path(tempfile.mkdtemp())
    trips = jpeg_triplets(tmp)
    both = {**LEVERS['last_blocks'], **LEVERS['token_keep']}
    steps = {'reference': reference_steps(model, trips), 'prpg_default': prpg_steps(model, trips, {}),
             'prpg_levers': prpg_steps(model, trips, both)}
    if FAST and FAST != both: steps['prpg_fast'] = prpg_steps(model, trips, FAST)
    out = {}
    for r, (fn, prec) in steps.items():
        out[r] = {'precision': prec, 'flops': step_flops(fn), 'times': []}
        for _ in range(WARMUP - 1): fn()
    for _ in range(STEPS):
        for r, (fn, _) in steps.items():
            t = time.perf_counter()
            fn()
            out[r]['times'].append(time.perf_counter() - t)
    width = {'vits14': 384, 'vitb14': 768}[model]
    has_bf16 = 'avx512_bf16' in machine().get('flags', []) or 'amx_bf16' in machine().get('flags', [])
    limits = {'fp32': matmul_limit(width, torch.float32)}
    if has_bf16: limits['bf16'] = matmul_limit(width, torch.bfloat16)
    for r in out:
        out[r]['seconds_per_step'] = statistics.median(out[r]['times'])
        lim = limits.get(out[r]['precision'], limits['fp32'])
        out[r]['flops_per_s'] = out[r]['flops'] / out[r]['seconds_per_step']
        out[r]['roofline_fraction'] = out[r]['flops_per_s'] / lim
    return {'recipes': out, 'matmul_limit_flops_per_s': limits}

def main():
    from _common import conditions, save
    import subprocess
    results, ratios = {}, {}
    for m in MODELS:          # one process per model: the other's memory and threads are gone
        r = subprocess.run([sys.executable, __file__, '--model', m], capture_output=True, text=True)
        if r.returncode: sys.exit(f'{m}: {r.stderr[-3000:]}')
        got = json.loads(r.stdout.strip().splitlines()[-1])
        for rec, v in got['recipes'].items():
            results.update({f'{m}_{rec}_seconds_per_step': v['seconds_per_step'],
                            f'{m}_{rec}_triplets_per_s': BATCH / v['seconds_per_step'],
                            f'{m}_{rec}_gflop_per_step': v['flops'] / 1e9, f'{m}_{rec}_precision': v['precision'],
                            f'{m}_{rec}_roofline_fraction': v['roofline_fraction']})
        for p, v in got['matmul_limit_flops_per_s'].items(): results[f'{m}_matmul_limit_gflops_{p}'] = v / 1e9
        rec = got['recipes']
        both = {**LEVERS['last_blocks'], **LEVERS['token_keep']}
        fast = rec.get('prpg_fast') or (rec['prpg_levers'] if FAST == both else rec['prpg_default'])
        ratios[f'prpg_vs_reference_pattern_{m}'] = rec['reference']['seconds_per_step'] / fast['seconds_per_step']
        ratios[f'levers_vs_default_{m}'] = rec['prpg_default']['seconds_per_step'] / rec['prpg_levers']['seconds_per_step']
        ratios[f'default_vs_reference_pattern_{m}'] = (rec['reference']['seconds_per_step']
                                                       / rec['prpg_default']['seconds_per_step'])
        ratios[f'roofline_fraction_{m}'] = fast['roofline_fraction']
        print(f'{m}: ' + ', '.join(f'{k} {v["seconds_per_step"]:.2f} s/step' for k, v in rec.items()), flush=True)
    save('train_throughput', conditions(batch_triplets=BATCH, image_size=224, lora=LORA, fast=FAST or 'no lever kept',
                                        timed_steps=STEPS,
                                        timing='interleaved, median per recipe', models=MODELS,
                                        data='640x480 JPEGs decoded and augmented every step'), results, ratios,
         per_machine=True)

if __name__ == '__main__':
    warnings.simplefilter('ignore')
    if len(sys.argv) > 2 and sys.argv[1] == '--model': print(json.dumps(run_model(sys.argv[2])))
    else: main()
