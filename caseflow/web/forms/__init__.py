"""The pages' forms (WTForms, each with its CSRF token); the application form is built from the workflow's fields."""
