"""JSON Schemas of the data files, generated from the models (for editors and contributors).

``python -m acupressure_desktop.catalog.schema`` rewrites ``data/schema/``; a test keeps the
committed files equal to what the models generate.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from pydantic import BaseModel, TypeAdapter

from acupressure_desktop.catalog.resources import ResourceDirs
from acupressure_desktop.domain.models import (
    Benefit,
    Guide,
    MassageTechnique,
    Meridian,
    Point,
    Routine,
    Source,
    Synonym,
    Term,
    View,
)
from acupressure_desktop.domain.pictures import Picture

SCHEMAS: dict[str, type[BaseModel]] = {
    "points": Point,
    "benefits": Benefit,
    "techniques": MassageTechnique,
    "routines": Routine,
    "meridians": Meridian,
    "views": View,
    "guides": Guide,
    "sources": Source,
    "glossary": Term,
    "pictures": Picture,
    "synonyms": Synonym,
}


def schema_documents() -> dict[str, dict[str, Any]]:
    documents = {}
    for name, model in SCHEMAS.items():
        schema = TypeAdapter(list[model]).json_schema()  # type: ignore[valid-type]
        schema["title"] = f"Acupressure Desktop {name}"
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        documents[f"{name}.schema.json"] = schema
    return documents


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def write_schemas(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in schema_documents().items():
        path = folder / name
        path.write_text(render(schema), encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write_schemas(ResourceDirs.locate().data / "schema"):
        print(path, file=sys.stderr)
