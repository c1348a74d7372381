"""The forked command runner the CLI corpora use (tests/cli_fork.py) is faithful: for a help text, a bad value, a
finding, an unknown command and a success that writes files, it gives the same exit code, stdout and stderr as the
console script run as a new process, in the same working folder and environment."""
import os, subprocess, sys
from pathlib import Path

from cli_fork import run_prpg

PRPG = str(Path(sys.executable).parent/'prpg')

def test_forked_commands_match_the_console_script(tmp_path):
    cases = (['--help'], ['train', '--lr', 'nan'], ['check-data', 'nope'], ['no-such-command'],
             ['demo-data', 'out', '--categories', '[mug]', '--instances_per_category', '2', '--n_test_per_shift', '1',
              '--n_dense_per_shift', '1', '--n_negatives', '2', '--width', '32', '--height', '32'])
    for args in cases:
        got = []
        for how in ('fork', 'process'):
            d = tmp_path/how/args[0]; d.mkdir(parents=True)
            env = {**os.environ, 'PRPG_HOME': str(d/'home')}
            r = (run_prpg(args, cwd=d, env=env) if how == 'fork' else
                 subprocess.run([PRPG, *args], capture_output=True, text=True, cwd=d, env=env))
            files = sorted(p.relative_to(d).as_posix() for p in d.rglob('*') if p.is_file() and 'home' not in p.parts)
            # progress bars' rates vary, and so does the width of the blank line tqdm leaves when it closes
            text = lambda t: [l.rstrip() for l in t.replace(str(d), 'D').splitlines() if '%|' not in l and l.strip()]
            got.append((r.returncode, text(r.stdout), text(r.stderr), files))
        assert got[0] == got[1], (args, got)
    assert got[0][0] == 0 and got[0][3]                  # the last case succeeded and wrote a benchmark
