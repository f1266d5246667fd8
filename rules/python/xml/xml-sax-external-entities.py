import xml.sax
from xml.sax.handler import feature_external_ges, feature_external_pes, feature_namespaces


def parse(stream, handler):
    parser = xml.sax.make_parser()
    # ruleid: python.xml.xml-sax-external-entities
    parser.setFeature(feature_external_ges, True)
    parser.setContentHandler(handler)
    parser.parse(stream)


def parse_params(stream, handler):
    parser = xml.sax.make_parser()
    # ruleid: python.xml.xml-sax-external-entities
    parser.setFeature(xml.sax.handler.feature_external_pes, True)
    parser.parse(stream)


def parse_by_uri(stream):
    parser = xml.sax.make_parser()
    # ruleid: python.xml.xml-sax-external-entities
    parser.setFeature("http://xml.org/sax/features/external-general-entities", True)
    parser.parse(stream)


def parse_safe(stream, handler):
    parser = xml.sax.make_parser()
    # ok: python.xml.xml-sax-external-entities
    parser.setFeature(feature_external_ges, False)
    # ok: python.xml.xml-sax-external-entities
    parser.setFeature(feature_namespaces, True)
    parser.parse(stream)


def parse_safe_pes(stream):
    parser = xml.sax.make_parser()
    # ok: python.xml.xml-sax-external-entities
    parser.setFeature(feature_external_pes, False)
    parser.parse(stream)
