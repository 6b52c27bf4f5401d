"""HTML+CSS templates to tagged A4 PDF (PDF/UA-1, en-GB) with Jinja2 and WeasyPrint.

Autoescaping is on and undefined names are errors, so text from the database prints literally and
a template that names a missing value fails the pack instead of printing a blank. WeasyPrint fetches
nothing from the network: only ``data:`` URIs (the charts) and files in the templates folder (the
stylesheet); anything else stops the render with a ``PackError``.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

import weasyprint
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from dashboard.figures.style import RAG_COLOURS, RAG_SYMBOLS, RAG_WORDS
from dashboard.packs.errors import PackError

TEMPLATES = Path(__file__).resolve().parent / "templates"


@lru_cache(maxsize=4)
def environment(extra: Path | None = None) -> Environment:
    """The one Jinja environment (per extra folder; tests add theirs in front of the packs')."""
    folders = [FileSystemLoader(extra)] if extra is not None else []
    env = Environment(loader=ChoiceLoader([*folders, FileSystemLoader(TEMPLATES)]), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    # The product's one status vocabulary, never copied into templates.
    env.globals.update(RAG_WORDS=RAG_WORDS, RAG_SYMBOLS=RAG_SYMBOLS, RAG_COLOURS=RAG_COLOURS)
    return env


class LocalOnlyFetcher(URLFetcher):
    """Serves ``data:`` URIs and files inside the templates folder; refuses everything else
    before any connection is attempted."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("data", "file"), allow_redirects=False,
                         fail_on_errors=True)

    def fetch(self, url: str, headers: Mapping[str, str] | None = None) -> URLFetcherResponse:
        scheme = urlsplit(url).scheme.lower()
        if scheme == "file":
            path = Path(url2pathname(urlsplit(url).path)).resolve()
            if not path.is_relative_to(TEMPLATES) or not path.is_file():
                raise PackError(f"The pack may only use files in {TEMPLATES}, not {path}.")
        elif scheme != "data":
            raise PackError(f"The pack may not fetch {url}: packs use no network resources.")
        return super().fetch(url, headers)


def render_html(template: str, context: Mapping[str, object], *, title: str, subject: str = "",
                extra_templates: Path | None = None) -> str:
    """The pack's HTML, for previews and tests; ``title`` and ``subject`` become the document's
    ``<title>`` and description (``document_title``, ``document_subject`` in the template)."""
    env = environment(extra_templates.resolve() if extra_templates else None)
    return env.get_template(template).render(
        {**context, "document_title": title, "document_subject": subject})


def render_pdf(template: str, context: Mapping[str, object], *, title: str, subject: str = "",
               extra_templates: Path | None = None) -> bytes:
    """The pack as a tagged A4 PDF (PDF/UA-1), its language en-GB and its title set."""
    return render_pdf_pages(template, context, title=title, subject=subject,
                            extra_templates=extra_templates)[0]


def render_pdf_pages(template: str, context: Mapping[str, object], *, title: str, subject: str = "",
                     extra_templates: Path | None = None) -> tuple[bytes, int]:
    """:func:`render_pdf` and its number of pages, which is kept with issued papers."""
    html = render_html(template, context, title=title, subject=subject,
                       extra_templates=extra_templates)
    try:
        document = weasyprint.HTML(string=html, base_url=str(TEMPLATES),
                                   url_fetcher=LocalOnlyFetcher()).render()
        return document.write_pdf(pdf_variant="pdf/ua-1"), len(document.pages)
    except FatalURLFetchingError as error:  # raised by LocalOnlyFetcher, wrapped by WeasyPrint
        cause = error.__cause__
        raise (cause if isinstance(cause, PackError) else PackError(str(error))) from None
