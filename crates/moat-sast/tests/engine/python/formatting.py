import hashlib
import os
import shutil

import yaml


def load(data):
    # ruleid: formatting-unsafe-yaml-loader
    first = yaml.load(data,Loader=yaml.Loader)
    # ruleid: formatting-unsafe-yaml-loader
    second = yaml.load(
        data,  # the raw document
        Loader=yaml.Loader,
    )
    # ruleid: formatting-unsafe-yaml-loader
    third = yaml . load( data , Loader = yaml . Loader )
    # ok: formatting-unsafe-yaml-loader
    fourth = yaml.load(data, Loader=yaml.SafeLoader)
    return first, second, third, fourth


def purge(target):
    # ruleid: formatting-shell-rm
    os.system(("rm -rf " + target))
    # ruleid: formatting-shell-rm
    os.system(("rm -rf ") + (target))
    # ok: formatting-shell-rm
    os.system("rm -f " + target)
    # ruleid: formatting-rmtree
    shutil.rmtree((target))
    # ok: formatting-rmtree
    shutil.rmtree(target, ignore_errors=True)


def digest():
    # ruleid: formatting-quote-style
    first = hashlib.new('md5')
    # ruleid: formatting-quote-style
    second = hashlib.new("md5")
    # ok: formatting-quote-style
    third = hashlib.new('sha256')
    return first, second, third
