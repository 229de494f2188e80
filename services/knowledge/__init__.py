"""Knowledge extraction: categories of fields, grounded extraction, review, storage and answering.

A category (a set of typed fields) is data, loaded from YAML files shipped in
`services/knowledge/categories/` or created over REST. `extract_knowledge`
fills a category from a document through the shared model client and ties
every value to its character span in the source text.
"""

from services.knowledge import messages as _messages  # noqa: F401  (registers the knowledge.* codes)
