import logging.config
from logging.config import listen


def start_default():
    # ruleid: python.lang.logging-config-listen
    thread = logging.config.listen()
    thread.start()


def start_on_port():
    # ruleid: python.lang.logging-config-listen
    thread = listen(9999)
    thread.start()


def check_signature(payload):
    return payload


def start_verified():
    # ok: python.lang.logging-config-listen
    thread = logging.config.listen(9999, verify=check_signature)
    thread.start()


def start_verified_positional():
    # ok: python.lang.logging-config-listen
    thread = logging.config.listen(9999, check_signature)
    thread.start()


def configure(config):
    # ok: python.lang.logging-config-listen
    logging.config.dictConfig(config)
