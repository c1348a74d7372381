"""Per-instance cost of a personalized generator, in one run: IP-Adapter (no per-instance training) against
DreamBooth-LoRA (training included), on one instance of the offline demo.

- time to the first positive: from the instance's photos to its first generated image (DreamBooth: train the LoRA,
  load it, sample; IP-Adapter: load the adapter, encode the photos, sample);
- images/s once the generator is ready (batches of 4);
- bytes stored per instance: DreamBooth's LoRA files; IP-Adapter's nothing (the adapter is shared by every instance).

With the tiny models (`prpg.tiny`) on the CPU: timings of the tiny architectures say how the two routes scale in
steps, not what the real models cost. The real SD 1.5 architecture needs a CUDA machine (on CPU it would take hours);
none was lent yet, so that measurement is still to be added.

    python bench/generator_cost.py                      # tiny models
Ratios: `ipadapter_vs_dreambooth_first_positive` (how many times sooner IP-Adapter has its first image)."""
import sys, tempfile, time, warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import conditions, save

DB_STEPS, GEN_STEPS, RES, N = 20, 10, 64, 8

def dir_bytes(d): return sum(f.stat().st_size for f in Path(d).rglob('*') if f.is_file())

def main():
    from prpg.data import load_dataset
    from prpg.demo_data import DemoConfig, build_demo
    from prpg.generate.dreambooth import DreamBoothConfig, load_generator, load_pipeline, train_dreambooth
    from prpg.generate.ipadapter import IPAdapterConfig, ipadapter_positives, load_ipadapter
    from prpg.generate.synthetic import GenerateConfig, generate_positives
    from prpg.tiny import tiny_path
    warnings.simplefilter('ignore')
    base, repo = tiny_path('sd15'), tiny_path('ipadapter')
    tmp = Path(tempfile.mkdtemp())
    ds = load_dataset(build_demo(DemoConfig(categories=['mug'], instances_per_category=2, n_test_per_shift=1,
                                            n_dense_per_shift=1, n_negatives=2, width=128, height=128), tmp/'demo',
                                 progress=False))
    inst = ds.instances[0]
    g1 = GenerateConfig(n=1, steps=GEN_STEPS, resolution=RES, batch_size=1)
    gN = GenerateConfig(n=1 + N, steps=GEN_STEPS, resolution=RES, batch_size=4)
    r = {}
    t = time.perf_counter()                                   # DreamBooth: train, load, first image
    run = train_dreambooth(DreamBoothConfig(images=[str(p) for p in ds.images(inst)], class_noun='mug', base=str(base),
                                            resolution=RES, steps=DB_STEPS, loss='dco', out_root=str(tmp/'db'),
                                            validation_steps=2, progress=False, device='cpu'))
    r['dreambooth_train_s'] = time.perf_counter() - t
    pipe = load_generator(run, device='cpu')
    generate_positives(pipe, tmp/'db_gen', inst, 'mug', g1, model=str(base), adapter=str(run))
    r['dreambooth_first_positive_s'] = time.perf_counter() - t
    t = time.perf_counter()
    generate_positives(pipe, tmp/'db_gen', inst, 'mug', gN, model=str(base), adapter=str(run))
    r['dreambooth_img_per_s'] = N / (time.perf_counter() - t)
    r['dreambooth_bytes_per_instance'] = dir_bytes(Path(run)) - dir_bytes(Path(run)/'validation')
    r['dreambooth_adapter_bytes'] = sum(f.stat().st_size for f in Path(run).glob('*.safetensors'))
    ip = IPAdapterConfig(repo=str(repo), reference_size=64)
    t = time.perf_counter()                                   # IP-Adapter: load, encode the photos, first image
    pipe = load_ipadapter(load_pipeline(base, 'cpu'), ip)
    ipadapter_positives(pipe, ds, inst, tmp/'ip_gen', g1, ip, model=str(base))
    r['ipadapter_first_positive_s'] = time.perf_counter() - t
    t = time.perf_counter()
    ipadapter_positives(pipe, ds, inst, tmp/'ip_gen', gN, ip, model=str(base))
    r['ipadapter_img_per_s'] = N / (time.perf_counter() - t)
    r['ipadapter_bytes_per_instance'] = 0                     # nothing beyond the images: the adapter is shared
    r['ipadapter_shared_adapter_bytes'] = (repo/'models'/'ip-adapter-plus_sd15.safetensors').stat().st_size
    ratios = {'ipadapter_vs_dreambooth_first_positive': r['dreambooth_first_positive_s'] / r['ipadapter_first_positive_s'],
              'ipadapter_vs_dreambooth_img_per_s': r['ipadapter_img_per_s'] / r['dreambooth_img_per_s']}
    save('generator_cost', conditions(models='tiny (prpg.tiny): sd15 + ipadapter plus', dreambooth_steps=DB_STEPS,
                                      sampling_steps=GEN_STEPS, resolution=RES, images=N, device='cpu'),
         r, ratios, per_machine=True)

if __name__ == '__main__':
    main()
