"""REST routes of the analytics service, mounted under /api/v1/analytics."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Query, status
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field

import services.analytics.jobs  # noqa: F401  (registers the report job)
from apps.gateway.deps import LanguageDep, ModelDep, PrincipalDep, RunnerDep, SettingsDep, StateDep
from services.analytics.catalog import Catalog, load_catalog
from services.analytics.glossary import Example, GlossaryStore, GlossaryTerm, check_example_sql
from services.analytics.jobs import REPORT_JOB, reports_folder
from services.analytics.options import AskOptions
from services.analytics.pipeline import AskResult, ask, load_turn
from services.analytics.reports import REPORT_FORMATS, ReportFormat
from services.analytics.sources import SourceConfig, SourceRegistry
from services.core.apikeys import Principal
from services.core.errors import InvalidInputError, NotFoundError, PermissionDeniedError

router = APIRouter(tags=["analytics"])


class AskRequest(BaseModel):
    question: str = Field(min_length=1, max_length=2000, description="The business question, in Chinese or English.")
    source: str = Field("demo", description="Name of the data source.")
    conversation_id: str | None = Field(
        None, max_length=64, description="Continue this conversation, so follow-ups refer to earlier answers."
    )
    page: int = Field(1, ge=1, description="Page of rows to return.")
    page_size: int = Field(50, ge=1, le=1000, description="Rows per page.")
    options: AskOptions | None = None


class RowsPage(BaseModel):
    turn_id: str
    columns: list[str]
    rows: list[list[Any]]
    total_rows: int
    page: int
    page_size: int


class ReportRequest(BaseModel):
    turn_id: str = Field(description="`turn_id` from an ask response.")
    formats: list[ReportFormat] = Field(default_factory=lambda: list(REPORT_FORMATS), description="Report formats.")
    language: Literal["zh", "en"] | None = Field(None, description="Report language; defaults to the request's.")


class JobAccepted(BaseModel):
    job_id: str
    status_url: str
    events_url: str


@router.post("/ask", response_model=AskResult)
def ask_question(
    request: AskRequest,
    model: ModelDep,
    settings: SettingsDep,
    state: StateDep,
    principal: PrincipalDep,
    language: LanguageDep,
) -> AskResult:
    """Answer a question with SQL, rows, a chart spec and an analysis."""
    options = request.options or AskOptions(language=language)
    if "language" not in options.model_fields_set:
        # Without an explicit language, prompts and the narrative follow the request's language.
        options = options.model_copy(update={"language": language})
    return ask(
        question=request.question,
        source_name=request.source,
        model=model,
        settings=settings,
        database=state.database,
        options=options,
        conversation_id=request.conversation_id,
        owner=principal.key_id,
        page=request.page,
        page_size=request.page_size,
    )


@router.get("/results/{turn_id}", response_model=RowsPage)
def result_rows(
    turn_id: str,
    state: StateDep,
    principal: PrincipalDep,
    page: int = Query(1, ge=1),
    page_size: int = Query(50, ge=1, le=1000),
) -> RowsPage:
    """Return one page of a stored answer's rows."""
    turn = load_turn(state.database, turn_id, owner=principal.key_id)
    start = (page - 1) * page_size
    return RowsPage(
        turn_id=turn.id,
        columns=turn.columns,
        rows=turn.rows[start : start + page_size],
        total_rows=len(turn.rows),
        page=page,
        page_size=page_size,
    )


@router.post("/report", response_model=JobAccepted, status_code=status.HTTP_202_ACCEPTED)
def create_report(
    request: ReportRequest, state: StateDep, runner: RunnerDep, principal: PrincipalDep, language: LanguageDep
) -> JobAccepted:
    """Start a job that writes the Markdown, HTML and Word reports of an answer."""
    load_turn(state.database, request.turn_id, owner=principal.key_id)
    params = {
        "turn_id": request.turn_id,
        "formats": list(request.formats),
        "language": request.language or language,
        "owner": principal.key_id,
    }
    job = runner.submit(REPORT_JOB, params, owner=principal.key_id)
    return JobAccepted(job_id=job.id, status_url=f"/api/v1/jobs/{job.id}", events_url=f"/api/v1/jobs/{job.id}/events")


