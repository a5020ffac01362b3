# The real S3 server's fixtures, for every test here (import them the same way
# into another conftest.py to use them elsewhere).
from tests.servers.s3 import s3_server, s3_storage  # noqa: F401
