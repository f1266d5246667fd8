import ftplib
from ftplib import FTP, FTP_TLS


def upload(host, user, password, path):
    # ruleid: python.network.ftplib-cleartext
    ftp = ftplib.FTP(host)
    ftp.login(user, password)


def download(host):
    # ruleid: python.network.ftplib-cleartext
    with FTP(host, user="anonymous", passwd="") as ftp:
        return ftp.nlst()


def upload_tls(host, user, password):
    # ok: python.network.ftplib-cleartext
    ftp = ftplib.FTP_TLS(host)
    ftp.login(user, password)
    ftp.prot_p()


def download_tls(host):
    # ok: python.network.ftplib-cleartext
    with FTP_TLS(host) as ftp:
        return ftp.nlst()
