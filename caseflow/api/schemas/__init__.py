"""The API's request and response shapes (pydantic): each declared once, for validation, serialization
and the OpenAPI document.  Shapes that depend on the loaded workflows are built from the catalog."""