@router.get("/reports/{turn_id}/{kind}")
def download_report(
    turn_id: str, kind: str, state: StateDep, settings: SettingsDep, principal: PrincipalDep
) -> FileResponse:
    """Download a report file written by a report job (md, html, docx or the chart png)."""
    accepted = (*REPORT_FORMATS, "png")
    if kind not in accepted:
        raise InvalidInputError("analytics.report_format_invalid", format=kind, accepted=", ".join(accepted))
    turn = load_turn(state.database, turn_id, owner=principal.key_id)
    folder = reports_folder(settings, turn.id)
    name = f"report-{turn.id[:12]}-chart.png" if kind == "png" else f"report-{turn.id[:12]}.{kind}"
    path = folder / name
    if not path.is_file():
        raise NotFoundError("not_found", kind="report", id=f"{turn_id}/{kind}")
    return FileResponse(path, filename=name)


@router.get("/sources", response_model=list[SourceConfig])
def list_sources(settings: SettingsDep, state: StateDep) -> list[SourceConfig]:
    """List the data sources; passwords in URLs are masked."""
    sources = SourceRegistry(settings, state.database).list()
    return [source.model_copy(update={"url": source.public_url()}) for source in sources]


def _require_admin(principal: Principal) -> None:
    # A source URL can name any file or server the gateway reaches, so only the admin key may change sources.
    if not principal.is_admin:
        raise PermissionDeniedError("analytics.source_admin_only")


@router.post("/sources", response_model=SourceConfig, status_code=status.HTTP_201_CREATED)
def add_source(source: SourceConfig, settings: SettingsDep, state: StateDep, principal: PrincipalDep) -> SourceConfig:
    """Register a data source by SQLAlchemy URL (admin key only)."""
    _require_admin(principal)
    stored = SourceRegistry(settings, state.database).add(source)
    return stored.model_copy(update={"url": stored.public_url()})


@router.delete("/sources/{name}", status_code=status.HTTP_204_NO_CONTENT)
def delete_source(name: str, settings: SettingsDep, state: StateDep, principal: PrincipalDep) -> None:
    """Delete a data source registered over REST (admin key only)."""
    _require_admin(principal)
    SourceRegistry(settings, state.database).delete(name)


@router.get("/sources/{name}/catalog", response_model=Catalog)
def source_catalog(name: str, settings: SettingsDep, state: StateDep, refresh: bool = False) -> Catalog:
    """Return the tables, columns, keys, comments, sample values and row counts of a source."""
    source = SourceRegistry(settings, state.database).get(name)
    return load_catalog(source, timeout=source.effective_timeout(settings), refresh=refresh)


@router.get("/glossary", response_model=list[GlossaryTerm])
def list_terms(state: StateDep, source: str | None = None) -> list[GlossaryTerm]:
    """List glossary terms, the built-in ones first."""
    return GlossaryStore(state.database).terms(source)


@router.post("/glossary", response_model=GlossaryTerm, status_code=status.HTTP_201_CREATED)
def add_term(term: GlossaryTerm, state: StateDep) -> GlossaryTerm:
    """Add a business term with its meaning and SQL fragment."""
    return GlossaryStore(state.database).add_term(term)


@router.delete("/glossary/{term_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_term(term_id: str, state: StateDep) -> None:
    """Delete a stored glossary term."""
    GlossaryStore(state.database).delete_term(term_id)


@router.get("/examples", response_model=list[Example])
def list_examples(state: StateDep, source: str | None = None) -> list[Example]:
    """List question->SQL examples."""
    return GlossaryStore(state.database).examples(source)


@router.post("/examples", response_model=Example, status_code=status.HTTP_201_CREATED)
def add_example(example: Example, state: StateDep, settings: SettingsDep) -> Example:
    """Store a question with the SQL that answers it; the source must exist and the SQL must pass the guard."""
    source = SourceRegistry(settings, state.database).get(example.source)
    check_example_sql(example, source, settings)
    return GlossaryStore(state.database).add_example(example)


@router.delete("/examples/{example_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_example(example_id: str, state: StateDep) -> None:
    """Delete a stored example."""
    GlossaryStore(state.database).delete_example(example_id)
