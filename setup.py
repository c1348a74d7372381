"All settings are in settings.ini; edit there, not here."
from configparser import ConfigParser
import setuptools

c = ConfigParser(delimiters=['='])
c.read('settings.ini', encoding='utf-8')
c = c['DEFAULT']
req = lambda k: c.get(k, '').split()
extras = {k[:-len('_requirements')]: req(k) for k in c if k.endswith('_requirements') and k != 'pip_requirements'}
extras['all'] = sorted({r for k, v in extras.items() if k != 'dev' for r in v})
# `dev` is everything a contributor needs to run the whole test suite
extras['dev'] = sorted(set(extras['dev']) | set(extras['all']))
setuptools.setup(
    name=c['lib_name'], version=c['version'], description=c['description'],
    long_description=open('README.md', encoding='utf-8').read(), long_description_content_type='text/markdown',
    packages=setuptools.find_packages(include=[c['lib_path'], c['lib_path'] + '.*']),
    python_requires='>=' + c['min_python'],
    install_requires=req('requirements') + req('pip_requirements'), extras_require=extras,
    entry_points={'console_scripts': c.get('console_scripts', '').split(),
                  'nbdev': [f"{c['lib_path']}={c['lib_path']}._modidx:d"]},
    include_package_data=True, zip_safe=False)
