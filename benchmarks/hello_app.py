"""The bare Flask route every page is compared with: same server, same workers, same run.

    gunicorn --workers 2 --bind 127.0.0.1:PORT benchmarks.hello_app:app
"""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "hello"
