import jinja2
from jinja2 import Environment, FileSystemLoader, select_autoescape


def make_env():
    # ruleid: python.jinja2.jinja2-autoescape-disabled
    return Environment(loader=FileSystemLoader("templates"))


def make_env_off():
    # ruleid: python.jinja2.jinja2-autoescape-disabled
    return jinja2.Environment(loader=FileSystemLoader("templates"), autoescape=False)


def inline(source):
    # ruleid: python.jinja2.jinja2-autoescape-disabled
    return jinja2.Template(source)


def make_env_safe():
    # ok: python.jinja2.jinja2-autoescape-disabled
    return Environment(loader=FileSystemLoader("templates"), autoescape=select_autoescape(["html", "xml"]))


def make_env_on():
    # ok: python.jinja2.jinja2-autoescape-disabled
    return jinja2.Environment(autoescape=True)
