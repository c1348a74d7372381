"""`prpg` commands for tests, each in a fresh process forked from one that imported prpg's command line once.

A new Python process spends about 2.5 s of a 2-core machine importing torch and prpg before a command even reads its
arguments, and the bad-input, safety and check-data corpora run over a hundred commands. Here one helper process (the
"zygote") imports `prpg.cli` once; each command is a `fork` of it, so it starts from exactly the state a fresh `prpg`
process has after its imports: its own pid, working folder, environment, standard streams (to files) and exit code,
with `prpg.cli.main` as the console script calls it. Nothing in the zygote runs a command, so no command sees another's
state. The console script itself is still run as a real process by the demo, sweep, resume and pipeline tests and by
`test_evaluate_works_from_another_directory`. Where `fork` is missing, commands run as real processes.
"""
import atexit, json, os, subprocess, sys, tempfile
from pathlib import Path

PRPG = str(Path(sys.executable).parent/'prpg')

_ZYGOTE = r'''
import json, os, sys
import prpg.cli
for line in sys.stdin:
    job = json.loads(line)
    pid = os.fork()
    if pid == 0:
        try:
            os.chdir(job['cwd'])
            os.environ.clear(); os.environ.update(job['env'])
            null = os.open(os.devnull, os.O_RDONLY); os.dup2(null, 0)
            for fd, f in ((1, job['out']), (2, job['err'])):
                os.dup2(os.open(f, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644), fd)
            sys.stdin = open(os.devnull)
            sys.stdout = open(1, 'w', closefd=False); sys.stderr = open(2, 'w', closefd=False)
            sys.argv = [job['argv0'], *job['args']]
            try: code = prpg.cli.main(job['args'])
            except SystemExit as e:
                if isinstance(e.code, str): print(e.code, file=sys.stderr)
                code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
            except BaseException:
                import traceback; traceback.print_exc(); code = 1
            sys.stdout.flush(); sys.stderr.flush()
            os._exit(code or 0)
        except BaseException:
            os._exit(70)
    _, status = os.waitpid(pid, 0)
    print(json.dumps({'rc': os.waitstatus_to_exitcode(status)}), flush=True)
'''

class _Zygote:
    def __init__(self):
        self.p = subprocess.Popen([sys.executable, '-c', _ZYGOTE], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  text=True, cwd=tempfile.gettempdir())
        atexit.register(self.close)
    def run(self, args, cwd, env) -> subprocess.CompletedProcess:
        with tempfile.TemporaryDirectory() as d:
            job = {'args': list(args), 'cwd': str(cwd), 'env': env, 'argv0': PRPG, 'out': f'{d}/out', 'err': f'{d}/err'}
            self.p.stdin.write(json.dumps(job) + '\n'); self.p.stdin.flush()
            rc = json.loads(self.p.stdout.readline())['rc']
            out, err = (Path(d)/'out').read_text(), (Path(d)/'err').read_text()
        return subprocess.CompletedProcess([PRPG, *args], rc, out, err)
    def close(self):
        if self.p.poll() is None: self.p.stdin.close(); self.p.wait(timeout=30)

_zygote = None

def run_prpg(args, cwd=None, env=None) -> subprocess.CompletedProcess:
    "Run `prpg ARGS` in `cwd` with `env` (default: this process's); returns its exit code, stdout and stderr."
    global _zygote
    args, env = [str(a) for a in args], dict(os.environ if env is None else env)
    if not hasattr(os, 'fork'):
        return subprocess.run([PRPG, *args], capture_output=True, text=True, cwd=cwd, env=env)
    if _zygote is None or _zygote.p.poll() is not None: _zygote = _Zygote()
    return _zygote.run(args, cwd or os.getcwd(), env)
