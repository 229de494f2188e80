"""The web portal: server-rendered pages for the four services, served by the gateway at `/`.

Pages call the services' REST API from the browser with `fetch()`. The
session cookie (see `session.py`) replaces the API key, so no key
appears in a page.
"""
