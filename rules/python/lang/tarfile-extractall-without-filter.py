import tarfile
import zipfile


def unpack(path, dest):
    with tarfile.open(path) as archive:
        # ruleid: python.lang.tarfile-extractall-without-filter
        archive.extractall(dest)


def unpack_trusted(path, dest):
    tar = tarfile.open(path, "r:gz")
    # ruleid: python.lang.tarfile-extractall-without-filter
    tar.extractall(path=dest, filter="fully_trusted")
    tar.close()


def unpack_inline(path):
    # ruleid: python.lang.tarfile-extractall-without-filter
    tarfile.open(path).extractall("/tmp/out")


def unpack_safe(path, dest):
    with tarfile.open(path) as archive:
        # ok: python.lang.tarfile-extractall-without-filter
        archive.extractall(dest, filter="data")


def unpack_safe_callable(path, dest):
    tar = tarfile.open(path)
    # ok: python.lang.tarfile-extractall-without-filter
    tar.extractall(dest, filter=tarfile.data_filter)


def unzip(path, dest):
    with zipfile.ZipFile(path) as archive:
        # ok: python.lang.tarfile-extractall-without-filter
        archive.extractall(dest)
