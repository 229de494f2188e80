"""Render the WPS Office JavaScript add-in (WPS加载项) that opens the pane in WPS Writer.

WPS does not read Office add-in manifests. Its online add-ins are a folder on a web
server: WPS reads `ribbon.xml` and `index.html` from the URL that a `publish.xml` line
in the user's `jsaddons` folder names, and `index.html` loads `main.js`, whose ribbon
callbacks open the pane in a WPS task pane.

The files follow the shape of the wpsjs 2.2.2 project templates (ribbon.xml, index.html
loading main.js) and of the `jspluginonline` lines that published WPS add-ins document.
NOTE: no WPS build has loaded them; the tests only parse them and run main.js in Chromium.
"""

from __future__ import annotations

from apps.editor_plugin.manifest import check_base_url, environment

MEDIA_TYPES = {
    "ribbon.xml": "application/xml",
    "publish.xml": "application/xml",
    "index.html": "text/html; charset=utf-8",
    "main.js": "text/javascript; charset=utf-8",
}
WPS_ADDIN_FILES = frozenset(MEDIA_TYPES)
# The add-in's name in publish.xml. WPS fails to load add-ins whose names collide, so the
# name is specific to this project.
ADDIN_NAME = "xingchen-writing"


def addin_url(base_url: str) -> str:
    """Return the URL of the add-in folder; WPS appends `ribbon.xml` and `index.html` to it."""
    return f"{check_base_url(base_url)}/editor-plugin/wps/"


def pane_url(base_url: str) -> str:
    """Return the URL of the pane over the WPS host module."""
    return f"{check_base_url(base_url)}/editor-plugin/taskpane.html?host=wps"


def render_wps_file(name: str, base_url: str) -> str:
    """Render one file of the add-in (a name in WPS_ADDIN_FILES) with its URLs under `base_url`."""
    if name not in WPS_ADDIN_FILES:
        raise ValueError(f"{name!r} is not a WPS add-in file; expected one of {sorted(WPS_ADDIN_FILES)}")
    template = environment.get_template(f"wps/{name}.j2")
    return template.render(addin_name=ADDIN_NAME, addin_url=addin_url(base_url), pane_url=pane_url(base_url))
