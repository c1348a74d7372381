"""Generation cost, in one run.

1. Storage per instance, with the real Stable Diffusion 1.5 UNet, text encoder and VAE *architectures* (random
   weights built from their configs; nothing downloaded): the reference saves a full fine-tuned pipeline per instance
   (fp32), prpg saves a DreamBooth LoRA (rank 4 on the UNet attention projections, diffusers' safetensors format).
   Bytes are measured by actually writing both to disk. Trainable parameter counts of both.
2. Speed with the tiny SD pipeline (`prpg.tiny`): DreamBooth-LoRA steps/s (prior preservation, batch 1 + 1) and
   generation images/s for a few schedulers and step counts.

Ratio: `full_vs_lora_bytes` (full pipeline bytes / LoRA bytes)."""
import os, sys, tempfile, time, warnings
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).parent))
from _common import conditions, save

def dir_bytes(d): return sum(f.stat().st_size for f in Path(d).rglob('*') if f.is_file())

def sd15_architecture():
    "The SD 1.5 UNet / text encoder / VAE architectures with random weights (configs as in the released model)."
    from diffusers import AutoencoderKL, UNet2DConditionModel
    from transformers import CLIPTextConfig, CLIPTextModel
    unet = UNet2DConditionModel(sample_size=64, cross_attention_dim=768, attention_head_dim=8,
                                block_out_channels=(320, 640, 1280, 1280), layers_per_block=2)
    te = CLIPTextModel(CLIPTextConfig(hidden_size=768, intermediate_size=3072, num_attention_heads=12, num_hidden_layers=12,
                                      max_position_embeddings=77, vocab_size=49408, projection_dim=768, hidden_act='quick_gelu'))
    vae = AutoencoderKL(block_out_channels=(128, 256, 512, 512), layers_per_block=2, latent_channels=4, sample_size=512,
                        down_block_types=('DownEncoderBlock2D',) * 4, up_block_types=('UpDecoderBlock2D',) * 4)
    return unet, te, vae

def storage():
    from diffusers import StableDiffusionPipeline
    from diffusers.utils import convert_state_dict_to_diffusers
    from peft import LoraConfig
    from peft.utils import get_peft_model_state_dict
    from prpg.generate.dreambooth import UNET_TARGETS
    unet, te, vae = sd15_architecture()
    n_unet, n_te = sum(p.numel() for p in unet.parameters()), sum(p.numel() for p in te.parameters())
    with tempfile.TemporaryDirectory() as d:
        # the reference's per-instance output: the whole pipeline's weights, fp32 (UNet + text encoder + VAE)
        for name, m in (('unet', unet), ('text_encoder', te), ('vae', vae)): m.save_pretrained(Path(d)/'full'/name, safe_serialization=True)
        full = dir_bytes(Path(d)/'full')
        unet.requires_grad_(False)
        unet.add_adapter(LoraConfig(r=4, lora_alpha=4, init_lora_weights='gaussian', target_modules=UNET_TARGETS))
        n_lora = sum(p.numel() for p in unet.parameters() if p.requires_grad)
        StableDiffusionPipeline.save_lora_weights(str(Path(d)/'lora'), safe_serialization=True,
                                                  unet_lora_layers=convert_state_dict_to_diffusers(get_peft_model_state_dict(unet)))
        lora = dir_bytes(Path(d)/'lora')
    return {'full_pipeline_bytes': full, 'lora_bytes': lora, 'trainable_params_full_unet_text_encoder': n_unet + n_te,
            'trainable_params_full_unet': n_unet, 'trainable_params_lora_r4': n_lora}

def speed():
    from prpg.generate.dreambooth import ClassImageConfig, DreamBoothConfig, load_pipeline, train_dreambooth
    from prpg.generate.synthetic import set_scheduler
    from prpg.demo_data import random_spec, render_scene
    from prpg.tiny import tiny_path
    import numpy as np
    out = {}
    with tempfile.TemporaryDirectory() as d:
        d = Path(d); os.environ['PRPG_HOME'] = str(d/'home'); imgs = []
        for k in range(3):
            im, _ = render_scene(random_spec('mug', np.random.default_rng(0)), 'train', k, (64, 64)); im.save(d/f'{k}.png'); imgs.append(str(d/f'{k}.png'))
        cfg = DreamBoothConfig(images=imgs, class_noun='mug', base=str(tiny_path('sd15')), resolution=64, steps=40,
                               class_images=ClassImageConfig(n=4, steps=2), validation_prompt='', out_root=str(d/'runs'), progress=False,
                               checkpoint_every=1000)
        train_dreambooth(DreamBoothConfig(**{**cfg.__dict__, 'steps': 2, 'out_root': str(d/'warm')}))   # class images + warm-up
        t = time.perf_counter(); train_dreambooth(cfg); out['dreambooth_lora_steps_per_s'] = 40 / (time.perf_counter() - t)
        pipe = load_pipeline(tiny_path('sd15'))
        for sched in ('dpm++', 'ddim', 'euler'):
            set_scheduler(pipe, sched)
            for steps in (10, 25):
                pipe(['a photo of sks mug'] * 4, height=64, width=64, num_inference_steps=2)          # warm-up
                t = time.perf_counter()
                pipe(['a photo of sks mug'] * 8, height=64, width=64, num_inference_steps=steps, generator=torch.Generator().manual_seed(0))
                out[f'generate_img_per_s_{sched}_{steps}steps'] = 8 / (time.perf_counter() - t)
    return out

def main():
    warnings.simplefilter('ignore')
    st = storage(); sp = speed()
    ratios = {'full_vs_lora_bytes': st['full_pipeline_bytes'] / st['lora_bytes'],
              'full_vs_lora_trainable_params': st['trainable_params_full_unet_text_encoder'] / st['trainable_params_lora_r4']}
    save('generation_cost', conditions(storage='SD 1.5 architectures, random weights, fp32 safetensors; LoRA r=4 on to_q/to_k/to_v/to_out.0',
                                       speed='tiny SD pipeline (prpg.tiny), 64 px, batch 8 generation, DreamBooth batch 1+1 prior'),
         {**st, **sp}, ratios)

if __name__ == '__main__': main()
