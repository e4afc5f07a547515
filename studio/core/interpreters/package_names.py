"""Which package to install for a missing module: the names that differ from the import.

`import sklearn` needs `pip install scikit-learn`; for most modules the
package has the module's own name. Only the well-known differences are
listed; an unknown module is taken to be its own package.
"""

from __future__ import annotations

_DISTRIBUTIONS = {
    "attr": "attrs",
    "bs4": "beautifulsoup4",
    "cv2": "opencv-python",
    "dateutil": "python-dateutil",
    "docx": "python-docx",
    "dotenv": "python-dotenv",
    "fitz": "pymupdf",
    "git": "GitPython",
    "google.cloud.bigquery": "google-cloud-bigquery",
    "google.cloud.storage": "google-cloud-storage",
    "jwt": "PyJWT",
    "magic": "python-magic",
    "MySQLdb": "mysqlclient",
    "PIL": "pillow",
    "psycopg2": "psycopg2-binary",
    "pyspark.pandas": "pyspark",
    "serial": "pyserial",
    "skimage": "scikit-image",
    "sklearn": "scikit-learn",
    "yaml": "pyyaml",
    "zmq": "pyzmq",
    "Crypto": "pycryptodome",
    "OpenSSL": "pyOpenSSL",
    "sentence_transformers": "sentence-transformers",
    "hamilton_sdk": "sf-hamilton-sdk",
    "ibis": "ibis-framework",
    "lancedb": "lancedb",
    "pyarrow": "pyarrow",
}


def distribution_for(module: str) -> str:
    """The package that provides `module` (or its top-level package)."""
    parts = module.split(".")
    for end in range(len(parts), 0, -1):
        found = _DISTRIBUTIONS.get(".".join(parts[:end]))
        if found:
            return found
    return parts[0].replace("_", "-")
