import logging
import warnings

import requests
import urllib3
from urllib3.exceptions import InsecureRequestWarning

# ruleid: python.urllib3.urllib3-insecure-request-warning-disabled
urllib3.disable_warnings(InsecureRequestWarning)

# ruleid: python.urllib3.urllib3-insecure-request-warning-disabled
requests.packages.urllib3.disable_warnings()

# ok: python.urllib3.urllib3-insecure-request-warning-disabled
logging.getLogger("urllib3").setLevel(logging.WARNING)

# ok: python.urllib3.urllib3-insecure-request-warning-disabled
warnings.filterwarnings("ignore", category=DeprecationWarning)
