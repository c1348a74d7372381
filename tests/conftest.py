"""Test settings: offline hub, headless plots, and a private PRPG_HOME for everything a test writes.

Builds that are pure functions of their inputs (tiny models, demo benchmarks, the demo's generic backbone: keyed on
their config and the source that builds them, `prpg.core.build_once`) go to the machine's cache instead, as pip reuses
its own: `$PRPG_BUILDS` if set, else the machine's `PRPG_HOME` (default `~/.cache/prpg`). A later run reuses them;
`PRPG_HOME=$(mktemp -d) make test` runs with an empty one."""
import hashlib, os, shutil
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
os.environ['HF_HUB_OFFLINE'] = '1'
os.environ['MPLBACKEND'] = 'Agg'
MACHINE_HOME = Path(os.environ.get('PRPG_HOME') or Path.home()/'.cache'/'prpg').expanduser()
os.environ.setdefault('PRPG_BUILDS', str(MACHINE_HOME))
os.environ['PRPG_HOME'] = str(ROOT/'runs'/'test-home')
os.environ.setdefault('TQDM_DISABLE', '1')

PACKAGES = ('torch', 'timm', 'peft', 'transformers', 'numpy', 'pillow', 'scipy', 'scikit-learn', 'safetensors',
            'opencv-python-headless', 'pycocotools')

def keyed_dir(name:str, *inputs:Path) -> Path:
    """A folder under the machine's builds for a test's outputs that are a pure function of prpg's code: keyed on every
    source file of the package, the given input files, the libraries' versions and torch's CPU kernels, so any change to
    any of them starts from an empty folder, and an unchanged tree reuses what an earlier run finished there. The calling
    test's own file is one of the inputs."""
    import inspect, torch
    inputs = (*inputs, Path(inspect.stack()[1].filename))
    h = hashlib.sha256()
    for p in sorted((ROOT/'prpg').rglob('*.py')) + [Path(p) for p in inputs]:
        h.update(p.relative_to(ROOT).as_posix().encode() if p.is_relative_to(ROOT) else p.name.encode())
        h.update(p.read_bytes())
    h.update(repr([version(p) for p in PACKAGES] + [torch.backends.cpu.get_cpu_capability()]).encode())
    top = Path(os.environ['PRPG_BUILDS'])/'test-runs'
    d = top/f'{name}-{h.hexdigest()[:16]}'
    d.mkdir(parents=True, exist_ok=True)
    (d/'.prpg-test-run').touch()
    for old in top.glob(f'{name}-*'):                  # an older tree's folders: made by this function, so removed
        if old != d and (old/'.prpg-test-run').is_file(): shutil.rmtree(old, ignore_errors=True)
    return d

def pytest_configure(config):
    config.addinivalue_line('markers', 'gpu: needs a CUDA GPU (skipped without one)')
