"""Per-stage GPU throughput of the paper's route with the real architectures (random weights, real sizes), prpg's way
against the reference's defaults run the same way, and the per-instance wall time they extrapolate to.

Stages (each timed as best of a few runs after a warm-up, in one process, on one GPU):

- DreamBooth step at 512 px (1 instance + 1 prior image): prpg's LoRA r4 on the UNet attention, fp16 autocast with a
  gradient scaler; the reference's full UNet + text-encoder fine-tune in fp32 with gradient checkpointing.
- positives: SD 1.5 at 512 px, classifier-free guidance; prpg 25 DPM++ steps, fp16, batch 4; the reference 50 PNDM
  steps, fp32, batch 1.
- backbone training: DINOv2 ViT-B/14 at 224, LoRA r16 on qkv, 16 triplets a step; prpg one forward of 48 images
  under bf16 autocast; the reference three 16-image forwards in fp32.
- global evaluation: embeddings at 224, prpg batch 64 bf16, the reference batch 2 fp32.
- dense evaluation: patch features at 896 px (grid 64), prpg batch 4 bf16, the reference batch 1 fp32.

The extrapolation multiplies the paper's settings (400 DreamBooth steps, 200 prior images for the reference and 100
for prpg, 450 positives (the reference makes 500), 4,500 triplets x 2 epochs, `--eval-images` test images and
`--dense-images` dense test images per instance) by the measured rates; it leaves out model loading and disk.

    python bench/gpu_pipeline.py                 # on a CUDA machine: bench/results/gpu_pipeline.json and a table
    python bench/gpu_pipeline.py --smoke --device cpu   # the same code at toy sizes (checks the script, measures nothing)

Without a CUDA device (and without --device cpu) it says so and exits 0, writing nothing."""
import argparse, json, sys, time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

def sd15_parts(smoke:bool):
    "UNet, VAE and text encoder of Stable Diffusion 1.5's architecture (random weights), or toy ones for --smoke."
    import torch
    from diffusers import AutoencoderKL, UNet2DConditionModel
    from transformers import CLIPTextConfig, CLIPTextModel
    torch.manual_seed(0)
    if smoke:
        unet = UNet2DConditionModel(sample_size=8, in_channels=4, out_channels=4, layers_per_block=1, block_out_channels=(32, 64),
                                    down_block_types=('CrossAttnDownBlock2D', 'DownBlock2D'), up_block_types=('UpBlock2D', 'CrossAttnUpBlock2D'),
                                    cross_attention_dim=32, attention_head_dim=4, norm_num_groups=16)
        vae = AutoencoderKL(block_out_channels=(16, 32), down_block_types=('DownEncoderBlock2D',) * 2,
                            up_block_types=('UpDecoderBlock2D',) * 2, latent_channels=4, layers_per_block=1, norm_num_groups=16)
        te = CLIPTextModel(CLIPTextConfig(hidden_size=32, intermediate_size=64, num_hidden_layers=2, num_attention_heads=4,
                                          max_position_embeddings=77, vocab_size=1000))
        return unet, vae, te, 64
    unet = UNet2DConditionModel(sample_size=64, in_channels=4, out_channels=4, layers_per_block=2, block_out_channels=(320, 640, 1280, 1280),
                                down_block_types=('CrossAttnDownBlock2D',) * 3 + ('DownBlock2D',),
                                up_block_types=('UpBlock2D',) + ('CrossAttnUpBlock2D',) * 3, cross_attention_dim=768, attention_head_dim=8)
    vae = AutoencoderKL(block_out_channels=(128, 256, 512, 512), down_block_types=('DownEncoderBlock2D',) * 4,
                        up_block_types=('UpDecoderBlock2D',) * 4, latent_channels=4, layers_per_block=2, sample_size=512)
    te = CLIPTextModel(CLIPTextConfig(hidden_size=768, intermediate_size=3072, num_hidden_layers=12, num_attention_heads=12,
                                      max_position_embeddings=77, vocab_size=49408, hidden_act='quick_gelu'))
    return unet, vae, te, 512

def sync(dev):
    import torch
    if dev.type == 'cuda': torch.cuda.synchronize()

def best(fn, dev, repeat:int, warmup:int=1) -> float:
    for _ in range(warmup): fn()
    sync(dev); ts = []
    for _ in range(repeat):
        t = time.perf_counter(); fn(); sync(dev); ts.append(time.perf_counter() - t)
    return min(ts)

