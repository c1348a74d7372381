"""Global-evaluation cost: embedding throughput (images/s) and the cost of evaluating N instances (pretrained +
personalized each), in one run, on the demo benchmark at 224 px with a ViT-S/14 (random weights; speed only):

- `uncached`: prpg's evaluation with the feature cache off — every instance re-embeds every image with both the
  pretrained and its personalized model (what the reference does for personalized models);
- `cached`: with the cache — the pretrained model's embeddings are computed once and shared by all instances;
- `second`: evaluating the same N runs again: everything is read from the cache.

Ratios: `cached_vs_uncached_eval` (uncached time / cached time) and `second_vs_first_eval` (first cached evaluation /
second).

Dense tasks, the same three conditions with `evaluate_dense` (detection + segmentation, threshold mode) at a 32 x 32
patch grid (448 px for /14; the default 64 x 64 = 896 px costs about 4x more per image): `dense_img_per_s_bf16`,
`dense_cached_vs_uncached_eval`, `dense_second_vs_first_eval`."""
import sys, tempfile, time, warnings
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).parent))
from _common import conditions, save
from prpg.data import load_dataset
from prpg.dense import DenseOptions, evaluate_dense
from prpg.features import DenseCache
from prpg.demo_data import DemoConfig, build_demo
from prpg.evaluate import GlobalOptions, evaluate_global
from prpg.features import FeatureCache, embed_files
from prpg.models import LoraSettings, add_lora, load_backbone

N = 3

def personalized(seed):
    bb = add_lora(load_backbone('dinov2_vits14', pretrained=False), LoraSettings(r=16))
    with torch.no_grad():
        g = torch.Generator().manual_seed(seed)
        for n, p in bb.named_parameters():
            if 'lora_B' in n: p.copy_(torch.randn(p.shape, generator=g) * 0.01)
    return bb.eval()

def evaluate_all(ds, insts, pre, pers, cache, use_cache):
    opts = GlobalOptions(batch_size=32)
    for inst, bb in zip(insts, pers):
        c = cache if use_cache else FeatureCache(tempfile.mkdtemp())   # a fresh, empty cache per model = no caching
        evaluate_global(pre, ds, inst, c, opts)
        c2 = cache if use_cache else FeatureCache(tempfile.mkdtemp())
        evaluate_global(bb, ds, inst, c2, opts)

def evaluate_dense_all(ds, insts, pre, pers, cache, use_cache, grid):
    opts = DenseOptions(grid=grid, use_cache=use_cache, batch_size=4)
    for inst, bb in zip(insts, pers):
        evaluate_dense(pre, ds, inst, cache, opts); evaluate_dense(bb, ds, inst, cache, opts)

def main():
    warnings.simplefilter('ignore')
    root = build_demo(DemoConfig(categories=['mug', 'shoe'], instances_per_category=3, n_test_per_shift=4, n_dense_per_shift=2,
                                 n_negatives=4), progress=False)
    ds = load_dataset(root); insts = ds.instances[:N]
    imgs = [it.path for it in ds.items if it.split in ('train', 'test')]
    pre = load_backbone('dinov2_vits14', pretrained=False); pers = [personalized(k) for k in range(N)]
    embed_files(pre, imgs[:8])                                            # warm-up
    t = time.perf_counter(); embed_files(pre, imgs, batch_size=32); t_embed = time.perf_counter() - t
    t = time.perf_counter(); embed_files(pre, imgs, batch_size=32, precision='fp32'); t_embed32 = time.perf_counter() - t
    t = time.perf_counter(); evaluate_all(ds, insts, pre, pers, None, False); t_unc = time.perf_counter() - t
    cache = FeatureCache(tempfile.mkdtemp())
    t = time.perf_counter(); evaluate_all(ds, insts, pre, pers, cache, True); t_first = time.perf_counter() - t
    t = time.perf_counter(); evaluate_all(ds, insts, pre, pers, cache, True); t_second = time.perf_counter() - t
    G = 32; dimgs = [it.path for it in ds.items if it.split == 'test_dense']
    t = time.perf_counter(); DenseCache(tempfile.mkdtemp()).features(pre, dimgs, G, use_cache=False); t_dense = time.perf_counter() - t
    t = time.perf_counter(); evaluate_dense_all(ds, insts, pre, pers, DenseCache(tempfile.mkdtemp()), False, G); d_unc = time.perf_counter() - t
    dc = DenseCache(tempfile.mkdtemp())
    t = time.perf_counter(); evaluate_dense_all(ds, insts, pre, pers, dc, True, G); d_first = time.perf_counter() - t
    t = time.perf_counter(); evaluate_dense_all(ds, insts, pre, pers, dc, True, G); d_second = time.perf_counter() - t
    results = {'dense_images': len(dimgs), 'dense_grid': G, 'dense_img_per_s_bf16': len(dimgs) / t_dense,
               'dense_uncached_eval_s': d_unc, 'dense_cached_first_eval_s': d_first, 'dense_cached_second_eval_s': d_second,
               'images': len(imgs), 'instances': N, 'global_img_per_s_bf16': len(imgs) / t_embed,
               'global_img_per_s_fp32': len(imgs) / t_embed32, 'uncached_eval_s': t_unc, 'cached_first_eval_s': t_first,
               'cached_second_eval_s': t_second}
    ratios = {'cached_vs_uncached_eval': t_unc / t_first, 'second_vs_first_eval': t_first / t_second,
              'bf16_vs_fp32_embedding': t_embed32 / t_embed,
              'dense_cached_vs_uncached_eval': d_unc / d_first, 'dense_second_vs_first_eval': d_first / d_second}
    save('eval_throughput', conditions(backbone='dinov2_vits14 (random weights)', image_size=224, batch_size=32,
                                       dense=f'grid {G} ({G * 14} px), threshold mode, batch 4'), results, ratios)

if __name__ == '__main__': main()
