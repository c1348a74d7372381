"Test settings: offline hub, headless plots, and a private PRPG_HOME so tests never touch the user's cache."
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
os.environ['HF_HUB_OFFLINE'] = '1'
os.environ['MPLBACKEND'] = 'Agg'
os.environ['PRPG_HOME'] = str(ROOT/'runs'/'test-home')
os.environ.setdefault('TQDM_DISABLE', '1')

def pytest_configure(config):
    config.addinivalue_line('markers', 'gpu: needs a CUDA GPU (skipped without one)')