def dreambooth_step(dev, smoke:bool, mode:str, repeat:int) -> float:
    "Seconds per DreamBooth step (batch 2: instance + prior)."
    import torch
    unet, vae, te, res = sd15_parts(smoke)
    unet, te = unet.to(dev), te.to(dev)
    z = torch.randn(2, 4, res // 8, res // 8, device=dev); ids = torch.randint(0, te.config.vocab_size, (2, 77), device=dev)
    t = torch.randint(0, 1000, (2,), device=dev)
    if mode == 'prpg':
        from peft import LoraConfig
        from prpg.generate.dreambooth import UNET_TARGETS
        unet.requires_grad_(False); te.requires_grad_(False)
        unet.add_adapter(LoraConfig(r=4, lora_alpha=4, init_lora_weights='gaussian', target_modules=UNET_TARGETS))
        params = [p for p in unet.parameters() if p.requires_grad]
        dt = torch.float16 if dev.type == 'cuda' else torch.bfloat16
    else:
        unet.enable_gradient_checkpointing(); te.gradient_checkpointing_enable()
        params = list(unet.parameters()) + list(te.parameters()); dt = None
    opt = torch.optim.AdamW(params, lr=1e-6)
    scaler = torch.amp.GradScaler(dev.type, enabled=dt == torch.float16)
    unet.train(); te.train(mode == 'ref')
    def step():
        with torch.autocast(dev.type, dtype=dt, enabled=dt is not None):
            hs = te(ids)[0] if mode == 'ref' else torch.no_grad()(lambda: te(ids)[0])()
            loss = torch.nn.functional.mse_loss(unet(z, t, hs).sample.float(), z)
        opt.zero_grad(set_to_none=True); scaler.scale(loss).backward(); scaler.step(opt); scaler.update()
    return best(step, dev, repeat)

def generation(dev, smoke:bool, mode:str, repeat:int) -> float:
    "Images per second of text-to-image sampling with classifier-free guidance."
    import torch
    from diffusers import DPMSolverMultistepScheduler, PNDMScheduler, StableDiffusionPipeline
    from transformers import CLIPTokenizer
    from prpg.tiny import tiny_path
    unet, vae, te, res = sd15_parts(smoke)
    tok = CLIPTokenizer.from_pretrained(tiny_path('sd15')/'tokenizer')      # ids only; the text encoder's weights are random anyway
    sched = (DPMSolverMultistepScheduler if mode == 'prpg' else PNDMScheduler)(num_train_timesteps=1000, beta_start=0.00085,
                                                                               beta_end=0.012, beta_schedule='scaled_linear')
    dt = torch.float16 if mode == 'prpg' and dev.type == 'cuda' else torch.float32
    pipe = StableDiffusionPipeline(vae=vae, text_encoder=te, tokenizer=tok, unet=unet, scheduler=sched, safety_checker=None,
                                   feature_extractor=None, requires_safety_checker=False).to(dev, dt)
    pipe.set_progress_bar_config(disable=True)
    steps, batch = ((25, 4) if mode == 'prpg' else (50, 1)) if not smoke else ((4, 2) if mode == 'prpg' else (8, 1))
    s = best(lambda: pipe(['a photo of sks mug'] * batch, height=res, width=res, num_inference_steps=steps, guidance_scale=5.0), dev, repeat)
    return batch / s

def backbone_training(dev, smoke:bool, mode:str, repeat:int) -> float:
    "Triplets per second of one LoRA contrastive step on DINOv2 ViT-B/14 (16 triplets)."
    import torch
    from prpg.losses import contrastive_loss
    from prpg.models import LoraSettings, add_lora, load_backbone, prepare_for_training
    B, size = (16, 224) if not smoke else (4, 56)
    bb = add_lora(load_backbone('dinov2_vits14' if smoke else 'dinov2_vitb14', pretrained=False, image_size=size), LoraSettings(r=16)).to(dev).train()
    dt = torch.bfloat16 if mode == 'prpg' else None
    if mode == 'prpg': prepare_for_training(bb, dt, dev)
    opt = torch.optim.AdamW([p for p in bb.parameters() if p.requires_grad], lr=1e-4)
    x = torch.randn(3 * B, 3, size, size, device=dev)
    def step():
        if mode == 'prpg':
            with torch.autocast(dev.type, dtype=dt): a, p, n = bb(x).float().chunk(3)
        else: a, p, n = (bb(c) for c in x.chunk(3))
        loss = contrastive_loss('infonce', a, p, n); opt.zero_grad(); loss.backward(); opt.step()
    return B / best(step, dev, repeat)

@__import__('torch').inference_mode()
def evaluation(dev, smoke:bool, mode:str, dense:bool, repeat:int) -> float:
    "Images per second of global embeddings (224 px) or dense patch features (896 px, grid 64)."
    import torch
    from prpg.models import load_backbone
    size = (896 if dense else 224) if not smoke else (112 if dense else 56)
    bb = load_backbone('dinov2_vits14' if smoke else 'dinov2_vitb14', pretrained=False, image_size=size).to(dev).eval()
    batch = ({True: 4, False: 64} if mode == 'prpg' else {True: 1, False: 2})[dense]
    dt = torch.bfloat16 if mode == 'prpg' else None
    x = torch.randn(batch, 3, size, size, device=dev)
    def run():
        with torch.autocast(dev.type, dtype=dt, enabled=dt is not None): (bb.dense(x) if dense else bb(x))
    return batch / best(run, dev, repeat)

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--device', default='cuda'); ap.add_argument('--smoke', action='store_true')
    ap.add_argument('--repeat', type=int, default=3)
    ap.add_argument('--eval-images', type=int, default=11000, help='test images each instance is evaluated on (global)')
    ap.add_argument('--dense-images', type=int, default=1000, help='dense test images per instance')
    a = ap.parse_args()
    import torch, warnings
    warnings.simplefilter('ignore')
    if a.device.startswith('cuda') and not torch.cuda.is_available():
        print('gpu_pipeline: no CUDA device on this machine, so nothing was measured (run it on a GPU machine; '
              '--smoke --device cpu checks the script).')
        return 0
    dev = torch.device(a.device); r = {}
    for mode in ('prpg', 'ref'):
        r[f'dreambooth_{mode}_seconds_per_step'] = dreambooth_step(dev, a.smoke, mode, a.repeat)
        r[f'positives_{mode}_images_per_s'] = generation(dev, a.smoke, mode, a.repeat)
        r[f'train_{mode}_triplets_per_s'] = backbone_training(dev, a.smoke, mode, a.repeat)
        r[f'eval_global_{mode}_images_per_s'] = evaluation(dev, a.smoke, mode, False, a.repeat)
        r[f'eval_dense_{mode}_images_per_s'] = evaluation(dev, a.smoke, mode, True, a.repeat)
        if dev.type == 'cuda': torch.cuda.empty_cache()
        print(f'{mode}: ' + ', '.join(f'{k.split(mode + "_")[1]} {v:.3g}' for k, v in r.items() if f'_{mode}_' in k), flush=True)
    per = {}
    for mode, prior, n_pos in (('prpg', 100, 450), ('ref', 200, 500)):
        st = {'dreambooth': 400 * r[f'dreambooth_{mode}_seconds_per_step'],
              'prior_images': prior / r[f'positives_{mode}_images_per_s'],
              'positives': n_pos / r[f'positives_{mode}_images_per_s'],
              'train': 4500 * 2 / r[f'train_{mode}_triplets_per_s'],
              'eval_global': a.eval_images / r[f'eval_global_{mode}_images_per_s'],
              'eval_dense': a.dense_images / r[f'eval_dense_{mode}_images_per_s']}
        for k, v in st.items(): r[f'instance_{mode}_{k}_seconds'] = v
        per[mode] = sum(st.values()); r[f'instance_{mode}_total_minutes'] = per[mode] / 60
    ratios = {k: r[f'{k}_prpg_{u}'] / r[f'{k}_ref_{u}'] for k, u in (('positives', 'images_per_s'), ('train', 'triplets_per_s'),
              ('eval_global', 'images_per_s'), ('eval_dense', 'images_per_s'))}
    ratios['dreambooth_step'] = r['dreambooth_ref_seconds_per_step'] / r['dreambooth_prpg_seconds_per_step']
    ratios['instance_wall_time'] = per['ref'] / per['prpg']
    from _common import conditions, save
    name = 'gpu_pipeline'
    conds = conditions(device=str(dev), gpu=torch.cuda.get_device_name(dev) if dev.type == 'cuda' else None, smoke=a.smoke,
                       repeat=a.repeat, eval_images=a.eval_images, dense_images=a.dense_images,
                       note='random weights of the real architectures (SD 1.5, CLIP ViT-L text encoder, DINOv2 ViT-B/14); '
                            'model loading and disk are not timed')
    if a.smoke:                                    # toy sizes: shown, never written where real results live
        print(json.dumps({'results': r, 'ratios': ratios}, indent=1)); print('(smoke sizes: this checks the script, the numbers mean nothing)')
        return 0
    save(name, conds, r, ratios)
    return 0

if __name__ == '__main__':
    sys.exit(main())
