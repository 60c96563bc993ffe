"""Documents of cases: checked uploads, storage, review by the office, the checklist guard.

The workflow file declares each type's checklist (``[[documents]]``); this
package stores what applicants upload against it, checks each file by its
content, keeps the bytes in a storage back-end (a folder or the database) and
writes every upload, view, review and deletion into the case's history.
"""
