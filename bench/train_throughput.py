"""Training throughput (triplets/s) and peak memory of one LoRA contrastive step, ViT-S/14 and ViT-B/14 (DINOv2
architecture, random weights, 224 px, batch 16 triplets, LoRA r=16 on the fused qkv), comparing:

- `naive_fp32`: the reference's pattern, anchor / positive / negative through the backbone as three forwards, fp32,
  peft's stock LoRA dropout;
- `prpg_fp32`: prpg's step, the 3B images in one forward, fp32, `FastDropout`;
- `prpg_bf16`: prpg's training step as `prpg train` runs it with `precision: auto` on a CPU with bf16 support: one
  forward under bf16 autocast, `FastDropout`, and `prepare_for_training` (frozen weights stored in bf16, timm's
  explicit attention instead of the fused kernel whose backward is slow on CPU).

Timings are interleaved across modes in one process (noise and drift hit all modes alike; the minimum is kept);
peak memory comes from a separate process per mode."""
import json, os, resource, subprocess, sys, time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
BATCH, STEPS, WARMUP = 16, 3, 1
MODELS = {'vits14': 'dinov2_vits14', 'vitb14': 'dinov2_vitb14'}
MODES = ('naive_fp32', 'prpg_fp32', 'prpg_bf16')

def build(model:str, mode:str):
    import torch
    from prpg.models import load_backbone, add_lora, LoraSettings, prepare_for_training
    from prpg.losses import contrastive_loss
    torch.manual_seed(0)
    bb = add_lora(load_backbone(MODELS[model], pretrained=False), LoraSettings(r=16, alpha=16, dropout=0.1),
                  fast_dropout=mode != 'naive_fp32').train()
    if mode == 'prpg_bf16': prepare_for_training(bb, torch.bfloat16, 'cpu')
    opt = torch.optim.AdamW([p for p in bb.parameters() if p.requires_grad], lr=1e-4)
    x = torch.randn(3 * BATCH, 3, 224, 224)
    def step():
        if mode == 'naive_fp32':
            a, p, n = (bb(c) for c in x.chunk(3))
        else:
            with torch.autocast('cpu', dtype=torch.bfloat16, enabled=mode == 'prpg_bf16'):
                a, p, n = bb(x).float().chunk(3)
        loss = contrastive_loss('infonce', a, p, n)
        opt.zero_grad(); loss.backward(); opt.step()
    return step

def peak_memory(model:str, mode:str) -> float:
    "Peak RSS (MB) of a fresh process that builds the model and runs one step."
    build(model, mode)()
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

def timings(model:str) -> dict:
    "Seconds per step of every mode, interleaved (mode A, B, C, A, B, C, ...) so drift hits all alike; minimum kept."
    steps = {m: build(model, m) for m in MODES}
    for m in MODES:
        for _ in range(WARMUP): steps[m]()
    best = {m: float('inf') for m in MODES}
    for _ in range(STEPS):
        for m in MODES:
            t = time.perf_counter(); steps[m](); best[m] = min(best[m], time.perf_counter() - t)
    return best

def main():
    from _common import conditions, save
    results, ratios = {}, {}
    for m in MODELS:
        r = subprocess.run([sys.executable, __file__, '--time', m], capture_output=True, text=True, check=True)
        best = json.loads(r.stdout.strip().splitlines()[-1])
        for mode in MODES:
            r = subprocess.run([sys.executable, __file__, '--mem', m, mode], capture_output=True, text=True, check=True)
            mem = float(r.stdout.strip().splitlines()[-1])
            results.update({f'{m}_{mode}_seconds_per_step': best[mode], f'{m}_{mode}_triplets_per_s': BATCH / best[mode],
                            f'{m}_{mode}_peak_rss_mb': mem})
            print(f'{m} {mode}: {BATCH / best[mode]:.2f} triplets/s, peak {mem:.0f} MB', flush=True)
        tp = lambda mode: results[f'{m}_{mode}_triplets_per_s']
        ratios[f'bf16_vs_naive_{m}'] = tp('prpg_bf16') / tp('naive_fp32')
        ratios[f'fp32_one_forward_vs_naive_{m}'] = tp('prpg_fp32') / tp('naive_fp32')
    import torch
    save('train_throughput', conditions(batch_triplets=BATCH, image_size=224, lora_r=16, lora_dropout=0.1, timed_steps=STEPS,
                                        warmup=WARMUP, timing='interleaved, minimum per mode', models=MODELS,
                                        threads=torch.get_num_threads()), results, ratios)

if __name__ == '__main__':
    import warnings; warnings.simplefilter('ignore')
    if len(sys.argv) > 1 and sys.argv[1] == '--time': print(json.dumps(timings(sys.argv[2])))
    elif len(sys.argv) > 1 and sys.argv[1] == '--mem': print(peak_memory(sys.argv[2], sys.argv[3]))
    else: main()
