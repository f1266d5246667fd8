from lxml import etree


def parse_upload(data):
    # ruleid: python.xml.lxml-resolve-entities
    parser = etree.XMLParser(resolve_entities=True)
    return etree.fromstring(data, parser)


def parse_remote(data):
    # ruleid: python.xml.lxml-resolve-entities
    parser = etree.XMLParser(load_dtd=True, no_network=False)
    return etree.fromstring(data, parser)


def parse_upload_safe(data):
    # ok: python.xml.lxml-resolve-entities
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return etree.fromstring(data, parser)


def parse_comments(data):
    # ok: python.xml.lxml-resolve-entities
    parser = etree.XMLParser(remove_comments=True)
    return etree.fromstring(data, parser)
